/**
 * The overall progress of a local sweep, from its events: runs done (of which skipped), running, failed and
 * waiting, epochs trained of all, and an ETA from the epochs trained per second since the sweep started
 * (runs differ in cost per epoch, so it is a rough guide). On a TTY one line redrawn in place; otherwise a
 * line every `plainEveryMs`.
 */
import { formatDuration, type ProgressStream } from '../runs/progress.js';
import type { SweepEvent } from './local-sweep.js';

function count(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(n);
}

export class SweepProgress {
  private total = 0;
  private readonly epochsOf = new Map<string, number>();
  private readonly current = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly finished = new Set<string>();
  private skipped = 0;
  /** Epochs trained by this sweep so far (not counting where resumed runs started). */
  private trained = 0;
  private readonly t0: number;
  private lastDraw: number;

  constructor(
    private readonly out: ProgressStream,
    private readonly plainEveryMs = 10000,
    private readonly now: () => number = Date.now,
  ) {
    this.t0 = now();
    this.lastDraw = out.isTTY ? 0 : this.t0;
  }

  /** Feeds an event; returns a line to print above the progress line (a run's end), or null. */
  event(e: SweepEvent): string | null {
    switch (e.type) {
      case 'plan':
        this.total = e.runs.length;
        for (const r of e.runs) {
          this.epochsOf.set(r.name, r.cfg.num_epochs);
          this.current.set(r.name, 0);
        }
        for (const s of e.skipped) {
          this.finished.add(s);
          this.current.set(s, this.epochsOf.get(s) ?? 0);
        }
        this.skipped = e.skipped.length;
        return null;
      case 'start':
        this.running.add(e.name);
        return null;
      case 'resume':
        this.current.set(e.name, e.epoch);
        return null;
      case 'progress': {
        const before = this.current.get(e.name) ?? 0;
        if (e.epoch > before) this.trained += e.epoch - before;
        this.current.set(e.name, e.epoch);
        this.tick();
        return null;
      }
      case 'end': {
        this.running.delete(e.name);
        const o = e.outcome;
        if (o.kind === 'done') {
          this.finished.add(e.name);
          const before = this.current.get(e.name) ?? 0;
          const E = this.epochsOf.get(e.name) ?? before;
          if (E > before) this.trained += E - before;
          this.current.set(e.name, E);
          return `done ${e.name} in ${formatDuration(o.wall_s)}${o.resumedAt !== null ? ` (resumed at epoch ${o.resumedAt})` : ''}`;
        }
        if (o.kind === 'interrupted') return `interrupted ${e.name}: its state is saved; run the sweep again to resume`;
        this.failed.add(e.name);
        return `failed ${e.name}: ${o.message}`;
      }
    }
  }

  line(): string {
    const done = this.finished.size;
    const waiting = this.total - done - this.running.size - this.failed.size;
    let all = 0;
    let at = 0;
    for (const [name, E] of this.epochsOf) {
      if (this.failed.has(name)) continue;
      all += E;
      at += Math.min(E, this.current.get(name) ?? 0);
    }
    const elapsed = (this.now() - this.t0) / 1000;
    const rate = elapsed > 0 ? this.trained / elapsed : 0;
    const eta = rate > 0 ? formatDuration((all - at) / rate) : '?';
    return (
      `sweep: ${done}/${this.total} done${this.skipped ? ` (${this.skipped} skipped)` : ''}, ${this.running.size} running, ` +
      `${this.failed.size} failed, ${waiting} waiting; epochs ${count(at)}/${count(all)}; ETA ${eta}`
    );
  }

  /** Prints `msg` (if any) on its own line, then the progress line when due (or at once with `force`). */
  print(msg: string | null, force = false): void {
    if (msg !== null) this.out.write((this.out.isTTY ? '\r\x1b[K' : '') + msg + '\n');
    if (force || msg !== null) this.draw();
  }

  private tick(): void {
    const t = this.now();
    if (this.out.isTTY ? t - this.lastDraw >= 200 : t - this.lastDraw >= this.plainEveryMs) this.draw();
  }

  private draw(): void {
    this.lastDraw = this.now();
    if (this.out.isTTY) this.out.write('\r' + this.line() + '\x1b[K');
    else this.out.write(this.line() + '\n');
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
