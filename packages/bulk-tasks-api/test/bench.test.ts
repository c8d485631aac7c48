import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateBulkTasks, type LocalApi, startLocalApi } from "../src/testing/index.js";

// The benchmarks are not run by `pnpm test` (their figures belong to `pnpm bench`), but their walks
// are: a walk that counts wrongly, or a mode that no longer runs, would make every figure a lie.
const walkScript = fileURLToPath(new URL("../bench/walk.mjs", import.meta.url));
const tasks = generateBulkTasks(250);
let api: LocalApi;
beforeAll(async () => {
  api = await startLocalApi({ organizations: { bench: tasks }, apiKeys: ["bench-key"] });
});
afterAll(() => api.close());

async function walk(mode: string, concurrency: number) {
  const { stdout } = await promisify(execFile)(process.execPath, [
    walkScript,
    mode,
    api.url,
    "30",
    String(concurrency),
  ]);
  return JSON.parse(stdout) as { tasks: number; checksum: number; ms: number; maxRssMb: number };
}

describe("bench/walk.mjs", () => {
  it("walks every task once in each mode, with the same checksum", async () => {
    const checksum = tasks.reduce((sum, task) => sum + (task.report?.numItems ?? 0), 0);
    for (const [mode, concurrency] of [
      ["raw-fetch", 1],
      ["openapi-fetch", 1],
      ["client", 4],
    ] as const) {
      const result = await walk(mode, concurrency);
      expect(result, mode).toMatchObject({ tasks: 250, checksum });
      expect(result.ms, mode).toBeGreaterThan(0);
      expect(result.maxRssMb, mode).toBeGreaterThan(0);
    }
  });
});

describe("bench/zoo-walk.mjs", () => {
  it("walks every task of a zoo server once it is told to go, and counts the refusals", async () => {
    const script = fileURLToPath(new URL("../bench/zoo-walk.mjs", import.meta.url));
    const spec = {
      server: "zoo",
      options: { pages: 6, limiter: { kind: "token-bucket", perSecond: 1000, burst: 2 } },
      concurrency: 4,
    };
    const child = execFile(process.execPath, [script, JSON.stringify(spec)]);
    child.stdin?.end("go\n");
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    await new Promise((resolve) => child.on("close", resolve));
    const result = JSON.parse(output.slice(output.indexOf("{")));
    expect(result).toMatchObject({ seen: 60, failure: "" });
    expect(result.refused).toBeGreaterThanOrEqual(0);
  });
});
