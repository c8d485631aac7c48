import createClient, { type Client, type Middleware } from "openapi-fetch";
import { BulkTasksError, ConfigurationError } from "./core/errors.js";
import {
  brokenCount,
  brokenOption,
  checkHeaders,
  definedOnly,
  normaliseBaseUrl,
  plainCopy,
  type RequestOptions,
  readEnvironment,
  refuseOption,
} from "./core/options.js";
import type { BulkTaskList } from "./core/pagination.js";
import { RateGate, type RateLimitEvent } from "./core/rate-limit.js";
import { createRedactor } from "./core/redaction.js";
import type { ClientContext, ResponseValidator } from "./core/request.js";
import {
  createTransport,
  DEFAULT_TRANSPORT_OPTIONS,
  type Fetch,
  type RetryEvent,
  type TransportOptions,
} from "./core/transport.js";
import type { paths } from "./generated/openapi.js";
import { getBulkTask } from "./operations/get-bulk-task.js";
import { type ListOptions, listBulkTasks } from "./operations/list-bulk-tasks.js";
import { type WaitOptions, waitForBulkTask } from "./operations/wait-for-bulk-task.js";
import type { BulkTask, ListBulkTasksQuery } from "./types.js";

/** The production API. */
export const DEFAULT_BASE_URL = "https://api.applivery.io";

/** Options of {@link createBulkTasksClient}. */
export interface BulkTasksClientOptions {
  /**
   * The Service Account token, sent as `Authorization: Bearer <apiKey>` (spec: `ApiKeyAuth`).
   * @default the `APPLIVERY_API_KEY` environment variable
   */
  apiKey?: string | undefined;
  /**
   * Where the API lives (spec: `servers[0].url`). A plain `http://` URL is refused unless its host is
   * loopback or `allowInsecureHttp` is set, so that the key never crosses a network in clear.
   * @default the `APPLIVERY_BASE_URL` environment variable, else "https://api.applivery.io"
   */
  baseUrl?: string | undefined;
  /**
   * Allow a plain `http://` base URL on a host other than loopback.
   * @default false
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * The fetch implementation, called as `fetch(request, { signal })`. It should honour `signal`, which
   * carries the time limit and the caller's abort, so that the request is cancelled: the client stops
   * waiting for it either way.
   * @default globalThis.fetch
   */
  fetch?: Fetch | undefined;
  /**
   * Extra headers sent with every request, checked when the client is created (a name that is not
   * a header name, or a value with a line break, is a `ConfigurationError` naming the header). An
   * `Authorization` header here is replaced by the API key's.
   */
  headers?: Record<string, string> | undefined;
  /**
   * Retries after the first attempt, on connection errors, timeouts, 408, 429 and 5xx (not 501, 505); 0 disables.
   * @default 2
   */
  maxRetries?: number | undefined;
  /**
   * Time limit of each attempt in ms, from sending the request to the body's last byte.
   * @default 30000
   */
  timeoutMs?: number | undefined;
  /**
   * Pages fetched at once when iterating over a list, after the first page; also the most pages
   * held in memory by the walk.
   * @default 4
   */
  concurrency?: number | undefined;
  /**
   * The largest page read, in bytes after decoding; a larger one is a `ResponseTooLargeError`,
   * refused before it is held whole (a proxy streaming without end, a gzip bomb). Error responses
   * are read only as far as an error keeps of them (64 KiB).
   * @default 33554432 (32 MiB: far above any real page, far below what would strain a process)
   */
  maxResponseBytes?: number | undefined;
  /**
   * The longest one call waits, in all, for the server's rate limit (see "Rate limits" in the README):
   * a 429 is retried while its wait fits, whatever `maxRetries` says.
   * @default 300000 (5 minutes)
   */
  maxRateLimitWaitMs?: number | undefined;
  /**
   * Called when the client's rate-limit gate closes: a 429 or 503 asked every request of the client
   * to wait, or the server's quota headers say its quota is spent. Not awaited.
   */
  onRateLimit?: ((event: RateLimitEvent) => void) | undefined;
  /** Called before every retry, with the attempt, the delay and why. Use it to log retries. */
  onRetry?: ((event: RetryEvent) => unknown) | undefined;
  /**
   * Backoff and `Retry-After` tuning: `initialRetryDelayMs` (500), `maxRetryDelayMs` (8000) and
   * `maxRetryAfterMs` (60000, the longest `Retry-After` honoured; longer ones are not retried).
   */
  retryDelays?:
    | Partial<Pick<TransportOptions, "initialRetryDelayMs" | "maxRetryDelayMs" | "maxRetryAfterMs">>
    | undefined;
  /**
   * Checks every 2xx body against the spec's schema; a body that breaks it throws
   * {@link ResponseValidationError} naming the field. Pass `validateResponse` from
   * `@org/bulk-tasks-api/response-validation`, which checks every operation.
   * @default undefined (no validation: new enum values and fields pass through)
   */
  validateResponse?: ResponseValidator | undefined;
}

