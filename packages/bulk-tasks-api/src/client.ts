import createClient, {
  type Client,
  createFinalURL,
  createQuerySerializer,
  defaultPathSerializer,
  type Middleware,
} from "openapi-fetch";
import {
  ApiError,
  BulkTasksError,
  ConfigurationError,
  describeBrokenRule,
  InvalidRequestError,
  ResponseValidationError,
  UnexpectedResponseError,
} from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { listBulkTasksParameterRules } from "./generated/parameter-rules.js";
import { BulkTaskList } from "./pagination.js";
import { createRedactor } from "./redaction.js";
import { type BodyText, describeResponse, parseJson, readBody } from "./responses.js";
import {
  type Call,
  createTransport,
  DEFAULT_TRANSPORT_OPTIONS,
  type Fetch,
  fetchResponse,
  type RetryEvent,
  retrying,
  type TransportOptions,
} from "./transport.js";
import type { BulkTaskPage, ListBulkTasksQuery } from "./types.js";
import { validateListBulkTasksParameters } from "./validation.js";

/** The production API. */
export const DEFAULT_BASE_URL = "https://api.applivery.io";

const LIST_BULK_TASKS = "/v1/organizations/{organizationId}/bulk-tasks";

/** How openapi-fetch writes a query: the client's own calls build their URLs as `raw` does. */
const serializeQuery = createQuerySerializer();

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
  /** @default the client's `maxResponseBytes` */
  maxResponseBytes?: number | undefined;
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

