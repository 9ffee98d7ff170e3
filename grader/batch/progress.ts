/**
 * Progress of a class batch on stderr: a live bar (cli-progress) on a
 * terminal, with done, failed, rate, ETA and the slowest submission in
 * flight; one plain line per submission otherwise (pipes, files, CI logs).
 */
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import type { GradeResult } from '../judge/result.ts';

export class BatchProgress {
  private bar?: cliProgress.SingleBar;
  private readonly inFlight = new Map<string, number>();
  private failed = 0;
  private count = 0;
  private readonly t0 = performance.now();

  constructor(private readonly total: number, live: boolean) {
    if (!live) return;
    this.bar = new cliProgress.SingleBar({
      stream: process.stderr,
      format: 'grading {bar} {value}/{total} · {failed} failed · {rate}/min · ETA {eta_formatted} · slowest now: {slowest}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(total, 0, this.payload());
  }

  private payload() {
    const now = performance.now();
    let slowest = '–';
    let longest = -1;
    for (const [id, t] of this.inFlight) if (now - t > longest) { longest = now - t; slowest = `${id} (${((now - t) / 1000).toFixed(0)} s)`; }
    const rate = this.count ? ((this.count / (now - this.t0)) * 60_000).toFixed(0) : '–';
    return { failed: this.failed, rate, slowest };
  }

  start(id: string): void {
    this.inFlight.set(id, performance.now());
    this.bar?.update(this.payload());
  }

  done(id: string, result: GradeResult | undefined, skipped: boolean | undefined, ms: number): void {
    this.inFlight.delete(id);
    this.count++;
    const error = result?.parts.every((p) => p.status === 'error');
    if (error) this.failed++;
    if (this.bar) return this.bar.update(this.count, this.payload());
    const what = skipped ? pc.dim('unchanged, kept') : result ? `${Math.round(result.score * 100) / 100} / ${result.maxScore}${error ? pc.red(' (not graded)') : ''}` : '';
    console.error(`[${this.count}/${this.total}] ${id} ${what}${skipped ? '' : pc.dim(` (${(ms / 1000).toFixed(1)} s)`)}`);
  }

  stop(): void {
    this.bar?.stop();
  }
}
