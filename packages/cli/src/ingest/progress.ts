import type { OutputStream } from '../io.js';

const width = 24;

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A one-line progress bar on a terminal; silent when the stream is not a TTY. */
export class Progress {
  readonly #out: OutputStream;
  readonly #enabled: boolean;
  readonly #started = Date.now();
  #last = 0;
  #note = '';
  #shown = false;

  constructor(out: OutputStream, enabled = out.isTTY === true) {
    this.#out = out;
    this.#enabled = enabled;
  }

  /** Redraws at most every 100 ms unless `force`. */
  update(sent: number, fraction: number, force = false): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (!force && now - this.#last < 100) return;
    this.#last = now;
    this.#out.write(`\r\x1b[K${renderProgress(sent, fraction, now - this.#started)}${this.#note}`);
    this.#shown = true;
  }

  /** A short remark shown after the bar until the next one (e.g. that the server asked to wait). */
  note(text: string): void {
    this.#note = text === '' ? '' : `  ${text}`;
  }

  /** Writes a line of its own (e.g. a retry), on a terminal above the bar; shown whether or not a terminal. */
  log(text: string): void {
    if (this.#enabled && this.#shown) this.#out.write('\r\x1b[K');
    this.#out.write(`${text}\n`);
    this.#shown = false;
  }

  /** Clears the line so the summary starts on a clean one. */
  finish(): void {
    if (this.#enabled && this.#shown) this.#out.write('\r\x1b[K');
  }
}

/** `[#####-----]  45%  12,345 records  4,567 rec/s` */
export function renderProgress(sent: number, fraction: number, elapsedMs: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  const rate = elapsedMs > 0 ? (sent * 1000) / elapsedMs : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%  ${count(sent)} records  ${count(rate)} rec/s`;
}
