import { describe, expect, it, vi } from "vitest";
import {
  type BulkTask,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  UnexpectedResponseError,
  WaitTimeoutError,
} from "../src/index.js";
import { generateBulkTasks, startLocalApi } from "../src/testing/index.js";
import { API_KEY, FAST_RETRIES, failure, localClient, useLocalApi } from "./support.js";

const tasks = generateBulkTasks(30);
const local = useLocalApi({ organizations: { lab: tasks, empty: [] } });

describe("bulkTasks.get", () => {
  it("resolves to the task, typed", async () => {
    const [, second] = tasks as [BulkTask, BulkTask];
    const task: BulkTask = await localClient(local.api).bulkTasks.get("lab", second.id);
    expect(task).toEqual(second);
    expect(local.api.requests.at(-1)?.url).toBe(`/v1/organizations/lab/bulk-tasks/${second.id}`);
  });

  it("finds a task whatever the case of its hex digits", async () => {
    const [first] = tasks as [BulkTask];
    expect((await localClient(local.api).bulkTasks.get("lab", first.id.toUpperCase())).id).toBe(first.id);
  });

  it.each([
    ["an unknown task", "lab", "0123456789abcdef01234567"],
    ["an unknown organization", "nowhere", "0123456789abcdef01234567"],
  ])("is a NotFoundError for %s, naming the request", async (_, organizationId, bulkTaskId) => {
    const error = await failure(localClient(local.api).bulkTasks.get(organizationId, bulkTaskId));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(
      `404 Entity not found (code 3001) for GET /v1/organizations/${organizationId}/bulk-tasks/${bulkTaskId}`,
    );
  });

  it("is a PermissionDeniedError for a 403", async () => {
    local.api.inject({
      kind: "status",
      status: 403,
      body: JSON.stringify({ status: false, error: { code: 4003, message: "Forbidden" } }),
    });
    const error = await failure(localClient(local.api).bulkTasks.get("lab", tasks[0]?.id ?? ""));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).code).toBe(4003);
  });

  it.each([
    ["a task id that is not 24 hex digits", "lab", "123", "bulkTaskId"],
    ["an organization id with a slash", "a/b", "0123456789abcdef01234567", "organizationId"],
    ["a task id that is not a string", "lab", 5, "bulkTaskId"],
  ])("refuses %s before sending", async (_, organizationId, bulkTaskId, parameter) => {
    const sent = local.api.requests.length;
    const error = await failure(localClient(local.api).bulkTasks.get(organizationId, bulkTaskId as string));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).parameter).toBe(parameter);
    expect(local.api.requests.length).toBe(sent);
  });

  it("retries a 503, as list does", async () => {
    local.api.inject({ kind: "status", status: 503 }, 2);
    const task = await localClient(local.api).bulkTasks.get("lab", tasks[3]?.id ?? "");
    expect(task.id).toBe(tasks[3]?.id);
  });

  it("refuses an answer about another task (a cache keyed on the wrong path)", async () => {
    const client = localClient(local.api, {
      fetch: async () => Response.json({ status: true, data: tasks[5] }),
    });
    const error = await failure(client.bulkTasks.get("lab", tasks[6]?.id ?? ""));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain("data.id is not the id asked for");
  });
});

