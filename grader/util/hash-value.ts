import type { Hash } from 'node:crypto';

/** Feed a value to a hash by what it is, not how V8 stores it (a small integer and the same double hash alike); typed arrays by their bytes. */
export function hashValue(h: Hash, v: unknown): void {
  if (v === null || v === undefined) h.update(v === null ? 'n' : 'u');
  else if (typeof v === 'number') {
    const b = Buffer.alloc(9);
    b.write('d');
    b.writeDoubleLE(v, 1);
    h.update(b);
  } else if (typeof v === 'string') h.update(`s${v.length}:${v}`);
  else if (typeof v === 'boolean' || typeof v === 'bigint') h.update(`${typeof v}:${String(v)}`);
  else if (ArrayBuffer.isView(v)) {
    h.update(`t${v.constructor.name}${v.byteLength}:`);
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  } else if (v instanceof ArrayBuffer) {
    h.update(`b${v.byteLength}:`);
    h.update(new Uint8Array(v));
  } else if (Array.isArray(v)) {
    h.update(`[${v.length}`);
    for (const x of v) hashValue(h, x);
    h.update(']');
  } else if (typeof v === 'object') {
    const keys = Object.keys(v);
    h.update(`{${keys.length}`);
    for (const k of keys) {
      h.update(`k${k.length}:${k}`);
      hashValue(h, (v as Record<string, unknown>)[k]);
    }
    h.update('}');
  } else h.update(typeof v);
}