/** The bulk tasks operations. */
export interface BulkTasksResource {
  /**
   * `GET /v1/organizations/{organizationId}/bulk-tasks` (operationId `listBulkTasks`). Await it for one
   * page; iterate it (`for await`) for every task of every page, or `.pages()` for the pages.
   * @param organizationId the organization's 24-hex-digit id or its slug
   * @param query page, limit, sort, status and action, checked against the spec before sending: a
   * plain object, read once (its own properties), and that copy is what every page sends
   * @throws {InvalidRequestError} when a parameter breaks its rule, or the query or the options are
   * not plain objects; nothing is sent
   * @throws {ApiError} a subclass for each non-2xx status ({@link AuthenticationError}, ...)
   * @throws {UnexpectedResponseError} when a 2xx response is not the JSON the spec promises
   * @throws {ConnectionError} when no HTTP response came back ({@link TimeoutError} when too late)
   */
  list(organizationId: string, query?: ListBulkTasksQuery, options?: ListOptions): BulkTaskList;
  /**
   * `GET /v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}` (operationId `getBulkTask`).
   * @param bulkTaskId the task's 24-hex-digit id, as `id` in a list
   * @throws {NotFoundError} when the organization or the task is unknown (code 3001)
   * @throws the same errors as `list`, for the same reasons
   */
  get(organizationId: string, bulkTaskId: string, options?: RequestOptions): Promise<BulkTask>;
  /**
   * Polls `get` until the task is `completed` or `failed`, and resolves to it: a failed task
   * resolves too (read its `error` and `report`).
   * @throws {WaitTimeoutError} when it has not finished within `timeoutMs` (30 minutes by default)
   * @throws the errors of `get`, but for a 429: the wait slows down and goes on
   */
  waitFor(organizationId: string, bulkTaskId: string, options?: WaitOptions): Promise<BulkTask>;
}

/** A client for the Applivery bulk tasks API. */
export interface BulkTasksClient {
  bulkTasks: BulkTasksResource;
  /**
   * The typed openapi-fetch client, with the API key, the retries and the time limits applied, for
   * callers who want `{ data, error, response }` instead of thrown errors. It does not check input.
   */
  raw: Client<paths>;
}

/** The options each function takes: any other key is refused, so that a misspelt one is not ignored. */
const CLIENT_OPTIONS = [
  "apiKey",
  "baseUrl",
  "allowInsecureHttp",
  "fetch",
  "headers",
  "maxRetries",
  "timeoutMs",
  "concurrency",
  "maxResponseBytes",
  "maxRateLimitWaitMs",
  "onRateLimit",
  "onRetry",
  "retryDelays",
  "validateResponse",
] as const satisfies readonly (keyof BulkTasksClientOptions)[];
const RETRY_DELAY_OPTIONS = ["initialRetryDelayMs", "maxRetryDelayMs", "maxRetryAfterMs"] as const;

/**
 * Creates a client: the options are read once into what every operation shares, then the
 * operations are composed onto one object.
 * @throws {ConfigurationError} when no API key is given or found, or an option breaks its rule
 */
