import { once } from "node:events";
import type { BulkTask } from "@org/bulk-tasks-api";
import { generateBulkTasks, type LiveTaskOptions } from "@org/bulk-tasks-api/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { API_KEY, type Run, runCli, startCli, target, useLocalApi } from "./support.js";

// Tasks that run on the local API's schedule, started by each test with a seed of its own (the seed
// gives the id) and a duration short enough to wait for. `skew` moves the local API's clock, to
// put a task halfway through without waiting for it.
let skew = 0;
const local = useLocalApi(() => ({ clock: () => Date.now() + skew }));
beforeEach(() => {
  local.api.reset();
  skew = 0;
});

let nextSeed = 100;
function startTask(options: LiveTaskOptions): BulkTask {
  return local.api.startTask("lab", { seed: nextSeed++, ...options });
}

/** `wait` on the test's local API, polling often: the tasks here last about a second. */
const wait = (id: string, ...args: string[]) => [
  "wait",
  "lab",
  id,
  "--poll-interval",
  "50",
  ...args,
  ...target(local.api),
];

function expectOneErrorLine({ stderr }: Run, pattern: RegExp): void {
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(/^bulk-tasks: /);
  expect(stderr.trimEnd()).toMatch(pattern);
  expect(stderr).not.toContain(API_KEY);
}

