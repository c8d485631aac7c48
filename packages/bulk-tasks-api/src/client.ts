import createClient, { type Client, type Middleware } from "openapi-fetch";
import {
  ApiError,
  ConfigurationError,
  describeBrokenRule,
  InvalidRequestError,
  type ResponseDetails,
  ResponseValidationError,
  UnexpectedResponseError,
} from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { BulkTaskList } from "./pagination.js";
import {
  createTransport,
  DEFAULT_TRANSPORT_OPTIONS,
  type Fetch,
  type RetryEvent,
  retrying,
  type TransportOptions,
} from "./transport.js";
import type { BulkTaskPage, ListBulkTasksQuery } from "./types.js";
import { validateListBulkTasksParameters } from "./validation.js";

/** The production API. */
export const DEFAULT_BASE_URL = "https://api.applivery.io";

const LIST_BULK_TASKS = "/v1/organizations/{organizationId}/bulk-tasks";

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
  /** Extra headers sent with every request. An `Authorization` header here is replaced by the API key's. */
  headers?: Record<string, string> | undefined;
  /**
   * Retries after the first attempt, on connection errors, timeouts, 408, 429 and 5xx; 0 disables.
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
  /** Called before every retry, with the attempt, the delay and why. Use it to log retries. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /**
   * Backoff and `Retry-After` tuning: `initialRetryDelayMs` (500), `maxRetryDelayMs` (8000) and
   * `maxRetryAfterMs` (60000, the longest `Retry-After` honoured; longer ones are not retried).
   */
  retryDelays?:
    | Partial<Pick<TransportOptions, "initialRetryDelayMs" | "maxRetryDelayMs" | "maxRetryAfterMs">>
    | undefined;
  /**
   * Checks every page against the spec's schema; a page that breaks it throws
   * {@link ResponseValidationError} naming the field. Pass `validateListBulkTasksResponse` from
   * `@org/bulk-tasks-api/response-validation`.
   * @default undefined (no validation: new enum values and fields pass through)
   */
  validateResponse?: ResponseValidator | undefined;
}

/** Where and how a response breaks the spec. */
export interface ContractViolation {
  /** A JSON pointer into the body, such as `/data/items/0/status`. */
  field: string;
  /** The JSON Schema keyword broken, such as `enum` or `required`. */
  rule: string;
  /** What is wrong, such as `must be equal to one of the allowed values`. */
  message: string;
}

/** Checks a response body; returns the first violation, or undefined when the body keeps the contract. */
export type ResponseValidator = (body: unknown) => ContractViolation | undefined;

/** Options of one call; each overrides the client's. */
export interface RequestOptions {
  /** Aborts the call (and a walk over pages); it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** @default the client's `maxRetries` */
  maxRetries?: number | undefined;
  /** @default the client's `timeoutMs` */
  timeoutMs?: number | undefined;
  /** @default the client's `concurrency` */
  concurrency?: number | undefined;
}

