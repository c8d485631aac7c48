import { createServer, type ServerResponse } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLimiter, type ZooLimiter } from "../bench/zoo.mjs";
import {
  type BulkTask,
  BulkTasksError,
  createBulkTasksClient,
  UnknownTaskStatusError,
} from "../src/index.js";
import { generateBulkTasks } from "../src/testing/index.js";
import { API_KEY } from "./support.js";

// Model-based: fast-check makes up servers (a class of limiter and its numbers, quota headers or
// none, the wait a refusal asks for in every form from nothing to malformed to too long, latency)
// and task histories (statuses the spec names and some it does not), and checks the invariants the
// client promises on the real client, over loopback. Seeded and bounded: each run is a fraction of
// a second to about two (a Retry-After of 1 s). Nothing here measures speed: the bounds are counts,
// and gaps that a loaded machine only lengthens.

/** How a refusal says how long to wait: a header and its value, or none. */
const WAITS = [
  ["retry-after", "0"],
  ["retry-after", "-1"],
  ["retry-after", "soon"],
  ["retry-after-ms", "300"],
  ["retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"],
  ["retry-after", "9999"],
  ["retry-after-ms", "0"],
  ["retry-after-ms", "40"],
  ["retry-after-ms", "1e3"],
  [undefined, undefined],
] as const;

/** The least a client may wait after a refusal that says `wait`, with the backoff below. */
function leastWaitMs([name, value]: (typeof WAITS)[number]): number {
  const floor = 0.75 * INITIAL_RETRY_DELAY_MS;
  if (name === "retry-after-ms" && value === "300") return 300;
  if (name === "retry-after-ms" && value === "40") return 40;
  return floor;
}
const INITIAL_RETRY_DELAY_MS = 20;

