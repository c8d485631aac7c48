import {
  ApiError,
  BulkTasksError,
  ConnectionError,
  TimeoutError,
  UnexpectedResponseError,
} from "./errors.js";
import { GateClosed, type Pass, type RateGate } from "./rate-limit.js";
import type { Redactor } from "./redaction.js";
import { describeResponse, foreignOrigin, isRedirectLoop, type RequestLine, readBody } from "./responses.js";
import { readRetryAfterMs } from "./retry-after.js";
import { ignore, linkAbort, sleep } from "./signals.js";

/** How the client retries and times out; every field has a default (see `DEFAULT_TRANSPORT_OPTIONS`). */
export interface TransportOptions {
  /**
   * Retries after the first attempt, on connection errors, timeouts, 408 and 5xx (not 501, 505); 0
   * disables. Never on other statuses (400, 401, 403, 404, ...). A 429 (or a 503 saying how long to
   * wait) is retried within `maxRateLimitWaitMs` instead, whatever this says.
   * @default 2
   */
  maxRetries: number;
  /**
   * Time limit of one attempt, from sending the request to the last byte of the body, in ms.
   * @default 30000
   */
  timeoutMs: number;
  /**
   * The first backoff delay in ms; it doubles with each retry, up to `maxRetryDelayMs`. A retry
   * waits at least its backoff delay, however short a wait the server asks for.
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
  /**
   * How long one call may wait, in all, for the server's rate limit: at the client's gate, closed
   * by its own 429 or another request's. A 429 is retried while its wait fits in what is left (so
   * that a long walk under a steady limit finishes); past it, the `RateLimitError`.
   * @default 300000 (5 minutes)
   */
  maxRateLimitWaitMs: number;
  /**
   * The largest 2xx body read, in bytes after decoding; a larger one is a `ResponseTooLargeError`,
   * refused before it is held whole. Error responses are read only as far as an error keeps (64 KiB).
   * @default 33554432 (32 MiB)
   */
  maxResponseBytes: number;
  /**
   * Called before each retry: make retries visible in your logs. The client waits for what it
   * returns (it may be async) before the backoff; an error it throws rejects the call as it is.
   */
  onRetry: ((event: RetryEvent) => unknown) | undefined;
}

export type { RateLimitEvent } from "./rate-limit.js";

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
  /**
   * How long the attempt that failed waited at the client's rate-limit gate before it was sent,
   * in ms (not counted as an attempt, nor in its time limit).
   */
  gateWaitMs: number;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  maxRetries: 2,
  timeoutMs: 30_000,
  initialRetryDelayMs: 500,
  maxRetryDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  maxRateLimitWaitMs: 300_000,
  // A page of 100 tasks is tens of kB; one whose tasks each carry thousands of errored lines, a few
  // MB. 32 MiB leaves room for pages far larger than any seen, and keeps a runaway body (a proxy
  // streaming without end, a gzip bomb) from taking the process's memory.
  maxResponseBytes: 32 * 1024 * 1024,
  onRetry: undefined,
};

/** The share of a backoff delay that jitter may take off, so that clients that failed together spread out. */
const JITTER = 0.25;

/** fetch as the client calls it: `init.signal` aborts the attempt (its time limit, the caller's abort). */
export type Fetch = (request: Request, init?: { signal: AbortSignal }) => Promise<Response>;

/** What one attempt produced: the response the retry decision reads, and the value to return. */
export interface Attempted<T> {
  response: Response;
  value: T;
}

/** One call as the retry engine sees it. */
export interface Call extends RequestLine {
  options: TransportOptions;
  /** The caller's signal. */
  signal: AbortSignal | undefined;
  /** Takes the key out of what the client keeps (errors thrown by fetch among them). */
  redactor: Redactor;
  /** The client's rate-limit gate, which every attempt passes before it is sent. */
  gate: RateGate;
}

