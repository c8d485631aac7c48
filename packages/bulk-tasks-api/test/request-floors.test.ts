import { describe, expect, it } from "vitest";
import { type BulkTask, createBulkTasksClient, ServerError } from "../src/index.js";
import { generateBulkTasks } from "../src/testing/index.js";
import { API_KEY, answerJson, failure, useAnsweringServer } from "./support.js";

// No request loop of the client runs faster than its own floor, whatever the server answers: a
// server (or a proxy) that asks for no delay cannot make the client hammer it. Every bound below is
// an upper bound on a count, or a lower bound on a gap: a loaded machine only lowers counts and
// lengthens gaps, so none of them depends on the machine's speed.

const task = { ...(generateBulkTasks(3)[2] as BulkTask), status: "inProgress" as const };

const server = useAnsweringServer();
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - (times[i] ?? 0));
// A timer may fire up to a millisecond early as Node.js rounds it; nothing else makes a gap shorter.
const EARLY = 2;

/** Waits 1.5 s for a task that never ends, polling every 100 ms: 16 polls at most, 100 ms apart. */
async function expectPollsEvery100ms(options: { maxRetries?: number }) {
  const client = createBulkTasksClient({ apiKey: API_KEY, baseUrl: server.url, ...options });
  const error = await failure(
    client.bulkTasks.waitFor("lab", task.id, {
      timeoutMs: 1_500,
      pollIntervalMs: 100,
      maxPollIntervalMs: 100,
    }),
  );
  expect(error).toMatchObject({ name: "WaitTimeoutError" });
  expect(server.times.length).toBeLessThanOrEqual(16);
  for (const gap of gaps(server.times)) expect(gap).toBeGreaterThanOrEqual(100 - EARLY);
}

describe("waitFor polls no faster than pollIntervalMs, whatever the server asks", () => {
  it.each<[string, Record<string, string>]>([
    ["Retry-After: 0", { "retry-after": "0" }],
    ["retry-after-ms: 0", { "retry-after-ms": "0" }],
    ["a negative Retry-After", { "retry-after": "-5" }],
    ["a Retry-After date in the past", { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }],
    ["a tiny retry-after-ms", { "retry-after-ms": "1" }],
  ])("%s on each answer", async (_, headers) => {
    server.answer = (response) => answerJson(response, 200, { status: true, data: task }, headers);
    await expectPollsEvery100ms({});
    // The code this replaced made 514 to 682 polls in those 1.5 s.
    expect(server.times.length).toBeGreaterThanOrEqual(2);
  });

  it("a longer delay the server asks for is still followed", async () => {
    server.answer = (response) =>
      answerJson(response, 200, { status: true, data: task }, { "retry-after-ms": "300" });
    const client = createBulkTasksClient({ apiKey: API_KEY, baseUrl: server.url });
    await failure(client.bulkTasks.waitFor("lab", task.id, { timeoutMs: 1_000, pollIntervalMs: 20 }));
    expect(server.times.length).toBeLessThanOrEqual(4);
    for (const gap of gaps(server.times)) expect(gap).toBeGreaterThanOrEqual(300 - EARLY);
  });
});

describe("a retry waits at least its backoff delay, whatever the server asks", () => {
  const refusal = { status: false, error: { code: 4290, message: "Too many requests" } };

  it.each<[string, number, Record<string, string>]>([
    ["429 with Retry-After: 0", 429, { "retry-after": "0" }],
    ["429 with retry-after-ms: 0", 429, { "retry-after-ms": "0" }],
    ["429 with a Retry-After date in the past", 429, { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }],
    ["503 with Retry-After: 0", 503, { "retry-after": "0" }],
  ])(
    "a server answering %s forever gets a few requests a second, not hundreds",
    async (_, status, headers) => {
      server.answer = (response) => answerJson(response, status, refusal, headers);
      const client = createBulkTasksClient({ apiKey: API_KEY, baseUrl: server.url });
      // The default backoff (0.5 s, 1 s, 2 s, ..., less up to a quarter) allows 3 requests in 1.5 s:
      // at 0, after at least 0.375 s, then after at least 0.75 s more. The code this replaced sent
      // about 300 in under a second.
      const error = await failure(
        client.bulkTasks.get("lab", task.id, { signal: AbortSignal.timeout(1_500) }),
      );
      expect(server.times.length).toBeGreaterThanOrEqual(2);
      expect(server.times.length).toBeLessThanOrEqual(3);
      // Still waiting when the caller gave up: a refusal that asks for no delay is retried, slowly.
      expect(error).toMatchObject({ name: "TimeoutError" });
      const [first, second] = gaps(server.times);
      expect(first).toBeGreaterThanOrEqual(375 - EARLY);
      if (second !== undefined) expect(second).toBeGreaterThanOrEqual(750 - EARLY);
    },
  );

  it("a 500 with Retry-After: 0 is retried after the backoff delay, not at once", async () => {
    server.answer = (response) => answerJson(response, 500, { status: false }, { "retry-after": "0" });
    const client = createBulkTasksClient({
      apiKey: API_KEY,
      baseUrl: server.url,
      retryDelays: { initialRetryDelayMs: 100, maxRetryDelayMs: 100 },
    });
    const error = await failure(client.bulkTasks.get("lab", task.id));
    expect(error).toBeInstanceOf(ServerError);
    expect(server.times).toHaveLength(3);
    for (const gap of gaps(server.times)) expect(gap).toBeGreaterThanOrEqual(75 - EARLY);
  });

  // Held already by the code this replaced (maxRetries: 0 returns the 429 to waitFor): kept so that
  // the floor of waitFor's own loop stays.
  it("waitFor against a server refusing every poll with 429 and Retry-After: 0 stays as slow", async () => {
    server.answer = (response) => answerJson(response, 429, refusal, { "retry-after": "0" });
    await expectPollsEvery100ms({ maxRetries: 0 });
  });
});
