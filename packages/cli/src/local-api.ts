import type { BulkTask, BulkTaskAction } from "@org/bulk-tasks-api";
import {
  DEFAULT_TASK_COUNT,
  generateBulkTasks,
  type LocalApi,
  type LocalApiOptions,
  readNewest,
  startLocalApi,
} from "@org/bulk-tasks-api/testing";
import { UsageError } from "./arguments.js";

/** The live tasks start half an hour after the sample dataset's newest task. */
const LIVE_TASKS_AFTER_NEWEST_MS = 30 * 60_000;

/**
 * When the sample dataset's newest task was created: `newest` when given (serve-local's
 * `--newest`), else half an hour ago, so that the live tasks start now and "the last 7 days" holds
 * tasks. `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds convention) stands for now when set:
 * the README's outputs are made, and compared by its test, at a fixed time.
 */
export function localNewest(env: NodeJS.ProcessEnv, newest?: number): number {
  if (newest !== undefined) return newest;
  const epoch = env.SOURCE_DATE_EPOCH;
  let now = Date.now();
  if (epoch !== undefined && epoch !== "") {
    // As the reproducible-builds convention asks: a malformed value is an error, not ignored.
    const seconds = /^\d+$/.test(epoch) ? Number(epoch) : Number.NaN;
    const refused = () =>
      new UsageError(
        `SOURCE_DATE_EPOCH must be whole seconds since the epoch, from 1973 to 9999 (such as 1793525400 for 2026-11-01 09:30 UTC): unset it for now.`,
      );
    if (!Number.isSafeInteger(seconds)) throw refused();
    try {
      now = readNewest(seconds * 1000);
    } catch {
      throw refused();
    }
  }
  return Math.floor(now / 60_000) * 60_000 - LIVE_TASKS_AFTER_NEWEST_MS;
}

/** How long the live tasks of `--local` run: long enough to watch, short enough to wait for. */
export const LOCAL_LIVE_DURATION_MS = 6000;

/** The ids of the live tasks, as the README and the help name them. */
export const LIVE_TASK_IDS = {
  completes: "6f00d5ee00000000face0001",
  fails: "6f00d5ee00000000face0002",
} as const;

interface LiveTaskPlan {
  id: string;
  seed: number;
  outcome: "completed" | "failed";
  /** Its share of the live duration. */
  share: number;
  rows: number;
  action: BulkTaskAction;
}

/**
 * The two live tasks of `lab`. Their ids come from their seeds, so the README and the help can name
 * them; each seed's sample file matches its action.
 */
const LIVE_TASKS: readonly LiveTaskPlan[] = [
  {
    id: LIVE_TASK_IDS.completes,
    seed: 1,
    outcome: "completed",
    share: 1,
    rows: 400,
    action: "import-mdm-users",
  },
  {
    id: LIVE_TASK_IDS.fails,
    seed: 2,
    outcome: "failed",
    share: 2 / 3,
    rows: 240,
    action: "import-inventory-items",
  },
];

/** The local API with its live tasks, and the clock they run on. */
export interface LocalWorld {
  api: LocalApi;
  /** The live tasks as they were started (pending), completing one first. */
  liveTasks: { task: BulkTask; outcome: "completed" | "failed"; durationMs: number }[];
  /**
   * Starts the clock: until then the world stands still when the live tasks start, and they stay
   * `pending`, so that `list`, `summary` and `get` print the same for the same dataset; `wait` and
   * `serve-local` start it, and the tasks run.
   */
  startClock(): void;
}

/** What the local world is made of: the local API's options, and the sample dataset's size and end. */
export interface LocalWorldOptions extends Omit<LocalApiOptions, "clock" | "organizations"> {
  /** Tasks in `lab`. @default DEFAULT_TASK_COUNT */
  tasks?: number | undefined;
  /** When `lab`'s newest task was created, ms since the epoch (see {@link localNewest}). */
  newest: number;
}

/**
 * Starts the local API (with `options`) and two live tasks in `lab` that run for `liveDurationMs`
 * (the failing one for two thirds of it) once the clock is started.
 */
export async function startLocalWorld(
  { tasks = DEFAULT_TASK_COUNT, newest, ...options }: LocalWorldOptions,
  liveDurationMs = LOCAL_LIVE_DURATION_MS,
): Promise<LocalWorld> {
  const liveTasksStart = newest + LIVE_TASKS_AFTER_NEWEST_MS;
  let startedAt: number | undefined;
  const clock = () => liveTasksStart + (startedAt === undefined ? 0 : performance.now() - startedAt);
  const api = await startLocalApi({
    ...options,
    organizations: { lab: generateBulkTasks(tasks, { newest }), empty: [] },
    clock,
  });
  // Started last first: the list shows the newest first, and the completing task leads.
  const liveTasks = [...LIVE_TASKS].reverse().map(({ id, seed, outcome, share, rows, action }) => {
    const durationMs = Math.max(1, Math.round(liveDurationMs * share));
    const task = api.startTask("lab", { seed, outcome, durationMs, rows, action });
    // The ids are documented: a client that derives them otherwise must not make the docs lie.
    if (task.id !== id) throw new Error(`The local API gave live task ${seed} the id ${task.id}, not ${id}.`);
    return { task, outcome, durationMs };
  });
  return {
    api,
    liveTasks: liveTasks.reverse(),
    startClock() {
      startedAt ??= performance.now();
    },
  };
}
