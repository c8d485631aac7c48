/**
 * One gate per client: every request of the client passes it before it is sent. A 429 (or a 503)
 * closes it for all of them until the time the server named; the server's rate-limit headers keep
 * the client within its quota, so that it slows down before it is refused.
 */
import type { ResponseDetails } from "./errors.js";
import { type HeaderReader, PLAIN_NUMBER } from "./retry-after.js";
import { sleep } from "./signals.js";

/** What `onRateLimit` is told when the gate closes. It never holds a header, so never the key. */
export interface RateLimitEvent {
  /**
   * Why: `retry-after`, a 429 or 503 that said how long to wait; `backoff`, one that did not (the
   * backoff schedule decides); `quota`, the server's rate-limit headers say its quota is spent.
   */
  cause: "retry-after" | "backoff" | "quota";
  /** The status that closed it (429, 503), or that of the answer whose headers did. */
  status: number;
  /** The request whose answer closed it. */
  method: string;
  url: string;
  /** How long no request of this client is sent from now, in ms. */
  waitMs: number;
}

/** The quota a response announces: what is left, and when it is whole again. */
export interface Quota {
  /** Requests left before the server refuses. */
  remaining: number;
  /** Time until the quota is whole again, in ms. */
  resetMs: number;
  /** The whole quota, when the server says. */
  limit: number | undefined;
}

/** `name=12.5` inside a structured field, compiled once per name: every answer is read. */
const fieldParameters = new Map<string, RegExp>();
function fieldParameter(name: string): RegExp {
  let pattern = fieldParameters.get(name);
  if (!pattern) {
    pattern = new RegExp(`(?:^|[;,\\s])${name}\\s*=\\s*"?(\\d+(?:\\.\\d+)?)`, "i");
    fieldParameters.set(name, pattern);
  }
  return pattern;
}

/**
 * Reads a response's quota from the IETF `RateLimit` / `RateLimit-Policy` fields (the structured
 * form `"name";r=5;t=30`, and the older `limit=…, remaining=…, reset=…` and `RateLimit-Remaining`
 * forms) or from the common `X-RateLimit-Limit`, `-Remaining`, `-Reset` (seconds, or an epoch time).
 * Lenient: a field it cannot read is ignored, never an error; undefined when none can be read.
 */
export function readQuota(header: HeaderReader, now: number = Date.now()): Quota | undefined {
  const parameter = (field: string | null | undefined, names: string[]): number | undefined => {
    if (!field) return undefined;
    for (const name of names) {
      const value = fieldParameter(name).exec(field)?.[1];
      if (value !== undefined) return Number(value);
    }
    return undefined;
  };
  const plain = (name: string): number | undefined => {
    const value = header(name);
    return typeof value === "string" && PLAIN_NUMBER.test(value) ? Number(value) : undefined;
  };
  const rateLimit = header("ratelimit");
  const remaining =
    parameter(rateLimit, ["r", "remaining"]) ??
    plain("ratelimit-remaining") ??
    plain("x-ratelimit-remaining");
  let reset = parameter(rateLimit, ["t", "reset"]) ?? plain("ratelimit-reset") ?? plain("x-ratelimit-reset");
  if (remaining === undefined || reset === undefined) return undefined;
  // A large reset is an epoch time (in seconds), not a delay.
  if (reset > 1e9) reset = Math.max(0, reset - now / 1000);
  const limit =
    parameter(header("ratelimit-policy"), ["q"]) ??
    parameter(rateLimit, ["limit"]) ??
    plain("ratelimit-limit") ??
    plain("x-ratelimit-limit");
  return { remaining: Math.floor(remaining), resetMs: reset * 1000, limit };
}

/** Why a request could not pass the gate within its budget: the answer that closed the gate. */
export class GateClosed extends Error {
  readonly details: ResponseDetails;
  constructor(details: ResponseDetails) {
    super("the rate-limit gate stays closed past the wait budget");
    this.details = details;
  }
}

/** The gate of one client. */
export class RateGate {
  /** No request is sent before this time (ms since the epoch): a 429 or a 503 closed the gate. */
  #closedUntil = 0;
  /** The answer that closed it, for the error of a request that cannot wait that long. */
  #closedBy: ResponseDetails | undefined;
  /** Requests the quota still allows before `#resetAt`; Infinity while the server says nothing. */
  #remaining = Number.POSITIVE_INFINITY;
  #resetAt = 0;
  #limit: number | undefined;
  /** Requests sent since the quota was last read: they used it after the server spoke. */
  #sentSinceQuota = 0;
  #inFlight = 0;
  #throttles = 0;
  /** Whether the quota was last seen spent (so that `onRateLimit` hears of it once). */
  #quotaSpent = false;
  /** Requests waiting for an answer to say how much quota there is. */
  #waiting = new Set<() => void>();
  readonly #onRateLimit: ((event: RateLimitEvent) => unknown) | undefined;
  /**
   * The longest wait the gate closes for (the client's `maxRetryAfterMs`): a longer Retry-After is
   * the caller's to schedule, and a quota whose reset is further off is left to the server to refuse.
   */
  readonly #maxWaitMs: number;

