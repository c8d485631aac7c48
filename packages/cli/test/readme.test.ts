import { execFile } from "node:child_process";

import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BulkTask } from "@org/bulk-tasks-api";
import { generateBulkTasks } from "@org/bulk-tasks-api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, CLI, cleanEnv, PACKAGE_DIR, useLocalApi } from "./support.js";

// The README's shell samples, run as written with `bulk-tasks` on PATH: those on `--local` must
// print what the README shows after them (so a change of output or of the sample dataset shows up
// here), and the scheduled-job script must exit as it says. Samples that pipe into jq run with the
// machine's jq, or, where there is none, with jq from the lockfile (test/bin/jq.cjs: jq compiled to
// WebAssembly), so that they run on a machine with only Node.js, never skipped.
const run = promisify(execFile);

interface Sample {
  code: string;
  output: string | undefined;
}

const readme = await readFile(join(PACKAGE_DIR, "README.md"), "utf8");
const samples: Sample[] = [...readme.matchAll(/```sh\n([\s\S]*?)```(?:\n\n```text\n([\s\S]*?)```)?/g)].map(
  ([, code = "", output]) => ({ code, output }),
);
const local = samples.filter(({ code }) => code.includes("--local"));
const checkScript = samples.find(({ code }) => code.startsWith("#!/bin/sh"));

let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "bulk-tasks-cli-readme-"));
  await symlink(CLI, join(work, "bulk-tasks"));
  // The machine's jq where it has one; else jq from the lockfile, compiled to WebAssembly (the same
  // answers, but it reads its input slowly: seconds for the whole dataset).
  const systemJq = ["/usr/bin/jq", "/usr/local/bin/jq"].find((path) => existsSync(path));
  await symlink(systemJq ?? fileURLToPath(new URL("./bin/jq.cjs", import.meta.url)), join(work, "jq"));
  env = cleanEnv({ PATH: `${work}${delimiter}${process.env.PATH ?? ""}` });
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function sh(code: string, extraEnv: Record<string, string> = {}) {
  try {
    const { stdout } = await run("sh", ["-c", code], { cwd: work, env: { ...env, ...extraEnv } });
    return { code: 0, stdout };
  } catch (error) {
    const { code: exitCode, stdout } = error as { code: number; stdout: string };
    return { code: exitCode, stdout };
  }
}

const needsJq = ({ code }: Sample) => /\bjq\b/.test(code);
const cases = (list: Sample[]) => list.map((sample) => [sample.code.trim(), sample] as const);

async function expectOutput(sample: Sample): Promise<void> {
  const { code, stdout } = await sh(sample.code);
  expect(code).toBe(0);
  if (sample.output !== undefined) expect(stdout.trimEnd()).toBe(sample.output.trimEnd());
}

describe("the README's samples on --local", () => {
  it("has samples to run", () => {
    expect(local.filter((sample) => !needsJq(sample)).length).toBeGreaterThan(3);
    expect(checkScript).toBeDefined();
  });

  // Concurrently: each sample starts its own local API, and the `wait` ones spend seconds waiting.
  // 120 s: jq from WebAssembly, where the machine has no jq, takes tens of seconds on --all.
  it.concurrent.for(cases(local))("%s", { timeout: 120_000 }, async ([, sample]) => {
    await expectOutput(sample);
  });
});

describe("the README's check for a scheduled job", () => {
  // One failed task an hour old, one two days old: the check looks at the last day only.
  const [failed] = generateBulkTasks(100).filter((task) => task.status === "failed");
  const createdAgo = (hours: number) => ({
    ...(failed as BulkTask),
    createdAt: new Date(Date.now() - hours * 3_600_000).toISOString(),
  });
  const api = useLocalApi(() => ({
    organizations: { recent: [createdAgo(1)], old: [createdAgo(48)], empty: [] },
  }));
  const check = (organization: string) =>
    sh(checkScript?.code ?? "exit 99", {
      ORGANIZATION: organization,
      APPLIVERY_API_KEY: API_KEY,
      APPLIVERY_BASE_URL: api.api.url,
    });

  it.each([
    ["fails (1) when an import failed in the last day", "recent", 1],
    ["passes (0) when the last failure is older", "old", 0],
    ["passes (0) when there is no task at all", "empty", 0],
    ["fails with bulk-tasks' 1 when the API does (an unknown organization)", "acme", 1],
    [
      "fails with bulk-tasks' 2 for a mistake in the command (an organization id the API refuses)",
      "not valid!",
      2,
    ],
  ])("%s", async (_, organization, exitCode) => {
    expect((await check(organization)).code).toBe(exitCode);
  });
});