/**
 * Creates a client.
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
  for (const name of ["fetch", "onRetry", "validateResponse"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function")
      refuseOption(name, options[name], "a function");
  }

  const fetchImplementation: Fetch = options.fetch ?? ((request, init) => fetch(request, init));
  const retryDelays = plainCopy("retryDelays", options.retryDelays, refuseOption, RETRY_DELAY_OPTIONS);
  const transportDefaults: TransportOptions = {
    ...DEFAULT_TRANSPORT_OPTIONS,
    ...definedOnly(retryDelays),
    ...definedOnly({
      maxRetries: options.maxRetries,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      onRetry: options.onRetry,
    }),
  };
  const defaultConcurrency = options.concurrency ?? 4;
  const brokenDefault = brokenOption(transportDefaults, defaultConcurrency);
  if (brokenDefault) refuseOption(...brokenDefault);

  // The client's own calls send these; `raw` sends the extra headers and sets the key in a middleware.
  const requestHeaders = { ...extraHeaders, Authorization: `Bearer ${apiKey}` };
  const raw = createClient<paths>({
    baseUrl,
    fetch: createTransport(fetchImplementation, transportDefaults, redactor),
    headers: extraHeaders,
  });
  raw.use(bearerAuth(requestHeaders.Authorization));
  const { validateResponse } = options;

  // The client's own calls make one attempt per retry and read each body under its time limit and
  // size limit; they build their URLs with openapi-fetch's serializers, as `raw` does.
  async function fetchPage(
    organizationId: string,
    query: ListBulkTasksQuery,
    signal: AbortSignal | undefined,
    transport: TransportOptions,
  ): Promise<BulkTaskPage> {
    const url = createFinalURL(LIST_BULK_TASKS, {
      baseUrl,
      params: { path: { organizationId }, query },
      querySerializer: serializeQuery,
      pathSerializer: defaultPathSerializer,
    });
    const call: Call = { method: "GET", url, options: transport, signal, redactor };
    const { response, body } = await retrying(call, async (attemptSignal) => {
      const request = new Request(url, { headers: requestHeaders });
      const response = await fetchResponse(call, fetchImplementation, request, attemptSignal);
      const body = await readBody(call, response, transport.maxResponseBytes, redactor);
      return { response, value: { response, body } };
    });
    if (!response.ok) throw ApiError.from(describeResponse(call, response, body, redactor));
    const page = readPage(call, response, body, query.page);
    if (validateResponse) checkContract(validateResponse, call, response, body, page);
    return page.data;
  }

  return {
    raw,
    bulkTasks: {
      list(organizationId, query, requestOptions) {
        // The query is read once, here: the copy is what is checked and what every page sends.
        let copy: ListBulkTasksQuery = {};
        let concurrency = defaultConcurrency;
        let transport = transportDefaults;
        let signal: AbortSignal | undefined;
        let invalid: Error | undefined;
        try {
          const refuse = (name: string, value: unknown, rule: string): never => {
            throw new InvalidRequestError(name, value, rule);
          };
          copy = plainCopy("query", query, refuse) as ListBulkTasksQuery;
          const callOptions = plainCopy("options", requestOptions, refuse, REQUEST_OPTIONS) as RequestOptions;
          validateListBulkTasksParameters(organizationId, copy);
          ({ signal, concurrency = defaultConcurrency } = callOptions);
          transport = {
            ...transportDefaults,
            ...definedOnly({
              maxRetries: callOptions.maxRetries,
              timeoutMs: callOptions.timeoutMs,
              maxResponseBytes: callOptions.maxResponseBytes,
            }),
          };
          const broken = brokenOption(transport, concurrency);
          if (broken) refuse(...broken);
          if (signal !== undefined && !(signal instanceof AbortSignal))
            refuse("signal", signal, "an AbortSignal");
        } catch (error) {
          invalid = error as Error;
        }
        return new BulkTaskList({
          load: (page, pageSignal) =>
            fetchPage(organizationId, page === undefined ? copy : { ...copy, page }, pageSignal, transport),
          startPage: copy.page,
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

function checkContract(
  validate: ResponseValidator,
  call: Call,
  response: Response,
  body: BodyText,
  page: unknown,
): void {
  let violation: ContractViolation | undefined;
  try {
    const found = validate(page);
    // A validator of the caller's own may quote the body, and so an echoed key.
    violation = found && {
      field: call.redactor.text(String(found.field)),
      rule: call.redactor.text(String(found.rule)),
      message: call.redactor.text(String(found.message)),
    };
  } catch (error) {
    throw new UnexpectedResponseError(
      "The response validator failed",
      describeResponse(call, response, body, call.redactor),
      { cause: call.redactor.error(error) },
    );
  }
  if (violation) {
    throw new ResponseValidationError(violation, describeResponse(call, response, body, call.redactor));
  }
}

function readPage(
  call: Call,
  response: Response,
  body: BodyText,
  pageAskedFor: number | undefined,
): { status: true; data: BulkTaskPage } {
  const { redactor } = call;
  const details = () => describeResponse(call, response, body, redactor);
  const contentType = response.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    const shown = contentType ? JSON.stringify(redactor.text(contentType)) : "no content type";
    throw new UnexpectedResponseError(
      `Expected an application/json response, got ${shown} (status ${response.status})`,
      details(),
    );
  }
  if (!body.text)
    throw new UnexpectedResponseError(`The ${response.status} response has an empty body`, details());
  const parsed = parseJson(body.text);
  if (!parsed) {
    // The parser's error quotes the text where it failed: the cause is the parser's error on the
    // redacted excerpt, which quotes no key.
    const described = details();
    let cause: unknown;
    try {
      JSON.parse(String(described.body));
    } catch (error) {
      cause = error;
    }
    throw new UnexpectedResponseError(
      `The ${response.status} response is not valid JSON (truncated?)`,
      described,
      { cause },
    );
  }
  const broken = brokenEnvelopeField(parsed.value, pageAskedFor);
  if (broken) {
    throw new UnexpectedResponseError(
      `The response is not a list envelope: ${broken[0]} is not ${broken[1]}`,
      details(),
    );
  }
  return parsed.value as { status: true; data: BulkTaskPage };
}

/** The walk holds a server's page count to the rule it holds a caller's page number to. */
const isPageNumber = listBulkTasksParameterRules.page.test;

/**
 * The first field a page cannot do without, as [where, what it must be], or undefined when all are
 * there. The walk steers by page, totalPages and hasNextPage: without them it would end early, or
 * never, in silence; with page numbers the caller could not send (0, -1, 1.5), it would send them.
 * Other fields are left to the opt-in response validation.
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
  // No page asked for is page 1, the spec's default.
  const expected = pageAskedFor ?? 1;
  if (page !== expected) return ["data.page", `${expected}, the page asked for`];
  if (!isPageNumber(totalPages)) return ["data.totalPages", "an integer >= 1"];
  if (typeof hasNextPage !== "boolean") return ["data.hasNextPage", "a boolean"];
  return undefined;
}

/**
 * The base URL as the parsed URL gives it, whatever its source: no whitespace, no trailing slash.
 * @throws {ConfigurationError} when it is not an absolute http(s) URL, or would send the key in clear
 */
