import { once } from "node:events";
import { createRequire } from "node:module";
import type { BulkTask } from "@org/bulk-tasks-api";
import { generateBulkTasks, startLocalApi } from "@org/bulk-tasks-api/testing";
import { beforeAll, describe, expect, it } from "vitest";
import {
  API_KEY,
  LIVE_TASK_IDS,
  LOCAL_NEWEST,
  localLiveTasks,
  parseCsv,
  runCli,
  startCli,
  target,
  tasksServed,
  useLocalApi,
  valueAt,
  waitForOutput,
} from "./support.js";

// The local API's own default dataset (organizations lab and empty): expectations are computed from
// what it serves, so that they follow the dataset when it changes.
const local = useLocalApi();
let lab: BulkTask[];

beforeAll(async () => {
  lab = await tasksServed(local.api, "lab");
  expect(lab.length).toBeGreaterThan(100); // several pages at the default limit
});

const ndjson = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe("bulk-tasks list --all", () => {
  it("writes ndjson in a pipe by default: one task per line, every task of every page, in order", async () => {
    const { code, stdout, stderr } = await runCli(["list", "lab", "--all", ...target(local.api)]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout.endsWith("\n")).toBe(true);
    expect(ndjson(stdout)).toEqual(lab);
  });

  it("writes one valid JSON array with --format json", async () => {
    const { code, stdout } = await runCli([
      "list",
      "lab",
      "--all",
      "--limit",
      "40",
      "--format",
      "json",
      ...target(local.api),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(lab);
  });

  it("walks with --local: the embedded local API serves the same default dataset, after its two live tasks", async () => {
    const { code, stdout } = await runCli(["list", "lab", "--all", "--local", "--concurrency", "2"]);
    expect(code).toBe(0);
    const live = await localLiveTasks();
    expect(live.map(({ id, status, createdAt }) => ({ id, status, createdAt }))).toEqual(
      LIVE_TASK_IDS.map((id) => ({ id, status: "pending", createdAt: "2026-11-01T09:30:00.000Z" })),
    );
    expect(ndjson(stdout)).toEqual([...live, ...lab]);
  });

  it("writes CSV with CRLF, a header from the spec's BulkTask schema, and the tasks' values", async () => {
    const { code, stdout } = await runCli(["list", "lab", "--all", "--format", "csv", ...target(local.api)]);
    expect(code).toBe(0);
    expect(stdout.replaceAll("\r\n", "")).not.toContain("\n");
    const [header = [], ...rows] = parseCsv(stdout);
    expect(header).toEqual(
      expect.arrayContaining(["id", "status", "file.originalName", "report.numErrors", "createdBy.email"]),
    );
    // Every field of the spec's task is a column, or the prefix of its columns.
    const spec = createRequire(import.meta.url)("@org/bulk-tasks-api/openapi.json");
    const operation = spec.paths["/v1/organizations/{organizationId}/bulk-tasks"].get;
    const task =
      operation.responses["200"].content["application/json"].schema.properties.data.properties.items.items;
    expect([...new Set(header.map((name) => name.split(".")[0]))]).toEqual(Object.keys(task.properties));
    expect(rows).toHaveLength(lab.length);
    rows.forEach((row, index) => {
      header.forEach((name, column) => {
        const value = valueAt(lab[index], name);
        const cell = row[column];
        if (value === undefined) expect(cell).toBe("");
        else if (typeof value === "object") expect(JSON.parse(cell ?? "")).toEqual(value);
        else expect(cell).toBe(String(value));
      });
    });
  });

  it("applies --status, --action and --sort", async () => {
    const query = { status: "failed", action: "import-mdm-users", sort: "createdAt:asc" } as const;
    const expected = await tasksServed(local.api, "lab", query);
    expect(expected.length).toBeGreaterThan(0);
    const { code, stdout } = await runCli([
      "list",
      "lab",
      "--all",
      ...["--status", query.status, "--action", query.action, "--sort", query.sort],
      ...target(local.api),
    ]);
    expect(code).toBe(0);
    const tasks = ndjson(stdout) as BulkTask[];
    expect(tasks).toEqual(expected);
    expect(tasks.every((task) => task.status === "failed" && task.action === "import-mdm-users")).toBe(true);
    expect(tasks.map((task) => task.createdAt)).toEqual(tasks.map((task) => task.createdAt).sort());
  });

  it.each([
    ["ndjson", ""],
    ["json", "[\n]\n"],
    ["table", "ID"],
  ])("prints an organization without tasks as %s", async (format, start) => {
    const { code, stdout } = await runCli([
      "list",
      "empty",
      "--all",
      "--format",
      format,
      ...target(local.api),
    ]);
    expect(code).toBe(0);
    expect(stdout.startsWith(start)).toBe(true);
    expect(stdout.split("\n").filter(Boolean)).toHaveLength(
      format === "ndjson" ? 0 : format === "json" ? 2 : 1,
    );
  });

  it("stops quietly, exit code 0, when the reader goes away (| head -1)", async () => {
    const child = startCli(["list", "lab", "--all", "--limit", "5", ...target(local.api)]);
    await waitForOutput(child, "stdout", /\n/);
    child.stdout.destroy();
    const [code] = (await once(child, "close")) as [number | null];
    expect(code).toBe(0);
    expect(child.output.stderr).toBe("");
  });
});

describe("bulk-tasks list (one page)", () => {
  it("prints the page asked for, as JSON", async () => {
    const { code, stdout } = await runCli([
      "list",
      "lab",
      ...["--limit", "7", "--page", "2", "--format", "json"],
      ...target(local.api),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(lab.slice(7, 14));
  });

  it("prints a table with fixed columns, whole file names and no colour in a pipe, and where it is on stderr", async () => {
    const { code, stdout, stderr } = await runCli([
      "list",
      "lab",
      "--limit",
      "10",
      "--format",
      "table",
      ...target(local.api),
    ]);
    expect(code).toBe(0);
    const [header = "", ...rows] = stdout.trimEnd().split("\n");
    expect(header.split(/\s{2,}/)).toEqual([
      "ID",
      "STATUS",
      "ACTION",
      "CREATED (UTC)",
      "ROWS",
      "ERRORS",
      "FILE",
    ]);
    expect(rows).toHaveLength(10);
    rows.forEach((row, index) => {
      const task = lab[index] as BulkTask;
      expect(row.startsWith(`${task.id}  ${task.status.padEnd(10)}  `)).toBe(true);
      expect(row.indexOf(task.createdAt.slice(0, 10))).toBe(header.indexOf("CREATED"));
      if (task.file?.originalName) expect(row.endsWith(`  ${task.file.originalName}`)).toBe(true);
    });
    expect(stdout).not.toContain("\x1b[");
    expect(stderr).toBe(
      `Page 1 of ${Math.ceil(lab.length / 10)}, 10 of ${lab.length} tasks. Next: --page 2, or --all for every page.\n`,
    );
  });
});

describe("values that need care", () => {
  const tricky = generateBulkTasks(2).map((task, index) =>
    index === 0
      ? {
          ...task,
          status: "failed" as const,
          error: 'Line 3: "quoted", then\r\na new line',
          file: { ...task.file, originalName: 'stock, "final"\nv2.csv\x1b]0;owned\x07' },
        }
      : task,
  );
  const odd = useLocalApi({ organizations: { odd: tricky } });

  it("CSV quotes commas, quotes, CR and LF, and reads back to the same values", async () => {
    const { stdout } = await runCli(["list", "odd", "--format", "csv", ...target(odd.api)]);
    const [header = [], first = []] = parseCsv(stdout);
    expect(first[header.indexOf("error")]).toBe(tricky[0]?.error);
    expect(first[header.indexOf("file.originalName")]).toBe(tricky[0]?.file?.originalName);
  });

  it("the table shows control characters from the server as U+FFFD, never as terminal escapes", async () => {
    const { stdout } = await runCli(["list", "odd", "--format", "table", ...target(odd.api)]);
    expect(stdout).not.toContain("\x1b");
    expect(stdout).not.toContain("\x07");
    expect(stdout).toContain('stock, "final"\ufffdv2.csv\ufffd]0;owned\ufffd');
  });
});

describe("the local API used by --local", () => {
  it("is the one a test starts without options (a guard for the tests above)", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], clock: () => LOCAL_NEWEST });
    try {
      expect(await tasksServed(api, "lab")).toEqual(lab);
    } finally {
      await api.close();
    }
  });
});
