import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateBulkTasks, startLocalApi } from "../src/testing/index.js";
import { API_KEY, localClient } from "./support.js";

// For any dataset size, page size, concurrency, latency and sprinkling of transient failures (each
// fewer than the retries allowed), the walk yields every task exactly once, in order, and ends.
describe("the walk over all pages (property)", () => {
  it("yields every task once, in order, and ends", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          totalDocs: fc.integer({ min: 0, max: 120 }),
          limit: fc.integer({ min: 1, max: 25 }),
          concurrency: fc.integer({ min: 1, max: 8 }),
          startPage: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
          latencies: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 16 }),
          failures: fc.array(
            fc.constantFrom("503", "429", "html", "drop", "truncate", "none", "none", "none"),
            {
              minLength: 1,
              maxLength: 16,
            },
          ),
        }),
        async ({ totalDocs, limit, concurrency, startPage, latencies, failures }) => {
          const tasks = generateBulkTasks(totalDocs);
          const failedOnce = new Set<string>();
          const api = await startLocalApi({
            apiKeys: [API_KEY],
            organizations: { lab: tasks },
            latencyMs: ({ count }) => latencies[count % latencies.length] ?? 0,
            faults: ({ query, count }) => {
              // Each page fails at most once, so that two retries always suffice.
              const page = query.page ?? "1";
              const failure = failures[count % failures.length];
              if (failure === "none" || failure === undefined || failedOnce.has(page)) return undefined;
              failedOnce.add(page);
              if (failure === "503") return { kind: "status", status: 503 };
              if (failure === "429") return { kind: "rate-limit", retryAfter: 0.001 };
              if (failure === "html") return { kind: "html" };
              return { kind: failure };
            },
          });
          try {
            const list = localClient(api, { timeoutMs: 2000 }).bulkTasks.list(
              "lab",
              { limit, ...(startPage ? { page: startPage } : {}) },
              { concurrency },
            );
            const seen: string[] = [];
            for await (const task of list) seen.push(task.id);
            const from = ((startPage ?? 1) - 1) * limit;
            expect(seen).toEqual(tasks.slice(from).map((task) => task.id));
            // Pages needed, one per failure, none past the end but the one that says so.
            const pagesNeeded = Math.max(1, Math.ceil((totalDocs - from) / limit));
            expect(api.requests.length).toBeLessThanOrEqual(pagesNeeded + failedOnce.size);
          } finally {
            await api.close();
          }
        },
      ),
      { numRuns: 60 },
    );
    // 60 walks with latency: seconds of work, more on a loaded machine. A budget, not a speed test.
  }, 60_000);
});
