import type { BulkTask, BulkTaskAction } from "@org/bulk-tasks-api";
import { type LocalApi, type LocalApiOptions, startLocalApi } from "@org/bulk-tasks-api/testing";

/**
 * When the live tasks start in the local API's world: half an hour after the sample dataset's
 * newest task. A fixed time, not the time of the run, so that `--local` prints the same dates on
 * every run (the README shows its real output, and its test compares it).
 */
export const LIVE_TASKS_START = Date.UTC(2026, 10, 1, 9, 30);

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
   * Starts the clock: until then the world stands still at {@link LIVE_TASKS_START}, and the live
   * tasks stay `pending`, so that `list`, `summary` and `get` print the same on every run; `wait` and
   * `serve-local` start it, and the tasks run.
   */
  startClock(): void;
}

/**
 * Starts the local API (with `options`) and two live tasks in `lab` that run for `liveDurationMs`
 * (the failing one for two thirds of it) once the clock is started.
 */
export async function startLocalWorld(
  options: Omit<LocalApiOptions, "clock"> = {},
  liveDurationMs = LOCAL_LIVE_DURATION_MS,
): Promise<LocalWorld> {
  let startedAt: number | undefined;
  const clock = () => LIVE_TASKS_START + (startedAt === undefined ? 0 : performance.now() - startedAt);
  const api = await startLocalApi({ ...options, clock });
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
