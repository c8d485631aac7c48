import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { readQuota } from "../src/core/rate-limit.js";
import { RateLimitError, type RateLimitEvent } from "../src/index.js";
import { generateBulkTasks, startLocalApi } from "../src/testing/index.js";
import { API_KEY, localClient } from "./support.js";

const tasks = generateBulkTasks(200);

/** A client whose fetch records when each request was sent and what came back. */
function recording(api: { url: string }, options: Parameters<typeof localClient>[1] = {}) {
  const sent: { at: number; done: number; status: number }[] = [];
  const client = localClient(api as never, {
    ...options,
    fetch: async (request, init) => {
      const at = performance.now();
      const response = await fetch(request, init);
      sent.push({ at, done: performance.now(), status: response.status });
      return response;
    },
  });
  return { client, sent };
}

describe("readQuota", () => {
  const quota = (headers: Record<string, string>) => readQuota((name) => headers[name], 1_700_000_000_000);

  it.each<[string, Record<string, string>, ReturnType<typeof readQuota>]>([
    [
      "the IETF structured fields",
      { ratelimit: '"default";r=3;t=2.5', "ratelimit-policy": '"default";q=10;w=5' },
      { remaining: 3, resetMs: 2500, limit: 10 },
    ],
    [
      "the older IETF draft in one field",
      { ratelimit: "limit=100, remaining=7, reset=30" },
      { remaining: 7, resetMs: 30_000, limit: 100 },
    ],
    [
      "the older IETF draft in three fields",
      { "ratelimit-limit": "60", "ratelimit-remaining": "0", "ratelimit-reset": "12" },
      { remaining: 0, resetMs: 12_000, limit: 60 },
    ],
    [
      "X-RateLimit-* with a reset in seconds",
      { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999", "x-ratelimit-reset": "60" },
      { remaining: 4999, resetMs: 60_000, limit: 5000 },
    ],
    [
      "X-RateLimit-* with a reset as an epoch time (GitHub's)",
      { "x-ratelimit-remaining": "10", "x-ratelimit-reset": "1700000030" },
      { remaining: 10, resetMs: 30_000, limit: undefined },
    ],
    ["no headers", {}, undefined],
    ["a malformed remaining", { "x-ratelimit-remaining": "lots", "x-ratelimit-reset": "5" }, undefined],
    ["a remaining without a reset", { "x-ratelimit-remaining": "3" }, undefined],
    ["garbage in RateLimit", { ratelimit: ";;;r=;t=x" }, undefined],
  ])("reads %s", (_, headers, want) => {
    expect(quota(headers)).toEqual(want);
  });
});

describe("one gate per client", () => {
  it("a 429 with Retry-After holds every request of the client, two walks and a single call, until the time it names", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks } });
    try {
      const events: RateLimitEvent[] = [];
      const { client, sent } = recording(api, { onRateLimit: (event) => events.push(event) });
      // The first request of the client meets a 429 asking for 300 ms.
      api.inject({ kind: "rate-limit", retryAfter: 300, inMilliseconds: true });
      const walk = async () => {
        let seen = 0;
        for await (const _task of client.bulkTasks.list("lab", { limit: 20 }, { concurrency: 2 })) seen++;
        return seen;
      };
      const [first, second, single] = await Promise.all([
        walk(),
        walk(),
        client.bulkTasks.get("lab", tasks[0]?.id ?? ""),
      ]);
      expect([first, second, single.id]).toEqual([200, 200, tasks[0]?.id]);
      const refusals = sent.filter(({ status }) => status === 429);
      expect(refusals).toHaveLength(1);
      const refusedAt = refusals[0]?.done ?? 0;
      // Once the refusal came back, nothing was sent for the 300 ms it named: not the retry, not
      // the other walk, not the single call.
      const after = sent.filter(({ at }) => at > refusedAt);
      expect(after.length).toBeGreaterThan(10);
      expect(Math.min(...after.map(({ at }) => at)) - refusedAt).toBeGreaterThanOrEqual(295);
      expect(events).toEqual([
        {
          cause: "retry-after",
          status: 429,
          method: "GET",
          url: expect.stringContaining(api.url),
          waitMs: 300,
        },
      ]);
    } finally {
      await api.close();
    }
  });

  it("waitFor's polls pass the same gate", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks } });
    try {
      const started = api.startTask("lab", { durationMs: 200 });
      const { client, sent } = recording(api);
      api.inject({ kind: "rate-limit", retryAfter: 400, inMilliseconds: true });
      const listing = client.bulkTasks.list("lab", { limit: 5 });
      const before = performance.now();
      const [, task] = await Promise.all([
        listing,
        client.bulkTasks.waitFor("lab", started.id, { pollIntervalMs: 10 }),
      ]);
      expect(task.status).toBe("completed");
      const refusal = sent.find(({ status }) => status === 429);
      expect(refusal).toBeDefined();
      expect(performance.now() - before).toBeGreaterThanOrEqual(390);
    } finally {
      await api.close();
    }
  });

  it("a request waiting at the gate is aborted by its signal at once", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks } });
    try {
      const client = localClient(api);
      api.inject({ kind: "rate-limit", retryAfter: 30, inMilliseconds: false });
      const refused = client.bulkTasks.list("lab", {}, { maxRateLimitWaitMs: 120_000 }).then(
        () => "resolved",
        (error: unknown) => error,
      );
      // Let the refusal close the gate, then ask again, and give up.
      while (!api.requests.length) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const controller = new AbortController();
      const waiting = client.bulkTasks.get("lab", tasks[1]?.id ?? "", { signal: controller.signal });
      const reason = new Error("stop waiting");
      const started = performance.now();
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      expect(performance.now() - started).toBeLessThan(100);
      expect(api.requests).toHaveLength(1);
      void refused;
    } finally {
      await api.close();
    }
  });

  it("a Retry-After beyond the wait budget is a RateLimitError at once, for the call that met it and those waiting", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks } });
    try {
      const client = localClient(api, {
        maxRateLimitWaitMs: 2_000,
        retryDelays: { maxRetryAfterMs: 60_000 },
      });
      api.inject({ kind: "rate-limit", retryAfter: 30 });
      const started = performance.now();
      const error = await client.bulkTasks.list("lab").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfter).toBe(30);
      // Another call of the same client, while the gate is closed for 30 s: it cannot wait that long.
      const waiting = await client.bulkTasks
        .get("lab", tasks[1]?.id ?? "")
        .catch((caught: unknown) => caught);
      expect(waiting).toBeInstanceOf(RateLimitError);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(api.requests).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it("a long walk under a steady limit finishes, retrying 429s past maxRetries", async () => {
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: tasks },
      rateLimit: { kind: "token-bucket", perSecond: 100, burst: 2, headers: false },
    });
    try {
      // Whatever the limit does at this machine's speed, one request meets three 429s in a row:
      // one more than maxRetries allows for other failures.
      api.inject({ kind: "rate-limit", retryAfter: 20, inMilliseconds: true }, 3);
      const { client, sent } = recording(api, { maxRetries: 1 });
      let seen = 0;
      for await (const _task of client.bulkTasks.list("lab", { limit: 25 }, { concurrency: 4 })) seen++;
      expect(seen).toBe(200);
      expect(sent.slice(0, 4).map(({ status }) => status)).toEqual([429, 429, 429, 200]);
    } finally {
      await api.close();
    }
  }, 30_000);
});