/** The bulk tasks operations. */
export interface BulkTasksResource {
  /**
   * `GET /v1/organizations/{organizationId}/bulk-tasks` (operationId `listBulkTasks`). Await it for one
   * page; iterate it (`for await`) for every task of every page, or `.pages()` for the pages.
   * @param organizationId the organization's 24-hex-digit id or its slug
   * @param query page, limit, sort, status and action, checked against the spec before sending
   * @throws {InvalidRequestError} when a parameter breaks its rule; nothing is sent
   * @throws {ApiError} a subclass for each non-2xx status ({@link AuthenticationError}, ...)
   * @throws {UnexpectedResponseError} when a 2xx response is not the JSON the spec promises
   * @throws {ConnectionError} when no HTTP response came back ({@link TimeoutError} when too late)
   */
  list(organizationId: string, query?: ListBulkTasksQuery, options?: RequestOptions): BulkTaskList;
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

/** Creates a client. Throws {@link ConfigurationError} when no API key is given or found. */
export function createBulkTasksClient(options: BulkTasksClientOptions = {}): BulkTasksClient {
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
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ConfigurationError(
      "The API key must be a string of visible ASCII characters without spaces; the one given is not (it is not shown here).",
    );
  }
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? readEnvironment("APPLIVERY_BASE_URL") ?? DEFAULT_BASE_URL,
    options.allowInsecureHttp ?? false,
  );

  const fetchImplementation: Fetch = options.fetch ?? ((request, init) => fetch(request, init));
  const transportDefaults: TransportOptions = {
    ...DEFAULT_TRANSPORT_OPTIONS,
    ...definedOnly(options.retryDelays ?? {}),
    ...definedOnly({
      maxRetries: options.maxRetries,
      timeoutMs: options.timeoutMs,
      onRetry: options.onRetry,
    }),
  };
  const defaultConcurrency = options.concurrency ?? 4;
  const brokenDefault = brokenOption(transportDefaults, defaultConcurrency);
  if (brokenDefault) throw new ConfigurationError(describeBrokenRule(...brokenDefault));

  const authorization = `Bearer ${apiKey}`;
  const describe: Describe = (response, body) => withoutSecret(describeResponse(response, body), apiKey);
  // Two openapi-fetch clients over one engine: `raw`, for callers, retries inside its fetch and so
  // must buffer bodies; `direct`, for the methods here, makes one attempt per call and lets
  // `retrying` wrap the whole call, body parsing included, with nothing to copy. `direct` sets the
  // key in its own fetch: cheaper per request than a middleware, and it never leaves this closure.
  const raw = createClient<paths>({
    baseUrl,
    fetch: createTransport(fetchImplementation, transportDefaults),
    headers: options.headers ?? {},
  });
  raw.use(bearerAuth(authorization));
  const direct = createClient<paths>({ baseUrl, headers: options.headers ?? {} });

  async function fetchPage(
    organizationId: string,
    query: ListBulkTasksQuery,
    signal: AbortSignal | undefined,
    transport: TransportOptions,
  ): Promise<BulkTaskPage> {
    let url = "";
    const result = await retrying(
      transport,
      signal,
      async (attemptSignal) => {
        const attempt = await direct.GET(LIST_BULK_TASKS, {
          // openapi-fetch leaves undefined out of the query string: no need to strip it first.
          params: { path: { organizationId }, query: query as WithoutUndefined<ListBulkTasksQuery> },
          parseAs: "text",
          fetch: (request: Request) => {
            url = request.url;
            request.headers.set("Authorization", authorization);
            return fetchImplementation(request, { signal: attemptSignal });
          },
        });
        return { response: attempt.response, value: attempt };
      },
      () => ({ method: "GET", url }),
    );
    const { response } = result;
    if (!response.ok) throw ApiError.from(describe(response, result.error));
    const page = readPage(response, result.data, query.page, describe);
    if (options.validateResponse) checkContract(options.validateResponse, response, page, describe);
    return page.data;
  }

  return {
    raw,
    bulkTasks: {
      list(organizationId, query = {}, requestOptions = {}) {
        const { signal, concurrency = defaultConcurrency } = requestOptions;
        const transport = {
          ...transportDefaults,
          ...definedOnly({ maxRetries: requestOptions.maxRetries, timeoutMs: requestOptions.timeoutMs }),
        };
        let invalid: Error | undefined;
        try {
          validateListBulkTasksParameters(organizationId, query);
          const broken = brokenOption(transport, concurrency);
          if (broken) throw new InvalidRequestError(...broken);
        } catch (error) {
          invalid = error as Error;
        }
        return new BulkTaskList({
          load: (page, pageSignal) =>
            fetchPage(organizationId, page === undefined ? query : { ...query, page }, pageSignal, transport),
          startPage: query.page,
          concurrency,
          signal,
          invalid,
        });
      },
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

/** What an error keeps of a response; the client's own takes the key out. */
type Describe = (response: Response, body: unknown) => ResponseDetails;

function checkContract(
  validate: ResponseValidator,
  response: Response,
  body: unknown,
  describe: Describe,
): void {
  const violation = validate(body);
  if (violation) throw new ResponseValidationError(violation, describe(response, body));
}

function readPage(
  response: Response,
  text: string | undefined,
  pageAskedFor: number | undefined,
  describe: Describe,
): { status: true; data: BulkTaskPage } {
  const contentType = response.headers.get("content-type") ?? "";
  const details = (body: unknown) => describe(response, body);
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnexpectedResponseError(
      `Expected an application/json response, got ${contentType ? `"${contentType}"` : "no content type"} (status ${response.status}).`,
      details(text),
    );
  }
  if (!text)
    throw new UnexpectedResponseError(`The ${response.status} response has an empty body.`, details(text));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const described = details(text);
    // The parser's error quotes the text where it failed: the cause quotes the text without the key.
    let cause: unknown;
    try {
      JSON.parse(described.body as string);
    } catch (error) {
      cause = error;
    }
    throw new UnexpectedResponseError(
      `The ${response.status} response is not valid JSON (truncated?).`,
      described,
      { cause },
    );
  }
  const broken = brokenEnvelopeField(body, pageAskedFor);
  if (broken) {
    throw new UnexpectedResponseError(
      `The response is not a list envelope: ${broken[0]} is not ${broken[1]}.`,
      details(body),
    );
  }
  return body as { status: true; data: BulkTaskPage };
}