/**
 * Runs `attempt` until it succeeds, fails for good or runs out of retries; the one retry engine of the
 * client. Each attempt gets a signal that aborts at `timeoutMs` or when the caller aborts, and must
 * read the whole body under it, so that the time limit covers a body that stalls and a connection
 * dropped mid-body is retried.
 *
 * Retried: connection errors and timeouts, and the statuses of {@link isRetriableStatus}. Never: a
 * redirect loop, a body that cannot be decoded, a response from another origin, any other status.
 *
 * @throws the caller's abort reason, a {@link TimeoutError} or {@link ConnectionError} (after the
 * retries), or the {@link BulkTasksError} `attempt` throws, untouched
 */
export async function retrying<T>(
  call: Call,
  attempt: (signal: AbortSignal) => Promise<Attempted<T>>,
): Promise<T> {
  const { options, signal: callerSignal, gate, redactor } = call;
  let retries = 0;
  let refusals = 0;
  let rateLimitWaited = 0;
  for (let attemptNumber = 1; ; attemptNumber++) {
    callerSignal?.throwIfAborted();
    let pass: Pass;
    try {
      pass = await gate.enter(callerSignal, options.maxRateLimitWaitMs - rateLimitWaited);
    } catch (caught) {
      // Another request's refusal closed the gate for longer than this call may wait.
      if (caught instanceof GateClosed) throw ApiError.from(caught.details);
      throw caught;
    }
    const gateWaitMs = pass.waitedMs;
    rateLimitWaited += gateWaitMs;
    let delayMs: number;
    let status: number | undefined;
    let error: ConnectionError | undefined;
    let waitAtGate = false;
    try {
      const { response, value } = await attemptOnce(call, attempt);
      status = response.status;
      const header = (name: string) => response.headers.get(name);
      const retryAfterMs = readRetryAfterMs(header);
      // A refusal for the rate: the whole client waits, at the gate.
      const refused = status === 429 || (status === 503 && retryAfterMs !== undefined);
      // The server may lengthen a wait, never shorten it below the backoff delay: a `Retry-After: 0`
      // (or a date in the past) answered without end would otherwise make a hot loop.
      const refusalWaitMs = refused ? Math.max(retryAfterMs ?? 0, backoffDelayMs(++refusals, options)) : 0;
      gate.observe(
        { status, header, method: call.method, url: call.url },
        refused
          ? {
              waitMs: refusalWaitMs,
              // Only a wait said to the millisecond, or in a fraction of a second, measures anything
              // below a second.
              askedMs: preciseWaitMs(header, retryAfterMs),
              cause: retryAfterMs === undefined ? "backoff" : "retry-after",
              details: () => describeResponse(call, response, undefined, redactor),
            }
          : undefined,
        pass,
      );
      if (refused) {
        // Retried while the server names a wait that fits the budget, whatever maxRetries says; a
        // refusal that names none is a retry like any other. Each counts for at least a second, so
        // that a server answering "Retry-After: 0" without end cannot keep a call going forever.
        const tooLong = retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs;
        const spent = rateLimitWaited + Math.max(refusalWaitMs, 1_000) > options.maxRateLimitWaitMs;
        // `maxRetries: 0` turns every retry off, these too.
        if (options.maxRetries === 0 || tooLong || spent) return value;
        if (retryAfterMs === undefined && retries++ >= options.maxRetries) return value;
        rateLimitWaited += Math.max(0, 1_000 - refusalWaitMs);
        delayMs = refusalWaitMs;
        waitAtGate = true;
      } else {
        if (!isRetriableStatus(status) || retries >= options.maxRetries) return value;
        if (retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs) return value;
        retries++;
        delayMs = Math.max(retryAfterMs ?? 0, backoffDelayMs(retries, options));
      }
    } catch (caught) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (!(caught instanceof ConnectionError) || notRetriable.has(caught) || retries >= options.maxRetries) {
        throw caught;
      }
      retries++;
      delayMs = backoffDelayMs(retries, options);
      error = caught;
    } finally {
      gate.leave();
    }
    // Awaited: an async hook that rejects must reject this call, not float as an unhandled rejection.
    await options.onRetry?.({
      method: call.method,
      url: call.url,
      attempt: attemptNumber,
      delayMs,
      status,
      error,
      gateWaitMs,
    });
    // A refusal's wait is spent at the gate, with every other request of the client.
    if (!waitAtGate) await sleep(delayMs, callerSignal);
  }
}

