import { parseArgs } from "node:util";
import { closestName } from "@org/bulk-tasks-api";
import { readNewest } from "@org/bulk-tasks-api/testing";
import { LIST_FORMATS, type ListFormat } from "./output/formats.js";

/** A command line that cannot run: exit code 2, nothing sent. */
export class UsageError extends Error {
  override name = "UsageError";
  /** The command whose `--help` to point at, when one was named. */
  readonly command: CommandName | undefined;

  constructor(message: string, command?: CommandName) {
    super(message);
    this.command = command;
  }
}

export const COMMANDS = ["list", "summary", "get", "wait", "serve-local"] as const;
export type CommandName = (typeof COMMANDS)[number];

export const SUMMARY_FORMATS = ["text", "json"] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

/** The formats of one task (`get`, and the end of `wait`). */
export const TASK_FORMATS = ["text", "json"] as const;
export type TaskFormat = (typeof TASK_FORMATS)[number];

const HELP_OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

const CONNECTION_OPTIONS = {
  "api-key": { type: "string" },
  "base-url": { type: "string" },
  "allow-insecure-http": { type: "boolean" },
  local: { type: "boolean" },
  timeout: { type: "string" },
  retries: { type: "string" },
  verbose: { type: "boolean" },
} as const;

const WALK_OPTIONS = {
  status: { type: "string" },
  action: { type: "string" },
  sort: { type: "string" },
  limit: { type: "string" },
  concurrency: { type: "string" },
  format: { type: "string" },
  // `--no-progress` comes from parseArgs' allowNegative.
  progress: { type: "boolean", default: true },
} as const;

const TASK_OPTIONS = {
  format: { type: "string" },
} as const;

