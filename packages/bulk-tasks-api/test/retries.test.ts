import { describe, expect, it } from "vitest";
import { readRetryAfterMs } from "../src/core/retry-after.js";
import { backoffDelayMs, isRetriableStatus } from "../src/core/transport.js";
import { ConnectionError, RateLimitError, type RetryEvent, ServerError } from "../src/index.js";
import type { Fault } from "../src/testing/index.js";
import { localClient, useLocalApi } from "./support.js";

const local = useLocalApi();

/** Runs one list() with these faults queued, and tells what happened. */
async function listThrough(faults: Fault[], options: Parameters<typeof localClient>[1] = {}) {
  const retries: RetryEvent[] = [];
  for (const fault of faults) local.api.inject(fault);
  const before = local.api.requests.length;
  const outcome = await localClient(local.api, { onRetry: (event) => retries.push(event), ...options })
    .bulkTasks.list("lab", { limit: 5 })
    .then(
      (page) => ({ page, error: undefined }),
      (error: unknown) => ({ page: undefined, error }),
    );
  return { ...outcome, retries, attempts: local.api.requests.length - before };
}

describe("retries", () => {
  it.each<[string, { given: Fault[]; attempts: number; retriedStatuses: (number | undefined)[] }]>([
    ["503, then 200", { given: [{ kind: "status", status: 503 }], attempts: 2, retriedStatuses: [503] }],
    [
      "500, 502, then 200",
      {
        given: [{ kind: "status", status: 500 }, { kind: "html" }],
        attempts: 3,
        retriedStatuses: [500, 502],
      },
    ],
    ["408, then 200", { given: [{ kind: "status", status: 408 }], attempts: 2, retriedStatuses: [408] }],
    [
      "a dropped connection, then 200",
      { given: [{ kind: "drop" }], attempts: 2, retriedStatuses: [undefined] },
    ],
    [
      "truncated JSON (connection closed mid-body), then 200",
      { given: [{ kind: "truncate" }], attempts: 2, retriedStatuses: [undefined] },
    ],
    [
      "429 with Retry-After, then 200",
      { given: [{ kind: "rate-limit", retryAfter: 0.01 }], attempts: 2, retriedStatuses: [429] },
    ],
  ])("recovers from %s", async (_, { given, attempts, retriedStatuses }) => {
    const result = await listThrough(given);
    expect(result.error).toBeUndefined();
    expect(result.page?.items).toHaveLength(5);
    expect(result.attempts).toBe(attempts);
    expect(result.retries.map((event) => event.status)).toEqual(retriedStatuses);
    expect(result.retries.map((event) => event.attempt)).toEqual(retriedStatuses.map((__, i) => i + 1));
  });

  it.each([400, 401, 403, 404, 409, 422])("never retries %i", async (status) => {
    const result = await listThrough([{ kind: "status", status }]);
    expect(result.error).toMatchObject({ status });
    expect(result.attempts).toBe(1);
    expect(result.retries).toEqual([]);
  });

  it("gives up after maxRetries, with the last error", async () => {
    const result = await listThrough(Array(3).fill({ kind: "status", status: 503 }), { maxRetries: 2 });
    expect(result.error).toBeInstanceOf(ServerError);
    expect(result.attempts).toBe(3);
    expect(result.retries).toHaveLength(2);
  });

  it("does not retry when maxRetries is 0", async () => {
    const result = await listThrough([{ kind: "drop" }], { maxRetries: 0 });
    expect(result.error).toBeInstanceOf(ConnectionError);
    expect(result.attempts).toBe(1);
  });

  it("takes a per-call maxRetries over the client's", async () => {
    for (const fault of Array(2).fill({ kind: "status", status: 503 })) local.api.inject(fault);
    const before = local.api.requests.length;
    const page = await localClient(local.api, { maxRetries: 0 }).bulkTasks.list("lab", {}, { maxRetries: 3 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(local.api.requests.length - before).toBe(3);
  });

  it.each([
    ["Retry-After in seconds", { kind: "rate-limit", retryAfter: 0.05 } as Fault, 50],
    ["retry-after-ms", { kind: "rate-limit", retryAfter: 20, inMilliseconds: true } as Fault, 20],
  ])("waits as %s says", async (_, fault, delayMs) => {
    const result = await listThrough([fault]);
    expect(result.retries.map((event) => event.delayMs)).toEqual([delayMs]);
  });

  it("does not wait for a Retry-After over the cap: RateLimitError carries it", async () => {
    const result = await listThrough([{ kind: "rate-limit", retryAfter: 120 }]);
    expect(result.attempts).toBe(1);
    expect(result.error).toBeInstanceOf(RateLimitError);
    expect(result.error).toMatchObject({ status: 429, retryAfter: 120 });
  });

  it("tells onRetry the method, the URL, the attempt and the delay, never a header", async () => {
    const result = await listThrough([{ kind: "status", status: 503 }]);
    expect(result.retries).toEqual([
      {
        method: "GET",
        url: `${local.api.url}/v1/organizations/lab/bulk-tasks?limit=5`,
        attempt: 1,
        delayMs: expect.any(Number),
        status: 503,
        error: undefined,
        gateWaitMs: 0,
      },
    ]);
  });
});

describe("aborting between attempts", () => {
  it("ends the wait for the next attempt at once, even when the abort came before the wait began", async () => {
    const controller = new AbortController();
    const reason = new Error("stop retrying");
    local.api.inject({ kind: "status", status: 503 });
    const before = local.api.requests.length;
    const call = localClient(local.api, {
      // A wait far longer than the test may last, and an abort from the retry hook itself.
      retryDelays: { initialRetryDelayMs: 60_000, maxRetryDelayMs: 60_000 },
      onRetry: () => controller.abort(reason),
    }).bulkTasks.list("lab", { limit: 5 }, { signal: controller.signal });
    const waitedTooLong = new Promise((_, reject) =>
      setTimeout(() => reject(new Error("the call waited out the backoff")), 3_000).unref(),
    );
    await expect(Promise.race([call, waitedTooLong])).rejects.toBe(reason);
    expect(local.api.requests.length - before).toBe(1);
  });
});

describe("the raw client", () => {
  it("retries and times out too, returning { data, error, response }", async () => {
    local.api.inject({ kind: "status", status: 503 });
    local.api.inject({ kind: "stall" });
    const retries: RetryEvent[] = [];
    const before = local.api.requests.length;
    const { data, response } = await localClient(local.api, {
      // Room for a loaded machine: the stalled attempt waits this out, the others must beat it.
      timeoutMs: 400,
      onRetry: (event) => retries.push(event),
    }).raw.GET("/v1/organizations/{organizationId}/bulk-tasks", {
      params: { path: { organizationId: "lab" }, query: { limit: 2 } },
    });
    expect(response.status).toBe(200);
    expect(data?.data.items).toHaveLength(2);
    expect(local.api.requests.length - before).toBe(3);
    expect(retries.map((event) => [event.status, event.error?.name])).toEqual([
      [503, undefined],
      [undefined, "TimeoutError"],
    ]);
  });
});

describe("backoff", () => {
  const delays = { initialRetryDelayMs: 500, maxRetryDelayMs: 8000 };
  it.each([
    [1, 0, 500],
    [2, 0, 1000],
    [3, 0, 2000],
    [5, 0, 8000],
    [9, 0, 8000],
    [1, 0.999999, 375.0001],
    [4, 0.5, 3500],
  ])("attempt %i with random %d waits %d ms", (attempt, random, want) => {
    expect(backoffDelayMs(attempt, delays, () => random)).toBeCloseTo(want, 3);
  });

  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [599, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [200, false],
  ])("retries status %i: %s", (status, want) => {
    expect(isRetriableStatus(status)).toBe(want);
  });
});

describe("readRetryAfterMs", () => {
  const now = Date.parse("2026-11-28T12:00:00Z");
  it.each<[string, Record<string, string>, number | undefined]>([
    ["seconds", { "retry-after": "3" }, 3000],
    ["fractional seconds", { "retry-after": "0.5" }, 500],
    ["an HTTP date", { "retry-after": "Sat, 28 Nov 2026 12:00:05 GMT" }, 5000],
    ["an HTTP date in the past", { "retry-after": "Sat, 28 Nov 2026 11:00:00 GMT" }, 0],
    ["retry-after-ms, which wins", { "retry-after-ms": "250", "retry-after": "3" }, 250],
    ["garbage", { "retry-after": "soon" }, undefined],
    ["a negative number", { "retry-after": "-1" }, undefined],
    ["nothing", {}, undefined],
  ])("reads %s", (_, headers, want) => {
    expect(readRetryAfterMs((name) => new Headers(headers).get(name), now)).toBe(want);
  });
});
