import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ContractChecker, findingKey, findSecrets, type Har, record } from "@org/bulk-tasks-contract-tests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateBulkTasks } from "../src/testing/index.js";
import { API_KEY, readBundledSpec, useLocalApi } from "./support.js";

// The recorder against the local API standing in for the real one: what it writes must pass the
// contract tests and the secret guard, and hold neither the key nor the people's data.
const tasks = generateBulkTasks(8);
const local = useLocalApi({ organizations: { lab: tasks } });
const require = createRequire(import.meta.url);
const spec = await readBundledSpec();
const checker = new ContractChecker(spec);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "recorder-test-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function recordTo(name: string, keepPersonalData = false): Promise<{ har: Har; text: string }> {
  const output = join(work, name);
  await record({
    organizationId: "lab",
    query: { limit: "5", status: "failed" },
    apiKey: API_KEY,
    baseUrl: local.api.url,
    errors: true,
    keepPersonalData,
    output,
  });
  const text = await readFile(output, "utf8");
  return { har: JSON.parse(text) as Har, text };
}

describe("the recorder", () => {
  it("records the list and the error answers, each with its provenance", async () => {
    const { har } = await recordTo("recorded.har");
    expect(har.log.entries.map((entry) => entry.response.status)).toEqual([200, 401, 401, 404]);
    const codes = har.log.entries
      .slice(1)
      .map((entry) => JSON.parse(entry.response.content.text ?? "").error.code);
    expect(codes).toEqual([4002, 4004, 3001]);
    for (const entry of har.log.entries) {
      expect(entry._provenance).toMatchObject({
        kind: "recorded",
        tool: expect.stringContaining("recorder"),
        recordedAt: expect.any(String),
      });
    }
  });

  it("writes what passes the contract tests, with no finding", async () => {
    const { har } = await recordTo("recorded.har");
    expect(har.log.entries.map((entry) => checker.check(entry).map(findingKey))).toEqual([[], [], [], []]);
  });

  it("writes no key: the secret guard passes and the key is nowhere in the file", async () => {
    const { har, text } = await recordTo("recorded.har");
    expect(findSecrets(har)).toEqual([]);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain("not-a-valid-key");
    expect(har.log.entries[0]?.request.headers).toContainEqual({
      name: "Authorization",
      value: "Bearer <redacted>",
    });
  });

  it("replaces personal data by stable fakes", async () => {
    const first = await recordTo("a.har");
    const second = await recordTo("b.har");
    const people = tasks.map((task) => task.createdBy);
    for (const person of people) {
      expect(first.text).not.toContain(person?.email);
      expect(first.text).not.toContain(person?.fullName);
    }
    const fakes = (har: Har) =>
      JSON.parse(har.log.entries[0]?.response.content.text ?? "").data.items.map(
        (task: { createdBy: { email: string } }) => task.createdBy.email,
      );
    expect(fakes(first.har)).toEqual(fakes(second.har));
    expect(fakes(first.har)[0]).toMatch(/^person-[0-9a-f]{8}@example\.com$/);
  });

  it("keeps them with --keep-personal-data", async () => {
    const { text } = await recordTo("kept.har", true);
    const failed = tasks.filter((task) => task.status === "failed");
    expect(text).toContain(failed[0]?.createdBy?.email);
  });

  it("runs as `pnpm record`, reading the key from APPLIVERY_API_KEY", async () => {
    const output = join(work, "cli.har");
    const cli = require.resolve("@org/bulk-tasks-contract-tests").replace(/index\.js$/, "record-cli.js");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, "--org", "lab", "limit=2", "--out", output],
      {
        env: { ...process.env, APPLIVERY_API_KEY: API_KEY, APPLIVERY_BASE_URL: local.api.url },
      },
    );
    expect(stdout).toContain(`200 ${local.api.url}/v1/organizations/lab/bulk-tasks?limit=2`);
    const har = JSON.parse(await readFile(output, "utf8")) as Har;
    expect(JSON.parse(har.log.entries[0]?.response.content.text ?? "").data.items).toHaveLength(2);
  });
});
