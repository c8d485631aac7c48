import { ConnectionError, TimeoutError } from "./errors.js";
import { readRetryAfterMs } from "./retry-after.js";

/** How the client retries and times out; every field has a default (see `DEFAULT_TRANSPORT_OPTIONS`). */
export interface TransportOptions {
  /**
   * Retries after the first attempt, on connection errors, timeouts, 408, 429 and 5xx; 0 disables.
   * Never on other statuses (400, 401, 403, 404, ...).
   * @default 2
   */
  maxRetries: number;
  /**
   * Time limit of one attempt, from sending the request to the last byte of the body, in ms.
   * @default 30000
   */
  timeoutMs: number;
  /**
   * The first backoff delay in ms; it doubles with each retry, up to `maxRetryDelayMs`.
   * @default 500
   */
  initialRetryDelayMs: number;
  /** @default 8000 */
  maxRetryDelayMs: number;
  /**
   * The longest `Retry-After` (or `retry-after-ms`) the client waits for. A server asking for more
   * gets no retry: the error (a `RateLimitError` for 429) carries `retryAfter` for the caller to act on.
   * @default 60000
   */
  maxRetryAfterMs: number;
  /** Called before each retry: make retries visible in your logs. */
  onRetry: ((event: RetryEvent) => void) | undefined;
}

/** What `onRetry` is told. It never holds a header, so never the key. */
export interface RetryEvent {
  /** `GET`. */
  method: string;
  /** The request URL (the key is never in it). */
  url: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long the client waits before the next attempt, in ms. */
  delayMs: number;
  /** The status that is retried, or undefined when no response came. */
  status: number | undefined;
  /** The connection error or timeout that is retried, or undefined when a response came. */
  error: ConnectionError | undefined;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  maxRetries: 2,
  timeoutMs: 30_000,
  initialRetryDelayMs: 500,
  maxRetryDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  onRetry: undefined,
};

/** The share of a backoff delay that jitter may take off, so that clients that failed together spread out. */
const JITTER = 0.25;

type Fetch = (request: Request) => Promise<Response>;

/**
 * A fetch that retries and times out as the options say, and buffers each body inside its attempt, so
 * that the time limit covers a body that stalls and a connection dropped mid-body is retried.
 *
 * The caller's abort (the request's own signal) ends everything at once and rejects with its reason.
 */
export function createTransport(fetchImplementation: Fetch, options: TransportOptions): Fetch {
  return async function transport(request) {
    const callerSignal = request.signal;
    for (let attempt = 1; ; attempt++) {
      callerSignal.throwIfAborted();
      let delayMs: number;
      let status: number | undefined;
      let error: ConnectionError | undefined;
      try {
        const response = await attemptOnce(fetchImplementation, request, options.timeoutMs);
        if (!isRetriableStatus(response.status) || attempt > options.maxRetries) return response;
        const retryAfterMs = readRetryAfterMs(response.headers);
        if (retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs) return response;
        delayMs = retryAfterMs ?? backoffDelayMs(attempt, options);
        status = response.status;
      } catch (caught) {
        if (callerSignal.aborted) throw callerSignal.reason;
        if (!(caught instanceof ConnectionError) || attempt > options.maxRetries) throw caught;
        delayMs = backoffDelayMs(attempt, options);
        error = caught;
      }
      options.onRetry?.({ method: request.method, url: request.url, attempt, delayMs, status, error });
      await sleep(delayMs, callerSignal);
    }
  };
}

async function attemptOnce(
  fetchImplementation: Fetch,
  request: Request,
  timeoutMs: number,
): Promise<Response> {
  const callerSignal = request.signal;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new TimeoutError(timeoutMs)), timeoutMs);
  try {
    const response = await fetchImplementation(
      new Request(request, { signal: AbortSignal.any([callerSignal, timeout.signal]) }),
    );
    const body = await response.arrayBuffer();
    return new Response(hasNoBody(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } catch (error) {
    if (callerSignal.aborted) throw callerSignal.reason;
    if (timeout.signal.aborted) throw timeout.signal.reason;
    if (error instanceof ConnectionError) throw error;
    const detail = error instanceof Error ? describeCause(error) : String(error);
    throw new ConnectionError(`The request failed before a complete response: ${detail}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function describeCause(error: Error): string {
  // undici says "fetch failed" and puts the useful part (ECONNREFUSED, ...) in the cause.
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return cause
    ? `${error.message} (${typeof code === "string" ? `${code}: ` : ""}${cause.message})`
    : error.message;
}

/** 408 Request Timeout, 429 Too Many Requests and every 5xx. */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** min(initial × 2^(attempt−1), max) × (1 − 0.25 × random). */
export function backoffDelayMs(
  attempt: number,
  { initialRetryDelayMs, maxRetryDelayMs }: Pick<TransportOptions, "initialRetryDelayMs" | "maxRetryDelayMs">,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(initialRetryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
  return exponential * (1 - JITTER * random());
}

function hasNoBody(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