/** Resolves once the local API has received a request for the task. */
async function polled(id: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!local.api.requests.some(({ url }) => url.endsWith(`/bulk-tasks/${id}`))) {
    if (Date.now() > deadline) throw new Error(`no request for ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("bulk-tasks wait", () => {
  it("follows a task to its end (each change with --verbose), exits 0 and prints it as JSON in a pipe", async () => {
    const started = startTask({ durationMs: 1200, rows: 60 });
    const { code, stdout, stderr } = await runCli(wait(started.id, "--verbose"));
    expect(code).toBe(0);
    const task = JSON.parse(stdout) as BulkTask;
    expect(task).toMatchObject({ id: started.id, status: "completed", report: { numItems: 60 } });
    // --verbose: each poll, and each change of the task with its status and rows.
    const changes = stderr
      .split("\n")
      .filter((line) => line.startsWith(`${started.id} `))
      .map((line) => line.slice(started.id.length + 1));
    expect(changes.length).toBeGreaterThan(2);
    expect(changes.at(-1)).toMatch(/^completed · 60 of 60 rows · \d+ s$/);
    const inProgress = changes
      .map((line) => /^inProgress · (\d+) of 60 rows/.exec(line)?.[1])
      .filter(Boolean);
    expect(inProgress.length).toBeGreaterThan(0);
    expect(inProgress.map(Number)).toEqual(inProgress.map(Number).sort((a, b) => a - b));
    const polls = stderr
      .split("\n")
      .filter((line) =>
        /^GET http:\/\/127\.0\.0\.1:\d+\/v1\/organizations\/lab\/bulk-tasks\/\w+ 200 \d+ ms$/.test(line),
      );
    expect(polls.length).toBeGreaterThanOrEqual(changes.length);
  });

  it("prints the final task as get does with --format text, and nothing on stderr in a pipe", async () => {
    const started = startTask({ durationMs: 1, rows: 30 });
    const { code, stdout, stderr } = await runCli(wait(started.id, "--format", "text"));
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const get = await runCli(["get", "lab", started.id, "--format", "text", ...target(local.api)]);
    expect(stdout).toBe(get.stdout);
    expect(stdout.split("\n")[0]).toBe(`${started.id}  completed`);
    expect(stdout).toContain("\nRows, from its report\n  read      30\n");
  });

  it("exits 3 for a task that failed, printed in full, with one line on stderr saying why", async () => {
    const started = startTask({ durationMs: 1, rows: 90, outcome: "failed" });
    const run = await runCli(wait(started.id));
    expect(run.code).toBe(3);
    const task = JSON.parse(run.stdout) as BulkTask;
    expect(task).toMatchObject({
      id: started.id,
      status: "failed",
      error: "30 of 90 rows could not be imported",
    });
    expect(task.report?.erroredLines).toHaveLength(30);
    expectOneErrorLine(
      run,
      new RegExp(`^bulk-tasks: Task ${started.id} failed: 30 of 90 rows could not be imported\\.$`),
    );
  });

  it("exits 1 past --wait-timeout, saying the status last seen and what to do", async () => {
    const started = startTask({ durationMs: 60_000 });
    const run = await runCli(wait(started.id, "--wait-timeout", "300"));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expectOneErrorLine(
      run,
      new RegExp(
        `^bulk-tasks: WaitTimeoutError: Task ${started.id} did not finish within 300 ms \\(last seen pending\\)\\. Raise --wait-timeout, or look again later with bulk-tasks get\\.$`,
      ),
    );
  });

  it("says the rows processed when it gave up on a task in progress", async () => {
    const started = startTask({ durationMs: 100_000, rows: 1000 });
    skew = 50_000; // past pending and created (the first 20%), and far from the end
    const run = await runCli(wait(started.id, "--wait-timeout", "200"));
    expect(run.code).toBe(1);
    expectOneErrorLine(run, /\(last seen inProgress, \d+ of 1,000 rows\)\. Raise --wait-timeout/);
  });

  it("stops on Ctrl-C with exit code 130, printing nothing, and polls no more", async () => {
    const started = startTask({ durationMs: 60_000 });
    const child = startCli(wait(started.id));
    await polled(started.id);
    child.kill("SIGINT");
    const [code] = (await once(child, "close")) as [number | null];
    expect(code).toBe(130);
    expect(child.output).toEqual({ stdout: "", stderr: "" });
    const sent = local.api.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(local.api.requests.length).toBe(sent);
  });

  it("exits 1 for an unknown task, with a hint naming both ids", async () => {
    const run = await runCli(wait("0123456789abcdef01234567"));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expectOneErrorLine(run, /NotFoundError: 404 .* Check the organization id and the task id/);
  });

  it("retries a poll that failed, as every request (--verbose shows it), and goes on", async () => {
    const started = startTask({ durationMs: 1 });
    local.api.inject({ kind: "status", status: 503 });
    const { code, stderr } = await runCli(wait(started.id, "--verbose"));
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /\nretry 1 of GET http:\/\/127\.0\.0\.1:\d+\/v1\/organizations\/lab\/bulk-tasks\/\w+ in \d+ ms \(after 503\)\n/,
    );
  });

  it("applies --timeout and --retries to each poll", async () => {
    const started = startTask({ durationMs: 1 });
    local.api.inject({ kind: "stall" });
    const run = await runCli(wait(started.id, "--timeout", "300", "--retries", "0"));
    expect(run.code).toBe(1);
    expectOneErrorLine(run, /TimeoutError: The request timed out after 300 ms\. .* raise --timeout\.$/);
  });

  it.each<[string, string[], RegExp]>([
    [
      "a task id that breaks the spec's rule",
      ["wait", "lab", "not-a-task-id"],
      /^bulk-tasks: Invalid <bulkTaskId>: "not-a-task-id" is not a task id of 24 hex digits \(0-9, a-f\), such as 65a1f0c2e4b0a1b2c3d4e5f6\. Nothing was sent\.$/,
    ],
    ["a missing task id", ["wait", "lab"], /Missing <bulkTaskId>: .* See bulk-tasks wait --help\.$/],
    [
      "a --wait-timeout that is not a number",
      ["wait", "lab", "6ae4ecd500000000038f41ed", "--wait-timeout", "soon"],
      /^bulk-tasks: Invalid --wait-timeout: "soon" is not a number >= 1 and <= 2147483647\. Nothing was sent\.$/,
    ],
    [
      "--poll-interval 0",
      ["wait", "lab", "6ae4ecd500000000038f41ed", "--poll-interval", "0"],
      /^bulk-tasks: Invalid --poll-interval: 0 is not a number >= 1 and <= 2147483647\. Nothing was sent\.$/,
    ],
    [
      "a bad --timeout (the limit of each poll)",
      ["wait", "lab", "6ae4ecd500000000038f41ed", "--timeout", "0"],
      /^bulk-tasks: Invalid --timeout: 0 is not a number > 0 and <= 2147483647\. Nothing was sent\.$/,
    ],
    [
      "a bad --format",
      ["wait", "lab", "6ae4ecd500000000038f41ed", "--format", "table"],
      /Invalid --format: "table" is not one of text, json/,
    ],
  ])("exits 2 for %s, before any request", async (_, args, pattern) => {
    const run = await runCli([...args, ...target(local.api)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expectOneErrorLine(run, pattern);
    expect(local.api.requests).toHaveLength(0);
  });
});

describe("a task in a status this version does not know", () => {
  const paused = useLocalApi(() => {
    const [task] = generateBulkTasks(1, { newest: "2026-11-01T09:00:00Z" });
    return { organizations: { lab: [{ ...(task as BulkTask), status: "paused" as BulkTask["status"] }] } };
  });

  it("ends the wait at once, exit code 1, saying the status and what to do", async () => {
    const { items } = await (await import("@org/bulk-tasks-api"))
      .createBulkTasksClient({ apiKey: API_KEY, baseUrl: paused.api.url })
      .bulkTasks.list("lab");
    const id = items[0]?.id ?? "";
    const run = await runCli(["wait", "lab", id, "--wait-timeout", "600000", ...target(paused.api)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd()).toBe(
      `bulk-tasks: UnknownTaskStatusError: Task ${id} has status "paused", which this bulk-tasks does not know, so it cannot tell whether the task will finish. Look at it with bulk-tasks get, or update bulk-tasks.`,
    );
  });
});
