import { describe, expect, it } from "vitest";
import { validateListBulkTasksResponse } from "../src/response-validation.js";
import { DEFAULT_TASK_COUNT, generateBulkTasks, paginate, readNewest } from "../src/testing/index.js";

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

  it.each<[unknown, RegExp]>([
    ["not a date", /"not a date" is none of them/],
    ["", /"" is none of them/],
    [Number.NaN, /NaN is not a valid date/],
    [Number.POSITIVE_INFINITY, /Infinity is not a valid date/],
    [new Date("nope"), /Invalid Date is not a valid date/],
    [{}, /a value of type object is none of them/],
    [null, /null is none of them/],
    // Seconds for milliseconds (SOURCE_DATE_EPOCH is in seconds): 1970 dates, without a word.
    [1793525400, /1793525400 looks like seconds; in milliseconds it is 1793525400000/],
    [0, /1970-01-01T00:00:00\.000Z is out of the range it takes, 1973 to 9999/],
    [1e300, /1e\+300 is out of the range it takes/],
    [Date.UTC(10000, 0, 1), /\+010000-01-01T00:00:00\.000Z is out of the range/],
    // Date.parse rolls 2026-02-30 over to March 2; a time without an offset is read in the
    // machine's time zone, so the same test would give other dates elsewhere.
    ["2026-02-30", /"2026-02-30" is not a day and time that exist/],
    ["2026-11-01T24:00:00Z", /is not a day and time that exist/],
    ["2026-11-01T09:00:00", /"2026-11-01T09:00:00" has no offset: add Z \(UTC\) or one such as \+01:00/],
  ])("refuse %s as newest, naming the option and why", (newest, why) => {
    const refusal = () => generateBulkTasks(3, { newest: newest as never });
    expect(refusal).toThrow(TypeError);
    expect(refusal).toThrow(
      /^newest must be a Date, an ISO 8601 date string .* or milliseconds since the epoch: /,
    );
    expect(refusal).toThrow(why);
  });

  it("takes a date alone as UTC, and a time with its offset", () => {
    expect(readNewest("2026-02-28")).toBe(Date.UTC(2026, 1, 28));
    expect(readNewest("2026-11-01T10:00:00+01:00")).toBe(Date.UTC(2026, 10, 1, 9));
    expect(readNewest("2024-02-29T00:00Z")).toBe(Date.UTC(2024, 1, 29));
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      "a count that is not an integer >= 0",
      () => generateBulkTasks(-1),
      /count must be an integer >= 0; -1 is not/,
    ],
    ["a fractional count", () => generateBulkTasks(1.5), /count must be an integer >= 0/],
    [
      "a misspelt option",
      () => generateBulkTasks(2, { newst: NEWEST } as never),
      /unknown option "newst" \(did you mean newest\?\)/,
    ],
    [
      "a seed that is not an integer",
      () => generateBulkTasks(2, { seed: "x" } as never),
      /seed must be an integer from 0/,
    ],
  ])("refuse %s", (_, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

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
