import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ConnectionError,
  createBulkTasksClient,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "../src/index.js";
import { generateBulkTasks, type LocalApiOptions, startLocalApi } from "../src/testing/index.js";
import { createLocalApiHandlers } from "../src/testing/msw.js";
import { API_KEY, constructedRecording, everythingReachable, FAST_RETRIES, failure } from "./support.js";

// The msw front door of the local API: msw's Node.js integration intercepts the client's fetch, and
// the handlers answer from the same fake as the node:http server. msw 3 needs Node.js 22.12 or later
// (vitest.config.ts leaves this file out of a run on Node.js 20; `pnpm test` runs it on 22 and 24).
const tasks = generateBulkTasks(45);
const options: LocalApiOptions = {
  apiKeys: [API_KEY],
  organizations: { lab: tasks, empty: [] },
  defaultLimit: 20,
  recordings: [
    constructedRecording("/v1/organizations/lab/bulk-tasks", {
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({ status: true, data: { ...emptyPage(), totalDocs: 7 } }),
    }).entry,
  ],
};
const mock = createLocalApiHandlers(options);
const server = setupServer(...mock.handlers);

beforeAll(() =>
  server.listen({
    // The node:http front door, compared with msw's below, is reached for real.
    onUnhandledFrame: ({ frame, defaults }) => {
      const { request } = frame.data as { request?: Request };
      if (!request || new URL(request.url).hostname !== "127.0.0.1") defaults.error();
    },
  }),
);
afterEach(() => mock.reset());
afterAll(() => server.close());

// The client's defaults: https://api.applivery.io, which the handlers answer for by default.
const client = (extra: Parameters<typeof createBulkTasksClient>[0] = {}) =>
  createBulkTasksClient({ apiKey: API_KEY, retryDelays: FAST_RETRIES, ...extra });

function emptyPage() {
  return {
    items: [],
    totalDocs: 0,
    limit: 20,
    page: 1,
    totalPages: 1,
    pagingCounter: 1,
    hasPrevPage: false,
    hasNextPage: false,
    prevPage: null,
    nextPage: null,
  };
}

