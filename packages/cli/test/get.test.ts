import type { BulkTask } from "@org/bulk-tasks-api";
import { generateBulkTasks, startLocalApi } from "@org/bulk-tasks-api/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, type Run, runCli, target, tasksServed, useLocalApi } from "./support.js";

// The local API's default dataset: expectations come from the tasks it serves.
const local = useLocalApi();
beforeEach(() => local.api.reset());
let lab: BulkTask[];

beforeAll(async () => {
  lab = await tasksServed(local.api, "lab");
});

/** A failed task with more errored lines than `get` shows, and a file with its size. */
function failedTask(): BulkTask {
  const task = lab.find(
    (candidate) =>
      candidate.status === "failed" &&
      (candidate.report?.erroredLines?.length ?? 0) > 10 &&
      candidate.file?.size !== undefined,
  );
  if (!task) throw new Error("the dataset has no failed task with more than 10 errored lines");
  return task;
}

function expectOneErrorLine({ stdout, stderr }: Run, pattern: RegExp): void {
  expect(stdout).toBe("");
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(/^bulk-tasks: /);
  expect(stderr.trimEnd()).toMatch(pattern);
  expect(stderr).not.toContain(API_KEY);
}

describe("bulk-tasks get", () => {
  it("prints the task as the API sent it, as JSON, in a pipe by default", async () => {
    const task = failedTask();
    const { code, stdout, stderr } = await runCli(["get", "lab", task.id, ...target(local.api)]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toEqual(task);
    expect(local.api.requests.map(({ url }) => url)).toEqual([`/v1/organizations/lab/bulk-tasks/${task.id}`]);
  });

  it("prints text with --format text: status, file, people, dates, counts, error and the first 10 errored lines", async () => {
    const task = failedTask();
    const { code, stdout } = await runCli(["get", "lab", task.id, "--format", "text", ...target(local.api)]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    const report = task.report ?? {};
    const errored = report.erroredLines ?? [];
    expect(lines[0]).toBe(`${task.id}  failed`);
    expect(lines).toContain(`  action      ${task.action}`);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^  file        ${task.file?.originalName} \\(\\d+(\\.\\d)? kB\\)$`)),
    );
    expect(lines).toContain(`  created by  ${task.createdBy?.fullName} <${task.createdBy?.email}>`);
    expect(lines).toContain(`  created     ${task.createdAt.slice(0, 19).replace("T", " ")} UTC`);
    expect(lines).toContain(`  updated     ${task.updatedAt.slice(0, 19).replace("T", " ")} UTC`);
    expect(lines).toContain(`  error       ${task.error}`);
    const rows = lines.slice(lines.indexOf("Rows, from its report"));
    const countOf = (label: string) =>
      Number(
        rows
          .find((line) => line.startsWith(`  ${label} `))
          ?.trim()
          .split(/\s+/)
          .at(-1),
      );
    expect(countOf("read")).toBe(report.numItems);
    expect(countOf("inserted")).toBe(report.numInserts);
    expect(countOf("updated")).toBe(report.numUpdates);
    expect(countOf("skipped")).toBe(report.numSkips);
    expect(countOf("errored")).toBe(report.numErrors);
    expect(lines).toContain(`Errored lines (the first 10 of ${errored.length})`);
    for (const { line, reason } of errored.slice(0, 10)) expect(lines).toContain(`  line ${line}: ${reason}`);
    expect(stdout).not.toContain(`  line ${errored[10]?.line}: `);
    expect(lines).toContain(`  … and ${errored.length - 10} more (--format json has them all)`);
    expect(stdout).not.toContain("\x1b[");
  });

  it("says when a task has no report yet", async () => {
    const pending = lab.find((task) => task.status === "pending" && task.report === undefined);
    const { code, stdout } = await runCli([
      "get",
      "lab",
      pending?.id ?? "",
      "--format",
      "text",
      ...target(local.api),
    ]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(`${pending?.id}  pending`);
    expect(stdout).toContain("\nNo report yet: the task has not been processed.\n");
    expect(stdout).not.toContain("  error ");
  });

  it("exits 1 for an unknown task, with a hint naming both ids", async () => {
    const run = await runCli(["get", "lab", "0123456789abcdef01234567", ...target(local.api)]);
    expect(run.code).toBe(1);
    expectOneErrorLine(
      run,
      /^bulk-tasks: NotFoundError: 404 Entity not found \(code 3001\) for GET \/v1\/organizations\/lab\/bulk-tasks\/0123456789abcdef01234567\. Check the organization id and the task id/,
    );
  });

  it("exits 1 for a 403, naming the permission get needs", async () => {
    local.api.inject({ kind: "status", status: 403 });
    const run = await runCli(["get", "lab", failedTask().id, ...target(local.api)]);
    expect(run.code).toBe(1);
    expectOneErrorLine(
      run,
      /PermissionDeniedError: 403 .* needs the permission base\.bulk\.management\.get\.$/,
    );
  });

  it.each<[string, string[], RegExp]>([
    [
      "a task id that breaks the spec's rule",
      ["get", "lab", "6ae4ecd5"],
      /^bulk-tasks: Invalid <bulkTaskId>: "6ae4ecd5" is not a task id of 24 hex digits \(0-9, a-f\), such as 65a1f0c2e4b0a1b2c3d4e5f6\. Nothing was sent\.$/,
    ],
    [
      "a missing task id",
      ["get", "lab"],
      /Missing <bulkTaskId>: the task's 24-hex-digit id, .* See bulk-tasks get --help\.$/,
    ],
    ["a missing organization id", ["get"], /Missing <organizationId>: .* See bulk-tasks get --help\.$/],
    [
      "an extra argument",
      ["get", "lab", "6ae4ecd500000000038f41ed", "more"],
      /Unexpected argument "more"\. See bulk-tasks get --help\.$/,
    ],
    [
      "a format of list",
      ["get", "lab", "6ae4ecd500000000038f41ed", "--format", "csv"],
      /is not one of text, json/,
    ],
    [
      "an option of wait",
      ["get", "lab", "6ae4ecd500000000038f41ed", "--wait-timeout", "5"],
      /Unknown option/,
    ],
  ])("exits 2 for %s, before any request", async (_, args, pattern) => {
    const run = await runCli([...args, ...target(local.api)]);
    expect(run.code).toBe(2);
    expectOneErrorLine(run, pattern);
    expect(local.api.requests).toHaveLength(0);
  });

  it("shows control characters from the server as U+FFFD, never as terminal escapes", async () => {
    const [task] = generateBulkTasks(1);
    const tricky = {
      ...(task as BulkTask),
      status: "failed" as const,
      error: "bad\x1b]0;owned\x07 file\r\nsecond line",
      file: { originalName: "stock\x1b[2J.csv", size: 12 },
    };
    const odd = await startLocalApi({ apiKeys: [API_KEY], organizations: { odd: [tricky] } });
    try {
      const { code, stdout } = await runCli(["get", "odd", tricky.id, "--format", "text", ...target(odd)]);
      expect(code).toBe(0);
      for (const control of ["\x07", "\x1b", "\r"]) expect(stdout).not.toContain(control);
      expect(stdout).toContain("  file        stock\ufffd[2J.csv (12 bytes)\n");
      expect(stdout).toContain("  error       bad\ufffd]0;owned\ufffd file\ufffd\ufffdsecond line\n");
    } finally {
      await odd.close();
    }
  });

  it("gets a task of --local's sample dataset", async () => {
    const task = failedTask();
    const { code, stdout } = await runCli(["get", "lab", task.id, "--local"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(task);
  });
});
