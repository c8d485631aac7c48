import { describe, expect, it } from "vitest";
import {
  type BulkTask,
  BulkTasksError,
  ConfigurationError,
  createBulkTasksClient,
  InvalidRequestError,
  UnknownTaskStatusError,
  WaitTimeoutError,
} from "../src/index.js";
import { generateBulkTasks } from "../src/testing/index.js";
import {
  API_KEY,
  answerJson,
  everythingReachable,
  failure,
  findSecret,
  useAnsweringServer,
} from "./support.js";

// waitFor against tasks the spec does not describe, callbacks that do not return, and inputs that
// cannot be read: every way out is a BulkTasksError (or the caller's own reason), none leaks the
// key, and none waits for what it cannot recognise.

const server = useAnsweringServer();
const base = { ...(generateBulkTasks(3)[2] as BulkTask), status: "inProgress" as const };
const client = () => createBulkTasksClient({ apiKey: API_KEY, baseUrl: server.url });
/** Serves `tasks` one poll after another, then the last one for ever. */
const serve = (...tasks: unknown[]) => {
  let poll = 0;
  server.answer = (response) =>
    answerJson(response, 200, { status: true, data: tasks[Math.min(poll++, tasks.length - 1)] });
};
/** A callback that never returns: only the wait's own limits can end a wait that awaits it. */
const never = () => new Promise<never>(() => {});

describe("a status the spec does not name", () => {
  it("ends the wait at once with an UnknownTaskStatusError carrying the task, redacted", async () => {
    const echoed = { ...base, status: "paused", error: `token ${API_KEY} was used` };
    serve(base, echoed);
    // Waited to its timeout, this would be a WaitTimeoutError: the code this replaced gave one.
    const error = await failure(
      client().bulkTasks.waitFor("lab", base.id, { timeoutMs: 5_000, pollIntervalMs: 20 }),
    );
    expect(error).toBeInstanceOf(UnknownTaskStatusError);
    expect(error).toBeInstanceOf(BulkTasksError);
    expect(error).toMatchObject({
      name: "UnknownTaskStatusError",
      bulkTaskId: base.id,
      field: "data.status",
      value: "paused",
      task: { id: base.id, status: "paused", error: "token [redacted] was used" },
    });
    expect((error as Error).message).toBe(
      `Bulk task ${base.id} has data.status "paused", which the spec does not name: waitFor cannot tell whether it will finish. Read it with get(), or see whether a newer @org/bulk-tasks-api knows that status.`,
    );
    expect(findSecret(everythingReachable(error), API_KEY)).toBeUndefined();
    expect(server.times).toHaveLength(2);
  });

  it("quotes a status of control characters and the key on one line, without the key", async () => {
    serve({ ...base, status: `\u001b[31m${API_KEY}\nforged` });
    const error = await failure(client().bulkTasks.waitFor("lab", base.id, { timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(UnknownTaskStatusError);
    expect((error as Error).message).toContain('data.status " [31m[redacted] forged"');
    expect(findSecret(everythingReachable(error), API_KEY)).toBeUndefined();
  });

  it("is no error for get and the list: the task comes as it is", async () => {
    serve({ ...base, status: "paused" });
    expect((await client().bulkTasks.get("lab", base.id)).status).toBe("paused");
  });
});

describe("WaitTimeoutError", () => {
  it("holds the task as last seen with the key taken out, as any body an error keeps", async () => {
    serve({ ...base, error: `token ${API_KEY} was used`, [`by ${API_KEY}`]: 1 });
    const error = await failure(
      client().bulkTasks.waitFor("lab", base.id, { timeoutMs: 300, pollIntervalMs: 50 }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).lastTask).toMatchObject({
      id: base.id,
      error: "token [redacted] was used",
    });
    // The code this replaced kept the task as it came: util.inspect and JSON.stringify printed the key.
    expect(findSecret(everythingReachable(error), API_KEY)).toBeUndefined();
  });
});

describe("onProgress cannot hold a wait past its limits", () => {
  it("timeoutMs ends a wait whose callback never returns", async () => {
    serve(base);
    const error = await failure(
      client().bulkTasks.waitFor("lab", base.id, { timeoutMs: 300, onProgress: never }),
    );
    // The code this replaced awaited the callback for ever (3 s for one that took 3 s).
    expect(error).toBeInstanceOf(WaitTimeoutError);
  });

  it("the signal ends it, with the signal's reason", async () => {
    serve(base);
    const controller = new AbortController();
    const reason = new Error("stop");
    const waiting = client().bulkTasks.waitFor("lab", base.id, {
      signal: controller.signal,
      onProgress: () => {
        setTimeout(() => controller.abort(reason), 50);
        return never();
      },
    });
    await expect(waiting).rejects.toBe(reason);
  });

  it("an error the callback throws later, once the wait is over, is not unhandled", async () => {
    serve(base);
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error("late")), 100));
    await failure(client().bulkTasks.waitFor("lab", base.id, { timeoutMs: 50, onProgress: () => late }));
    // vitest fails the run on an unhandled rejection: give it the time to happen.
    await new Promise((resolve) => setTimeout(resolve, 150));
  });
});

describe("every failure is a BulkTasksError", () => {
  it("a report nested 20,000 levels deep: the wait goes on, and its timeout error prints", async () => {
    const depth = 20_000;
    const report = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const body = `{"status":true,"data":${JSON.stringify(base).replace(/}$/, `,"report":${report}}`)}}`;
    server.answer = (response) => response.writeHead(200, { "content-type": "application/json" }).end(body);
    expect((await client().bulkTasks.get("lab", base.id)).id).toBe(base.id);
    const error = await failure(
      client().bulkTasks.waitFor("lab", base.id, { timeoutMs: 300, pollIntervalMs: 50 }),
    );
    // The code this replaced rejected with a bare RangeError (its change detection stringified it).
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(() => everythingReachable(error)).not.toThrow();
  });

  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy as never;
  };
  const id = base.id;
  it.each<[string, () => PromiseLike<unknown>]>([
    ["get's task id", () => client().bulkTasks.get("lab", revoked())],
    ["get's organization id", () => client().bulkTasks.get(revoked(), id)],
    ["get's options", () => client().bulkTasks.get("lab", id, revoked())],
    ["get's signal", () => client().bulkTasks.get("lab", id, { signal: revoked() })],
    ["waitFor's task id", () => client().bulkTasks.waitFor("lab", revoked())],
    ["waitFor's options", () => client().bulkTasks.waitFor("lab", id, revoked())],
    ["waitFor's signal", () => client().bulkTasks.waitFor("lab", id, { signal: revoked() })],
    ["list's query", () => client().bulkTasks.list("lab", revoked())],
    ["list's options", () => client().bulkTasks.list("lab", {}, revoked())],
    ["list's signal", () => client().bulkTasks.list("lab", {}, { signal: revoked() })],
  ])("a revoked Proxy as %s is an InvalidRequestError", async (_, call) => {
    const error = await failure(call());
    // The code this replaced threw a bare TypeError ("Cannot perform 'getPrototypeOf' on a proxy").
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(server.times).toEqual([]);
  });

  it.each([["the options"], ["baseUrl"]])("a revoked Proxy as %s is a ConfigurationError", (where) => {
    const options = where === "the options" ? revoked() : { apiKey: API_KEY, baseUrl: revoked() };
    expect(() => createBulkTasksClient(options)).toThrow(ConfigurationError);
  });
});