const OPTIONS = {
  list: {
    ...HELP_OPTIONS,
    ...CONNECTION_OPTIONS,
    ...WALK_OPTIONS,
    page: { type: "string" },
    all: { type: "boolean" },
  },
  summary: { ...HELP_OPTIONS, ...CONNECTION_OPTIONS, ...WALK_OPTIONS },
  get: { ...HELP_OPTIONS, ...CONNECTION_OPTIONS, ...TASK_OPTIONS },
  wait: {
    ...HELP_OPTIONS,
    ...CONNECTION_OPTIONS,
    ...TASK_OPTIONS,
    "wait-timeout": { type: "string" },
    "poll-interval": { type: "string" },
    progress: { type: "boolean", default: true },
  },
  "serve-local": {
    ...HELP_OPTIONS,
    port: { type: "string", default: "4010" },
    tasks: { type: "string" },
    key: { type: "string", default: "local-api-key" },
    latency: { type: "string", default: "0" },
    "fail-rate": { type: "string", default: "0" },
    "rate-limit-rate": { type: "string", default: "0" },
    "retry-after": { type: "string", default: "1" },
    "html-rate": { type: "string", default: "0" },
    "drop-rate": { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
    newest: { type: "string" },
    recordings: { type: "string", multiple: true },
    "live-duration": { type: "string", default: "60000" },
  },
} as const;

/**
 * A number for the client when the text is digits, else the text itself: the client checks both
 * against the spec's rule, and its message then quotes what was typed (`"ten" is not an integer`).
 */
type NumberOrText = number | string;

/** How to reach the API: the options shared by `list`, `summary`, `get` and `wait`. */
export interface ConnectionArguments {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  /** `--allow-insecure-http`: plain http to a host other than loopback. */
  allowInsecureHttp: boolean;
  local: boolean;
  timeoutMs: NumberOrText | undefined;
  maxRetries: NumberOrText | undefined;
  verbose: boolean;
}

/** What to walk: the organization and the query, unchecked (the client checks them before sending). */
export interface WalkArguments {
  organizationId: string;
  query: { status?: string; action?: string; sort?: string; limit?: NumberOrText };
  concurrency: NumberOrText | undefined;
  progress: boolean;
}

/** One task: the organization and the task's id, unchecked (the client checks them before sending). */
export interface TaskArguments {
  organizationId: string;
  bulkTaskId: string;
}

export interface ServeLocalArguments {
  port: number;
  /** Tasks in `lab`; undefined: the local API's own default dataset. */
  tasks: number | undefined;
  /** When `lab`'s newest task was created (`--newest`), ms since the epoch; undefined: half an hour ago. */
  newest: number | undefined;
  key: string;
  latencyMs: number;
  failRate: number;
  rateLimitRate: number;
  retryAfterSeconds: number;
  htmlRate: number;
  dropRate: number;
  seed: number;
  recordings: string[];
  /** How long the live tasks of `lab` run, in ms: the failing one takes two thirds of it. */
  liveDurationMs: number;
}

export type Invocation =
  | { command: "help"; topic: CommandName | undefined }
  | { command: "version" }
  | {
      command: "list";
      connection: ConnectionArguments;
      walk: WalkArguments;
      page: NumberOrText | undefined;
      all: boolean;
      format: ListFormat | undefined;
    }
  | {
      command: "summary";
      connection: ConnectionArguments;
      walk: WalkArguments;
      format: SummaryFormat | undefined;
    }
  | {
      command: "get";
      connection: ConnectionArguments;
      task: TaskArguments;
      format: TaskFormat | undefined;
    }
  | {
      command: "wait";
      connection: ConnectionArguments;
      task: TaskArguments;
      format: TaskFormat | undefined;
      /** `--wait-timeout` and `--poll-interval`, as typed: `waitFor` checks them, naming them. */
      timeoutMs: NumberOrText | undefined;
      pollIntervalMs: NumberOrText | undefined;
      progress: boolean;
    }
  | { command: "serve-local"; serve: ServeLocalArguments };

/**
 * Reads a command line (without `node` and the script). Global options may come before or after
 * the command. An empty command line is a request for help.
 * @throws {UsageError} for an unknown command or option, a missing or extra argument, a bad value
 */
export function parseCommandLine(args: readonly string[]): Invocation {
  // A first, lenient pass over every option of every command finds the command: the first
  // positional that is not the value of an option.
  const { tokens, values } = parseArgs({
    args: [...args],
    options: { ...OPTIONS.list, ...OPTIONS.wait, ...OPTIONS["serve-local"] },
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  });
  const commandToken = tokens.find((token) => token.kind === "positional");
  const name = commandToken?.value;
  if (name === undefined) {
    if (values.version === true && values.help !== true) return { command: "version" };
    if (values.help === true || args.length === 0) return { command: "help", topic: undefined };
    throw new UsageError(`Missing command: ${COMMAND_LIST}.`);
  }
  if (name === "help") {
    // `bulk-tasks help list`, as git and gh take it.
    const topic = tokens.find(
      (token) => token.kind === "positional" && token.index > (commandToken?.index ?? 0),
    );
    const topicName = topic?.kind === "positional" ? topic.value : undefined;
    if (topicName === undefined) return { command: "help", topic: undefined };
    if (isCommand(topicName)) return { command: "help", topic: topicName };
    throw new UsageError(`Unknown command ${quoted(topicName)}: use ${COMMAND_LIST}.`);
  }
  if (!isCommand(name)) {
    const meant = closestName(name, COMMANDS);
    throw new UsageError(
      `Unknown command ${quoted(name)}: ${meant ? `did you mean ${meant}? The commands are` : "use"} ${COMMAND_LIST}.`,
    );
  }
  if (values.help === true) return { command: "help", topic: name };
  if (values.version === true) return { command: "version" };
  const rest = args.filter((_, index) => index !== commandToken?.index);
  switch (name) {
    case "list":
      return parseList(rest);
    case "summary":
      return parseSummary(rest);
    case "get":
      return parseGet(rest);
    case "wait":
      return parseWait(rest);
    case "serve-local":
      return parseServeLocal(rest);
  }
}

const COMMAND_LIST = `${COMMANDS.slice(0, -1).join(", ")} or ${COMMANDS.at(-1)}`;

function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

function parseList(args: string[]): Invocation {
  const { values, positionals } = strictParse("list", args, OPTIONS.list);
  return {
    command: "list",
    connection: connectionArguments("list", values),
    walk: walkArguments("list", values, positionals),
    page: numberOrText(values.page, "--page"),
    all: values.all ?? false,
    format: oneOf("list", "--format", values.format, LIST_FORMATS),
  };
}

function parseSummary(args: string[]): Invocation {
  const { values, positionals } = strictParse("summary", args, OPTIONS.summary);
  return {
    command: "summary",
    connection: connectionArguments("summary", values),
    walk: walkArguments("summary", values, positionals),
    format: oneOf("summary", "--format", values.format, SUMMARY_FORMATS),
  };
}

function parseGet(args: string[]): Invocation {
  const { values, positionals } = strictParse("get", args, OPTIONS.get);
  return {
    command: "get",
    connection: connectionArguments("get", values),
    task: taskArguments("get", positionals),
    format: oneOf("get", "--format", values.format, TASK_FORMATS),
  };
}

function parseWait(args: string[]): Invocation {
  const { values, positionals } = strictParse("wait", args, OPTIONS.wait);
  return {
    command: "wait",
    connection: connectionArguments("wait", values),
    task: taskArguments("wait", positionals),
    format: oneOf("wait", "--format", values.format, TASK_FORMATS),
    timeoutMs: numberOrText(values["wait-timeout"], "--wait-timeout"),
    pollIntervalMs: numberOrText(values["poll-interval"], "--poll-interval"),
    progress: values.progress !== false,
  };
}

function parseServeLocal(args: string[]): Invocation {
  const { values, positionals } = strictParse("serve-local", args, OPTIONS["serve-local"]);
  // `--recordings a.har b.har` (a shell glob) as well as `--recordings a.har --recordings b.har`.
  if (positionals.length > 0 && values.recordings === undefined) {
    throw new UsageError(`Unexpected argument ${quoted(positionals[0] ?? "")}.`, "serve-local");
  }
  const number = (flag: keyof typeof values, rule: NumberRule) =>
    checkedNumber("serve-local", `--${flag}`, String(values[flag]), rule);
  return {
    command: "serve-local",
    serve: {
      port: number("port", { integer: true, max: 65535 }),
      tasks: values.tasks === undefined ? undefined : number("tasks", { integer: true }),
      newest: values.newest === undefined ? undefined : checkedDate("serve-local", "--newest", values.newest),
      key: values.key,
      // At most what a timer keeps: a longer delay fires at once in Node.js (with a warning).
      latencyMs: number("latency", { max: 2 ** 31 - 1 }),
      failRate: number("fail-rate", { max: 1 }),
      rateLimitRate: number("rate-limit-rate", { max: 1 }),
      // Whole seconds: Retry-After's delay-seconds has no fraction (RFC 9110).
      retryAfterSeconds: number("retry-after", { integer: true, max: 2 ** 31 - 1 }),
      htmlRate: number("html-rate", { max: 1 }),
      dropRate: number("drop-rate", { max: 1 }),
      seed: number("seed", { integer: true, max: 2 ** 32 - 1 }),
      recordings: [...(values.recordings ?? []), ...positionals],
      liveDurationMs: number("live-duration", { integer: true, min: 1, max: 2 ** 31 - 1 }),
    },
  };
}

type Options = (typeof OPTIONS)[CommandName];

/**
 * An argument as a usage error quotes it, unless it may be the key: a dozen characters or more
 * with letters and digits, or over 40 (the key given where another value goes, when neither
 * --api-key nor APPLIVERY_API_KEY says what it is). Flags, commands and ids of the spec's short
 * forms are shown.
 */
export function quoted(text: string): string {
  const mayBeKey = (text.length >= 12 && /\d/.test(text) && /[a-z]/i.test(text)) || text.length > 40;
  return mayBeKey ? "(not shown: it may be a key)" : JSON.stringify(text);
}

function strictParse<O extends Options>(command: CommandName, args: string[], options: O) {
  try {
    const parsed = parseArgs({
      args: joinNegativeNumbers(args, options),
      options,
      strict: true,
      allowPositionals: true,
      allowNegative: true,
      tokens: true,
    });
    refuseRepeatedValues(command, parsed.tokens, options);
    return parsed;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (!code?.startsWith("ERR_PARSE_ARGS")) throw error;
    // Node's advice on positionals that start with a dash is noise for a mistyped option, whose
    // name is quoted as any argument is, with the option probably meant.
    const unknown = code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && /^Unknown option '(.*?)'/.exec(message);
    const text = (unknown ? describeUnknownOption(unknown[1] ?? "", options) : message)
      .replace(/\s*\n\s*/g, " ")
      .trim();
    // Every usage message is a sentence: "See bulk-tasks ... --help." follows it.
    throw new UsageError(/[.!?]$/.test(text) ? text : `${text}.`, command);
  }
}

/**
 * An option that takes one value, given twice (`--status failed --status completed`): the last
 * would win without a word, where a user may expect both.
 */
function refuseRepeatedValues(
  command: CommandName,
  tokens: ReturnType<typeof parseArgs>["tokens"] = [],
  options: Options,
): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = (options as Record<string, { type: string; multiple?: boolean }>)[token.name];
    if (option?.type !== "string" || option.multiple) continue;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} is given more than once: give it once.`, command);
    }
    seen.add(token.name);
  }
}

/**
 * `--retries -1` as `--retries=-1`: a negative number after an option that takes a value is that
 * value (parseArgs reads it as an option of its own, and calls it "ambiguous"), so that the rule
 * the number breaks is told.
 */
function joinNegativeNumbers(args: string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const takesValue =
      arg.startsWith("--") && (options as Record<string, { type: string }>)[arg.slice(2)]?.type === "string";
    if (takesValue && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** `Unknown option "--timout". Did you mean --timeout?` */
function describeUnknownOption(given: string, options: Options): string {
  const flags = Object.entries(options).flatMap(([name, option]) => [
    `--${name}`,
    ...("short" in option ? [`-${option.short}`] : []),
    ...(option.type === "boolean" ? [`--no-${name}`] : []),
  ]);
  const [name = ""] = given.split("=");
  const meant = name.startsWith("--") ? closestName(name, flags) : undefined;
  if (meant) return `Unknown option ${quoted(given)}. Did you mean ${meant}?`;
  // An option of another command (`list --wait-timeout`, `summary --page`): say whose it is.
  const owners = COMMANDS.filter((command) => Object.hasOwn(OPTIONS[command], name.replace(/^--/, "")));
  return owners.length && name.startsWith("--")
    ? `Unknown option ${quoted(given)}: it is an option of bulk-tasks ${owners.join(" and ")}.`
    : `Unknown option ${quoted(given)}.`;
}

function connectionArguments(
  command: CommandName,
  values: { [K in keyof typeof CONNECTION_OPTIONS]?: string | boolean | undefined },
): ConnectionArguments {
  const apiKey = values["api-key"] as string | undefined;
  const baseUrl = values["base-url"] as string | undefined;
  const local = values.local === true;
  if (apiKey?.startsWith("=") || apiKey === "") {
    // `--api-key= KEY`, `--api-key = KEY` or `--api-key =KEY`: a space around the `=` (no key
    // starts with one), which would send "=KEY" or make the key an argument of its own.
    throw new UsageError(
      `--api-key is ${apiKey === "" ? "empty" : 'given with a leading "="'}: write --api-key KEY or --api-key=KEY, with no space around =.`,
      command,
    );
  }
  if (local && (apiKey !== undefined || baseUrl !== undefined)) {
    throw new UsageError("--local brings its own URL and key: leave out --api-key and --base-url.", command);
  }
  return {
    apiKey,
    baseUrl,
    allowInsecureHttp: values["allow-insecure-http"] === true,
    local,
    timeoutMs: numberOrText(values.timeout as string | undefined, "--timeout"),
    maxRetries: numberOrText(values.retries as string | undefined, "--retries"),
    verbose: values.verbose === true,
  };
}

function walkArguments(
  command: CommandName,
  values: { [K in keyof typeof WALK_OPTIONS]?: string | boolean | undefined },
  positionals: string[],
): WalkArguments {
  const [organizationId, extra] = positionals;
  if (organizationId === undefined) throw new UsageError(MISSING_ORGANIZATION, command);
  if (extra !== undefined) throw new UsageError(`Unexpected argument ${quoted(extra)}.`, command);
  const text = (value: string | boolean | undefined) => value as string | undefined;
  const query: WalkArguments["query"] = {};
  for (const name of ["status", "action", "sort"] as const) {
    const value = text(values[name]);
    if (value !== undefined) query[name] = value;
  }
  const limit = numberOrText(text(values.limit), "--limit");
  if (limit !== undefined) query.limit = limit;
  return {
    organizationId,
    query,
    concurrency: numberOrText(text(values.concurrency), "--concurrency"),
    progress: values.progress !== false,
  };
}

const MISSING_ORGANIZATION =
  "Missing <organizationId>: the organization's 24-hex-digit id or its slug, such as lab.";

function taskArguments(command: CommandName, positionals: string[]): TaskArguments {
  const [organizationId, bulkTaskId, extra] = positionals;
  if (organizationId === undefined) throw new UsageError(MISSING_ORGANIZATION, command);
  if (bulkTaskId === undefined) {
    throw new UsageError(
      "Missing <bulkTaskId>: the task's 24-hex-digit id, as bulk-tasks list shows it.",
      command,
    );
  }
  if (extra !== undefined) throw new UsageError(`Unexpected argument ${quoted(extra)}.`, command);
  return { organizationId, bulkTaskId };
}

/**
 * A number when the text is one (`10`, `-1`, `2.5`, `1e3`), so that the client's rule is told of
 * it. An integer too large to be held exactly is refused here: as a number it would be quoted as
 * another one (9007199254740993 reads as 9007199254740992).
 */
function numberOrText(value: string | undefined, flag: string): NumberOrText | undefined {
  if (value === undefined || !/^-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i.test(value)) return value;
  const number = Number(value);
  if (/^-?\d+$/.test(value) && !Number.isSafeInteger(number)) {
    throw new UsageError(
      `Invalid ${flag}: ${value} is too large a number (the largest is ${Number.MAX_SAFE_INTEGER}).`,
    );
  }
  return number;
}

function oneOf<T extends string>(
  command: CommandName,
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
  const meant = closestName(value, allowed);
  throw new UsageError(
    `Invalid ${flag}: ${quoted(value)} is not one of ${allowed.join(", ")}.${meant ? ` Did you mean ${meant}?` : ""}`,
    command,
  );
}

interface NumberRule {
  integer?: boolean;
  /** @default 0 */
  min?: number;
  max?: number;
}

function checkedNumber(
  command: CommandName,
  flag: string,
  text: string,
  { integer, min = 0, max }: NumberRule,
): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  const valid =
    Number.isFinite(value) &&
    value >= min &&
    (!integer || Number.isSafeInteger(value)) &&
    (max === undefined || value <= max);
  if (valid) return value;
  const rule = `${integer ? "an integer" : "a number"} >= ${min}${max === undefined ? "" : ` and <= ${max}`}`;
  throw new UsageError(`Invalid ${flag}: ${quoted(text)} is not ${rule}.`, command);
}

/**
 * A date of the command line, as the client's `newest` takes it: ISO 8601 (`2026-11-01`, UTC, or
 * `2026-11-01T09:00:00Z` with Z or an offset) or milliseconds since the epoch.
 */
function checkedDate(command: CommandName, flag: string, text: string): number {
  const dateShaped = /^\d{4}-\d{2}-\d{2}/.test(text);
  const digits = /^\d+$/.test(text);
  if (dateShaped || digits) {
    try {
      return readNewest(digits ? Number(text) : text);
    } catch (error) {
      // Its reason, after "newest must be ...: ": a day that does not exist, seconds for ms, ...
      const { message } = error as Error;
      const why = message.slice(message.indexOf("since the epoch: ") + "since the epoch: ".length);
      throw new UsageError(`Invalid ${flag}: ${why.replace(/\.$/, "")}.`, command);
    }
  }
  throw new UsageError(
    `Invalid ${flag}: ${quoted(text)} is not a date (ISO 8601, such as 2026-11-01T09:00:00Z, or milliseconds since the epoch).`,
    command,
  );
}
