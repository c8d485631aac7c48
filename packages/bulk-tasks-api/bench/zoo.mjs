// A zoo of rate-limited list servers on 127.0.0.1, for the tests and the benchmark: each class of
// limiter, with and without quota headers, Retry-After in seconds or as an HTTP date, and two
// real limiter middlewares (express-rate-limit, rate-limiter-flexible) as an Express backend such
// as the vendor's would mount them. Each server serves `pages` pages of `perPage` tasks of the
// list endpoint (the walk reads nothing else), and counts what it served and refused.
import { createServer } from "node:http";

/**
 * A limiter: `take(now)` says whether a request may pass, and the quota as the server would tell it.
 * `release()` is called when a request it let pass is answered (for the limit of requests in flight).
 */
export function createLimiter(spec, start) {
  switch (spec.kind) {
    case "token-bucket": {
      let tokens = spec.burst;
      let updated = start;
      return {
        take(now) {
          tokens = Math.min(spec.burst, tokens + ((now - updated) * spec.perSecond) / 1000);
          updated = now;
          const allowed = tokens >= 1;
          if (allowed) tokens -= 1;
          return {
            allowed,
            limit: spec.burst,
            remaining: Math.floor(tokens),
            resetMs: ((spec.burst - tokens) * 1000) / spec.perSecond,
            retryMs: allowed ? 0 : ((1 - tokens) * 1000) / spec.perSecond,
          };
        },
      };
    }
    case "fixed-window": {
      let windowStart = start;
      let used = 0;
      return {
        take(now) {
          if (now - windowStart >= spec.windowMs) {
            windowStart += Math.floor((now - windowStart) / spec.windowMs) * spec.windowMs;
            used = 0;
          }
          const allowed = used < spec.limit;
          if (allowed) used++;
          const resetMs = windowStart + spec.windowMs - now;
          return {
            allowed,
            limit: spec.limit,
            remaining: spec.limit - used,
            resetMs,
            retryMs: allowed ? 0 : resetMs,
          };
        },
      };
    }
    case "sliding-log": {
      const log = [];
      return {
        take(now) {
          while (log.length > 0 && log[0] <= now - spec.windowMs) log.shift();
          const allowed = log.length < spec.limit;
          if (allowed) log.push(now);
          // The quota is whole again once the newest request leaves the window (the first to leave
          // frees one request only).
          const resetMs = log.length > 0 ? (log.at(-1) ?? now) + spec.windowMs - now : 0;
          const retryMs = log.length > 0 ? log[0] + spec.windowMs - now : 0;
          return {
            allowed,
            limit: spec.limit,
            remaining: spec.limit - log.length,
            resetMs,
            retryMs: allowed ? 0 : retryMs,
          };
        },
      };
    }
    case "concurrency": {
      let inFlight = 0;
      return {
        take() {
          const allowed = inFlight < spec.limit;
          if (allowed) inFlight++;
          // How long until one leaves is unknown to the server: it asks for a second.
          return {
            allowed,
            limit: spec.limit,
            remaining: spec.limit - inFlight,
            resetMs: 1000,
            retryMs: allowed ? 0 : 1000,
          };
        },
        release() {
          inFlight--;
        },
      };
    }
    case "changing": {
      // One limiter, then another from `afterMs` on: a limit that changes in the middle of a walk.
      const first = createLimiter(spec.first, start);
      const next = createLimiter(spec.next, start + spec.afterMs);
      return {
        take: (now) => (now - start < spec.afterMs ? first : next).take(now),
        release: () => {},
      };
    }
    default:
      throw new Error(`unknown limiter ${spec.kind}`);
  }
}

/**
 * The ideal time of a walk of `pages` requests under `spec`, in ms: what its limit allows at best
 * a client that sends at most `concurrency` at once.
 */
export function idealMs(spec, pages, latencyMs = 0, concurrency = Number.POSITIVE_INFINITY) {
  switch (spec.kind) {
    case "token-bucket":
      return (pages / spec.perSecond) * 1000;
    case "fixed-window":
    case "sliding-log":
      return (pages * spec.windowMs) / spec.limit;
    case "concurrency":
      // The first page comes alone; then `limit` at a time, each taking the latency.
      return latencyMs + ((pages - 1) * latencyMs) / Math.min(spec.limit, concurrency);
    case "changing": {
      const first = idealMs(spec.first, 1) ** -1; // pages a ms
      const beforeChange = Math.min(pages, spec.afterMs * first);
      return beforeChange / first + idealMs(spec.next, pages - beforeChange);
    }
    default:
      throw new Error(`unknown limiter ${spec.kind}`);
  }
}

const hex = (n) => n.toString(16).padStart(24, "0");

/** The body of page `page` of `pages`, `perPage` tasks each. */
function pageBody(page, pages, perPage) {
  const items = [];
  if (page <= pages)
    for (let i = 0; i < perPage; i++)
      items.push({ id: hex((page - 1) * perPage + i + 1), status: "completed" });
  return JSON.stringify({
    status: true,
    data: {
      items,
      totalDocs: pages * perPage,
      limit: perPage,
      page,
      totalPages: pages,
      pagingCounter: (page - 1) * perPage + 1,
      hasPrevPage: page > 1,
      hasNextPage: page < pages,
      prevPage: page > 1 ? page - 1 : null,
      nextPage: page < pages ? page + 1 : null,
    },
  });
}

