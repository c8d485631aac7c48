/**
 * `waitFor`: polls getBulkTask until the task reaches a terminal status. Bulk tasks are
 * asynchronous CSV imports; this is how a caller follows one to its end.
 */
import type { BulkTasksClient } from "../client.js";
import { type BulkTasksCore, contextOf } from "../core/context.js";
import { isInstance, RateLimitError, UnknownTaskStatusError, WaitTimeoutError } from "../core/errors.js";
import { isTimerDelay, MAX_TIMER_MS, plainCopy, refuseParameter, withoutKey } from "../core/options.js";
import type { Redactor } from "../core/redaction.js";
import { readRetryAfterMs } from "../core/retry-after.js";
import { linkAbort, sleep, untilAborted } from "../core/signals.js";
import type { BulkTask, BulkTaskStatus, FinishedBulkTask } from "../types.js";
import { prepareFetchBulkTask } from "./get-bulk-task.js";

/** Options of `waitFor()`. */
export interface WaitOptions {
  /** Aborts the wait; it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * The time limit of the whole wait, in ms; past it, a `WaitTimeoutError` carrying the task as
   * last seen. Each poll has the client's own time limit and retries besides.
   * @default 1800000 (30 minutes: imports of tens of thousands of rows take minutes)
   */
  timeoutMs?: number | undefined;
  /**
   * The first delay between two polls, in ms, and the delay after each change of the task.
   * @default 1000
   */
  pollIntervalMs?: number | undefined;
  /**
   * The longest delay between two polls: while the task does not change, the delay grows by half
   * at each poll up to this.
   * @default 15000
   */
  maxPollIntervalMs?: number | undefined;
  /**
   * Called with the task on the first poll and whenever it changes (its status, its report, or
   * `updatedAt`). It may be async: the next poll waits for it; an error it throws ends the wait.
   */
  onProgress?: ((task: BulkTask) => unknown) | undefined;
}

const WAIT_OPTIONS = [
  "signal",
  "timeoutMs",
  "pollIntervalMs",
  "maxPollIntervalMs",
  "onProgress",
] as const satisfies readonly (keyof WaitOptions)[];

/**
 * Every status the spec names, and whether a task ever leaves it. Typed by the spec's union: a status
 * added to the spec does not compile until it is placed here.
 */
const FINISHED: Readonly<Record<BulkTaskStatus, boolean>> = {
  pending: false,
  created: false,
  inProgress: false,
  completed: true,
  failed: true,
};

/** The statuses a task does not leave. */
export const TERMINAL_STATUSES: readonly BulkTaskStatus[] = (
  Object.keys(FINISHED) as BulkTaskStatus[]
).filter((status) => FINISHED[status]);

/** How much the delay between polls grows while the task does not change. */
const BACKOFF = 1.5;

/**
 * Polls `getBulkTask` until the task is `completed` or `failed`, and resolves to it, as
 * `client.bulkTasks.waitFor()` does: a failed task resolves too (read its `error` and `report`).
 *
 * The delay between polls starts at `pollIntervalMs`, grows by half while the task does not change
 * (up to `maxPollIntervalMs`) and starts again after each change. A server that asks for a longer
 * delay (`Retry-After` or `retry-after-ms` on a poll's answer) is followed, a shorter one is not; a
 * poll refused with 429 once the client's retries are spent waits what the server asked, and the
 * wait goes on.
 */