describe("bulkTasks.waitFor", () => {
  /** A clock the test moves, so that a task's schedule runs in no time. */
  function manualClock(start = Date.UTC(2026, 10, 29, 9)) {
    let now = start;
    return {
      now: () => now,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it("follows a task to completed, telling each change, and resolves to it", async () => {
    const clock = manualClock();
    const api = await startLocalApi({ apiKeys: [API_KEY], clock: clock.now });
    try {
      const started = api.startTask("lab", { durationMs: 10_000, rows: 100, seed: 3 });
      expect(started.status).toBe("pending");
      const seen: string[] = [];
      const client = localClient(api, {
        // Each poll moves the clock on: the task's schedule and the wait run in step.
        fetch: async (request, init) => {
          clock.advance(1_000);
          return fetch(request, init);
        },
      });
      const task = await client.bulkTasks.waitFor("lab", started.id, {
        pollIntervalMs: 1,
        maxPollIntervalMs: 2,
        onProgress: (progress) => {
          seen.push(`${progress.status}:${progress.report?.numInserts ?? "-"}`);
        },
      });
      expect(task.status).toBe("completed");
      expect(task.report?.numItems).toBe(100);
      expect(seen[0]).toMatch(/^(pending|created):-$/);
      expect(seen).toContain(`completed:${task.report?.numInserts}`);
      expect(seen.some((entry) => entry.startsWith("inProgress:"))).toBe(true);
      // Only changes are told: no two entries in a row are the same.
      expect(seen.filter((entry, i) => entry === seen[i - 1])).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it("resolves to a task that failed: the caller reads its error and report", async () => {
    const clock = manualClock();
    const api = await startLocalApi({ apiKeys: [API_KEY], clock: clock.now });
    try {
      const started = api.startTask("lab", { durationMs: 3_000, rows: 30, outcome: "failed" });
      const client = localClient(api, {
        fetch: async (request, init) => {
          clock.advance(1_000);
          return fetch(request, init);
        },
      });
      const task = await client.bulkTasks.waitFor("lab", started.id, { pollIntervalMs: 1 });
      expect(task.status).toBe("failed");
      expect(task.error).toBe(`10 of 30 rows could not be imported`);
      expect(task.report?.erroredLines).toHaveLength(10);
    } finally {
      await api.close();
    }
  });

  it("gives up at timeoutMs with a WaitTimeoutError carrying the task as last seen", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY] });
    try {
      const started = api.startTask("lab", { durationMs: 3_600_000 });
      const error = await failure(
        localClient(api).bulkTasks.waitFor("lab", started.id, { timeoutMs: 600, pollIntervalMs: 20 }),
      );
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect(error).toMatchObject({
        bulkTaskId: started.id,
        timeoutMs: 600,
        lastTask: { id: started.id, status: "pending" },
      });
      expect((error as Error).message).toBe(
        `Bulk task ${started.id} did not finish within 600 ms (last seen: pending).`,
      );
    } finally {
      await api.close();
    }
  });

  it("backs off while nothing changes", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY] });
    try {
      const started = api.startTask("lab", { durationMs: 3_600_000 });
      const times: number[] = [];
      const client = localClient(api, {
        fetch: (request, init) => {
          times.push(performance.now());
          return fetch(request, init);
        },
      });
      await failure(
        client.bulkTasks.waitFor("lab", started.id, {
          timeoutMs: 700,
          pollIntervalMs: 40,
          maxPollIntervalMs: 1_000,
        }),
      );
      const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
      // At least 40, 60, 90, 135, 202 ms...: a loaded machine can only lengthen a gap, so each is
      // held to its lower bound, and the count to what backing off allows (polling every 40 ms
      // would make about seventeen polls in 700 ms).
      expect(gaps.length).toBeGreaterThanOrEqual(2);
      expect(gaps.length).toBeLessThan(8);
      gaps.forEach((gap, i) => {
        expect(gap).toBeGreaterThanOrEqual(40 * 1.5 ** i - 5);
      });
    } finally {
      await api.close();
    }
  });

  it("waits what a 429 asks for once the retries are spent, and goes on", async () => {
    const clock = manualClock();
    const api = await startLocalApi({ apiKeys: [API_KEY], clock: clock.now });
    try {
      const started = api.startTask("lab", { durationMs: 1_000 });
      clock.advance(2_000);
      api.inject({ kind: "rate-limit", retryAfter: 200, inMilliseconds: true }, 2);
      const client = localClient(api, { maxRetries: 1 });
      const before = performance.now();
      const task = await client.bulkTasks.waitFor("lab", started.id, { pollIntervalMs: 1 });
      expect(task.status).toBe("completed");
      // Two 429s: the first retried after 200 ms by the client, the second waited by waitFor.
      expect(performance.now() - before).toBeGreaterThanOrEqual(380);
    } finally {
      await api.close();
    }
  });

  it("follows the poll delay a server asks for on its answer", async () => {
    const started = generateBulkTasks(3)[2] as BulkTask; // inProgress
    let polls = 0;
    const client = localClient(local.api, {
      fetch: async () => {
        polls++;
        const task = polls < 3 ? started : { ...started, status: "completed" as const };
        return Response.json({ status: true, data: task }, { headers: { "retry-after-ms": "120" } });
      },
    });
    const before = performance.now();
    await client.bulkTasks.waitFor("lab", started.id, { pollIntervalMs: 1 });
    expect(polls).toBe(3);
    expect(performance.now() - before).toBeGreaterThanOrEqual(230);
  });

  it("is aborted by its signal at once, with the signal's reason, and leaves no timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const api = await startLocalApi({ apiKeys: [API_KEY] });
      const started = api.startTask("lab", { durationMs: 3_600_000 });
      const controller = new AbortController();
      const waiting = localClient(api).bulkTasks.waitFor("lab", started.id, {
        signal: controller.signal,
        pollIntervalMs: 60_000,
        maxPollIntervalMs: 60_000,
      });
      const reason = new Error("stop");
      await vi.advanceTimersByTimeAsync(10);
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      expect(vi.getTimerCount()).toBe(0);
      await api.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ["a pollIntervalMs of 0", { pollIntervalMs: 0 }, "pollIntervalMs"],
    ["a negative timeoutMs", { timeoutMs: -1 }, "timeoutMs"],
    ["an unknown option", { pollInterval: 5 }, "pollInterval"],
    [
      "a first poll interval longer than the longest",
      { pollIntervalMs: 20_000, maxPollIntervalMs: 10_000 },
      "pollIntervalMs",
    ],
  ])("refuses %s before any poll", async (_, options, parameter) => {
    const sent = local.api.requests.length;
    const error = await failure(
      localClient(local.api).bulkTasks.waitFor("lab", tasks[0]?.id ?? "", options as never),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).parameter).toBe(parameter);
    expect(local.api.requests.length).toBe(sent);
  });

  it("rejects with a poll's error that is not a 429", async () => {
    const error = await failure(localClient(local.api).bulkTasks.waitFor("lab", "0123456789abcdef01234567"));
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it("uses the client's retry settings for each poll", async () => {
    local.api.inject({ kind: "status", status: 500 });
    const completed = tasks.find((task) => task.status === "completed") as BulkTask;
    const task = await localClient(local.api, { retryDelays: FAST_RETRIES }).bulkTasks.waitFor(
      "lab",
      completed.id,
    );
    expect(task).toEqual(completed);
  });
});

describe("LocalApi.startTask", () => {
  it("gives each task started without a seed an id of its own, and reset() forgets them", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY] });
    try {
      const first = api.startTask("lab", { durationMs: 1_000 });
      const second = api.startTask("lab", { durationMs: 1_000, outcome: "failed" });
      const elsewhere = api.startTask("empty");
      expect(new Set([first.id, second.id, elsewhere.id]).size).toBe(3);
      expect(first.file?.key).toContain(first.id);
      const client = localClient(api);
      expect((await client.bulkTasks.get("lab", second.id)).id).toBe(second.id);
      api.reset();
      await expect(client.bulkTasks.get("lab", first.id)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await api.close();
    }
  });

  it("gives a seeded task the id its seed names", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY] });
    try {
      expect(api.startTask("lab", { seed: 1 }).id).toBe("6f00d5ee00000000face0001");
    } finally {
      await api.close();
    }
  });
});