export function createBulkTasksClient(givenOptions: BulkTasksClientOptions = {}): BulkTasksClient {
  const options = plainCopy("options", givenOptions, refuseOption, CLIENT_OPTIONS) as BulkTasksClientOptions;
  const givenKey: unknown = options.apiKey ?? readEnvironment("APPLIVERY_API_KEY");
  if (!givenKey) {
    throw new ConfigurationError(
      "No API key: pass `apiKey` to createBulkTasksClient() or set the APPLIVERY_API_KEY environment variable.",
    );
  }
  // A header drops the whitespace around its value: trimmed here, the key that errors redact is the
  // one sent (a key read from a file often ends in a newline). Any other character outside visible
  // ASCII cannot be sent at all, and the Headers error saying so would quote the key.
  const apiKey = typeof givenKey === "string" ? givenKey.trim() : "";
  if (/^bearer\s/i.test(apiKey)) {
    throw new ConfigurationError(
      'The API key starts with "Bearer ": pass the token alone, the client adds the prefix (it is not shown here).',
    );
  }
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ConfigurationError(
      "The API key must be a string of visible ASCII characters without spaces; the one given is not (it is not shown here).",
    );
  }
  const redactor = createRedactor(apiKey, (error) => error instanceof BulkTasksError);
  const baseUrl = normaliseBaseUrl(
    options.baseUrl ?? readEnvironment("APPLIVERY_BASE_URL") ?? DEFAULT_BASE_URL,
    options.allowInsecureHttp ?? false,
  );
  const extraHeaders = checkHeaders(options.headers);
  for (const name of ["fetch", "onRetry", "onRateLimit", "validateResponse"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function")
      refuseOption(name, options[name], "a function");
  }
  const fetchImplementation: Fetch = options.fetch ?? ((request, init) => fetch(request, init));
  const retryDelays = plainCopy("retryDelays", options.retryDelays, refuseOption, RETRY_DELAY_OPTIONS);
  const transport: TransportOptions = {
    ...DEFAULT_TRANSPORT_OPTIONS,
    ...definedOnly(retryDelays),
    ...definedOnly({
      maxRetries: options.maxRetries,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      maxRateLimitWaitMs: options.maxRateLimitWaitMs,
      onRetry: options.onRetry,
    }),
  };
  const concurrency = options.concurrency ?? 4;
  const broken = brokenOption(transport) ?? brokenCount("concurrency", concurrency);
  if (broken) refuseOption(...broken);

  // One gate for the whole client: its calls, its walks and `raw` slow down together. A quota whose
  // reset is further off than the longest Retry-After honoured is left to the server to refuse.
  const gate = new RateGate(options.onRateLimit, transport.maxRetryAfterMs);
  const authorization = `Bearer ${apiKey}`;
  const context: ClientContext = {
    baseUrl,
    headers: { ...extraHeaders, Authorization: authorization },
    fetch: fetchImplementation,
    transport,
    redactor,
    validateResponse: options.validateResponse,
    gate,
  };
  const raw = createClient<paths>({
    baseUrl,
    fetch: createTransport(fetchImplementation, transport, redactor, gate),
    headers: extraHeaders,
  });
  raw.use(bearerAuth(authorization));
  return {
    raw,
    bulkTasks: {
      list: listBulkTasks(context, concurrency),
      get: getBulkTask(context),
      waitFor: waitForBulkTask(context),
    },
  };
}

// For `raw`: a middleware rather than a default header, so that the key lives only in this closure,
// never in an options object that a caller might log, and replaces any Authorization passed per call.
function bearerAuth(authorization: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set("Authorization", authorization);
      return request;
    },
  };
}

export type { RequestOptions } from "./core/options.js";
export type { ContractViolation, ResponseValidator } from "./core/request.js";
export type { ListOptions } from "./operations/list-bulk-tasks.js";
export type { WaitOptions } from "./operations/wait-for-bulk-task.js";
