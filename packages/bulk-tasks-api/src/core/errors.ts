import type { BulkTask } from "../types.js";
import { readRetryAfterMs } from "./retry-after.js";

/**
 * The error hierarchy (after the Stainless-generated SDKs):
 *
 * BulkTasksError
 * ├── ConfigurationError        the client was set up wrongly (no API key, insecure base URL)
 * ├── InvalidRequestError       a parameter broke the spec's rule; nothing was sent
 * ├── WaitTimeoutError          `waitFor` gave up: the task did not finish in time
 * ├── UnknownTaskStatusError    `waitFor` met a status the spec does not name
 * ├── ConnectionError           the request never got an HTTP response (cause attached)
 * │   └── TimeoutError          an attempt ran past `timeoutMs`
 * ├── UnexpectedResponseError   a response that is not what the spec says (HTML, truncated JSON, ...)
 * │   ├── ResponseValidationError  a body that breaks the spec's schema (opt-in validation)
 * │   └── ResponseTooLargeError    a body larger than `maxResponseBytes`
 * └── ApiError                  the API answered with a non-2xx status
 *     ├── AuthenticationError   401
 *     ├── PermissionDeniedError 403
 *     ├── NotFoundError         404
 *     ├── RateLimitError        429
 *     └── ServerError           5xx
 *
 * No error ever holds the API key: requests are described by method and URL only, response
 * headers (never request headers) are kept, and everything kept of a response, or of an error thrown
 * by fetch, has the key taken out first (see redaction.ts).
 */

/** The base class of every error this package throws. */
export class BulkTasksError extends Error {
  override name = "BulkTasksError";

  /**
   * What `JSON.stringify` writes: the name, the message, every field and the cause's name and
   * message, for structured logs (an `Error`'s message is not enumerable, so it would be left out).
   */
  toJSON(): Record<string, unknown> {
    const { cause } = this;
    return {
      ...(this as Record<string, unknown>),
      message: this.message,
      ...(cause === undefined
        ? {}
        : { cause: cause instanceof Error ? { name: cause.name, message: cause.message } : cause }),
    };
  }
}

/** The client was configured in a way that cannot work, such as without an API key. */
export class ConfigurationError extends BulkTasksError {
  override name = "ConfigurationError";
  /**
   * The option at fault, such as `apiKey`, `baseUrl` or `timeoutMs` (`options` when the options
   * are not an object), or undefined when no option is: a call's first argument is not a client.
   */
  readonly option: string | undefined;

  constructor(message: string, option?: string) {
    super(message);
    this.option = option;
  }
}

/** A parameter broke a rule of the spec; the request was not sent. */
export class InvalidRequestError extends BulkTasksError {
  override name = "InvalidRequestError";
  /** The parameter, such as `limit` or `organizationId`. */
  readonly parameter: string;
  /**
   * The value that was refused, when it is a string, a number, a boolean or null. Undefined when it
   * is not shown: an object, an array or a function (the options object, with its key, passed
   * where an id goes), or a string under a name that is not an option or a parameter, or one that
   * holds the key (a key put in the wrong place).
   */
  readonly value: string | number | boolean | null | undefined;
  /** The rule it broke, in words, such as `an integer >= 1`. */
  readonly rule: string;
  /** The spec's regular expression, when the rule is a pattern (`rule` says it in words). */
  readonly pattern: string | undefined;
  /**
   * What was probably meant: the known option, query parameter or value closest to the one given
   * (`timeoutMs` for `timoutMs`, `completed` for `complete`), when one is close.
   */
  readonly suggestion: string | undefined;

  constructor(parameter: string, value: unknown, rule: string, details: RuleDetails = {}) {
    super(`${describeBrokenRule(parameter, value, rule, details)} The request was not sent.`);
    this.parameter = parameter;
    this.value = isShown(value) ? value : undefined;
    this.rule = rule;
    this.pattern = details.pattern;
    this.suggestion = details.suggestion;
    if (this.value === undefined && value !== undefined) unshownValues.set(this, describeValue(value));
  }
}

