/**
 * Progress display of a training run on a stream (stderr): on a TTY a one-line bar redrawn in place at most
 * ~10 times a second; otherwise a plain line every `plainEveryMs` (10 s). Shows the epoch reached of the last
 * one (`epoch e/E−1`, epochs numbered from 0: src/runs/epochs.ts) and the share done, the last logged
 * train/test loss and accuracy, steps/s and the ETA. With several members (seeds trained at once) it shows
 * the range of their train losses and each member's test accuracy, in member order.
 */
import { lastEpoch } from './epochs.js';
import type { LogRow } from './run-folder.js';

export interface ProgressStream {
  write(s: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function num(x: number): string {
  return Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2);
}

/**
 * What the bar counts: its label and the name of its rate; `numbered`: show the last item's 0-based number of
 * the last one (epochs: `epoch 2999/2999`) instead of a count (`checkpoint 522/522`).
 */
export interface ProgressUnit {
  label: string;
  rate: string;
  numbered?: boolean;
}
export const EPOCH_UNIT: ProgressUnit = { label: 'epoch', rate: 'steps/s', numbered: true };
export const CHECKPOINT_UNIT: ProgressUnit = { label: 'checkpoint', rate: 'checkpoints/s' };

export class Progress {
  /** The last log row of each member. */
  private last: (LogRow | null)[] = [null];
  private lastDraw = 0;
  private readonly t0: number;
  private rateEpoch: number;
  private rateTime: number;
  private rate = 0;
  private epochDone: number;
  private drawnEpoch = -1;

  constructor(
    private readonly out: ProgressStream,
    private readonly total: number,
    startEpoch: number,
    private readonly plainEveryMs = 10000,
    private readonly now: () => number = Date.now,
    private readonly unit: ProgressUnit = EPOCH_UNIT,
  ) {
    this.t0 = now();
    this.rateEpoch = startEpoch;
    this.rateTime = this.t0;
    this.epochDone = startEpoch;
    this.lastDraw = out.isTTY ? 0 : this.t0;
  }

  setLog(row: LogRow | null, member = 0): void {
    while (this.last.length <= member) this.last.push(null);
    this.last[member] = row;
  }

  /** Call after each epoch (0-based); draws when due. */
  tick(epoch: number): void {
    this.epochDone = epoch + 1;
    const t = this.now();
    if (t - this.rateTime >= 1000) {
      const r = ((this.epochDone - this.rateEpoch) * 1000) / (t - this.rateTime);
      this.rate = this.rate === 0 ? r : 0.7 * this.rate + 0.3 * r;
      this.rateEpoch = this.epochDone;
      this.rateTime = t;
    }
    const due = this.out.isTTY ? t - this.lastDraw >= 100 : t - this.lastDraw >= this.plainEveryMs;
    if (due) this.draw(t);
  }

  line(): string {
    const done = this.epochDone;
    const pct = (100 * done) / this.total;
    const at = this.unit.numbered ? `${done > 0 ? done - 1 : '-'}/${lastEpoch(this.total)}` : `${done}/${this.total}`;
    const parts = [`${this.unit.label} ${at} (${pct.toFixed(1)}%)`];
    if (this.last.length === 1 && this.last[0]) {
      const l = this.last[0];
      parts.push(`loss ${num(l.train_loss)}/${num(l.test_loss)}`, `acc ${l.train_acc.toFixed(3)}/${l.test_acc.toFixed(3)}`);
    } else if (this.last.length > 1) {
      const rows = this.last.filter((r): r is LogRow => r !== null);
      const losses = rows.map((r) => r.train_loss);
      if (rows.length > 0) parts.push(`train loss ${num(Math.min(...losses))}..${num(Math.max(...losses))}`);
      parts.push(`test acc ${this.last.map((r) => (r ? r.test_acc.toFixed(2) : '-')).join(' ')}`);
    }
    if (this.rate > 0) parts.push(`${this.rate >= 100 ? this.rate.toFixed(0) : this.rate.toFixed(1)} ${this.unit.rate}`, `ETA ${formatDuration((this.total - done) / this.rate)}`);
    return parts.join('  ');
  }

  private draw(t: number): void {
    this.lastDraw = t;
    this.drawnEpoch = this.epochDone;
    if (this.out.isTTY) {
      const width = Math.max(10, Math.min(30, (this.out.columns ?? 100) - 90));
      const filled = Math.round((width * this.epochDone) / this.total);
      const bar = '[' + '#'.repeat(filled) + '.'.repeat(width - filled) + '] ';
      // Cut to the terminal's width: a wrapped line would not be redrawn in place.
      const text = bar + this.line();
      const cols = this.out.columns ?? 100;
      this.out.write('\r' + (text.length >= cols ? text.slice(0, Math.max(1, cols - 1)) : text) + '\x1b[K');
    } else {
      this.out.write(this.line() + '\n');
    }
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    if (!this.out.isTTY && this.drawnEpoch === this.epochDone) return;
    this.draw(this.now());
    if (this.out.isTTY) this.out.write('\n');
  }
}