const REFUSAL = JSON.stringify({ status: false, error: { code: 4290, message: "Too many requests" } });
const pageOf = (url) => Number(new URL(url, "http://x").searchParams.get("page") ?? "1") || 1;
const listening = (server) =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`)),
  );

/**
 * Starts a server of the zoo. `limiter` is one of token-bucket { perSecond, burst }, fixed-window
 * { limit, windowMs }, sliding-log { limit, windowMs }, concurrency { limit } or changing { first,
 * afterMs, next }. `headers`: whether answers tell the quota (IETF RateLimit and X-RateLimit-*);
 * `retryAfter`: "seconds" (rounded up) or "date" (an HTTP date, rounded up to the second).
 */
export async function startZooServer({
  pages,
  perPage = 10,
  limiter,
  headers = false,
  retryAfter = "seconds",
  latencyMs = 0,
}) {
  const stats = { served: 0, refused: 0, log: [] };
  let limit;
  const server = createServer((request, response) => {
    const now = Date.now();
    limit ??= createLimiter(limiter, now);
    const quota = limit.take(now);
    const head = { "content-type": "application/json" };
    if (headers) {
      // In seconds with a fraction, as the local API of the testing entry tells it (the IETF draft
      // asks for whole seconds: rounded up, a token bucket's reset of 50 ms reads as 1 s).
      const reset = Math.max(0, Math.round(quota.resetMs) / 1000);
      head["ratelimit-policy"] = `"default";q=${quota.limit}`;
      head.ratelimit = `"default";r=${Math.max(0, quota.remaining)};t=${reset}`;
      head["x-ratelimit-limit"] = String(quota.limit);
      head["x-ratelimit-remaining"] = String(Math.max(0, quota.remaining));
      head["x-ratelimit-reset"] = String(reset);
    }
    if (!quota.allowed) {
      stats.refused++;
      head["retry-after"] =
        retryAfter === "date"
          ? new Date(Math.ceil((now + quota.retryMs) / 1000) * 1000).toUTCString()
          : String(Math.max(1, Math.ceil(quota.retryMs / 1000)));
      stats.log.push({ at: now, status: 429, retryAfter: head["retry-after"] });
      response.writeHead(429, head).end(REFUSAL);
      return;
    }
    stats.served++;
    stats.log.push({ at: now, status: 200 });
    const answer = () => {
      limit.release?.();
      response.writeHead(200, head).end(pageBody(pageOf(request.url), pages, perPage));
    };
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
  });
  const url = await listening(server);
  return { url, stats, close: () => close(server) };
}

/**
 * The same list behind express-rate-limit (a fixed window per client address, its default store),
 * as an Express backend mounts it: `standardHeaders` "draft-8" (RateLimit, RateLimit-Policy and
 * Retry-After on a refusal) or false (no header at all, not even Retry-After).
 */
export async function startExpressRateLimit({ pages, perPage = 10, limit, windowMs, standardHeaders }) {
  const [{ default: express }, { rateLimit }] = await Promise.all([
    import("express"),
    import("express-rate-limit"),
  ]);
  const stats = { served: 0, refused: 0, log: [] };
  const app = express();
  app.use((_request, response, next) => {
    const at = Date.now();
    response.on("finish", () => {
      const retryAfter = response.getHeader("retry-after");
      stats.log.push({
        at,
        status: response.statusCode,
        ...(retryAfter === undefined ? {} : { retryAfter: String(retryAfter) }),
      });
    });
    next();
  });
  app.use(
    rateLimit({
      windowMs,
      limit,
      standardHeaders,
      legacyHeaders: false,
      handler: (_request, response) => {
        stats.refused++;
        response.status(429).type("application/json").send(REFUSAL);
      },
    }),
  );
  app.get("/v1/organizations/:organizationId/bulk-tasks", (request, response) => {
    stats.served++;
    response.type("application/json").send(pageBody(pageOf(request.url), pages, perPage));
  });
  const server = createServer(app);
  const url = await listening(server);
  return { url, stats, close: () => close(server) };
}

/**
 * The same list behind rate-limiter-flexible's RateLimiterMemory (`points` per `duration`
 * seconds, a fixed window per key), in the middleware its README shows: 429 with Retry-After in
 * whole seconds, and X-RateLimit-* when `headers`.
 */
export async function startRateLimiterFlexible({ pages, perPage = 10, points, duration, headers = false }) {
  const { RateLimiterMemory } = await import("rate-limiter-flexible");
  const limiter = new RateLimiterMemory({ points, duration });
  const stats = { served: 0, refused: 0, log: [] };
  const server = createServer((request, response) => {
    const at = Date.now();
    const quotaHeaders = (result) =>
      headers
        ? {
            "x-ratelimit-limit": String(points),
            "x-ratelimit-remaining": String(result.remainingPoints),
            "x-ratelimit-reset": String(Math.ceil(result.msBeforeNext / 1000)),
          }
        : {};
    limiter.consume(request.socket.remoteAddress ?? "local").then(
      (result) => {
        stats.served++;
        stats.log.push({ at, status: 200 });
        response
          .writeHead(200, { "content-type": "application/json", ...quotaHeaders(result) })
          .end(pageBody(pageOf(request.url), pages, perPage));
      },
      (result) => {
        stats.refused++;
        const retryAfter = String(Math.ceil(result.msBeforeNext / 1000));
        stats.log.push({ at, status: 429, retryAfter });
        response
          .writeHead(429, {
            "content-type": "application/json",
            "retry-after": retryAfter,
            ...quotaHeaders(result),
          })
          .end(REFUSAL);
      },
    );
  });
  const url = await listening(server);
  return { url, stats, close: () => close(server) };
}

function close(server) {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
