import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBulkTasksClient, ServerError } from "@org/bulk-tasks-api";
import { DEFAULT_TASK_COUNT } from "@org/bulk-tasks-api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cleanEnv, LIVE_TASK_IDS, type RunningCli, runCli, startCli, waitForOutput } from "./support.js";

/** Starts `bulk-tasks serve-local` on a free port and waits for its instructions. */
async function serve(
  ...args: string[]
): Promise<{ child: RunningCli; url: string; stop(): Promise<number | null> }> {
  const child = startCli(["serve-local", "--port", "0", ...args]);
  await waitForOutput(child, "stdout", /curl .*\n/);
  const url = /API at (http:\/\/127\.0\.0\.1:\d+)/.exec(child.output.stdout)?.[1] ?? "";
  return {
    child,
    url,
    async stop() {
      child.kill("SIGINT");
      const [code] = (await once(child, "close")) as [number | null];
      return code;
    },
  };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "bulk-tasks-cli-har-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("bulk-tasks serve-local", () => {
  it("serves the dataset it is told with the key it prints, and prints commands to paste", async () => {
    const server = await serve("--tasks", "30", "--key", "dev-key");
    try {
      const { stdout } = server.child.output;
      expect(stdout).toContain(`Local bulk tasks API at ${server.url} (Ctrl-C to stop)`);
      expect(stdout).toContain("  key:           dev-key\n");
      expect(stdout).toContain("lab (30 tasks), empty (none)");
      expect(stdout).toContain(`  APPLIVERY_API_KEY=dev-key bulk-tasks list lab --base-url ${server.url}\n`);
      expect(stdout).toContain(
        `  curl -H 'Authorization: Bearer dev-key' "${server.url}/v1/organizations/lab/bulk-tasks?limit=2"\n`,
      );
      const client = createBulkTasksClient({ apiKey: "dev-key", baseUrl: server.url });
      let count = 0;
      for await (const _ of client.bulkTasks.list("lab", { limit: 7 })) count++;
      expect(count).toBe(30 + LIVE_TASK_IDS.length);
      // The line it prints works as printed (here with the bin in place of the name on PATH).
      const listed = await runCli(["list", "lab", "--all", "--base-url", server.url], {
        APPLIVERY_API_KEY: "dev-key",
      });
      expect(listed.stdout.split("\n").filter(Boolean)).toHaveLength(30 + LIVE_TASK_IDS.length);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("serves the local API's default dataset without --tasks, and stops on SIGTERM with exit code 0", async () => {
    const server = await serve();
    const closed = once(server.child, "close") as Promise<[number | null]>;
    try {
      const client = createBulkTasksClient({ apiKey: "local-api-key", baseUrl: server.url });
      const page = await client.bulkTasks.list("lab");
      expect(page.totalDocs).toBe(DEFAULT_TASK_COUNT + LIVE_TASK_IDS.length);
      expect(server.child.output.stdout).toContain(`lab (${DEFAULT_TASK_COUNT} tasks)`);
    } finally {
      // Stopped whatever happened above: a server left running would outlive the test run.
      server.child.kill("SIGTERM");
    }
    const [code] = await closed;
    expect(code).toBe(0);
  });

  it("runs the two live tasks of --local from its start, and prints a wait line that works as printed", async () => {
    const server = await serve("--live-duration", "900");
    try {
      const { stdout } = server.child.output;
      const [completes, fails] = LIVE_TASK_IDS;
      expect(stdout).toContain(
        [
          `  live tasks:    ${completes} in lab, completes in 1 s`,
          `                 ${fails} in lab, fails in 1 s`,
        ].join("\n"),
      );
      const line = `  APPLIVERY_API_KEY=local-api-key bulk-tasks wait lab ${completes} --base-url ${server.url}\n`;
      expect(stdout).toContain(line);
      // The line without `APPLIVERY_API_KEY=... bulk-tasks`: the variable, then the bin in place of the name.
      const args = line.trim().split(" ").slice(2);
      const waited = await runCli(args, { APPLIVERY_API_KEY: "local-api-key" });
      expect(waited.code).toBe(0);
      expect(JSON.parse(waited.stdout)).toMatchObject({
        id: completes,
        status: "completed",
        createdAt: "2026-11-01T09:30:00.000Z",
        updatedAt: "2026-11-01T09:30:00.900Z",
        report: { numItems: 400 },
      });
      const client = createBulkTasksClient({ apiKey: "local-api-key", baseUrl: server.url });
      expect(await client.bulkTasks.waitFor("lab", fails, { pollIntervalMs: 50 })).toMatchObject({
        status: "failed",
        action: "import-inventory-items",
        report: { numItems: 240 },
      });
    } finally {
      await server.stop();
    }
  });

  it("injects faults at the rate asked, in a pattern the seed replays", async () => {
    const statuses = async (seed: string) => {
      const server = await serve("--fail-rate", "0.5", "--seed", seed);
      const client = createBulkTasksClient({ apiKey: "local-api-key", baseUrl: server.url, maxRetries: 0 });
      const seen: string[] = [];
      for (let i = 0; i < 16; i++) {
        seen.push(
          await client.bulkTasks.list("lab", { limit: 1 }).then(
            () => "200",
            (error) => (error instanceof ServerError ? "503" : String(error)),
          ),
        );
      }
      await server.stop();
      return seen.join(" ");
    };
    const [first, again, other] = await Promise.all([statuses("7"), statuses("7"), statuses("8")]);
    expect(first).toContain("503");
    expect(first).toContain("200");
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it("answers with the exchanges of HAR files for an organization the dataset does not hold", async () => {
    const body = JSON.stringify({ status: false, error: { code: 3001, message: "Recorded answer" } });
    const har = join(work, "recorded.har");
    await writeFile(
      har,
      JSON.stringify({
        log: {
          version: "1.2",
          entries: [
            {
              request: {
                method: "GET",
                url: "https://api.applivery.io/v1/organizations/recorded/bulk-tasks",
                headers: [{ name: "Authorization", value: "Bearer x" }],
              },
              response: {
                status: 404,
                headers: [{ name: "Content-Type", value: "application/json" }],
                content: { text: body },
              },
            },
          ],
        },
      }),
    );
    const server = await serve("--recordings", har);
    try {
      expect(server.child.output.stdout).toContain("recordings:    1 exchanges from recorded.har");
      const response = await fetch(`${server.url}/v1/organizations/recorded/bulk-tasks`, {
        headers: { Authorization: "Bearer local-api-key" },
      });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(body);
    } finally {
      await server.stop();
    }
  });

  it.each([
    [
      "a missing HAR file",
      () => ["--recordings", join(work, "missing.har")],
      /Cannot read --recordings .*missing\.har: ENOENT\./,
    ],
    [
      "a file that is not HAR",
      () => ["--recordings", join(work, "not.har")],
      /not\.har is not a HAR file: it has no log\.entries array/,
    ],
    [
      "a rate above 1",
      () => ["--fail-rate", "1.5"],
      /Invalid --fail-rate: "1\.5" is not a number >= 0 and <= 1\./,
    ],
    [
      "a negative latency",
      () => ["--latency=-5"],
      /Invalid --latency: "-5" is not a number >= 0 and <= 2147483647\./,
    ],
    [
      "a port out of range",
      () => ["--port", "70000"],
      /Invalid --port: "70000" is not an integer >= 0 and <= 65535\./,
    ],
    ["an option of the client", () => ["--api-key", "x"], /Unknown option "--api-key"/],
    [
      "a live duration of 0",
      () => ["--live-duration", "0"],
      /Invalid --live-duration: "0" is not an integer >= 1 and <= 2147483647\./,
    ],
    [
      "a --latency longer than a timer keeps",
      () => ["--latency", "99999999999"],
      /Invalid --latency: "99999999999" is not a number >= 0 and <= 2147483647\./,
    ],
    [
      "a --retry-after in fractions of a second (Retry-After takes whole seconds)",
      () => ["--retry-after", "1.5"],
      /Invalid --retry-after: "1\.5" is not an integer >= 0/,
    ],
    [
      "a --newest in seconds",
      () => ["--newest", "1769860800"],
      /Invalid --newest: 1769860800 looks like seconds; in milliseconds it is 1769860800000\./,
    ],
    [
      "a --newest on a day that does not exist, quoted (a date is no key)",
      () => ["--newest", "2026-13-45T00:00:00Z"],
      /Invalid --newest: "2026-13-45T00:00:00Z" is not a day and time that exist\./,
    ],
    [
      "a --newest without an offset (it would be read in the machine's time zone)",
      () => ["--newest", "2026-11-01T09:00:00"],
      /Invalid --newest: "2026-11-01T09:00:00" has no offset: add Z \(UTC\) or one such as \+01:00\./,
    ],
    [
      "a --newest that is not a date",
      () => ["--newest", "yesterday"],
      /Invalid --newest: "yesterday" is not a date \(ISO 8601, such as 2026-11-01T09:00:00Z, or milliseconds since the epoch\)\./,
    ],
  ])("refuses %s with exit code 2", async (_, args, pattern) => {
    await writeFile(join(work, "not.har"), JSON.stringify({ entries: [] }));
    const { code, stderr } = await runCli(["serve-local", ...args()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(pattern);
  });

  it("stops, freeing its port, when the process that started it ends (npx under a shell, sent SIGTERM)", async () => {
    // As npx runs it: a shell that does not exec it (a command follows), killed without passing the
    // signal on, so that serve-local is adopted by init.
    const shell = spawn("sh", ["-c", `"${process.execPath}" "${CLI}" serve-local --port 0; exit 0`], {
      env: cleanEnv(),
    });
    let stdout = "";
    shell.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    while (!/curl .*\n/.test(stdout)) await once(shell.stdout, "data");
    const url = /API at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? "";
    shell.kill("SIGKILL");
    // The server notices within a second (it looks every 500 ms); room for a loaded machine.
    const deadline = Date.now() + 20_000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = await fetch(url).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused).toBe(true);
  });

  it.each([
    ["an ISO date", "2025-02-03T04:05:00Z", "2025-02-03T04:05:00.000Z"],
    ["epoch milliseconds", String(Date.UTC(2024, 0, 2)), "2024-01-02T00:00:00.000Z"],
  ])(
    "takes --newest as %s: the dataset's newest task, the live tasks half an hour later",
    async (_, newest, want) => {
      const server = await serve("--newest", newest);
      try {
        const client = createBulkTasksClient({ apiKey: "local-api-key", baseUrl: server.url });
        const page = await client.bulkTasks.list("lab", { limit: 3 });
        expect(page.items.map(({ createdAt }) => createdAt)).toEqual([
          new Date(Date.parse(want) + 30 * 60_000).toISOString(),
          new Date(Date.parse(want) + 30 * 60_000).toISOString(),
          want,
        ]);
      } finally {
        await server.stop();
      }
    },
  );

  it("ends the dataset half an hour before now without --newest (the live tasks start now)", async () => {
    const before = Date.now();
    const child = startCli(["serve-local", "--port", "0"], { SOURCE_DATE_EPOCH: "" });
    try {
      await waitForOutput(child, "stdout", /curl .*\n/);
      const url = /API at (http:\/\/127\.0\.0\.1:\d+)/.exec(child.output.stdout)?.[1] ?? "";
      const client = createBulkTasksClient({ apiKey: "local-api-key", baseUrl: url });
      const [live, , newest] = (await client.bulkTasks.list("lab", { limit: 3 })).items;
      const liveStart = Date.parse(live?.createdAt ?? "");
      // To the minute: the minute of the start, at the latest now.
      expect(liveStart).toBeGreaterThan(before - 60_000);
      expect(liveStart).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(newest?.createdAt ?? "")).toBe(liveStart - 30 * 60_000);
    } finally {
      child.kill("SIGINT");
      await once(child, "close");
    }
  });

  it("says when the port is taken", async () => {
    const server = await serve();
    try {
      const port = new URL(server.url).port;
      const { code, stderr } = await runCli(["serve-local", "--port", port]);
      expect(code).toBe(2);
      expect(stderr).toContain(`Port ${port} is in use: choose another --port`);
    } finally {
      await server.stop();
    }
  });
});
