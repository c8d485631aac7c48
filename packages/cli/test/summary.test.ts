import type { BulkTask } from "@org/bulk-tasks-api";
import { beforeAll, describe, expect, it } from "vitest";
import { localLiveTasks, runCli, target, tasksServed, useLocalApi } from "./support.js";

const local = useLocalApi();
let lab: BulkTask[];

beforeAll(async () => {
  lab = await tasksServed(local.api, "lab");
});

const STATUSES = ["pending", "created", "inProgress", "completed", "failed"];
const ACTIONS = ["import-inventory-items", "import-mdm-users"];

/** The summary computed here, from every task the API serves, independently of the CLI's code. */
function expectedSummary(
  organizationId: string,
  tasks: BulkTask[],
  filters: { status: string | null; action: string | null } = { status: null, action: null },
) {
  const countBy = (names: string[], key: (task: BulkTask) => string) => {
    const counts = Object.fromEntries(names.map((name) => [name, 0]));
    for (const task of tasks) counts[key(task)] = (counts[key(task)] ?? 0) + 1;
    return counts;
  };
  const total = (field: "numItems" | "numInserts" | "numUpdates" | "numSkips" | "numErrors") =>
    tasks.reduce((sum, task) => sum + (task.report?.[field] ?? 0), 0);
  const failures = tasks
    .filter((task) => task.status === "failed")
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .slice(0, 5);
  return {
    organizationId,
    filters,
    tasks: tasks.length,
    byStatus: countBy(STATUSES, (task) => task.status),
    byAction: countBy(ACTIONS, (task) => task.action),
    rows: {
      read: total("numItems"),
      inserted: total("numInserts"),
      updated: total("numUpdates"),
      skipped: total("numSkips"),
      errored: total("numErrors"),
    },
    recentFailures: failures.map((task) => ({
      id: task.id,
      createdAt: task.createdAt,
      action: task.action,
      file: task.file?.originalName ?? null,
      error: task.error ?? null,
      erroredLines: (task.report?.erroredLines ?? []).slice(0, 3),
      moreErroredLines: Math.max((task.report?.erroredLines?.length ?? 0) - 3, 0),
    })),
  };
}

describe("bulk-tasks summary", () => {
  it("prints JSON in a pipe by default: counts, row totals and the 5 most recent failures, from every page", async () => {
    const { code, stdout, stderr } = await runCli(["summary", "lab", "--limit", "25", ...target(local.api)]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const summary = JSON.parse(stdout);
    expect(summary).toEqual(expectedSummary("lab", lab));
    // The dataset has what the summary is for; without it the comparison above proves little.
    expect(summary.recentFailures).toHaveLength(5);
    expect(
      summary.recentFailures.some((failure: { moreErroredLines: number }) => failure.moreErroredLines > 0),
    ).toBe(true);
  });

  it("summarises the walk the filters select, on --local with its live tasks", async () => {
    const { code, stdout } = await runCli(["summary", "lab", "--action", "import-mdm-users", "--local"]);
    expect(code).toBe(0);
    const tasks = [...(await localLiveTasks()), ...lab].filter((task) => task.action === "import-mdm-users");
    expect(JSON.parse(stdout)).toEqual(
      expectedSummary("lab", tasks, { status: null, action: "import-mdm-users" }),
    );
  });

  it("keeps every key, at zero, for an organization without tasks", async () => {
    const { code, stdout } = await runCli(["summary", "empty", "--local"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expectedSummary("empty", []));
  });

  it("prints text with --format text: the same numbers, the failures' errors and errored lines", async () => {
    const { code, stdout } = await runCli(["summary", "lab", "--format", "text", ...target(local.api)]);
    expect(code).toBe(0);
    const expected = expectedSummary("lab", lab);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(`lab: ${expected.tasks.toLocaleString("en-US")} bulk tasks`);
    const countOf = (label: string) =>
      Number(
        lines
          .find((line) => line.trim().startsWith(`${label} `))
          ?.trim()
          .split(/\s+/)
          .at(-1)
          ?.replaceAll(",", ""),
      );
    for (const [status, count] of Object.entries(expected.byStatus)) expect(countOf(status)).toBe(count);
    for (const [action, count] of Object.entries(expected.byAction)) expect(countOf(action)).toBe(count);
    for (const [name, count] of Object.entries(expected.rows)) expect(countOf(name)).toBe(count);
    const newest = expected.recentFailures[0];
    expect(stdout).toContain(`Most recent failures (5 of ${expected.byStatus.failed})`);
    expect(stdout).toContain(`  ${newest?.id}  ${newest?.createdAt.slice(0, 16).replace("T", " ")}`);
    if (newest?.error) expect(stdout).toContain(`    ${newest.error}\n`);
    for (const { line, reason } of newest?.erroredLines ?? [])
      expect(stdout).toContain(`    line ${line}: ${reason}\n`);
    expect(stdout).not.toContain("\x1b[");
  });
});
