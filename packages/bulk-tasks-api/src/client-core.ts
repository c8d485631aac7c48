/**
 * A client's shared part: its options read once (the key, the base URL, retries, time limits, the
 * rate-limit gate), with no operation attached. `createBulkTasksClient` composes the operations
 * onto it; `createBulkTasksCore` gives it alone, for the standalone operation functions.
 */

import { attachContext, type BulkTasksCore } from "./core/context.js";
import { BulkTasksError, ConfigurationError } from "./core/errors.js";
import {
  brokenCount,
  brokenOption,
  checkHeaders,
  definedOnly,
  normaliseBaseUrl,
  plainCopy,
  type Refuse,
  readEnvironment,
  refuseOption,
  refuseUnknown,
  withoutKey,
  withTransportOptions,
} from "./core/options.js";
import { RateGate, type RateLimitEvent } from "./core/rate-limit.js";
import { createRedactor } from "./core/redaction.js";
import type { ClientContext, ResponseValidator } from "./core/request.js";
import {
  DEFAULT_TRANSPORT_OPTIONS,
  type Fetch,
  type RetryEvent,
  type TransportOptions,
} from "./core/transport.js";

/** The production API. */
export const DEFAULT_BASE_URL = "https://api.applivery.io";

/** Options of {@link createBulkTasksCore} and `createBulkTasksClient`. */
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
   * Pages asked for at once when iterating over a list, after the first page; also the most pages
   * held in memory by the walk. The client's rate-limit gate may send fewer at once, once a server
   * refused more.
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
   * `maxRetryAfterMs` (60000, the longest `Retry-After` honoured; longer ones are not retried). A
   * retry waits at least its backoff delay, whatever shorter wait the server asks for.
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
 * Creates a client with no operation attached: pass it to the operation functions you call
 * (`listBulkTasks(core, "lab")`), and a bundler keeps those and no others. The options are read
 * once, here, into what every operation shares. `createBulkTasksClient()` makes one of these too.
 * @throws {ConfigurationError} when no API key is given or found, or an option breaks its rule
 */
export function createBulkTasksCore(givenOptions: BulkTasksClientOptions = {}): BulkTasksCore {
  return attachContext(Object.freeze({}), readClientOptions(givenOptions));
}

/**
 * The options, read once into what every operation of a client shares.
 * @throws {ConfigurationError} when no API key is given or found, or an option breaks its rule
 */
export function readClientOptions(givenOptions: BulkTasksClientOptions): ClientContext {
  const copy = plainCopy("options", givenOptions, refuseOption);
  const options = copy as BulkTasksClientOptions;
  const givenKey: unknown = options.apiKey ?? readEnvironment("APPLIVERY_API_KEY");
  // A header drops the whitespace around its value: trimmed here, the key that errors redact is the
  // one sent (a key read from a file often ends in a newline). Any other character outside visible
  // ASCII cannot be sent at all, and the Headers error saying so would quote the key.
  const apiKey = typeof givenKey === "string" ? givenKey.trim() : "";
  // From here on, a refusal quotes no key (a redactor of no key changes nothing): one put under
  // another option by mistake is redacted, from the value before it is described (a long value is
  // cut, and the cut could leave a part).
  const redactor = createRedactor(apiKey, (error) => error instanceof BulkTasksError);
  const refuse: Refuse = (name, value, rule, details) =>
    refuseOption(
      redactor.text(name),
      typeof value === "string" ? redactor.text(value) : value,
      rule,
      details,
    );
  // A misspelt option is named before a missing key is told (`apikey` says more than "No API
  // key"), with the key, when there is one, taken out of its name (`{ [key]: ... }`).
  refuseUnknown(copy, CLIENT_OPTIONS, refuse, redactor.text);
  if (!givenKey) {
    throw new ConfigurationError(
      "No API key: pass `apiKey` in the options of createBulkTasksClient() (or createBulkTasksCore()), or set the APPLIVERY_API_KEY environment variable.",
      "apiKey",
    );
  }
  // Where the key came from, so that a refusal points at what to fix.
  const keySource = options.apiKey === undefined ? " (from APPLIVERY_API_KEY)" : "";
  if (apiKey === "" && typeof givenKey === "string") {
    throw new ConfigurationError(`The API key${keySource} is empty, or only whitespace.`, "apiKey");
  }
  if (/^bearer\s/i.test(apiKey)) {
    throw new ConfigurationError(
      `The API key${keySource} starts with "Bearer ": pass the token alone, the client adds the prefix (it is not shown here).`,
      "apiKey",
    );
  }
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ConfigurationError(
      `The API key${keySource} must be a string of visible ASCII characters without spaces; the one given is not (it is not shown here).`,
      "apiKey",
    );
  }
  const { allowInsecureHttp = false } = options;
  // Not any truthy value: "false" read from an environment variable must not send the key in clear.
  if (typeof allowInsecureHttp !== "boolean") refuse("allowInsecureHttp", allowInsecureHttp, "a boolean");
  let baseUrl: string;
  let extraHeaders: Record<string, string>;
  try {
    const fromEnvironment = options.baseUrl === undefined ? readEnvironment("APPLIVERY_BASE_URL") : undefined;
    baseUrl = normaliseBaseUrl(
      options.baseUrl ?? fromEnvironment ?? DEFAULT_BASE_URL,
      allowInsecureHttp,
      // A refusal names where the URL came from: the option, or the variable.
      fromEnvironment === undefined ? "baseUrl" : "APPLIVERY_BASE_URL",
    );
    extraHeaders = checkHeaders(options.headers);
  } catch (error) {
    // These quote the URL or the header name whole: the key is redacted from their message.
    throw withoutKey(error, redactor);
  }
  if (redactor.text(baseUrl) !== baseUrl) {
    // In the URL, the key would reach the server's and the proxies' logs with every request.
    throw new ConfigurationError(
      "baseUrl holds the API key (it is not shown here): the key goes in the Authorization header only.",
      "baseUrl",
    );
  }
  for (const name of ["fetch", "onRetry", "onRateLimit", "validateResponse"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function")
      refuse(name, options[name], "a function");
  }
  const fetchImplementation: Fetch = options.fetch ?? ((request, init) => fetch(request, init));
  const retryDelays = plainCopy("retryDelays", options.retryDelays, refuse, RETRY_DELAY_OPTIONS);
  const transport = withTransportOptions(
    {
      ...DEFAULT_TRANSPORT_OPTIONS,
      ...definedOnly(retryDelays),
      ...definedOnly({ onRetry: options.onRetry }),
    },
    options,
  );
  const concurrency = options.concurrency ?? 4;
  const broken = brokenOption(transport) ?? brokenCount("concurrency", concurrency);
  if (broken) refuse(...broken);

  // One gate for the whole client: its calls, its walks and `raw` slow down together. A quota whose
  // reset is further off than the longest Retry-After honoured is left to the server to refuse.
  const gate = new RateGate(options.onRateLimit, transport.maxRetryAfterMs);
  return {
    baseUrl,
    headers: { ...extraHeaders, Authorization: `Bearer ${apiKey}` },
    fetch: fetchImplementation,
    transport,
    redactor,
    validateResponse: options.validateResponse,
    gate,
    concurrency,
  };
}
