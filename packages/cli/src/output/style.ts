/** The stream facts that colour and layout depend on (a `tty.WriteStream` when it is a terminal). */
export interface StreamInfo {
  isTTY?: boolean;
  columns?: number;
}

/** Colours for a stream: ANSI codes on a terminal, nothing elsewhere. */
export interface Style {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Style = {
  red: (text) => text,
  green: (text) => text,
  yellow: (text) => text,
  dim: (text) => text,
  bold: (text) => text,
};

const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const coloured: Style = {
  red: ansi(31, 39),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
  dim: ansi(2, 22),
  bold: ansi(1, 22),
};

/** Colour only on a terminal, and never when NO_COLOR is set to anything but "" (no-color.org). */
export function styleFor(stream: StreamInfo, env: NodeJS.ProcessEnv): Style {
  return stream.isTTY && !env.NO_COLOR ? coloured : plain;
}

/** A task's status, coloured by what it means for the person reading: failed red, completed green. */
export function styleStatus(style: Style, status: string, text = status): string {
  if (status === "failed") return style.red(text);
  if (status === "completed") return style.green(text);
  if (status === "inProgress") return style.yellow(text);
  return text;
}

/**
 * Text from the server made safe for a terminal: control characters (an escape sequence hidden in a
 * file name could rewrite the screen or the window title) are shown as U+FFFD.
 */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, "\ufffd");
}

/** At most `width` characters (code points), the last one an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  const characters = [...text];
  return characters.length <= width ? text : `${characters.slice(0, Math.max(0, width - 1)).join("")}…`;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** `12,345`: counts for people. */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** `2026-11-01 00:00` (UTC): a task's date, to the minute, as the table and the summary show it. */
export function formatDate(iso: string | undefined): string {
  if (iso === undefined) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 16).replace("T", " ");
}