/** What a refusal may add to its rule: the spec's pattern, and the name or value probably meant. */
export interface RuleDetails {
  pattern?: string | undefined;
  suggestion?: string | undefined;
}

/** How the message described a value the error does not keep (`object`, `a string (not shown)`). */
const unshownValues = new WeakMap<InvalidRequestError, string>();

/**
 * The value to make the same refusal again with (the key taken out of its parameter, say): the
 * value kept, or one that the message describes as it did.
 */
export function refusedValue(error: InvalidRequestError): unknown {
  const description = unshownValues.get(error);
  return description === undefined ? error.value : new HiddenValue(description);
}

/** A task `waitFor` followed did not reach `completed` or `failed` within its `timeoutMs`. */
export class WaitTimeoutError extends BulkTasksError {
  override name = "WaitTimeoutError";
  /** The task waited for. */
  readonly bulkTaskId: string;
  /** The time limit of the whole wait, in milliseconds. */
  readonly timeoutMs: number;
  /** The task as last seen, or undefined when no poll answered. */
  readonly lastTask: BulkTask | undefined;

  /** @param lastTask as an error keeps a response body: the key taken out (see redaction.ts) */
  constructor(bulkTaskId: string, timeoutMs: number, lastTask: BulkTask | undefined) {
    super(
      `Bulk task ${bulkTaskId} did not finish within ${timeoutMs} ms (last seen: ${lastTask ? printable(String(lastTask.status)) : "none"}).`,
    );
    this.bulkTaskId = bulkTaskId;
    this.timeoutMs = timeoutMs;
    this.lastTask = lastTask;
  }
}

/**
 * `waitFor` met a task whose `status` is none the spec names: it cannot tell whether the task will
 * ever finish, so it stops at once rather than poll to its timeout. The list may grow (`created`
 * came after the others): update the client, or read `task` and decide.
 */
export class UnknownTaskStatusError extends BulkTasksError {
  override name = "UnknownTaskStatusError";
  /** The task waited for. */
  readonly bulkTaskId: string;
  /** Where the value is: `data.status`. */
  readonly field = "data.status";
  /** The status the server sent. */
  readonly value: string;
  /** The task as it came, with the key taken out as from any response body an error keeps. */
  readonly task: BulkTask;

  /** @param task as an error keeps a response body: the key taken out (see redaction.ts) */
  constructor(bulkTaskId: string, task: BulkTask) {
    const value = String(task.status);
    super(
      `Bulk task ${bulkTaskId} has data.status ${JSON.stringify(printable(value))}, which the spec does not name: waitFor cannot tell whether it will finish. Read it with get(), or see whether a newer @org/bulk-tasks-api knows that status.`,
    );
    this.bulkTaskId = bulkTaskId;
    this.value = value;
    this.task = task;
  }
}

/** The request never got an HTTP response: DNS, refused or dropped connection, TLS. */
export class ConnectionError extends BulkTasksError {
  override name = "ConnectionError";
}

/** An attempt took longer than `timeoutMs`. Distinct from the caller's own abort, which rethrows its reason. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
  /** The per-attempt limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(
      `The request timed out after ${timeoutMs} ms: raise timeoutMs if the server is slow to answer.`,
      options,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** What every HTTP-level error knows about the request and its response, with the API key taken out. */
export interface ResponseDetails {
  /** The request's method, such as `GET`. */
  method: string;
  /** The request's URL (it never holds the key). */
  url: string;
  /** The HTTP status. */
  status: number;
  /** The response headers, lower-cased names. */
  headers: Record<string, string>;
  /**
   * The response body: parsed JSON when it was JSON, else the text. A body longer than 64 KiB is
   * kept as the start of its text, ending in `… [cut]`; JSON parts nested deeper than 64 levels are
   * replaced by a note.
   */
  body: unknown;
  /** The request id the server sent (`x-request-id` and similar), when it sent one. */
  requestId: string | undefined;
}

