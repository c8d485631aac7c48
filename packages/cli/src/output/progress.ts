import type { BulkTask, BulkTaskPage } from "@org/bulk-tasks-api";
import { formatCount, printable, type StreamInfo } from "./style.js";
import { describeRows } from "./task.js";

/** The stream progress is drawn on: stderr. */
export interface ProgressStream extends StreamInfo {
  write(text: string): boolean;
}

/** Redraws at most this often: a fast walk must not spend its time drawing. */
const REDRAW_INTERVAL_MS = 100;
const CLEAR_LINE = "\r\x1b[2K";

/**
 * The progress of a walk or a wait on one line of stderr, redrawn in place. Drawn only when stderr
 * is a terminal and progress is wanted; otherwise every method does nothing, so that pipes and log
 * files stay clean.
 */
export class Progress {
  readonly #stream: ProgressStream | undefined;
  readonly #now: () => number;
  #started = 0;
  #lastDrawn = -Infinity;
  #shown = false;
  #line = "";

  constructor(stream: ProgressStream, enabled: boolean, now: () => number = () => performance.now()) {
    this.#stream = enabled && stream.isTTY ? stream : undefined;
    this.#now = now;
  }

  /** Whether anything is drawn: stderr is a terminal, and progress is wanted. */
  get drawn(): boolean {
    return this.#stream !== undefined;
  }

  /** Starts the clock: rates and times count from here. */
  start(): void {
    this.#started = this.#now();
  }

  /** Seconds since `start()`. */
  elapsedSeconds(): number {
    return (this.#now() - this.#started) / 1000;
  }

  /** Shows `line`, redrawn now unless the last drawing is too recent (it then waits for the next). */
  show(line: string): void {
    if (!this.#stream) return;
    const now = this.#now();
    this.#line = line;
    if (this.#shown && now - this.#lastDrawn < REDRAW_INTERVAL_MS) return;
    this.#draw(now);
  }

  /** Takes the line off the screen, for other output to be written (or for good at the end). */
  clear(): void {
    if (!this.#stream || !this.#shown) return;
    this.#stream.write(CLEAR_LINE);
    this.#shown = false;
  }

  /** Takes the line off the screen for good: lines written after it (an error) do not bring it back. */
  end(): void {
    this.clear();
    this.#line = "";
  }

  /** Draws the line again after `clear()`, if there is one. */
  restore(): void {
    if (this.#stream && !this.#shown && this.#line) this.#draw(this.#now());
  }

  #draw(now: number): void {
    if (!this.#stream) return;
    // Cut to the terminal's width: a line that wraps cannot be redrawn in place.
    // A pseudo-terminal may say 0 columns: unknown, taken as 80.
    const width = Math.max((this.#stream.columns || 80) - 1, 10);
    this.#stream.write(`${CLEAR_LINE}${[...this.#line].slice(0, width).join("")}`);
    this.#shown = true;
    this.#lastDrawn = now;
  }
}

/** A walk: `page 3 of 15 · 300 of 1,500 tasks · 1,200 tasks/s · 1 s left`. */
export function describeWalk(page: BulkTaskPage, tasksSoFar: number, seconds: number): string {
  const rate = tasksSoFar / Math.max(seconds, 0.001);
  const left = Math.max(page.totalDocs - tasksSoFar, 0);
  return [
    `page ${formatCount(page.page)} of ${formatCount(page.totalPages)}`,
    `${formatCount(tasksSoFar)} of ${formatCount(page.totalDocs)} tasks`,
    `${formatCount(rate)} tasks/s`,
    ...(left > 0 && rate > 0 ? [`${formatDuration(left / rate)} left`] : []),
  ].join(" · ");
}

/** A wait: `inProgress · 120 of 400 rows · 4 s` (the rows once the task has a report). */
export function describeWait(task: BulkTask, seconds: number): string {
  const rows = describeRows(task.report);
  return [printable(task.status), ...(rows ? [rows] : []), formatDuration(Math.floor(seconds))].join(" · ");
}

/** `4 s`, `2 min 5 s`, `1 min`, `1 h 3 min`. */
export function formatDuration(seconds: number): string {
  const total = Math.ceil(seconds);
  if (total < 60) return `${total} s`;
  const part = (value: number, unit: string) => (value ? ` ${value} ${unit}` : "");
  if (total < 3600) return `${Math.floor(total / 60)} min${part(total % 60, "s")}`;
  return `${Math.floor(total / 3600)} h${part(Math.floor((total % 3600) / 60), "min")}`;
}