/** The wait a refusal asked for, when it said it more finely than in whole seconds or as a date. */
function preciseWaitMs(
  header: (name: string) => string | null,
  waitMs: number | undefined,
): number | undefined {
  if (waitMs === undefined) return undefined;
  const fine = header("retry-after-ms") !== null || /\.\d*[1-9]/.test(header("retry-after") ?? "");
  return fine ? waitMs : undefined;
}

/** Connection errors that no retry can mend (a redirect loop). */
const notRetriable = new WeakSet<ConnectionError>();

/**
 * A fetch that retries and times out as the options say, for the raw openapi-fetch client. It
 * buffers each body inside its attempt, for the reasons `retrying` gives; the request's own signal
 * is the caller's.
 */
export function createTransport(
  fetchImplementation: Fetch,
  options: TransportOptions,
  redactor: Redactor,
  gate: RateGate,
): Fetch {
  return (request) => {
    const call: Call = {
      method: request.method,
      // What errors and hooks show; the request keeps its own URL.
      url: redactor.text(request.url),
      options,
      signal: request.signal,
      redactor,
      gate,
    };
    return retrying(call, async (signal) => {
      const response = await fetchResponse(call, fetchImplementation, request, signal);
      const body = await readBody(call, response, options.maxResponseBytes, redactor);
      const buffered = new Response(hasNoBody(response.status) ? null : body.text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      return { response: buffered, value: buffered };
    });
  };
}

/**
 * Sends one attempt. A response that a redirect brought from another origin is an
 * {@link UnexpectedResponseError} naming it: it is not the API's answer.
 */
export async function fetchResponse(
  call: Call,
  fetchImplementation: Fetch,
  request: Request,
  signal: AbortSignal,
): Promise<Response> {
  const response = await fetchImplementation(request, { signal });
  const origin = foreignOrigin(call, response);
  if (origin !== undefined) {
    await response.body?.cancel().catch(ignore);
    throw new UnexpectedResponseError(
      `The request was redirected to ${call.redactor.text(origin)}, which is not the API`,
      describeResponse(call, response, undefined, call.redactor),
    );
  }
  return response;
}

async function attemptOnce<T>(
  call: Call,
  attempt: (signal: AbortSignal) => Promise<Attempted<T>>,
): Promise<Attempted<T>> {
  const { signal: callerSignal, redactor } = call;
  const { timeoutMs } = call.options;
  // One controller per attempt, fed by the caller's signal and the timer.
  const controller = new AbortController();
  const unlink = linkAbort(callerSignal, controller);
  const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs);
  // Raced against the signal too, so that the time limit and the caller's abort end the attempt
  // even when the fetch in use does not honour its signal, or a body stalls where it cannot reach.
  // The listener goes in `finally`: undici keeps the signal until a full collection, and through
  // the listener the race would keep the whole response with it.
  let onAbort = ignore;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason);
  });
  controller.signal.addEventListener("abort", onAbort);
  try {
    return await Promise.race([attempt(controller.signal), aborted]);
  } catch (error) {
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (controller.signal.aborted) throw controller.signal.reason;
    if (error instanceof BulkTasksError) throw error;
    // Errors from fetch and its parser may quote what the server sent, key included: the client
    // keeps a scrubbed copy, and words its message from that.
    const cause = redactor.error(error);
    const detail = cause instanceof Error ? describeCause(cause) : String(cause);
    if (isRedirectLoop(error)) {
      const loop = new ConnectionError(`The request was redirected too many times, not retried: ${detail}`, {
        cause,
      });
      notRetriable.add(loop);
      throw loop;
    }
    throw new ConnectionError(`The request failed before a complete response: ${detail}`, { cause });
  } finally {
    controller.signal.removeEventListener("abort", onAbort);
    clearTimeout(timer);
    unlink();
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

/**
 * 408 Request Timeout, 429 Too Many Requests and 5xx, but for 501 Not Implemented and 505 HTTP
 * Version Not Supported: the same request would meet them again.
 */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
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
