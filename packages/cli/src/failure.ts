import {
  ApiError,
  AuthenticationError,
  type BulkTask,
  BulkTasksError,
  ConfigurationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
  UnknownTaskStatusError,
  WaitTimeoutError,
} from "@org/bulk-tasks-api";
import { type CommandName, UsageError } from "./arguments.js";
import { printable, truncate } from "./output/style.js";
import { describeRows } from "./output/task.js";
import { proxyVariablesSet } from "./proxy.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `wait`: the task ended `failed`. Not an error of the command: the import failed. */
export const EXIT_TASK_FAILED = 3;

/** `wait` saw the task end `failed` (after printing it): exit code 3. */
export class TaskFailed extends Error {
  override name = "TaskFailed";
  readonly task: BulkTask;

  constructor(task: BulkTask) {
    super(`Task ${task.id} failed`);
    this.task = task;
  }
}

/**
 * `list --all` failed after writing some pages: the error, and the page to go on from
 * (`--all --page <nextPage>`), which the failure line names.
 */
export class WalkStopped extends Error {
  override name = "WalkStopped";
  /** The first and the last page written before the failure. */
  readonly firstPage: number;
  readonly lastPage: number;

  constructor(cause: unknown, firstPage: number, lastPage: number) {
    super(`The walk stopped after page ${lastPage}`, { cause });
    this.firstPage = firstPage;
    this.lastPage = lastPage;
  }
}

/** An error as the CLI reports it: the exit code, and one line for stderr. */
export interface Failure {
  exitCode: number;
  line: string;
}

/** How the client names a parameter or a call's option (an `InvalidRequestError`), and how the command line does. */
const PARAMETER_FLAGS: Record<string, string> = {
  organizationId: "<organizationId>",
  bulkTaskId: "<bulkTaskId>",
  page: "--page",
  limit: "--limit",
  sort: "--sort",
  status: "--status",
  action: "--action",
  concurrency: "--concurrency",
  // The only call option of that name the CLI passes: waitFor's limit of the whole wait. The limit
  // of each attempt (--timeout) goes to the client, and comes back as a ConfigurationError.
  timeoutMs: "--wait-timeout",
  pollIntervalMs: "--poll-interval",
};

/** How the client names an option of its own (a `ConfigurationError`), and how the command line does. */
const CLIENT_OPTION_FLAGS: Record<string, string> = {
  timeoutMs: "--timeout",
  maxRetries: "--retries",
};

/**
 * What to tell the user about an error: one line (class, status, vendor code, request id, and what
 * to check), and the exit code: 2 for what the command line can fix before anything is sent, 1 for
 * what the API or the network did, 3 for a task that `wait` saw fail.
 * @param command the command that ran, for hints that depend on it (the permission it needs)
 */
