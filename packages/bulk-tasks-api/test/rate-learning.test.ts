import { describe, expect, it } from "vitest";
import {
  startExpressRateLimit,
  startRateLimiterFlexible,
  startZooServer,
  type ZooLimiter,
  type ZooServer,
} from "../bench/zoo.mjs";
import { createBulkTasksClient } from "../src/index.js";
import { API_KEY } from "./support.js";

// Servers that announce no quota, only refuse (429 and Retry-After): the client learns their limit
// from the refusals. What is asserted holds on a loaded machine: every task, Retry-After honoured
// (a lower bound on time), and a bound on refusals (a slower client is refused less, not more).
// How fast a walk gets is the benchmark's to measure (`pnpm bench -- rate-limit`), not a test's.

const PAGES = 40;

/** Walks the server's list with a fresh client; every task's id, in order, or the error. */
async function walk(server: ZooServer, concurrency: number) {
  const client = createBulkTasksClient({ apiKey: API_KEY, baseUrl: server.url, concurrency });
  const ids: string[] = [];
  for await (const task of client.bulkTasks.list("lab", { limit: 10 })) ids.push(task.id);
  return ids;
}

/** Each request that came at least `slackMs` after a refusal but before the wait it named was over. */
function sentTooSoon({ log }: ZooServer["stats"], slackMs = 0): number[] {
  const early: number[] = [];
  for (const refusal of log.filter(({ status }) => status === 429)) {
    const seconds = Number(refusal.retryAfter);
    const until = Number.isNaN(seconds) ? Date.parse(refusal.retryAfter ?? "") : refusal.at + seconds * 1000;
    // A date is rounded to the second by the server: the client may be told up to a second less.
    const wait = Number.isNaN(seconds) ? until - refusal.at - 1000 : until - refusal.at;
    for (const { at } of log)
      if (at > refusal.at + slackMs && at < refusal.at + wait - 2) early.push(at - refusal.at);
  }
  return early;
}

/** Starts one server per concurrency, walks them all at once, and closes them. */
async function walkEach(start: () => Promise<ZooServer>, concurrencies = [1, 4, 8]) {
  const servers = await Promise.all(concurrencies.map(start));
  try {
    const walks = await Promise.all(servers.map((server, i) => walk(server, concurrencies[i] as number)));
    return servers.map((server, i) => ({
      concurrency: concurrencies[i] as number,
      ids: walks[i] as string[],
      server,
    }));
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

const every = Array.from({ length: PAGES * 10 }, (_, i) => (i + 1).toString(16).padStart(24, "0"));

describe("a server that announces no quota", () => {
  it.each<[string, ZooLimiter, "seconds" | "date"]>([
    ["a token bucket (20/s, burst 5)", { kind: "token-bucket", perSecond: 20, burst: 5 }, "seconds"],
    [
      "a token bucket, Retry-After as an HTTP date",
      { kind: "token-bucket", perSecond: 20, burst: 5 },
      "date",
    ],
    ["a sliding log (20 a second)", { kind: "sliding-log", limit: 20, windowMs: 1000 }, "seconds"],
    ["a fixed window (30 per 1.5 s)", { kind: "fixed-window", limit: 30, windowMs: 1500 }, "seconds"],
    [
      "a limit that halves during the walk",
      {
        kind: "changing",
        first: { kind: "token-bucket", perSecond: 20, burst: 5 },
        afterMs: 1000,
        next: { kind: "token-bucket", perSecond: 10, burst: 5 },
      },
      "seconds",
    ],
  ])(
    "%s: every task once, Retry-After honoured, a few refusals at concurrency 1, 4 and 8",
    async (_, limiter, retryAfter) => {
      const walks = await walkEach(() => startZooServer({ pages: PAGES, limiter, retryAfter }));
      for (const { concurrency, ids, server } of walks) {
        expect(ids).toEqual(every);
        // At concurrency 1 nothing else is in flight when a refusal comes: no request may follow it
        // before the time it named. (With more in flight, a request the client sent before it read
        // the refusal may come after it: those are left out by the slack.)
        expect(sentTooSoon(server.stats, concurrency === 1 ? 0 : 250)).toEqual([]);
        // Learning costs one refusal per request in flight at the first, and a few more while the
        // rate is probed; the code this replaced was refused about once every 5 pages.
        expect({ concurrency, refused: server.stats.refused }).toEqual({
          concurrency,
          refused: expect.toSatisfy((refused: number) => refused <= concurrency + 3),
        });
      }
    },
    60_000,
  );

  it("a limit of requests in flight (2): the walk keeps to it once refused", async () => {
    const walks = await walkEach(() =>
      startZooServer({ pages: PAGES, limiter: { kind: "concurrency", limit: 2 }, latencyMs: 30 }),
    );
    for (const { concurrency, ids, server } of walks) {
      expect(ids).toEqual(every);
      // One burst of refusals teaches the limit; the next try one higher is 20 s away.
      expect({ concurrency, refused: server.stats.refused }).toEqual({
        concurrency,
        refused: expect.toSatisfy((refused: number) => refused <= Math.max(0, concurrency - 2)),
      });
    }
  }, 60_000);
});

describe("real limiter middleware on 127.0.0.1", () => {
  it("express-rate-limit with its standard headers (draft-8): paced by the quota, hardly refused", async () => {
    const walks = await walkEach(() =>
      startExpressRateLimit({ pages: PAGES, limit: 20, windowMs: 1000, standardHeaders: "draft-8" }),
    );
    for (const { ids, server } of walks) {
      expect(ids).toEqual(every);
      expect(sentTooSoon(server.stats, 250)).toEqual([]);
      expect(server.stats.refused).toBeLessThanOrEqual(2);
    }
  }, 60_000);

  it("express-rate-limit without headers (no Retry-After either): learned from the refusals", async () => {
    const walks = await walkEach(() =>
      startExpressRateLimit({ pages: PAGES, limit: 20, windowMs: 1000, standardHeaders: false }),
    );
    for (const { concurrency, ids, server } of walks) {
      expect(ids).toEqual(every);
      expect(server.stats.refused).toBeLessThanOrEqual(concurrency + 4);
    }
  }, 60_000);

  it.each([
    ["without headers", false],
    ["with X-RateLimit-* headers", true],
  ])(
    "rate-limiter-flexible (RateLimiterMemory, 20 points a second) %s",
    async (_, headers) => {
      const walks = await walkEach(() =>
        startRateLimiterFlexible({ pages: PAGES, points: 20, duration: 1, headers }),
      );
      for (const { concurrency, ids, server } of walks) {
        expect(ids).toEqual(every);
        expect(sentTooSoon(server.stats, concurrency === 1 ? 0 : 250)).toEqual([]);
        expect(server.stats.refused).toBeLessThanOrEqual(headers ? 2 : concurrency + 3);
      }
    },
    60_000,
  );
});
