import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  type BulkTask,
  ConfigurationError,
  createBulkTasksClient,
  createBulkTasksCore,
  getBulkTask,
  InvalidRequestError,
  listBulkTasks,
  NotFoundError,
  RateLimitError,
  waitForBulkTask,
} from "../src/index.js";
import { generateBulkTasks, startLocalApi } from "../src/testing/index.js";
import { API_KEY, FAST_RETRIES, failure, localClient, useLocalApi } from "./support.js";

// The operations as functions of a client (createBulkTasksCore, or a full client): the same calls
// as the client's methods, for bundles that keep only the operations they call (the size test in
// package.test.ts checks what a bundle keeps).
const tasks = generateBulkTasks(25);
const local = useLocalApi({ organizations: { lab: tasks } });
const localCore = () =>
  createBulkTasksCore({ apiKey: API_KEY, baseUrl: local.api.url, retryDelays: FAST_RETRIES });

describe("createBulkTasksCore with the operation functions", () => {
  it("lists a page and walks every task", async () => {
    const core = localCore();
    const page = await listBulkTasks(core, "lab", { limit: 10 });
    expect(page.items.map((task) => task.id)).toEqual(tasks.slice(0, 10).map((task) => task.id));
    const ids: string[] = [];
    for await (const task of listBulkTasks(core, "lab", { limit: 10 })) ids.push(task.id);
    expect(ids).toEqual(tasks.map((task) => task.id));
  });

  it("gets a task, and a NotFoundError for an unknown one", async () => {
    const core = localCore();
    const [, second] = tasks as [BulkTask, BulkTask];
    expect(await getBulkTask(core, "lab", second.id)).toEqual(second);
    expect(await failure(getBulkTask(core, "lab", "0123456789abcdef01234567"))).toBeInstanceOf(NotFoundError);
  });

  it("waits for a task to finish", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY] });
    try {
      const started = api.startTask("lab", { durationMs: 300, rows: 5 });
      const core = createBulkTasksCore({ apiKey: API_KEY, baseUrl: api.url });
      const task = await waitForBulkTask(core, "lab", started.id, {
        pollIntervalMs: 50,
        maxPollIntervalMs: 100,
      });
      expect(task.status).toBe("completed");
      expect(task.report?.numItems).toBe(5);
    } finally {
      await api.close();
    }
  });

  it("refuses a broken parameter or option as the methods do, before sending", async () => {
    const core = localCore();
    const sent = local.api.requests.length;
    const errors = [
      await failure(listBulkTasks(core, "lab", { limit: 0 })),
      await failure(getBulkTask(core, "lab", "123")),
      await failure(waitForBulkTask(core, "lab", tasks[0]?.id ?? "", { pollIntervalMs: 0 })),
    ];
    expect(errors.map((error) => (error as InvalidRequestError).parameter)).toEqual([
      "limit",
      "bulkTaskId",
      "pollIntervalMs",
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(InvalidRequestError);
    expect(local.api.requests.length).toBe(sent);
  });

  it("checks the options when the core is made, as createBulkTasksClient does", () => {
    expect(() => createBulkTasksCore({ apiKey: API_KEY, maxRetries: -1 })).toThrow(ConfigurationError);
    expect(() => createBulkTasksCore({ apiKey: API_KEY, retries: 2 } as never)).toThrow(/retries/);
  });

  it("holds nothing readable: the key cannot be logged or serialised from a core", () => {
    const core = localCore();
    expect(Object.isFrozen(core)).toBe(true);
    expect(Reflect.ownKeys(core)).toEqual([]);
    expect(JSON.stringify(core)).toBe("{}");
    expect(inspect(core, { showHidden: true, depth: 10 })).not.toContain(API_KEY);
  });
});

describe("the operation functions given a full client", () => {
  it("use that client's settings: its base URL, key and headers", async () => {
    const client = localClient(local.api, { headers: { "X-Trace": "standalone" } });
    const [first] = tasks as [BulkTask];
    expect(await getBulkTask(client, "lab", first.id)).toEqual(first);
    expect(local.api.requests.at(-1)).toMatchObject({
      url: `/v1/organizations/lab/bulk-tasks/${first.id}`,
      credentials: "valid",
    });
  });

  it("share that client's rate-limit gate with its methods", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks } });
    try {
      // A 429 with a wait the client honours holds every request of the client: the function's
      // call waits behind the method's refusal (no retries, so the method fails at once).
      api.inject({ kind: "status", status: 429, headers: { "Retry-After": "1" } });
      const client = createBulkTasksClient({ apiKey: API_KEY, baseUrl: api.url, maxRetries: 0 });
      // The clock starts before the refusal: the gate opens a second after it, later than this.
      const started = performance.now();
      const refused = await failure(client.bulkTasks.get("lab", tasks[0]?.id ?? ""));
      expect(refused).toBeInstanceOf(RateLimitError);
      await getBulkTask(client, "lab", tasks[0]?.id ?? "");
      // Lower bound only (a loaded machine is slower, never faster); a timer may fire 1 ms early.
      expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    } finally {
      await api.close();
    }
  });
});

describe("a first argument that is not a client", () => {
  // The options object passed by mistake must not have its key printed by the error.
  it.each([
    ["the options object", { apiKey: API_KEY }],
    ["an empty object", {}],
    ["null", null],
    ["a string", "lab"],
  ])("is a ConfigurationError for %s, with nothing sent and no key shown", async (_, notAClient) => {
    const sent = local.api.requests.length;
    const errors = [
      await failure(listBulkTasks(notAClient as never, "lab")),
      await failure(getBulkTask(notAClient as never, "lab", tasks[0]?.id ?? "")),
      await failure(waitForBulkTask(notAClient as never, "lab", tasks[0]?.id ?? "")),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBeUndefined();
      expect((error as Error).message).toMatch(
        /^The first argument must be a client: make one with createBulkTasksCore\(options\)/,
      );
      expect(JSON.stringify(error)).not.toContain(API_KEY);
      expect(inspect(error)).not.toContain(API_KEY);
    }
    expect(local.api.requests.length).toBe(sent);
  });
});