export function describeFailure(error: unknown, command?: CommandName, env: NodeJS.ProcessEnv = {}): Failure {
  if (error instanceof WalkStopped) {
    const { exitCode, line } = describeFailure(error.cause, command, env);
    const { firstPage, lastPage } = error;
    const written =
      firstPage === lastPage ? `Page ${lastPage} was` : `Pages ${firstPage} to ${lastPage} were`;
    // The same command, --limit and filters included: pages are numbered in pages of that size.
    return {
      exitCode,
      line: `${line} ${written} written: to go on, run the same command with --page ${lastPage + 1}.`,
    };
  }
  if (error instanceof UsageError) {
    const help = error.command ? `bulk-tasks ${error.command} --help` : "bulk-tasks --help";
    return { exitCode: EXIT_USAGE, line: `${error.message} See ${help}.` };
  }
  if (error instanceof TaskFailed) {
    const { task } = error;
    const why = task.error
      ? `: ${truncate(printable(oneLine(task.error)), 200)}`
      : " (the API gives no reason)";
    return { exitCode: EXIT_TASK_FAILED, line: `Task ${task.id} failed${why.replace(/\.$/, "")}.` };
  }
  if (error instanceof InvalidRequestError) {
    const flag = PARAMETER_FLAGS[error.parameter] ?? error.parameter;
    return {
      exitCode: EXIT_USAGE,
      line: `Invalid ${flag}: ${describeRefusal(error)} Nothing was sent.`,
    };
  }
  // The client names the option it refused; its message reads `Invalid <option>: <value> is not
  // <rule>.`, said here with the flag in place of the option.
  const flag = error instanceof ConfigurationError && CLIENT_OPTION_FLAGS[error.option ?? ""];
  if (flag) {
    const rest = (error as ConfigurationError).message.replace(/^Invalid \w+: /, "");
    return { exitCode: EXIT_USAGE, line: `Invalid ${flag}: ${rest} Nothing was sent.` };
  }
  if (error instanceof WaitTimeoutError) {
    return { exitCode: EXIT_FAILURE, line: describeWaitTimeout(error) };
  }
  if (error instanceof UnknownTaskStatusError) {
    // Said in the command line's words: the client's message names its own get().
    const id = printable(error.bulkTaskId);
    return {
      exitCode: EXIT_FAILURE,
      line: `${error.name}: Task ${id} has status ${JSON.stringify(truncate(printable(error.value), 40))}, which this bulk-tasks does not know, so it cannot tell whether the task will finish. Look at it with bulk-tasks get, or update bulk-tasks.`,
    };
  }
  if (error instanceof ConfigurationError) {
    const hint =
      error.option === "baseUrl"
        ? "Check --base-url / APPLIVERY_BASE_URL."
        : "Check --api-key / APPLIVERY_API_KEY, or try --local.";
    return { exitCode: EXIT_USAGE, line: `ConfigurationError: ${inFlags(error.message)} ${hint}` };
  }
  if (error instanceof TimeoutError) {
    // Said with the flag: the client's message names its option (timeoutMs).
    return {
      exitCode: EXIT_FAILURE,
      line: `${error.name}: The request timed out after ${error.timeoutMs} ms. ${hintFor(error, command, env)}`,
    };
  }
  if (error instanceof BulkTasksError) {
    const requestId =
      error instanceof ApiError || error instanceof UnexpectedResponseError ? error.requestId : undefined;
    return {
      exitCode: EXIT_FAILURE,
      line: `${error.name}: ${error.message.replace(/\.$/, "")}${requestId ? ` [request id ${requestId}]` : ""}. ${hintFor(error, command, env)}`,
    };
  }
  const { name = "Error", message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  return { exitCode: EXIT_FAILURE, line: `Unexpected ${name}: ${message}` };
}

/** `wait` gave up: the status and rows last seen, and what to do about it. */
function describeWaitTimeout(error: WaitTimeoutError): string {
  const task = error.lastTask;
  if (!task) {
    return `${error.name}: ${error.message} Raise --wait-timeout, or check --base-url / APPLIVERY_BASE_URL and the network.`;
  }
  const rows = describeRows(task.report);
  return `${error.name}: Task ${printable(task.id)} did not finish within ${error.timeoutMs} ms (last seen ${printable(task.status)}${
    rows ? `, ${rows}` : ""
  }). Raise --wait-timeout, or look again later with bulk-tasks get.`;
}

/** The commands that read one task, and so need the permission of getBulkTask. */
const READS_ONE_TASK: readonly (CommandName | undefined)[] = ["get", "wait"];

function hintFor(error: BulkTasksError, command: CommandName | undefined, env: NodeJS.ProcessEnv): string {
  const oneTask = READS_ONE_TASK.includes(command);
  // Requests went through a proxy the environment names: it may be what failed.
  const proxies = proxyVariablesSet(env);
  const andProxy = proxies.length ? `, and the proxy of ${proxies.join(" / ")}` : "";
  if (error instanceof AuthenticationError)
    return "Check --api-key / APPLIVERY_API_KEY: the API refused the key.";
  if (error instanceof PermissionDeniedError) {
    return `The key's Service Account needs the permission base.bulk.management.${oneTask ? "get" : "list"}.`;
  }
  if (error instanceof NotFoundError) {
    return oneTask
      ? "Check the organization id and the task id (bulk-tasks list shows the ids), and that the key belongs to the organization."
      : "Check the organization id (its 24-hex-digit id or its slug), and that the key belongs to it.";
  }
  if (error instanceof RateLimitError) {
    return error.retryAfter === undefined
      ? "Too many requests: wait a little and try again."
      : `Too many requests: try again in ${Math.ceil(error.retryAfter)} s.`;
  }
  if (
    error instanceof ApiError &&
    typeof error.body === "string" &&
    /\bhtml\b/i.test(error.headers["content-type"] ?? "")
  ) {
    // An HTML error page: a proxy, a gateway or a captive portal answered, not the API.
    return `Something that is not the bulk tasks API answered with an HTML page: check --base-url / APPLIVERY_BASE_URL${andProxy}, or try again later.`;
  }
  if (error instanceof ServerError) return "The API failed: try again later.";
  if (error instanceof TimeoutError) {
    return `Check --base-url / APPLIVERY_BASE_URL and the network${andProxy}, or raise --timeout.`;
  }
  if (error instanceof ConnectionError)
    return `Check --base-url / APPLIVERY_BASE_URL and the network${andProxy}.`;
  if (error instanceof UnexpectedResponseError) {
    return "Something that is not the bulk tasks API answered (a proxy, a captive portal, another server): check --base-url / APPLIVERY_BASE_URL.";
  }
  return "The API refused the request.";
}

/** The client's words for its options, and the command line's for the same thing. */
const CLIENT_WORDS: readonly [RegExp, string][] = [
  [/\bset allowInsecureHttp: true\b/g, "add --allow-insecure-http"],
  [/\ballowInsecureHttp\b/g, "--allow-insecure-http"],
  [/\bbaseUrl\b/g, "--base-url"],
  [/`apiKey`|\bapiKey\b/g, "--api-key"],
];

/** A client's message with its option names said as the command line's flags. */
function inFlags(message: string): string {
  return CLIENT_WORDS.reduce((text, [words, flag]) => text.replace(words, flag), message);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/**
 * `<value> is not <rule>.` as the client words it: its message after the parameter's name. The
 * client describes what it does not keep in `value` (`a string (not shown)`, `object`).
 */
function describeRefusal(error: InvalidRequestError): string {
  const prefix = `Invalid ${error.parameter}: `;
  return error.message.startsWith(prefix)
    ? error.message.slice(prefix.length).replace(/ The request was not sent\.$/, "")
    : `${error.message.replace(/ The request was not sent\.$/, "")}`;
}
