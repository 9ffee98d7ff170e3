/**
 * The sandbox channel: length-prefixed frames of V8-serialised values over a
 * socket pair (the child's fd 3), instead of Node's own IPC. The child side is
 * untrusted: a submission can write any bytes to its end. The parent's reader
 * therefore caps frame sizes, and a frame that does not decode is reported as
 * an error of the channel, never thrown into the grader.
 */
import { deserialize, serialize } from 'node:v8';

/** The fd the child reads and writes frames on. */
export const CHANNEL_FD = 3;
/** Largest frame accepted from the child (results, models); larger ones end the child. */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

export function encodeFrame(message: unknown): Buffer {
  const body = serialize(message);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export type Frame = { ok: true; value: unknown } | { ok: false; error: string };

/** Reassembles frames from chunks; `push` returns the frames completed by a chunk. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private need = -1;
  /** Set once the stream is unusable (an oversized or undecodable frame); nothing more is read. */
  broken?: string;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  push(chunk: Buffer): Frame[] {
    if (this.broken) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Frame[] = [];
    for (;;) {
      if (this.need < 0) {
        if (this.buffered < 4) break;
        this.need = this.take(4).readUInt32BE(0);
        if (this.need > this.maxBytes) {
          this.broken = `a message of ${this.need.toLocaleString('en-US')} bytes, over the limit of ${this.maxBytes.toLocaleString('en-US')}`;
          out.push({ ok: false, error: this.broken });
          this.chunks = [];
          this.buffered = 0;
          return out;
        }
      }
      if (this.buffered < this.need) break;
      const body = this.take(this.need);
      this.need = -1;
      try {
        out.push({ ok: true, value: deserialize(body) });
      } catch (e) {
        this.broken = `a message that does not decode (${(e as Error).message})`;
        out.push({ ok: false, error: this.broken });
        return out;
      }
    }
    return out;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return Buffer.from(head);
  }
}
