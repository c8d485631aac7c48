import type { BulkTask } from "@org/bulk-tasks-api";
import type { ConnectionArguments, TaskArguments, TaskFormat } from "../arguments.js";
import { connect } from "../connection.js";
import type { Context } from "../context.js";
import { TaskFailed } from "../failure.js";
import { describeWait } from "../output/progress.js";
import { formatTask } from "./get.js";

export interface WaitArguments {
  connection: ConnectionArguments;
  task: TaskArguments;
  format: TaskFormat | undefined;
  timeoutMs: number | string | undefined;
  pollIntervalMs: number | string | undefined;
  progress: boolean;
}

/** The elapsed time on the progress line moves on between polls, which grow up to 15 s apart. */
const TICK_MS = 1000;

/**
 * `bulk-tasks wait`: polls the task until it ends, with its status and rows on the progress line,
 * then prints it as `get` does. A failed task is printed too, then reported as {@link TaskFailed}
 * (exit code 3).
 */
export async function runWait(args: WaitArguments, context: Context): Promise<void> {
  const log = (line: string) => context.diagnostics.line(line);
  const connection = await connect(args.connection, context.env, log, { liveTasksRun: true });
  const progress = context.diagnostics.startProgress(args.progress);
  let seen: BulkTask | undefined;
  const draw = () => {
    if (seen) progress.show(describeWait(seen, progress.elapsedSeconds()));
  };
  const ticker = progress.drawn ? setInterval(draw, TICK_MS) : undefined;
  let task: BulkTask;
  try {
    // As typed: waitFor checks the ids and its options before the first poll, naming them.
    task = await connection.client.bulkTasks.waitFor(args.task.organizationId, args.task.bulkTaskId, {
      signal: context.signal,
      timeoutMs: args.timeoutMs as number | undefined,
      pollIntervalMs: args.pollIntervalMs as number | undefined,
      onProgress: (latest) => {
        seen = latest;
        // Each change, for logs (where there is no progress line): the polls are logged by the fetch.
        if (args.connection.verbose) log(`${latest.id} ${describeWait(latest, progress.elapsedSeconds())}`);
        draw();
      },
    });
  } finally {
    clearInterval(ticker);
    progress.end();
    await connection.close();
  }
  await context.stdout.write(formatTask(task, args.format, context));
  if (task.status === "failed") throw new TaskFailed(task);
}
