import {
  ApiError,
  AuthenticationError,
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
} from "@org/bulk-tasks-api";
import { UsageError } from "./arguments.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error as the CLI reports it: the exit code, and one line for stderr. */
export interface Failure {
  exitCode: number;
  line: string;
}

/** How the client names a parameter or an option, and how the command line does. */
const FLAGS: Record<string, string> = {
  organizationId: "<organizationId>",
  page: "--page",
  limit: "--limit",
  sort: "--sort",
  status: "--status",
  action: "--action",
  concurrency: "--concurrency",
  timeoutMs: "--timeout",
  maxRetries: "--retries",
};

/**
 * What to tell the user about an error: one line (class, status, vendor code, request id, and what
 * to check), and the exit code: 2 for what the command line can fix before anything is sent, 1 for
 * what the API or the network did.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) {
    const help = error.command ? `bulk-tasks ${error.command} --help` : "bulk-tasks --help";
    return { exitCode: EXIT_USAGE, line: `${error.message} See ${help}.` };
  }
  if (error instanceof InvalidRequestError) {
    const flag = FLAGS[error.parameter] ?? error.parameter;
    return {
      exitCode: EXIT_USAGE,
      line: `Invalid ${flag}: ${describeValue(error.value)} is not ${error.rule}. Nothing was sent.`,
    };
  }
  if (error instanceof ConfigurationError) {
    const hint = /baseUrl/.test(error.message)
      ? "Check --base-url / APPLIVERY_BASE_URL."
      : "Check --api-key / APPLIVERY_API_KEY, or try --local.";
    return { exitCode: EXIT_USAGE, line: `ConfigurationError: ${error.message} ${hint}` };
  }
  if (error instanceof BulkTasksError) {
    const requestId =
      error instanceof ApiError || error instanceof UnexpectedResponseError ? error.requestId : undefined;
    return {
      exitCode: EXIT_FAILURE,
      line: `${error.name}: ${error.message.replace(/\.$/, "")}${requestId ? ` [request id ${requestId}]` : ""}. ${hintFor(error)}`,
    };
  }
  const { name = "Error", message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  return { exitCode: EXIT_FAILURE, line: `Unexpected ${name}: ${message}` };
}

function hintFor(error: BulkTasksError): string {
  if (error instanceof AuthenticationError)
    return "Check --api-key / APPLIVERY_API_KEY: the API refused the key.";
  if (error instanceof PermissionDeniedError) {
    return "The key's Service Account needs the permission base.bulk.management.list.";
  }
  if (error instanceof NotFoundError) {
    return "Check the organization id (its 24-hex-digit id or its slug), and that the key belongs to it.";
  }
  if (error instanceof RateLimitError) {
    return error.retryAfter === undefined
      ? "Too many requests: wait a little and try again."
      : `Too many requests: try again in ${Math.ceil(error.retryAfter)} s.`;
  }
  if (error instanceof ServerError) return "The API failed: try again later.";
  if (error instanceof TimeoutError) {
    return "Check --base-url / APPLIVERY_BASE_URL and the network, or raise --timeout.";
  }
  if (error instanceof ConnectionError) return "Check --base-url / APPLIVERY_BASE_URL and the network.";
  if (error instanceof UnexpectedResponseError) {
    return "Something that is not the bulk tasks API answered (a proxy, a captive portal, another server): check --base-url / APPLIVERY_BASE_URL.";
  }
  return "The API refused the request.";
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return String(value);
}