function normaliseBaseUrl(baseUrl: unknown, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new ConfigurationError(`baseUrl ${JSON.stringify(String(baseUrl))} is not an absolute URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`baseUrl must use https (or http on loopback), not ${url.protocol}`);
  }
  // fetch refuses a URL with credentials, in an error that quotes them; a query or a fragment would
  // land in the middle of every request's URL.
  if (url.username || url.password || /[?#]/.test(url.href)) {
    throw new ConfigurationError(
      `baseUrl must have no user name, password, query or fragment: use ${url.origin}${url.pathname}`,
    );
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new ConfigurationError(
      `baseUrl ${url.origin} is plain http on a non-loopback host: the API key would travel in clear. Use https, or set allowInsecureHttp: true.`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
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
  "onRetry",
  "retryDelays",
  "validateResponse",
] as const satisfies readonly (keyof BulkTasksClientOptions)[];
const REQUEST_OPTIONS = [
  "signal",
  "maxRetries",
  "timeoutMs",
  "concurrency",
  "maxResponseBytes",
] as const satisfies readonly (keyof RequestOptions)[];
const RETRY_DELAY_OPTIONS = ["initialRetryDelayMs", "maxRetryDelayMs", "maxRetryAfterMs"] as const;

/** RFC 9110 token characters: what a header name may hold. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A field value: visible characters, spaces and tabs inside; no CR, LF or NUL (header injection). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * The extra headers, checked once: a plain object of header names and string values. The error names
 * the header and never quotes its value, which may be a secret of its own.
 */
function checkHeaders(headers: unknown): Record<string, string> {
  const copy = plainCopy("headers", headers, refuseOption);
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(copy)) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigurationError(`headers: ${JSON.stringify(name)} is not a valid header name.`);
    }
    if (typeof value !== "string" || !HEADER_VALUE.test(value)) {
      throw new ConfigurationError(
        `headers: the value of ${JSON.stringify(name)} must be a string of printable Latin-1 characters, without line breaks or control characters (it is not shown here).`,
      );
    }
    // The key's own Authorization replaces one given here, in any case of the name.
    if (name.toLowerCase() !== "authorization") checked[name] = value.trim();
  }
  return checked;
}

/** Refuses a client option: how `createBulkTasksClient` reports a broken rule. */
function refuseOption(name: string, value: unknown, rule: string): never {
  throw new ConfigurationError(describeBrokenRule(name, value, rule));
}

/**
 * A copy of a plain object's own enumerable properties, read once; undefined gives `{}`. Anything
 * else (null, an array, a class instance, an object inheriting properties) goes to `refuse`: what is
 * checked must be what is used, and an inherited property would be used without being checked.
 */
function plainCopy(
  name: string,
  value: unknown,
  refuse: (name: string, value: unknown, rule: string) => never,
  known?: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  const copy: Record<string, unknown> = {};
  try {
    const prototype = typeof value === "object" && value !== null ? Object.getPrototypeOf(value) : undefined;
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError("not a plain object");
    for (const key of Object.keys(value as object)) {
      // defineProperty: an own property named "__proto__" stays a property, and is refused as unknown.
      Object.defineProperty(copy, key, {
        value: (value as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  } catch {
    // Not a plain object, or one whose properties cannot be read (a Proxy, a getter that throws).
    return refuse(name, value, "a plain object");
  }
  for (const key of Object.keys(copy)) {
    if (known && !known.includes(key)) refuse(key, copy[key], `a known option (${known.join(", ")})`);
  }
  return copy;
}

/** The option that breaks its rule, as [name, value, rule], or undefined when all keep theirs. */
function brokenOption(options: TransportOptions, concurrency: number): [string, unknown, string] | undefined {
  const { maxRetries, timeoutMs, maxResponseBytes } = options;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0)
    return ["maxRetries", maxRetries, "an integer >= 0"];
  if (!isTimerDelay(timeoutMs) || timeoutMs === 0) {
    return ["timeoutMs", timeoutMs, `a number > 0 and <= ${MAX_TIMER_MS}`];
  }
  for (const name of ["initialRetryDelayMs", "maxRetryDelayMs", "maxRetryAfterMs"] as const) {
    const value = options[name];
    if (!isTimerDelay(value)) return [name, value, `a number >= 0 and <= ${MAX_TIMER_MS}`];
  }
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1)
    return ["maxResponseBytes", maxResponseBytes, "an integer >= 1"];
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
