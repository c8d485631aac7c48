import { generateBulkTasks, startLocalApi } from "@org/bulk-tasks-api/testing";
import { describe, expect, it } from "vitest";
import { API_KEY, runCli, runInTerminal, target, tasksServed, useLocalApi } from "./support.js";

// A walk slow enough for the progress line to be drawn more than once (it redraws at most every 100 ms).
const tasks = generateBulkTasks(120);
const slow = useLocalApi({ organizations: { lab: tasks }, latencyMs: 40 });
const walk = (...args: string[]) => [
  ...args,
  "lab",
  "--limit",
  "10",
  "--concurrency",
  "1",
  ...target(slow.api),
];

const CLEAR_LINE = "\r\x1b[2K";
const GREEN_COMPLETED = "\x1b[32mcompleted";
// biome-ignore lint/suspicious/noControlCharactersInRegex: the line is redrawn with an escape sequence.
const PROGRESS = /\r\x1b\[2Kpage (\d+) of (\d+) · ([\d,]+) of ([\d,]+) tasks · [\d,]+ tasks\/s( · .+ left)?/g;

describe("the progress line", () => {
  it.each([
    ["list --all", ["list", "--all", "--format", "ndjson"]],
    ["summary", ["summary", "--format", "json"]],
  ])(
    "is drawn on a terminal for %s: pages, tasks, rate and time left, redrawn in place, then cleared",
    async (_, [command = "", ...rest]) => {
      const { code, stdout } = await runInTerminal(walk(command, ...rest));
      expect(code).toBe(0);
      const drawings = [...stdout.matchAll(PROGRESS)];
      expect(drawings.length).toBeGreaterThan(1);
      for (const [, page, pages, done, total] of drawings) {
        expect(Number(pages)).toBe(tasks.length / 10);
        expect(Number(total?.replaceAll(",", ""))).toBe(tasks.length);
        expect(Number(done?.replaceAll(",", ""))).toBe(Number(page) * 10);
      }
      expect(drawings.some(([line]) => / left$/.test(line))).toBe(true);
      // Cleared at the end: the last progress drawing is followed by a clear, and no line holds one.
      const last = stdout.lastIndexOf("page ");
      expect(stdout.indexOf(CLEAR_LINE, last)).toBeGreaterThan(last);
      expect(stdout.split("\r\n").some((line) => /^page \d+ of/.test(line))).toBe(false);
    },
  );

  it("is not drawn again under the error line of a walk that fails", async () => {
    const failing = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: tasks },
      latencyMs: 40,
      faults: ({ query }) => (Number(query.page) >= 4 ? { kind: "status", status: 403 } : undefined),
    });
    try {
      const { code, stdout } = await runInTerminal([
        "list",
        "lab",
        "--all",
        "--limit",
        "10",
        "--concurrency",
        "1",
        "--format",
        "ndjson",
        ...target(failing),
      ]);
      expect(code).toBe(1);
      expect([...stdout.matchAll(PROGRESS)].length).toBeGreaterThan(0);
      expect(stdout.trimEnd()).toMatch(/bulk-tasks: PermissionDeniedError: 403 .*\.$/);
    } finally {
      await failing.close();
    }
  });

  it("is not drawn with --no-progress", async () => {
    const { code, stdout } = await runInTerminal(walk("summary", "--no-progress", "--format", "json"));
    expect(code).toBe(0);
    expect(stdout).not.toContain("page ");
    expect(stdout).not.toContain(CLEAR_LINE);
  });

  it("is not drawn when stderr is a pipe", async () => {
    const { code, stderr } = await runCli(walk("list", "--all"));
    expect(code).toBe(0);
    expect(stderr).toBe("");
  });
});

