import type { BulkTask } from "@org/bulk-tasks-api";
import { readBulkTaskSchema } from "../spec.js";
import { csvCells, csvColumns, csvRecord } from "./csv.js";
import { formatDate, printable, type StreamInfo, type Style, styleStatus, truncate } from "./style.js";

export const LIST_FORMATS = ["table", "json", "ndjson", "csv"] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/**
 * Writes tasks in a format, page by page, as text made of whole lines: `header` before the first
 * page, `page` for each page, `footer` after the last. A walk that is interrupted stops after a
 * page, so its output ends with a whole line (but a `json` array stays open: partial output must
 * not parse as a complete answer).
 */
export interface TaskFormatter {
  header(): string;
  page(tasks: readonly BulkTask[]): string;
  footer(): string;
}

export function createTaskFormatter(format: ListFormat, stdout: StreamInfo, style: Style): TaskFormatter {
  switch (format) {
    case "table":
      return tableFormatter(stdout, style);
    case "json":
      return jsonArrayFormatter();
    case "ndjson":
      return {
        header: () => "",
        page: (tasks) => tasks.map((task) => `${JSON.stringify(task)}\n`).join(""),
        footer: () => "",
      };
    case "csv": {
      const columns = csvColumns(readBulkTaskSchema());
      return {
        header: () => csvRecord(columns.map(({ name }) => name)),
        page: (tasks) => tasks.map((task) => csvRecord(csvCells(columns, task))).join(""),
        footer: () => "",
      };
    }
  }
}

/**
 * A JSON array streamed one task per line. Each task is held back until the next one (or the end)
 * says whether a comma follows, so that every write ends a line.
 */
function jsonArrayFormatter(): TaskFormatter {
  let held: string | undefined;
  return {
    header: () => "[\n",
    page(tasks) {
      let text = "";
      for (const task of tasks) {
        if (held !== undefined) text += `  ${held},\n`;
        held = JSON.stringify(task);
      }
      return text;
    },
    footer: () => (held === undefined ? "]\n" : `  ${held}\n]\n`),
  };
}

interface TableColumn {
  title: string;
  width: number;
  /** Numbers: aligned right, and never cut (a wider count shifts the line rather than lie). */
  numeric?: boolean;
  value(task: BulkTask): string;
}

// Fixed widths, so that the table streams page by page: `inProgress` and both documented actions
// fit; a longer text is cut with an ellipsis. The file name takes the rest of the line.
const TABLE_COLUMNS: TableColumn[] = [
  { title: "ID", width: 24, value: (task) => task.id },
  { title: "STATUS", width: 10, value: (task) => task.status },
  { title: "ACTION", width: 22, value: (task) => task.action },
  { title: "CREATED (UTC)", width: 16, value: (task) => formatDate(task.createdAt) },
  { title: "ROWS", width: 6, numeric: true, value: (task) => count(task.report?.numItems) },
  { title: "ERRORS", width: 6, numeric: true, value: (task) => count(task.report?.numErrors) },
];
const GAP = "  ";
const FIXED_WIDTH = TABLE_COLUMNS.reduce((sum, column) => sum + column.width + GAP.length, 0);
/** The file name keeps at least this much room, even on a narrow terminal. */
const MIN_FILE_WIDTH = 12;

function count(value: number | undefined): string {
  return value === undefined ? "" : String(value);
}

function tableFormatter(stdout: StreamInfo, style: Style): TaskFormatter {
  // On a terminal the file name is cut to the line, so that rows do not wrap; in a file it is whole.
  const fileWidth =
    stdout.isTTY && stdout.columns ? Math.max(MIN_FILE_WIDTH, stdout.columns - FIXED_WIDTH) : Infinity;
  const line = (cells: string[], file: string, colourStatus: (text: string) => string) => {
    const fixed = TABLE_COLUMNS.map((column, index) => {
      const text = printable(cells[index] ?? "");
      if (column.numeric) return text.padStart(column.width);
      const padded = truncate(text, column.width).padEnd(column.width);
      return column.title === "STATUS" ? colourStatus(padded) : padded;
    });
    return `${[...fixed, truncate(printable(file), fileWidth)].join(GAP).trimEnd()}\n`;
  };
  const titles = TABLE_COLUMNS.map((column) => column.title);
  return {
    header: () => `${style.bold(line(titles, "FILE", (text) => text).trimEnd())}\n`,
    page: (tasks) =>
      tasks
        .map((task) =>
          line(
            TABLE_COLUMNS.map((column) => column.value(task)),
            task.file?.originalName ?? "",
            (text) => styleStatus(style, task.status, text),
          ),
        )
        .join(""),
    footer: () => "",
  };
}