describe("createLocalApiHandlers (msw)", () => {
  it("answers for the client's default base URL", () => {
    expect(mock.url).toBe("https://api.applivery.io");
    expect(mock.apiKey).toBe(API_KEY);
  });

  it("serves pages of the dataset, with filters", async () => {
    const page = await client().bulkTasks.list("lab", { limit: 10, page: 2 });
    expect(page).toMatchObject({ page: 2, totalPages: 5, totalDocs: 45, hasNextPage: true });
    expect(page.items.map((task) => task.id)).toEqual(tasks.slice(10, 20).map((task) => task.id));
    const failed = await client().bulkTasks.list("lab", { status: "failed", limit: 100 });
    expect(failed.items.map((task) => task.id)).toEqual(
      tasks.filter((task) => task.status === "failed").map((task) => task.id),
    );
  });

  it("serves a whole walk, concurrently", async () => {
    const ids: string[] = [];
    for await (const task of client().bulkTasks.list("lab", { limit: 7 }, { concurrency: 4 }))
      ids.push(task.id);
    expect(ids).toEqual(tasks.map((task) => task.id));
    expect(mock.requests).toHaveLength(7);
    expect(everythingReachable(mock.requests)).not.toContain(API_KEY);
  });

  it.each<[string, { call: () => Promise<unknown>; want: new (...args: never[]) => Error; code?: number }]>([
    [
      "a wrong key",
      {
        call: () => client({ apiKey: "wrong" }).bulkTasks.list("lab"),
        want: AuthenticationError,
        code: 4004,
      },
    ],
    [
      "an unknown organization",
      { call: () => client().bulkTasks.list("acme"), want: NotFoundError, code: 3001 },
    ],
    [
      "an unknown task",
      { call: () => client().bulkTasks.get("lab", "0".repeat(24)), want: NotFoundError, code: 3001 },
    ],
    [
      "a bad parameter, refused before sending",
      { call: () => client().bulkTasks.list("lab", { limit: 0 }), want: InvalidRequestError },
    ],
  ])("answers %s as the local API does", async (_, { call, want, code }) => {
    const error = await failure(call());
    expect(error).toBeInstanceOf(want);
    if (code !== undefined) expect(error).toMatchObject({ code });
  });

  it("refuses a query the spec refuses with 400, code 3000 (the raw client does not check)", async () => {
    const { response, error } = await client().raw.GET("/v1/organizations/{organizationId}/bulk-tasks", {
      params: { path: { organizationId: "lab" }, query: { limit: 0 } },
    });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ status: false, error: { code: 3000 } });
  });

  it("injects faults, which the client retries", async () => {
    mock.inject({ kind: "status", status: 503 }, 2);
    expect((await client().bulkTasks.list("lab")).totalDocs).toBe(45);
    expect(mock.requests).toHaveLength(3);
    mock.reset();
    mock.inject({ kind: "status", status: 500 }, 3);
    expect(await failure(client().bulkTasks.list("lab"))).toBeInstanceOf(ServerError);
  });

  it("answers a 429 with Retry-After", async () => {
    mock.inject({ kind: "rate-limit", retryAfter: 120 });
    const error = await failure(client().bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfter: 120 });
  });

  it.each<[string, { fault: Parameters<typeof mock.inject>[0]; want: new (...args: never[]) => Error }]>([
    ["drop: a network error (HttpResponse.error())", { fault: { kind: "drop" }, want: ConnectionError }],
    ["truncate: a body that errors half-way", { fault: { kind: "truncate" }, want: ConnectionError }],
    ["stall: a body that stops", { fault: { kind: "stall" }, want: TimeoutError }],
  ])("breaks the exchange for %s", async (_, { fault, want }) => {
    mock.inject(fault);
    const error = await failure(client({ maxRetries: 0, timeoutMs: 300 }).bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(want);
  });

  it("enforces a rate limit with its headers", async () => {
    const limited = createLocalApiHandlers({
      ...options,
      baseUrl: "https://limited.example",
      rateLimit: { kind: "fixed-window", limit: 2, windowMs: 60_000 },
    });
    server.use(...limited.handlers);
    // Plain fetch: the client would hold the third request until the window ends (it paces itself).
    const get = () =>
      fetch(`${limited.url}/v1/organizations/lab/bulk-tasks`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
    const answers = [await get(), await get(), await get()].map((response) => ({
      status: response.status,
      remaining: response.headers.get("x-ratelimit-remaining"),
      retryAfter: response.headers.get("retry-after"),
    }));
    expect(answers).toEqual([
      { status: 200, remaining: "1", retryAfter: null },
      { status: 200, remaining: "0", retryAfter: null },
      { status: 429, remaining: "0", retryAfter: "60" },
    ]);
  });

  it("replays a recording when asked with Prefer: example=recorded", async () => {
    const page = await client({ headers: { prefer: "example=recorded" } }).bulkTasks.list("lab");
    expect(page.totalDocs).toBe(7);
  });

  it("runs a started task on its schedule, for waitFor", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const scheduled = createLocalApiHandlers({
      ...options,
      baseUrl: "https://scheduled.example",
      clock: () => now,
    });
    server.use(...scheduled.handlers);
    const started = scheduled.startTask("lab", { durationMs: 10_000, outcome: "completed" });
    expect(started.status).toBe("pending");
    const scheduledClient = client({ baseUrl: scheduled.url });
    now += 5_000;
    expect((await scheduledClient.bulkTasks.get("lab", started.id)).status).toBe("inProgress");
    now += 5_000;
    const done = await scheduledClient.bulkTasks.waitFor("lab", started.id, { pollIntervalMs: 1 });
    expect(done.status).toBe("completed");
  });
});

describe("one fake, two front doors", () => {
  // The same requests to the node:http server and to the msw handlers get the same answers.
  const requests: [string, Record<string, string>][] = [
    [
      "/v1/organizations/lab/bulk-tasks?limit=5&page=3&sort=createdAt:asc",
      { authorization: `Bearer ${API_KEY}` },
    ],
    ["/v1/organizations/lab/bulk-tasks?action=import-mdm-users", { authorization: `Bearer ${API_KEY}` }],
    [`/v1/organizations/lab/bulk-tasks/${tasks[3]?.id}`, { authorization: `Bearer ${API_KEY}` }],
    ["/v1/organizations/lab/bulk-tasks", {}],
    ["/v1/organizations/lab/bulk-tasks", { authorization: "Bearer nope" }],
    ["/v1/organizations/lab/bulk-tasks?limit=0", { authorization: `Bearer ${API_KEY}` }],
    ["/v1/organizations/acme/bulk-tasks", { authorization: `Bearer ${API_KEY}` }],
    ["/v1/organizations/lab/tasks", { authorization: `Bearer ${API_KEY}` }],
    ["/v1/organizations/lab/bulk-tasks", { authorization: `Bearer ${API_KEY}`, prefer: "example=recorded" }],
  ];

  it.each(requests)("%s %j", async (path, headers) => {
    const local = await startLocalApi(options);
    try {
      const answer = async (base: string) => {
        const response = await fetch(`${base}${path}`, { headers });
        // What node:http adds of its own: the date and the connection's.
        const { date: _, connection: __, "keep-alive": ___, ...kept } = Object.fromEntries(response.headers);
        return { status: response.status, headers: kept, body: await response.text() };
      };
      const [viaMsw, viaHttp] = [await answer(mock.url), await answer(local.url)];
      expect(viaMsw).toEqual(viaHttp);
    } finally {
      await local.close();
    }
  });
});
