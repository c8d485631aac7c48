/**
 * One gate per client: every request of the client passes it before it is sent. A 429 (or a 503)
 * closes it for all of them until the time the server named; the server's rate-limit headers keep
 * the client within its quota, so that it slows down before it is refused. A server that announces
 * no quota is learned from its refusals: a sending rate and a number of requests in flight.
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

/** What the gate knows of a request it let through: the answer's lesson depends on it. */
export interface Pass {
  /** How long the request waited at the gate, in ms. */
  waitedMs: number;
  /** Requests of the client in flight once it was sent, itself included. */
  level: number;
  /** When it was sent (ms since the epoch). */
  sentAt: number;
}

/** After a cut, the time the learned rate takes to climb back to its target, in ms. */
const CLIMB_MS = 4_000;
/** How long it then holds there before it probes above it, in CLIMB_MS. */
const HOLD = 5;
/** Past the hold, how much the rate grows in each further CLIMB_MS: a slow probe. */
const PROBE = 0.05;
/** The rate resumes at this share of what the server was seen to serve. */
const RESUME = 0.9;
/** A paced rate refused again while it climbs back is cut to this share of itself at least. */
const AGAIN = 0.7;
/** The target is at most this share of the rate that was refused: close below it, never at it. */
const BELOW_REFUSED = 0.97;
/** Before any paced refusal (the level the server refuses is unknown), the rate grows this much a second. */
const SLOW_START = 4;
/** How long a learned limit of requests in flight holds before the next one is tried. */
const CAP_PROBE_MS = 20_000;
/** The answers of served requests remembered, to measure the rate the server serves. */
const SERVED_KEPT = 256;

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
  /** Whether the quota was last seen spent (so that `onRateLimit` hears of it once). */
  #quotaSpent = false;
  /** Requests waiting for an answer to say how much quota there is, or for room in flight. */
  #waiting = new Set<() => void>();
  /*
   * The learned rate (requests a second) follows a curve from the last cut: from `#base`, it
   * climbs to `#target` in CLIMB_MS (concave, as CUBIC's window does), then probes above it slowly.
   * With no target (no paced request was ever refused) it grows SLOW_START times a second. Infinity
   * while the server has refused nothing: nothing to pace by.
   */
  #base = Number.POSITIVE_INFINITY;
  #target = Number.POSITIVE_INFINITY;
  #climbFrom = 0;
  /** The next request is not sent before this time: requests are paced, not only counted. */
  #nextSendAt = 0;
  /** The learned limit of requests in flight, and when it was last set; Infinity until one is refused. */
  #cap = Number.POSITIVE_INFINITY;
  #capSince = 0;
  #capProbeMs = CAP_PROBE_MS;
  /** When the rate was last cut: refusals of requests sent before it are of the same burst. */
  #cutAt = Number.NEGATIVE_INFINITY;
  /** The highest level at which a request was served since the last cut. */
  #servedLevel = 0;
  /** When served requests were answered, oldest first. */
  #served: number[] = [];
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

  /** The rate learned from refusals, in requests a second, at `now`. */
  rate(now: number): number {
    const climbed = Math.max(0, now - this.#climbFrom) / CLIMB_MS;
    const target = this.#target;
    if (target === Number.POSITIVE_INFINITY) return this.#base * SLOW_START ** ((climbed * CLIMB_MS) / 1000);
    return climbed < 1
      ? target - (target - this.#base) * (1 - climbed) ** 3
      : target * (1 + PROBE * Math.max(0, climbed - 1 - HOLD));
  }

  /**
   * Waits until a request may be sent, and counts it in flight (`leave` when its answer is read).
   * @param budgetMs the longest this request may wait for a gate a refusal closed
   * @throws the signal's reason when it aborts the wait; {@link GateClosed} past the budget
   */
  async enter(signal: AbortSignal | undefined, budgetMs: number): Promise<Pass> {
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
      // A limit of requests in flight that held for a while is tried one higher; after each try
      // that is refused, the next comes twice as late.
      if (now - this.#capSince >= this.#capProbeMs && this.#cap < Number.POSITIVE_INFINITY) {
        this.#cap++;
        this.#capSince = now;
      }
      const quotaOpensAt = this.#remaining >= 1 ? 0 : this.#resetAt;
      const opensAt = Math.max(this.#closedUntil, quotaOpensAt, this.#nextSendAt);
      const full = this.#inFlight >= this.#cap;
      if (opensAt <= now && !full) {
        this.#remaining -= 1;
        this.#sentSinceQuota++;
        this.#nextSendAt = Math.max(now, this.#nextSendAt) + 1000 / this.rate(now);
        return { waitedMs: waited, level: ++this.#inFlight, sentAt: now };
      }
      if (this.#closedUntil > now && this.#closedBy && waited + (this.#closedUntil - now) > budgetMs) {
        throw new GateClosed(this.#closedBy);
      }
      const started = Date.now();
      if (opensAt === Number.POSITIVE_INFINITY || (full && opensAt <= now)) await this.#nextAnswer(signal);
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
   * @param refusal for a 429 or 503: how long the client waits, how long the server asked for, why
   * @param pass what `enter` said of the request
   */
  observe(
    answer: { status: number; header: HeaderReader; method: string; url: string },
    refusal:
      | {
          waitMs: number;
          askedMs: number | undefined;
          cause: "retry-after" | "backoff";
          details: () => ResponseDetails;
        }
      | undefined,
    pass: Pass,
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
    if (!refusal) {
      this.#served.push(now);
      if (this.#served.length > SERVED_KEPT) this.#served.shift();
      this.#servedLevel = Math.max(this.#servedLevel, pass.level);
      return;
    }
    // A wait longer than the client honours is not waited for, by this call or any other: the
    // call gives up with the error, and the next ones ask the server again.
    if (refusal.waitMs <= this.#maxWaitMs && now + refusal.waitMs > this.#closedUntil) {
      this.#closedUntil = now + refusal.waitMs;
      this.#closedBy = refusal.details();
      this.#tell(refusal.cause, answer, refusal.waitMs);
    }
    // The refusals of one burst (requests sent before the last cut) teach one lesson.
    if (pass.sentAt >= this.#cutAt) this.#cut(now, pass.level, refusal.waitMs, refusal.askedMs);
  }

  /**
   * A refusal of a request sent at `level` in flight. Refused at a level at which nothing was
   * served since the last cut, it points to a limit of requests in flight: one fewer is held to.
   * Otherwise, or before anything was learned, it points to a rate: the rate resumes a little below
   * what the server served over the wait it asked for (a second at least), and climbs back, never
   * straight to the rate that was refused.
   */
  #cut(now: number, level: number, waitMs: number, askedMs: number | undefined): void {
    const sending = this.rate(now);
    const inFlightLimit = level > 1 && (level > this.#servedLevel || level >= this.#cap);
    this.#cutAt = now;
    this.#servedLevel = 0;
    if (inFlightLimit) {
      // A limit tried one higher and refused again: the next try comes twice as late.
      this.#capProbeMs = level - 1 < this.#cap ? CAP_PROBE_MS : this.#capProbeMs * 2;
      this.#cap = Math.min(this.#cap, level - 1);
      this.#capSince = now;
      return;
    }
    // Over the wait the server asked for, when it said it to the millisecond: a token bucket that
    // says 50 ms served about one request in them. A wait in whole seconds or as a date (rounded to
    // the second), or none, says little below a second: then over a second at least.
    const windowMs = askedMs !== undefined && askedMs > 0 ? askedMs : Math.max(1000, waitMs);
    let served = 0;
    for (let i = this.#served.length - 1; i >= 0 && (this.#served[i] as number) > now - windowMs; i--)
      served++;
    const servedRate = (Math.max(1, served) * 1000) / windowMs;
    // The server served at least as fast as the client sends: the refusal is not about this rate
    // (a fault, another client's burst). Cutting on it would only shrink the rate at every one;
    // the rate holds where it is, and probes no higher for now.
    if (servedRate >= sending) {
      if (sending < Number.POSITIVE_INFINITY) {
        this.#base = this.#target = sending;
        this.#climbFrom = now + waitMs;
      }
      return;
    }
    // Refused again, paced, before the rate had climbed back: the limit fell; cut deeper than the
    // measure, which still holds the rate from before.
    const again =
      this.#target < Number.POSITIVE_INFINITY && now - this.#climbFrom < CLIMB_MS ? sending * AGAIN : sending;
    const measured = Math.min(servedRate, again);
    this.#base = RESUME * measured;
    this.#target = sending === Number.POSITIVE_INFINITY ? sending : BELOW_REFUSED * measured;
    this.#climbFrom = now + waitMs;
  }

  #tell(
    cause: RateLimitEvent["cause"],
    answer: { status: number; method: string; url: string },
    waitMs: number,
  ) {
    this.#onRateLimit?.({ cause, status: answer.status, method: answer.method, url: answer.url, waitMs });
  }
}