/** A response that is not what the spec promises: HTML from a proxy, truncated JSON, an empty body, a wrong content type. */
export class UnexpectedResponseError extends BulkTasksError implements ResponseDetails {
  override name = "UnexpectedResponseError";
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly requestId: string | undefined;

  /** @param message what is wrong; the method and the path are added to it */
  constructor(message: string, details: ResponseDetails, options?: ErrorOptions) {
    super(`${message} (${describeRequest(details)})`, options);
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.headers = details.headers;
    this.body = details.body;
    this.requestId = details.requestId;
  }
}

/** A 2xx body that breaks the spec's schema, found by the opt-in `validateResponse`. */
export class ResponseValidationError extends UnexpectedResponseError {
  override name = "ResponseValidationError";
  /** A JSON pointer to the field that broke the contract, such as `/data/items/0/status`. */
  readonly field: string;
  /** The JSON Schema keyword broken, such as `enum`. */
  readonly rule: string;

  constructor(violation: { field: string; rule: string; message: string }, details: ResponseDetails) {
    super(
      `The response breaks the spec at ${violation.field}: ${violation.message} (${violation.rule}).`,
      details,
    );
    this.field = violation.field;
    this.rule = violation.rule;
  }
}

/** A 2xx body larger than `maxResponseBytes`: refused before it was held whole. */
export class ResponseTooLargeError extends UnexpectedResponseError {
  override name = "ResponseTooLargeError";
  /** The limit that was exceeded, in bytes. */
  readonly maxResponseBytes: number;

  constructor(maxResponseBytes: number, details: ResponseDetails) {
    super(
      `The ${details.status} response's body is larger than maxResponseBytes (${maxResponseBytes} bytes); it was not read further`,
      details,
    );
    this.maxResponseBytes = maxResponseBytes;
  }
}

/** The API answered with a non-2xx status. */
export class ApiError extends BulkTasksError implements ResponseDetails {
  override name = "ApiError";
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The vendor's error code (`error.code` of the envelope), such as 4004; informative, not exhaustive. */
  readonly code: number | undefined;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly requestId: string | undefined;
  /**
   * How long the server asked to wait before trying again, in seconds (`retry-after-ms` or
   * `Retry-After`), when it said: a 429, or a 503 for maintenance.
   */
  readonly retryAfter: number | undefined;

  constructor(details: ResponseDetails) {
    const envelope = readErrorEnvelope(details.body);
    const code = envelope?.code;
    const text =
      envelope?.message !== undefined
        ? printable(envelope.message)
        : isHtmlPage(details)
          ? "an HTML page answered, not the API (a proxy or a gateway?)"
          : "the response has no error message";
    // `404 Entity not found (code 3001) for GET /v1/organizations/lab/bulk-tasks`
    super(
      `${details.status} ${text}${code === undefined ? "" : ` (code ${code})`} for ${describeRequest(details)}`,
    );
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.code = code;
    this.headers = details.headers;
    this.body = details.body;
    this.requestId = details.requestId;
    const retryAfterMs = readRetryAfterMs((name) => details.headers[name]);
    this.retryAfter = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
  }

  /** The subclass that fits the status. */
  static from(details: ResponseDetails): ApiError {
    const { status } = details;
    if (status === 401) return new AuthenticationError(details);
    if (status === 403) return new PermissionDeniedError(details);
    if (status === 404) return new NotFoundError(details);
    if (status === 429) return new RateLimitError(details);
    if (status >= 500) return new ServerError(details);
    return new ApiError(details);
  }
}

/** 401: the token is missing (code 4002), invalid (4004) or expired (4005). */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}

/** 403: the token lacks the operation's permission (`base.bulk.management.list`, `.get`; code 4003). */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError";
}

