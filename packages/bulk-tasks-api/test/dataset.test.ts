import { describe, expect, it } from "vitest";
import { validateListBulkTasksResponse } from "../src/response-validation.js";
import { DEFAULT_TASK_COUNT, generateBulkTasks, paginate } from "../src/testing/index.js";

// The local API's default dataset is what `pnpm start`, the CLI's --local and consumers' tests see
// first: it must look like real traffic and keep the spec.
const tasks = generateBulkTasks(DEFAULT_TASK_COUNT);

describe("the default dataset", () => {
  it("keeps the spec's response schema, page by page", () => {
    for (let page = 1; page <= Math.ceil(tasks.length / 100); page++) {
      expect(
        validateListBulkTasksResponse({ status: true, data: paginate(tasks, page, 100) }),
      ).toBeUndefined();
    }
  });

  it("holds every status and both actions", () => {
    expect(new Set(tasks.map((task) => task.status))).toEqual(
      new Set(["pending", "created", "inProgress", "completed", "failed"]),
    );
    expect(new Set(tasks.map((task) => task.action))).toEqual(
      new Set(["import-mdm-users", "import-inventory-items"]),
    );
    const failed = tasks.filter((task) => task.status === "failed").length;
    expect(failed / tasks.length).toBeGreaterThan(0.05);
    expect(failed / tasks.length).toBeLessThan(0.25);
  });

  it("is newest first, spread over months, with unique ids", () => {
    const times = tasks.map((task) => Date.parse(task.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const days = ((times[0] ?? 0) - (times.at(-1) ?? 0)) / 86_400_000;
    expect(days).toBeGreaterThan(90);
    expect(days).toBeLessThan(400);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(tasks.length);
    for (const task of tasks)
      expect(Date.parse(task.updatedAt)).toBeGreaterThanOrEqual(Date.parse(task.createdAt));
  });

  it("has reports whose counts add up, with a line for each skip and error", () => {
    for (const task of tasks) {
      const { report } = task;
      if (task.status === "pending" || task.status === "created") {
        expect(report).toBeUndefined();
        continue;
      }
      if (!report) throw new Error(`task ${task.id} (${task.status}) has no report`);
      const counted =
        (report.numInserts ?? 0) +
        (report.numUpdates ?? 0) +
        (report.numSkips ?? 0) +
        (report.numErrors ?? 0);
      // An import in progress has read part of its file.
      if (task.status === "inProgress") expect(counted).toBeLessThanOrEqual(report.numItems ?? 0);
      else expect(counted).toBe(report.numItems);
      expect(report.erroredLines).toHaveLength(report.numErrors ?? 0);
      expect(report.skippedLines).toHaveLength(report.numSkips ?? 0);
      const lines = [...(report.erroredLines ?? []), ...(report.skippedLines ?? [])].map(
        (entry) => entry.line,
      );
      expect(new Set(lines).size).toBe(lines.length);
      for (const entry of report.erroredLines ?? []) expect(entry.reason).toMatch(/\w/);
    }
  });

  it("gives every failed task an error message, and no other task one", () => {
    for (const task of tasks) {
      if (task.status === "failed") expect(task.error).toMatch(/\w{3}/);
      else expect(task.error).toBeUndefined();
    }
  });

  it("is deterministic, and a smaller dataset is a prefix of a larger one", () => {
    expect(generateBulkTasks(DEFAULT_TASK_COUNT)).toEqual(tasks);
    expect(generateBulkTasks(40)).toEqual(tasks.slice(0, 40));
    expect(generateBulkTasks(40, { seed: 2 })).not.toEqual(tasks.slice(0, 40));
  });
});
