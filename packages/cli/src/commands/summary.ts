import type { BulkTask, ListBulkTasksQuery } from "@org/bulk-tasks-api";
import type { ConnectionArguments, SummaryFormat, WalkArguments } from "../arguments.js";
import { connect } from "../connection.js";
import type { Context } from "../context.js";
import {
  formatCount,
  formatDate,
  printable,
  type Style,
  styleFor,
  styleStatus,
  truncate,
} from "../output/style.js";
import { readActions, readStatuses } from "../spec.js";
import { walkPages } from "./walk.js";

export interface SummaryArguments {
  connection: ConnectionArguments;
  walk: WalkArguments;
  format: SummaryFormat | undefined;
}

/** How many recent failures the summary shows, and how many errored lines of each. */
const RECENT_FAILURES = 5;
const ERRORED_LINES = 3;

/** A failed task, as the summary shows it. */
export interface RecentFailure {
  id: string;
  createdAt: string;
  action: string;
  file: string | null;
  error: string | null;
  /** The first errored lines of the report. */
  erroredLines: { line: number | null; reason: string | null }[];
  /** Errored lines of the report beyond those. */
  moreErroredLines: number;
}

/** The summary of a walk: what `--format json` prints, every key always present. */
export interface Summary {
  organizationId: string;
  filters: { status: string | null; action: string | null };
  tasks: number;
  /** Every status of the spec (zero included), then any other the API sent. */
  byStatus: Record<string, number>;
  /** Every action of the spec's filter (zero included), then any other the API sent. */
  byAction: Record<string, number>;
  /** Totals of the tasks' reports: numItems, numInserts, numUpdates, numSkips, numErrors. */
  rows: { read: number; inserted: number; updated: number; skipped: number; errored: number };
  /** The most recent failed tasks, newest first by createdAt. */
  recentFailures: RecentFailure[];
}

/** `bulk-tasks summary`: walks every page, keeping counts and the few most recent failures only. */
export async function runSummary(args: SummaryArguments, context: Context): Promise<void> {
  const format = args.format ?? (context.stdoutInfo.isTTY ? "text" : "json");
  const { walk } = args;
  const summary = emptySummary(walk);
  const connection = await connect(args.connection, context.env, (line) => context.diagnostics.line(line));
  try {
    // The values are as typed: the client checks them against the spec before sending anything.
    const list = connection.client.bulkTasks.list(walk.organizationId, walk.query as ListBulkTasksQuery, {
      concurrency: walk.concurrency as number | undefined,
      signal: context.signal,
    });
    await walkPages(list, context, walk.progress, (page) => {
      for (const task of page.items) addTask(summary, task);
      return "";
    });
  } finally {
    await connection.close();
  }
  const text =
    format === "json"
      ? `${JSON.stringify(summary, null, 2)}\n`
      : renderSummary(summary, styleFor(context.stdoutInfo, context.env));
  await context.stdout.write(text);
}

function emptySummary(walk: WalkArguments): Summary {
  const zeros = (names: string[]) => Object.fromEntries(names.map((name) => [name, 0]));
  return {
    organizationId: walk.organizationId,
    filters: { status: walk.query.status ?? null, action: walk.query.action ?? null },
    tasks: 0,
    byStatus: zeros(readStatuses()),
    byAction: zeros(readActions()),
    rows: { read: 0, inserted: 0, updated: 0, skipped: 0, errored: 0 },
    recentFailures: [],
  };
}

function addTask(summary: Summary, task: BulkTask): void {
  summary.tasks++;
  summary.byStatus[task.status] = (summary.byStatus[task.status] ?? 0) + 1;
  summary.byAction[task.action] = (summary.byAction[task.action] ?? 0) + 1;
  const { report } = task;
  summary.rows.read += report?.numItems ?? 0;
  summary.rows.inserted += report?.numInserts ?? 0;
  summary.rows.updated += report?.numUpdates ?? 0;
  summary.rows.skipped += report?.numSkips ?? 0;
  summary.rows.errored += report?.numErrors ?? 0;
  if (task.status === "failed") keepIfRecent(summary.recentFailures, task);
}

/** Inserts a failed task in order, newest first, if it is among the most recent; ties keep walk order. */
function keepIfRecent(failures: RecentFailure[], task: BulkTask): void {
  const time = timeOf(task.createdAt);
  const index = failures.findIndex((failure) => timeOf(failure.createdAt) < time);
  const at = index === -1 ? failures.length : index;
  if (at >= RECENT_FAILURES) return;
  const erroredLines = task.report?.erroredLines ?? [];
  failures.splice(at, 0, {
    id: task.id,
    createdAt: task.createdAt,
    action: task.action,
    file: task.file?.originalName ?? null,
    error: task.error ?? null,
    erroredLines: erroredLines
      .slice(0, ERRORED_LINES)
      .map(({ line, reason }) => ({ line: line ?? null, reason: reason ?? null })),
    moreErroredLines: Math.max(erroredLines.length - ERRORED_LINES, 0),
  });
  failures.length = Math.min(failures.length, RECENT_FAILURES);
}

/** A date's time for ordering; a date that does not parse counts as the oldest. */
function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? -Infinity : time;
}

function renderSummary(summary: Summary, style: Style): string {
  const filters = Object.entries(summary.filters)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name} ${value}`);
  const title = `${printable(summary.organizationId)}: ${formatCount(summary.tasks)} bulk tasks${
    filters.length ? ` (${printable(filters.join(", "))})` : ""
  }`;
  const failed = summary.byStatus.failed ?? 0;
  const lines = [
    style.bold(title),
    "",
    style.bold("By status"),
    ...countTable(Object.entries(summary.byStatus), (name, text) => styleStatus(style, name, text)),
    "",
    style.bold("By action"),
    ...countTable(Object.entries(summary.byAction)),
    "",
    style.bold("Rows, from the tasks' reports"),
    ...countTable(Object.entries(summary.rows)),
    "",
    style.bold(
      summary.recentFailures.length
        ? `Most recent failures (${summary.recentFailures.length} of ${formatCount(failed)})`
        : "No failures",
    ),
    ...summary.recentFailures.flatMap((failure) => [
      `  ${style.red(failure.id)}  ${formatDate(failure.createdAt)}  ${printable(failure.action)}  ${printable(failure.file ?? "")}`.trimEnd(),
      ...(failure.error === null ? [] : [`    ${printable(failure.error)}`]),
      ...failure.erroredLines.map(
        ({ line, reason }) => `    line ${line ?? "?"}: ${printable(reason ?? "")}`,
      ),
      ...(failure.moreErroredLines
        ? [`    … and ${formatCount(failure.moreErroredLines)} more errored lines`]
        : []),
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

/** Names longer than this (an action is a free string of up to 1000 characters) are cut. */
const MAX_NAME_WIDTH = 40;

/** Two aligned columns: the names, then their counts aligned right. */
function countTable(
  rows: [string, number][],
  styleName: (name: string, text: string) => string = (_, text) => text,
): string[] {
  const names = rows.map(([name]) => truncate(printable(name), MAX_NAME_WIDTH));
  const counts = rows.map(([, count]) => formatCount(count));
  const nameWidth = Math.max(...names.map((name) => name.length));
  const countWidth = Math.max(...counts.map((count) => count.length));
  return rows.map(
    ([name], index) =>
      `  ${styleName(name, (names[index] ?? "").padEnd(nameWidth))}  ${(counts[index] ?? "").padStart(countWidth)}`,
  );
}