export async function waitForBulkTask(
  client: BulkTasksCore | BulkTasksClient,
  organizationId: string,
  bulkTaskId: string,
  options?: WaitOptions,
): Promise<FinishedBulkTask> {
  const context = contextOf(client);
  let given: WaitSettings;
  try {
    given = readWaitOptions(options);
  } catch (error) {
    throw withoutKey(error, context.redactor);
  }
  const { signal: callerSignal, timeoutMs, pollIntervalMs, maxPollIntervalMs, onProgress } = given;

  const { redactor } = context;
  let lastTask: BulkTask | undefined;
  // One controller for the whole wait: the caller's abort, or the deadline with its own error
  // (made when it fires, so that it carries the task as last seen then, redacted as any body an
  // error keeps). A poll, a pause or an onProgress cut short rejects with that reason.
  const wait = new AbortController();
  const unlink = linkAbort(callerSignal, wait);
  const deadline = setTimeout(() => {
    wait.abort(
      new WaitTimeoutError(bulkTaskId, timeoutMs, lastTask && (redactor.json(lastTask) as BulkTask)),
    );
  }, timeoutMs);
  try {
    // The input is checked once: every poll is the same call.
    const poll = prepareFetchBulkTask(context, organizationId, bulkTaskId, { signal: wait.signal });
    let interval = pollIntervalMs;
    let lastState: string | undefined;
    for (;;) {
      let delay = interval;
      try {
        const { data: task, response } = await poll();
        // A status the spec does not name may never end: nothing to wait for.
        if (!Object.hasOwn(FINISHED, task.status)) {
          throw new UnknownTaskStatusError(bulkTaskId, redactor.json(task) as BulkTask);
        }
        const state = stateOf(task, redactor);
        if (state !== lastState) {
          lastState = state;
          lastTask = task;
          interval = pollIntervalMs;
          // The wait's own limits hold while the callback runs: a slow one is not waited past them.
          if (onProgress) await untilAborted(onProgress(task), wait.signal);
        } else {
          interval = Math.min(interval * BACKOFF, maxPollIntervalMs);
        }
        if (isFinished(task)) return task;
        // The server may lengthen the delay, never shorten it: `Retry-After: 0` on every answer
        // would otherwise make the wait a hot loop.
        delay = Math.max(interval, readRetryAfterMs((name) => response.headers.get(name)) ?? 0);
      } catch (error) {
        // The client's own retries of a 429 are spent: wait what the server asked, and go on.
        if (!(error instanceof RateLimitError) || wait.signal.aborted) throw error;
        delay = Math.max(interval, (error.retryAfter ?? 0) * 1000);
      }
      await sleep(Math.min(delay, MAX_TIMER_MS), wait.signal);
    }
  } finally {
    clearTimeout(deadline);
    unlink();
  }
}

/** The options of one wait, with their defaults. */
interface WaitSettings {
  signal: AbortSignal | undefined;
  timeoutMs: number;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  onProgress: WaitOptions["onProgress"];
}

/**
 * The options, read once and checked, with their defaults.
 * @throws {InvalidRequestError} naming the option that breaks its rule
 */
function readWaitOptions(options: unknown): WaitSettings {
  const {
    signal,
    timeoutMs = 1_800_000,
    pollIntervalMs = 1_000,
    maxPollIntervalMs = 15_000,
    onProgress,
  } = plainCopy("options", options, refuseParameter, WAIT_OPTIONS) as WaitOptions;
  for (const [name, value] of Object.entries({ timeoutMs, pollIntervalMs, maxPollIntervalMs })) {
    if (!isTimerDelay(value) || value < 1)
      refuseParameter(name, value, `a number >= 1 and <= ${MAX_TIMER_MS}`);
  }
  if (pollIntervalMs > maxPollIntervalMs) {
    refuseParameter("pollIntervalMs", pollIntervalMs, `a number <= maxPollIntervalMs (${maxPollIntervalMs})`);
  }
  if (signal !== undefined && !isInstance(signal, AbortSignal))
    refuseParameter("signal", signal, "an AbortSignal");
  // Checked now rather than when the first poll answers: a wrong one must not cost a request.
  if (onProgress !== undefined && typeof onProgress !== "function") {
    refuseParameter("onProgress", onProgress, "a function");
  }
  return { signal, timeoutMs, pollIntervalMs, maxPollIntervalMs, onProgress };
}

function isFinished(task: BulkTask): task is FinishedBulkTask {
  return FINISHED[task.status];
}

/**
 * What counts as a change of the task: its status, its report, or its `updatedAt`. Read through the
 * redactor's copy, which stops at 64 levels: JSON.stringify of the task itself overflows the stack
 * on a report nested thousands deep.
 */
function stateOf({ status, updatedAt, report }: BulkTask, redactor: Redactor): string {
  return JSON.stringify(redactor.json([status, updatedAt, report]));
}
