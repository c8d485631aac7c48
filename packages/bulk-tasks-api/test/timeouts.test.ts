import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConnectionError, TimeoutError } from "../src/index.js";
import { API_KEY, localClient, useLocalApi } from "./support.js";

const local = useLocalApi();

describe("timeouts", () => {
  it("turns a body that stalls into a TimeoutError, per attempt", async () => {
    local.api.inject({ kind: "stall" }, 2);
    const before = local.api.requests.length;
    // Long enough for an attempt to reach the server on a loaded machine, short for a test: the
    // server records a request when it arrives, and the assertion counts both attempts there.
    const error = await localClient(local.api, { timeoutMs: 400, maxRetries: 1 })
      .bulkTasks.list("lab")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({
      timeoutMs: 400,
      message: "The request timed out after 400 ms: raise timeoutMs if the server is slow to answer.",
    });
    expect(local.api.requests.length - before).toBe(2);
  });

  it("retries a timed-out attempt", async () => {
    local.api.inject({ kind: "stall" });
    // The retry must get its page within the limit: room for a loaded machine.
    const page = await localClient(local.api, { timeoutMs: 1_000 }).bulkTasks.list("lab");
    expect(page.items.length).toBeGreaterThan(0);
  });

  it("takes a per-call timeoutMs over the client's", async () => {
    local.api.inject({ kind: "stall" });
    const error = await localClient(local.api, { timeoutMs: 60_000, maxRetries: 0 })
      .bulkTasks.list("lab", {}, { timeoutMs: 30 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "TimeoutError", timeoutMs: 30 });
  });

  it("rejects with the caller's reason, not a TimeoutError, when the caller aborts", async () => {
    local.api.inject({ kind: "stall" });
    const controller = new AbortController();
    const list = localClient(local.api, { timeoutMs: 60_000 }).bulkTasks.list(
      "lab",
      {},
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    const error = await list.catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ name: "AbortError" });
  });

  it.each([
    ["never answers", () => new Promise<Response>(() => {})],
    [
      "answers with a body that never ends",
      async () =>
        new Response(new ReadableStream({ start() {} }), { headers: { "content-type": "application/json" } }),
    ],
  ])("times out even with a fetch that ignores the signal and %s", async (_, ignoringFetch) => {
    const client = localClient(local.api, { timeoutMs: 50, maxRetries: 0, fetch: ignoringFetch });
    const outcome = await Promise.race([
      client.bulkTasks.list("lab").catch((caught: unknown) => caught),
      new Promise((resolve) => setTimeout(resolve, 3_000, "still waiting")),
    ]);
    expect(outcome).toBeInstanceOf(TimeoutError);
    // The caller's abort wins the same way.
    const controller = new AbortController();
    const call = client.bulkTasks.list("lab", {}, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort(new Error("caller stops"));
    await expect(call).rejects.toThrow("caller stops");
  });

  it("aborts a backoff wait with the caller's signal", async () => {
    local.api.inject({ kind: "status", status: 503 });
    const controller = new AbortController();
    const list = localClient(local.api, {
      retryDelays: { initialRetryDelayMs: 60_000, maxRetryDelayMs: 60_000 },
    }).bulkTasks.list("lab", {}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop waiting")), 30);
    await expect(list).rejects.toThrow("stop waiting");
  });

  it("leaves no timer running: a script that made one call, with a retry, exits at once", async () => {
    // The built package, in a process of its own: a timer left running would keep it alive for the
    // 10-minute per-attempt limit, far past the 20 s this test waits.
    local.api.inject({ kind: "status", status: 503 });
    const script = `
      import { createBulkTasksClient } from "@org/bulk-tasks-api";
      const client = createBulkTasksClient({ timeoutMs: 600000, retryDelays: { initialRetryDelayMs: 1 } });
      const page = await client.bulkTasks.list("lab");
      console.log(page.items.length);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { ...process.env, APPLIVERY_API_KEY: API_KEY, APPLIVERY_BASE_URL: local.api.url },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    const killer = setTimeout(() => child.kill(), 20_000);
    const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
    clearTimeout(killer);
    // One page of the default dataset, at the default limit of 100.
    expect({ code, signal, output: output.trim() }).toEqual({ code: 0, signal: null, output: "100" });
  });
});