const limiterArbitrary: fc.Arbitrary<ZooLimiter> = fc.oneof(
  fc.record({
    kind: fc.constant("token-bucket" as const),
    perSecond: fc.integer({ min: 8, max: 40 }),
    burst: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({
    kind: fc.constantFrom("fixed-window" as const, "sliding-log" as const),
    limit: fc.integer({ min: 1, max: 3 }),
    windowMs: fc.integer({ min: 150, max: 500 }),
  }),
  fc.record({ kind: fc.constant("concurrency" as const), limit: fc.integer({ min: 1, max: 3 }) }),
);

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

async function listen(handle: (url: string, response: ServerResponse) => void) {
  const server = createServer((request, response) => handle(request.url ?? "/", response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("rate limits against made-up servers (property)", () => {
  it("every walk yields every task once or ends in a BulkTasksError; waits are kept; no timer is left", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          limiter: limiterArbitrary,
          headers: fc.boolean(),
          // The forms that ask for no wait at all, twice as likely as the others.
          wait: fc.constantFrom(
            ...WAITS,
            ...WAITS.filter(([, value]) => value === "0" || value?.includes("2015")),
          ),
          latencyMs: fc.integer({ min: 0, max: 15 }),
          pages: fc.integer({ min: 3, max: 6 }),
          concurrency: fc.constantFrom(1, 3),
        }),
        async ({ limiter, headers, wait, latencyMs, pages, concurrency }) => {
          const log: { at: number; status: number }[] = [];
          let limit: ReturnType<typeof createLimiter> | undefined;
          const server = await listen((url, response) => {
            const now = Date.now();
            limit ??= createLimiter(limiter, now);
            const quota = limit.take(now);
            const head: Record<string, string> = { "content-type": "application/json" };
            if (headers) {
              head["x-ratelimit-limit"] = String(quota.limit);
              head["x-ratelimit-remaining"] = String(Math.max(0, quota.remaining));
              head["x-ratelimit-reset"] = String(Math.max(0, quota.resetMs) / 1000);
            }
            log.push({ at: now, status: quota.allowed ? 200 : 429 });
            if (!quota.allowed) {
              if (wait[0]) head[wait[0]] = wait[1];
              response.writeHead(429, head).end('{"status":false,"error":{"code":4290}}');
              return;
            }
            const page = Number(new URL(url, "http://x").searchParams.get("page") ?? "1");
            setTimeout(() => {
              limit?.release?.();
              const items = [{ id: page.toString(16).padStart(24, "0"), status: "completed" }];
              const data = { items, page, totalPages: pages, totalDocs: pages, hasNextPage: page < pages };
              response.writeHead(200, head).end(JSON.stringify({ status: true, data }));
            }, latencyMs);
          });
          const before = timers();
          try {
            const client = createBulkTasksClient({
              apiKey: API_KEY,
              baseUrl: server.url,
              concurrency,
              maxRateLimitWaitMs: 5_000,
              retryDelays: { initialRetryDelayMs: INITIAL_RETRY_DELAY_MS, maxRetryDelayMs: 80 },
            });
            const ids: string[] = [];
            let failure: unknown;
            try {
              for await (const task of client.bulkTasks.list("lab")) ids.push(task.id);
            } catch (error) {
              failure = error;
            }
            if (failure === undefined) {
              expect(ids).toEqual(
                Array.from({ length: pages }, (_, i) => (i + 1).toString(16).padStart(24, "0")),
              );
            } else {
              // A wait the client does not honour (9999 s), or a budget spent: a typed error.
              expect(failure).toBeInstanceOf(BulkTasksError);
            }
            // With one request at a time, nothing follows a refusal before the wait it asked for,
            // and never sooner than the backoff's floor: no hot loop, whatever the server says.
            if (concurrency === 1) {
              for (const [i, entry] of log.entries()) {
                const next = log[i + 1];
                if (entry.status === 429 && next)
                  expect(next.at - entry.at).toBeGreaterThanOrEqual(leastWaitMs(wait) - 2);
              }
            }
            // Refusals are bounded: by the requests in flight of a burst, and what learning costs.
            const refusals = log.filter(({ status }) => status === 429);
            expect(refusals.length).toBeLessThanOrEqual(pages * 2 + concurrency + 4);
            // And each request loop keeps its floor: however many refusals, no more than one per
            // loop (a walk has `concurrency` of them) in each floor's time, whatever the server said.
            const span = (refusals.at(-1)?.at ?? 0) - (refusals[0]?.at ?? 0);
            const floor = 0.75 * INITIAL_RETRY_DELAY_MS;
            expect(refusals.length).toBeLessThanOrEqual(concurrency * (Math.floor(span / floor) + 2));
            expect(timers()).toBeLessThanOrEqual(before);
          } finally {
            await server.close();
          }
        },
      ),
      { seed: 1717, numRuns: 15 },
    );
  }, 120_000);

  const known = ["pending", "created", "inProgress", "completed", "failed"] as const;
  it("waitFor ends at the first terminal status, or at once on one the spec does not name; polls are never closer than pollIntervalMs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(fc.constantFrom(...known), fc.constantFrom("paused", "", "COMPLETED", "__proto__")),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        // What a poll's answer asks for, all of it shorter than the poll interval (a longer one is
        // followed, and would only slow the property down).
        fc.constantFrom(
          ...WAITS.filter(([, value]) => value !== "300" && value !== "9999" && value !== "40"),
        ),
        async (given, wait) => {
          // Every history ends: a last status that does not would poll until the timeout.
          const statuses = [...given, "completed"];
          const base = generateBulkTasks(1)[0] as BulkTask;
          const times: number[] = [];
          const server = await listen((_url, response) => {
            const poll = times.push(Date.now()) - 1;
            const status = statuses[Math.min(poll, statuses.length - 1)];
            const head: Record<string, string> = { "content-type": "application/json" };
            if (wait[0]) head[wait[0]] = wait[1];
            const task = { ...base, status, updatedAt: new Date(poll * 1000).toISOString() };
            response.writeHead(200, head).end(JSON.stringify({ status: true, data: task }));
          });
          try {
            const client = createBulkTasksClient({ apiKey: API_KEY, baseUrl: server.url });
            const waiting = client.bulkTasks.waitFor("lab", base.id, {
              pollIntervalMs: 10,
              maxPollIntervalMs: 20,
              timeoutMs: 10_000,
            });
            const outcome = await waiting.then(
              (task) => ({ status: task.status as string }),
              (error: unknown) => ({ error }),
            );
            const end = statuses.findIndex(
              (status) =>
                !(known as readonly string[]).includes(status) ||
                status === "completed" ||
                status === "failed",
            );
            const at = statuses[end] as string;
            if (at === "completed" || at === "failed") {
              expect(outcome).toEqual({ status: at });
            } else {
              expect(outcome).toMatchObject({ error: expect.any(UnknownTaskStatusError) });
              expect((outcome as { error: UnknownTaskStatusError }).error.value).toBe(at);
              expect(times).toHaveLength(end + 1);
            }
            for (const [i, time] of times.entries())
              if (i > 0) expect(time - (times[i - 1] as number)).toBeGreaterThanOrEqual(10 - 2);
          } finally {
            await server.close();
          }
        },
      ),
      { seed: 1717, numRuns: 40 },
    );
  }, 120_000);
});