/** 404: the organization (or the task) does not exist, or the token cannot see it (code 3001). */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}

/** 429: too many requests; `retryAfter` says for how long, when the server said. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
}

/** 5xx: the server failed. */
export class ServerError extends ApiError {
  override name = "ServerError";
}

/** An error page in HTML: what a proxy, a gateway or a captive portal answers, never the API. */
export function isHtmlPage({ headers, body }: Pick<ResponseDetails, "headers" | "body">): boolean {
  return typeof body === "string" && /\bhtml\b/i.test(headers["content-type"] ?? "");
}

function readErrorEnvelope(
  body: unknown,
): { code: number | undefined; message: string | undefined } | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error !== "object" || error === null) return undefined;
  const code = "code" in error && typeof error.code === "number" ? error.code : undefined;
  const message = "message" in error && typeof error.message === "string" ? error.message : undefined;
  return { code, message };
}

/** The longest part of a server's own words a message quotes; `body` keeps all of it. */
const MAX_QUOTED_CHARS = 200;

/**
 * A server's text as a message may quote it: one line, no control characters (a line break or an
 * ANSI escape would forge log lines), at most {@link MAX_QUOTED_CHARS} characters.
 */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
  return line.length > MAX_QUOTED_CHARS ? `${line.slice(0, MAX_QUOTED_CHARS)}…` : line;
}

/**
 * `GET /v1/organizations/lab/bulk-tasks?page=13&limit=100`: the method, the path and the query, so
 * that a message says which page failed (the origin is left out: it is the client's base URL).
 */
function describeRequest({ method, url }: Pick<ResponseDetails, "method" | "url">): string {
  let target = url;
  try {
    const parsed = new URL(url);
    target = `${parsed.pathname}${parsed.search}`;
  } catch {
    // Not an absolute URL (an error built by hand): shown as given.
  }
  return `${method} ${target}`;
}

/**
 * `Invalid limit: 0 is not an integer >= 1.`, and `Did you mean "timeoutMs"?` when a known name or
 * value is close: how the client and the local API word a broken rule.
 */
export function describeBrokenRule(
  parameter: string,
  value: unknown,
  rule: string,
  { suggestion }: RuleDetails = {},
): string {
  const meant = suggestion === undefined ? "" : ` Did you mean ${JSON.stringify(suggestion)}?`;
  return `Invalid ${parameter}: ${describeValue(value)} is not ${rule}.${meant}`;
}

/**
 * Stands for a string that an error must not quote: one given under a name that is not an option
 * or a parameter, or in place of the options, where a key may have been put by mistake.
 */
export class HiddenValue {
  constructor(readonly description = "a string (not shown)") {}
}

/** A value an error may keep: a string (not hidden), a number, a boolean or null. */
function isShown(value: unknown): value is string | number | boolean | null {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/**
 * A name the caller gave, as an error may quote it: one that could be a key (letters and digits in a
 * dozen characters or more, or over 40 characters) is not shown. Names of options and parameters are
 * short words; a key put where a name goes, when the client does not know the key, is not.
 */
export function shownName(name: string): string {
  const mayBeKey = (name.length >= 12 && /\d/.test(name) && /[a-z]/i.test(name)) || name.length > 40;
  return mayBeKey ? "[a name not shown: it may be a key]" : name;
}

/** `value instanceof type`, for any input: on a revoked Proxy, `instanceof` throws. */
// biome-ignore lint/suspicious/noExplicitAny: any class, whatever its constructor's parameters.
export function isInstance<T>(value: unknown, type: abstract new (...args: any[]) => T): value is T {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/** The value itself, unless it is a string that an error must not quote. */
export function hiddenIfString(value: unknown): unknown {
  return typeof value === "string" ? new HiddenValue() : value;
}

function describeValue(value: unknown): string {
  if (isInstance(value, HiddenValue)) return value.description;
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}