describe("pacing from the server's quota", () => {
  it.each([
    ["a token bucket", { kind: "token-bucket", perSecond: 50, burst: 4 } as const],
    ["a fixed window", { kind: "fixed-window", limit: 10, windowMs: 200 } as const],
  ])(
    "sends no request %s would refuse, at any concurrency",
    async (_, rateLimit) => {
      for (const concurrency of [1, 8]) {
        const api = await startLocalApi({
          apiKeys: [API_KEY],
          organizations: { lab: tasks.slice(0, 100) },
          rateLimit,
        });
        try {
          const { client, sent } = recording(api);
          let seen = 0;
          for await (const _task of client.bulkTasks.list("lab", { limit: 5 }, { concurrency })) seen++;
          expect(seen).toBe(100);
          expect(sent.filter(({ status }) => status === 429)).toEqual([]);
        } finally {
          await api.close();
        }
      }
    },
    30_000,
  );

  it("leaves no timer behind once the walk is over", async () => {
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: tasks.slice(0, 60) },
      rateLimit: { kind: "token-bucket", perSecond: 100, burst: 3 },
    });
    try {
      const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
      const before = timers();
      let seen = 0;
      for await (const _task of localClient(api).bulkTasks.list("lab", { limit: 5 }, { concurrency: 8 }))
        seen++;
      expect(seen).toBe(60);
      expect(timers()).toBeLessThanOrEqual(before);
    } finally {
      await api.close();
    }
  });
});

describe("adaptive walk concurrency", () => {
  it("converges on what a server that refuses more than 2 requests at once allows", async () => {
    let inFlight = 0;
    let refusals = 0;
    const pages = 60;
    const server = createServer((request, response) => {
      const page = Number(new URL(request.url ?? "", "http://x").searchParams.get("page") ?? "1");
      if (inFlight >= 2) {
        refusals++;
        response.writeHead(429, { "content-type": "application/json", "retry-after-ms": "30" });
        response.end(JSON.stringify({ status: false, error: { code: 4290, message: "Too many requests" } }));
        return;
      }
      inFlight++;
      setTimeout(() => {
        inFlight--;
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            status: true,
            data: { items: [{ id: String(page) }], page, totalPages: pages, hasNextPage: page < pages },
          }),
        );
      }, 15);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const client = localClient({ url } as never, { maxRetries: 5 });
      const ids: string[] = [];
      for await (const task of client.bulkTasks.list("lab", {}, { concurrency: 8 })) ids.push(task.id);
      expect(ids).toEqual(Array.from({ length: pages }, (_, i) => String(i + 1)));
      // Without adapting, eight pages in flight would meet six refusals a round, every round.
      expect(refusals).toBeLessThan(pages / 2);
    } finally {
      server.close();
    }
  }, 30_000);
});

describe("a wait the client does not honour", () => {
  it("does not close the gate: the next call of the client is sent at once", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks } });
    try {
      const events: RateLimitEvent[] = [];
      const client = localClient(api, { onRateLimit: (event) => events.push(event) });
      api.inject({ kind: "rate-limit", retryAfter: 120 });
      const error = await client.bulkTasks.list("lab").catch((caught: unknown) => caught);
      expect(error).toMatchObject({ retryAfter: 120 });
      const started = performance.now();
      await client.bulkTasks.get("lab", tasks[0]?.id ?? "");
      expect(performance.now() - started).toBeLessThan(500);
      expect(events).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
