import type { BulkTask } from "@org/bulk-tasks-api";
import type { ConnectionArguments, TaskArguments, TaskFormat } from "../arguments.js";
import { connect } from "../connection.js";
import type { Context } from "../context.js";
import { styleFor } from "../output/style.js";
import { renderTask } from "../output/task.js";

export interface GetArguments {
  connection: ConnectionArguments;
  task: TaskArguments;
  format: TaskFormat | undefined;
}

/** `bulk-tasks get`: one task, as text for people or as the API sent it. */
export async function runGet(args: GetArguments, context: Context): Promise<void> {
  const connection = await connect(args.connection, context.env, (line) => context.diagnostics.line(line));
  let task: BulkTask;
  try {
    // The ids are as typed: the client checks them against the spec before sending anything.
    task = await connection.client.bulkTasks.get(args.task.organizationId, args.task.bulkTaskId, {
      signal: context.signal,
    });
  } finally {
    await connection.close();
  }
  await context.stdout.write(formatTask(task, args.format, context));
}

/** A task in a format: `text` by default on a terminal, else `json` (the task as the API sent it). */
export function formatTask(task: BulkTask, format: TaskFormat | undefined, context: Context): string {
  const chosen = format ?? (context.stdoutInfo.isTTY ? "text" : "json");
  return chosen === "json"
    ? `${JSON.stringify(task, null, 2)}\n`
    : renderTask(task, styleFor(context.stdoutInfo, context.env));
}
