import { describe, expect, it } from "vitest";
import { validateListBulkTasksResponse } from "../src/response-validation.js";
import { DEFAULT_TASK_COUNT, generateBulkTasks, paginate } from "../src/testing/index.js";

// The local API's default dataset is what `pnpm start`, the CLI's --local and consumers' tests see
// first: it must look like real traffic and keep the spec.
// Pinned: by default the dataset ends now, and two datasets made a minute apart differ in dates.
const NEWEST = Date.UTC(2026, 10, 1, 9);
const tasks = generateBulkTasks(DEFAULT_TASK_COUNT, { newest: NEWEST });

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
    expect(generateBulkTasks(DEFAULT_TASK_COUNT, { newest: NEWEST })).toEqual(tasks);
    expect(generateBulkTasks(40, { newest: NEWEST })).toEqual(tasks.slice(0, 40));
    expect(generateBulkTasks(40, { seed: 2, newest: NEWEST })).not.toEqual(tasks.slice(0, 40));
  });
});

describe("the dataset's dates", () => {
  const DAY = 86_400_000;
  const createdTimes = (list: { createdAt: string }[]) => list.map(({ createdAt }) => Date.parse(createdAt));

  it("end now by default, so that the last 7 days hold tasks today", () => {
    const before = Date.now();
    const [newest, ...rest] = createdTimes(generateBulkTasks(DEFAULT_TASK_COUNT));
    // To the minute: at most a minute before the call, never after it.
    expect(newest).toBeLessThanOrEqual(Date.now());
    expect(newest).toBeGreaterThan(before - 60_000);
    expect(rest.filter((time) => time > before - 7 * DAY).length).toBeGreaterThan(3);
  });

  it("take newest as a Date, an ISO string or epoch milliseconds, alike", () => {
    const iso = "2025-03-04T05:06:07.000Z";
    const fromString = generateBulkTasks(20, { newest: iso });
    expect(generateBulkTasks(20, { newest: new Date(iso) })).toEqual(fromString);
    expect(generateBulkTasks(20, { newest: Date.parse(iso) })).toEqual(fromString);
    expect(fromString[0]?.createdAt).toBe(iso);
  });

  it("move every date by the same amount, and keep the ids of the seed", () => {
    const later = generateBulkTasks(50, { newest: NEWEST + 400 * DAY });
    const base = tasks.slice(0, 50);
    expect(later.map(({ id }) => id)).toEqual(base.map(({ id }) => id));
    const shifts = createdTimes(later).map((time, i) => time - (createdTimes(base)[i] as number));
    expect(new Set(shifts)).toEqual(new Set([400 * DAY]));
    // The file names carry the moved dates too.
    expect(later[0]?.file?.originalName).toContain(new Date(NEWEST + 400 * DAY).toISOString().slice(0, 10));
  });

  it.each([["not a date"], [""], [Number.NaN], [Number.POSITIVE_INFINITY], [new Date("nope")], [{}]])(
    "refuse %s as newest, naming the option",
    (newest) => {
      expect(() => generateBulkTasks(3, { newest: newest as never })).toThrow(
        /^newest must be a Date, an ISO 8601 date string .* or milliseconds since the epoch/,
      );
    },
  );

  it("make the local API's default dataset end at its clock", async () => {
    const { startLocalApi } = await import("../src/testing/index.js");
    const api = await startLocalApi({ clock: () => NEWEST });
    try {
      const response = await fetch(`${api.url}/v1/organizations/lab/bulk-tasks?limit=1`, {
        headers: { authorization: `Bearer ${api.apiKey}` },
      });
      const { data } = (await response.json()) as { data: { items: { createdAt: string }[] } };
      expect(data.items[0]?.createdAt).toBe(new Date(NEWEST).toISOString());
    } finally {
      await api.close();
    }
  });
});