describe("colour", () => {
  const RED = "\x1b[31mfailed";
  const GREEN = "\x1b[32mcompleted";

  it("shows failed in red and completed in green in a table on a terminal, the default there", async () => {
    const { code, stdout } = await runInTerminal(["list", "lab", "--limit", "10", ...target(slow.api)]);
    expect(code).toBe(0);
    expect(stdout).toContain("ID                        STATUS");
    expect(stdout).toContain(RED);
    expect(stdout).toContain(GREEN);
  });

  it("is off with NO_COLOR", async () => {
    const { code, stdout } = await runInTerminal(["list", "lab", "--limit", "10", ...target(slow.api)], {
      NO_COLOR: "1",
    });
    expect(code).toBe(0);
    expect(stdout).toContain("ID                        STATUS");
    expect(stdout).not.toContain("\x1b[3");
    expect(stdout).not.toContain("\x1b[1m");
  });

  it("is off when stdout is a pipe, even for a table", async () => {
    const { stdout } = await runCli([
      "list",
      "lab",
      "--limit",
      "10",
      "--format",
      "table",
      ...target(slow.api),
    ]);
    expect(stdout).not.toContain("\x1b[");
  });

  it("the summary's text, the default on a terminal, colours statuses too, unless NO_COLOR", async () => {
    const coloured = await runInTerminal(["summary", "lab", "--no-progress", ...target(slow.api)]);
    expect(coloured.stdout).toContain("By status");
    expect(coloured.stdout).toContain(RED);
    const plain = await runInTerminal(["summary", "lab", "--no-progress", ...target(slow.api)], {
      NO_COLOR: "yes",
    });
    expect(plain.stdout).toContain("By status");
    expect(plain.stdout).not.toContain("\x1b[");
  });
});

describe("bulk-tasks wait on a terminal", () => {
  const live = useLocalApi();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the line is redrawn with an escape sequence.
  const WAITING = /\r\x1b\[2K(pending|created|inProgress|completed) · (?:(\d+) of 80 rows · )?\d+ s/g;

  it("draws the status and the rows processed on stderr, redrawn in place, then clears it and prints the task", async () => {
    const task = live.api.startTask("lab", { seed: 200, durationMs: 1500, rows: 80 });
    const { code, stdout } = await runInTerminal([
      "wait",
      "lab",
      task.id,
      "--poll-interval",
      "50",
      ...target(live.api),
    ]);
    expect(code).toBe(0);
    const drawings = [...stdout.matchAll(WAITING)];
    expect(drawings.filter(([, status]) => status === "inProgress").length).toBeGreaterThan(1);
    const rows = drawings.map(([, , done]) => Number(done ?? 0));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    // Cleared before the task is printed (as text, the default on a terminal, in colour).
    const printed = stdout.indexOf(`\x1b[1m${task.id}  `);
    const last = drawings.at(-1);
    expect(printed).toBeGreaterThan(0);
    expect(stdout.slice((last?.index ?? 0) + (last?.[0].length ?? 0), printed)).toBe(CLEAR_LINE);
    expect(stdout.slice(printed)).toContain(GREEN_COMPLETED);
    expect(stdout.slice(printed)).toContain("Rows, from its report");
    expect(stdout.slice(printed)).not.toMatch(WAITING);
  });

  it("leaves no progress line under the error line of a failed task", async () => {
    const task = live.api.startTask("lab", { seed: 201, durationMs: 300, outcome: "failed" });
    const { code, stdout } = await runInTerminal([
      "wait",
      "lab",
      task.id,
      "--poll-interval",
      "50",
      ...target(live.api),
    ]);
    expect(code).toBe(3);
    expect(stdout.trimEnd()).toMatch(new RegExp(`bulk-tasks: Task ${task.id} failed: .*\\.$`));
  });

  it("draws nothing with --no-progress", async () => {
    const task = live.api.startTask("lab", { seed: 202, durationMs: 300 });
    const { code, stdout } = await runInTerminal([
      "wait",
      "lab",
      task.id,
      "--no-progress",
      "--poll-interval",
      "50",
      ...target(live.api),
    ]);
    expect(code).toBe(0);
    expect(stdout).not.toContain(CLEAR_LINE);
  });

  it("colours the status of get as the table does", async () => {
    const [failed] = await tasksServed(live.api, "lab", { status: "failed", limit: 1 });
    const { code, stdout } = await runInTerminal(["get", "lab", failed?.id ?? "", ...target(live.api)]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${failed?.id}  \x1b[31mfailed`);
  });
});
