import type { BulkTask, BulkTaskReport, BulkTaskUser } from "@org/bulk-tasks-api";
import { formatCount, printable, type Style, styleStatus } from "./style.js";

/** How many errored lines `get` shows; `--format json` has them all. */
const ERRORED_LINES = 10;

/**
 * One task for people: its id and status, what it imported and who started it when, the counts of
 * its report, its error, and its first errored lines with why. Text from the API is made printable.
 */
export function renderTask(task: BulkTask, style: Style): string {
  const details: [string, string | undefined][] = [
    ["action", printable(task.action)],
    ["file", describeFile(task)],
    ["created by", describeUser(task.createdBy)],
    ["created", formatDateTime(task.createdAt)],
    ["updated", formatDateTime(task.updatedAt)],
    ["error", task.error === undefined ? undefined : printable(task.error)],
  ];
  const shown = details.filter((detail): detail is [string, string] => detail[1] !== undefined);
  const labelWidth = Math.max(...shown.map(([label]) => label.length));
  const lines = [
    style.bold(`${printable(task.id)}  ${styleStatus(style, task.status, printable(task.status))}`),
    ...shown.map(([label, value]) => `  ${label.padEnd(labelWidth)}  ${value}`),
    "",
    ...renderReport(task.report, style),
  ];
  return `${lines.join("\n")}\n`;
}

function renderReport(report: BulkTaskReport | undefined, style: Style): string[] {
  if (!report) return ["No report yet: the task has not been processed."];
  const counts: [string, number | undefined][] = [
    ["read", report.numItems],
    ["inserted", report.numInserts],
    ["updated", report.numUpdates],
    ["skipped", report.numSkips],
    ["errored", report.numErrors],
  ];
  const labelWidth = Math.max(...counts.map(([label]) => label.length));
  const texts = counts.map(([, count]) => (count === undefined ? "" : formatCount(count)));
  const countWidth = Math.max(...texts.map((text) => text.length));
  const lines = [
    style.bold("Rows, from its report"),
    ...counts.map(([label], index) =>
      `  ${label.padEnd(labelWidth)}  ${(texts[index] ?? "").padStart(countWidth)}`.trimEnd(),
    ),
  ];
  const errored = report.erroredLines ?? [];
  if (errored.length > 0) {
    const shown = errored.slice(0, ERRORED_LINES);
    lines.push(
      "",
      style.bold(
        shown.length < errored.length
          ? `Errored lines (the first ${shown.length} of ${formatCount(errored.length)})`
          : "Errored lines",
      ),
      ...shown.map(({ line, reason }) => `  line ${line ?? "?"}: ${printable(reason ?? "")}`.trimEnd()),
    );
    if (shown.length < errored.length) {
      lines.push(`  … and ${formatCount(errored.length - shown.length)} more (--format json has them all)`);
    }
  }
  return lines;
}

/** `120 of 400 rows`: the rows processed (inserted, updated, skipped or errored) of those read. */
export function describeRows(report: BulkTaskReport | undefined): string {
  if (!report) return "";
  const done =
    (report.numInserts ?? 0) + (report.numUpdates ?? 0) + (report.numSkips ?? 0) + (report.numErrors ?? 0);
  return report.numItems === undefined
    ? `${formatCount(done)} rows`
    : `${formatCount(done)} of ${formatCount(report.numItems)} rows`;
}

function describeFile({ file }: BulkTask): string | undefined {
  if (!file?.originalName && file?.size === undefined) return undefined;
  const name = printable(file.originalName ?? "(no name)");
  return file.size === undefined ? name : `${name} (${formatBytes(file.size)})`;
}

function describeUser(user: BulkTaskUser | undefined): string | undefined {
  const name = user?.fullName || [user?.firstName, user?.lastName].filter(Boolean).join(" ");
  const email = user?.email;
  if (!name && !email) return undefined;
  return printable(name && email ? `${name} <${email}>` : name || email || "");
}

const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** `812 bytes`, `3.9 kB`, `12.5 MB` (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${formatCount(bytes)} bytes`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = "";
  for (const next of units) {
    // 999,999 bytes is 1 MB, not 1,000 kB.
    if (value < 999.95) break;
    value /= 1000;
    unit = next;
  }
  return `${oneDecimal.format(value)} ${unit}`;
}

/** `2026-11-01 09:30:06 UTC`: one task's dates, to the second. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? printable(iso)
    : `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
