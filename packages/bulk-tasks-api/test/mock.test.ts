import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createBulkTasksClient, ServerError } from "../src/index.js";

// `pnpm mock` is the local API as a command: started here on a free port, used, stopped.
async function startMock(...args: string[]) {
  const child = spawn(process.execPath, ["scripts/mock.mjs", "--port", "0", ...args], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  while (!output.includes("try:")) await once(child.stdout, "data");
  const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? "";
  const stop = async () => {
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  return { url, output, stop };
}

describe("pnpm mock", () => {
  it("serves the dataset it is told, with the key it prints", async () => {
    const mock = await startMock("--tasks", "30", "--key", "dev-key");
    try {
      expect(mock.output).toContain("APPLIVERY_API_KEY=dev-key");
      const client = createBulkTasksClient({ apiKey: "dev-key", baseUrl: mock.url });
      let count = 0;
      for await (const _ of client.bulkTasks.list("lab", { limit: 7 })) count++;
      expect(count).toBe(30);
    } finally {
      await mock.stop();
    }
  });

  it("injects faults at the rate asked", async () => {
    const mock = await startMock("--fail-rate", "1");
    try {
      const client = createBulkTasksClient({
        apiKey: "local-api-key",
        baseUrl: mock.url,
        maxRetries: 1,
        retryDelays: { initialRetryDelayMs: 1 },
      });
      await expect(client.bulkTasks.list("lab")).rejects.toBeInstanceOf(ServerError);
    } finally {
      await mock.stop();
    }
  });

  it("refuses a bad rate, saying which", async () => {
    const child = spawn(process.execPath, ["scripts/mock.mjs", "--latency=-5"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
    });
    let error = "";
    child.stderr.on("data", (chunk: Buffer) => {
      error += chunk;
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(error).toContain('--latency must be a number >= 0, not "-5"');
  });
});