  constructor(onRateLimit: ((event: RateLimitEvent) => unknown) | undefined, maxWaitMs: number) {
    this.#onRateLimit = onRateLimit;
    this.#maxWaitMs = maxWaitMs;
  }

  /** How many times the gate was closed by a refusal (429, 503) so far: walks slow down on it. */
  get throttles(): number {
    return this.#throttles;
  }

  /**
   * Waits until a request may be sent, and counts it in flight (`leave` when its answer is read).
   * @param budgetMs the longest this request may wait for a gate a refusal closed
   * @returns the time waited, in ms
   * @throws the signal's reason when it aborts the wait; {@link GateClosed} past the budget
   */
  async enter(signal: AbortSignal | undefined, budgetMs: number): Promise<number> {
    let waited = 0;
    for (;;) {
      const now = Date.now();
      if (now >= this.#resetAt && this.#remaining < 1) {
        // The quota is whole again, less what was sent since the server spoke: its reset time
        // assumed nothing more would come (a token bucket is full then only if nothing was taken).
        // A quota of unknown size lets one request through to ask the server. Until an answer
        // says more, that is all there is.
        this.#remaining = this.#limit === undefined ? 1 : this.#limit - this.#sentSinceQuota;
        this.#sentSinceQuota = 0;
        this.#resetAt = Number.POSITIVE_INFINITY;
        // Nothing in flight will answer: one request asks.
        if (this.#remaining < 1 && this.#inFlight === 0) this.#remaining = 1;
      }
      const quotaOpensAt = this.#remaining >= 1 ? 0 : this.#resetAt;
      const opensAt = Math.max(this.#closedUntil, quotaOpensAt);
      if (opensAt <= now) {
        this.#remaining -= 1;
        this.#sentSinceQuota++;
        this.#inFlight++;
        return waited;
      }
      if (this.#closedUntil > now && this.#closedBy && waited + (this.#closedUntil - now) > budgetMs) {
        throw new GateClosed(this.#closedBy);
      }
      const started = Date.now();
      if (opensAt === Number.POSITIVE_INFINITY) await this.#nextAnswer(signal);
      else await sleep(opensAt - now, signal);
      waited += Date.now() - started;
    }
  }

  /** A request's answer came (or none will): it is no longer in flight. */
  leave(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#wakeWaiting();
  }

  /** Resolves at the next answer (or when nothing is left in flight); rejects when the signal aborts. */
  #nextAnswer(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        this.#waiting.delete(wake);
        reject(signal?.reason);
      };
      this.#waiting.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #wakeWaiting(): void {
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const wake of waiting) wake();
  }

  /**
   * Learns from an answer, before `leave`: its quota headers, and whether it refused the request.
   * @param refusedForMs for a 429 or 503: how long the server asked to wait, or the backoff delay
   * @param cause what the wait comes from, for a refusal
   */
  observe(
    answer: { status: number; header: HeaderReader; method: string; url: string },
    refusal: { waitMs: number; cause: "retry-after" | "backoff"; details: () => ResponseDetails } | undefined,
  ): void {
    const now = Date.now();
    const quota = readQuota(answer.header, now);
    if (quota && quota.resetMs <= this.#maxWaitMs) {
      // The server counted this request; the others still in flight it may not have yet: they
      // are spent from what it says is left, and from what its reset will bring back.
      const uncounted = this.#inFlight - 1;
      this.#remaining = quota.remaining - uncounted;
      this.#resetAt = now + quota.resetMs;
      this.#limit = quota.limit ?? this.#limit;
      this.#sentSinceQuota = uncounted;
      // Told once as the quota runs out, not at every answer while it stays out.
      const spent = this.#remaining < 1;
      if (spent && !this.#quotaSpent && !refusal) this.#tell("quota", answer, quota.resetMs);
      this.#quotaSpent = spent;
    } else if (!quota && this.#resetAt === Number.POSITIVE_INFINITY) {
      // The server stopped telling its quota: nothing to pace by.
      this.#remaining = Number.POSITIVE_INFINITY;
    }
    this.#wakeWaiting();
    if (refusal) {
      this.#throttles++;
      // A wait longer than the client honours is not waited for, by this call or any other: the
      // call gives up with the error, and the next ones ask the server again.
      if (refusal.waitMs <= this.#maxWaitMs && now + refusal.waitMs > this.#closedUntil) {
        this.#closedUntil = now + refusal.waitMs;
        this.#closedBy = refusal.details();
        this.#tell(refusal.cause, answer, refusal.waitMs);
      }
    }
  }

  #tell(
    cause: RateLimitEvent["cause"],
    answer: { status: number; method: string; url: string },
    waitMs: number,
  ) {
    this.#onRateLimit?.({ cause, status: answer.status, method: answer.method, url: answer.url, waitMs });
  }
}