/**
 * The first field a page cannot do without, as [where, what it must be], or undefined when all are
 * there. The walk steers by page, totalPages and hasNextPage: without them it would end early, or
 * never, in silence. Other fields are left to the opt-in response validation.
 *
 * The API echoes the page asked for, even past the end. Another page means the page parameter was
 * lost on the way (a cache keyed on the path alone), and a walk would yield the same tasks again.
 */
function brokenEnvelopeField(body: unknown, pageAskedFor: number | undefined): [string, string] | undefined {
  const { status, data }: { status?: unknown; data?: unknown } = (typeof body === "object" && body) || {};
  if (status !== true) return ["status", "true"];
  if (typeof data !== "object" || data === null) return ["data", "an object"];
  const { items, page, totalPages, hasNextPage } = data as Partial<Record<keyof BulkTaskPage, unknown>>;
  if (!Array.isArray(items)) return ["data.items", "an array"];
  if (pageAskedFor === undefined ? !Number.isSafeInteger(page) : page !== pageAskedFor) {
    return ["data.page", pageAskedFor === undefined ? "an integer" : `${pageAskedFor}, the page asked for`];
  }
  if (!Number.isSafeInteger(totalPages)) return ["data.totalPages", "an integer"];
  if (typeof hasNextPage !== "boolean") return ["data.hasNextPage", "a boolean"];
  return undefined;
}

const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"];

function describeResponse(response: Response, body: unknown): ResponseDetails {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const requestId = REQUEST_ID_HEADERS.map((name) => headers[name]).find((value) => value !== undefined);
  return { status: response.status, headers, body, requestId };
}

/**
 * The details with the key replaced wherever it shows, in case the server or a proxy echoes it:
 * an error page quoting the request, a 401 naming the token it refused.
 */
function withoutSecret<T>(value: T, secret: string): T {
  const scrub = (part: unknown): unknown => {
    if (typeof part === "string") return part.split(secret).join("[redacted]");
    if (Array.isArray(part)) return part.map(scrub);
    if (typeof part !== "object" || part === null) return part;
    return Object.fromEntries(Object.entries(part).map(([name, inner]) => [scrub(name), scrub(inner)]));
  };
  return scrub(value) as T;
}

function checkBaseUrl(baseUrl: string, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`baseUrl ${JSON.stringify(baseUrl)} is not an absolute URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`baseUrl must use https (or http on loopback), not ${url.protocol}`);
  }
  // fetch refuses a URL with credentials, in an error that quotes them; a query or a fragment would
  // land in the middle of every request's URL.
  if (url.username || url.password || /[?#]/.test(baseUrl)) {
    throw new ConfigurationError(
      `baseUrl must have no user name, password, query or fragment: use ${url.origin}${url.pathname}`,
    );
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new ConfigurationError(
      `baseUrl ${url.origin} is plain http on a non-loopback host: the API key would travel in clear. Use https, or set allowInsecureHttp: true.`,
    );
  }
  return baseUrl.replace(/\/+$/, "");
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** The option that breaks its rule, as [name, value, rule], or undefined when all keep theirs. */
function brokenOption(options: TransportOptions, concurrency: number): [string, unknown, string] | undefined {
  const { maxRetries, timeoutMs } = options;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0)
    return ["maxRetries", maxRetries, "an integer >= 0"];
  if (!isTimerDelay(timeoutMs) || timeoutMs === 0) {
    return ["timeoutMs", timeoutMs, `a number > 0 and <= ${MAX_TIMER_MS}`];
  }
  for (const name of ["initialRetryDelayMs", "maxRetryDelayMs", "maxRetryAfterMs"] as const) {
    const value = options[name];
    if (!isTimerDelay(value)) return [name, value, `a number >= 0 and <= ${MAX_TIMER_MS}`];
  }
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    return ["concurrency", concurrency, "an integer >= 1"];
  return undefined;
}

/** The longest delay setTimeout keeps: a longer one fires at once, in Node.js and browsers alike. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function isTimerDelay(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= MAX_TIMER_MS;
}

type WithoutUndefined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** The entries whose value is not undefined, so that they do not override defaults. */
function definedOnly<T extends object>(values: T): WithoutUndefined<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as WithoutUndefined<T>;
}

function readEnvironment(name: string): string | undefined {
  // `process` is absent in browsers and some edge runtimes.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.[name] || undefined;
}
