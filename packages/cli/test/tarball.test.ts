import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_TASK_COUNT } from "@org/bulk-tasks-api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, PACKAGE_DIR, packageVersion } from "./support.js";

// The CLI as a user gets it: the CLI and the client packed by `pnpm pack` (which turns
// `workspace:*` into the client's version), installed by npm from the two tarballs in a fresh
// project outside the workspace (openapi-fetch from the registry), and run by plain node on each
// Node.js line that `engines` (^20.19.0 || >=22.12.0) claims. The other tests run dist/ inside the
// workspace, where the client resolves through a symlink.
const RUNTIMES = ["20", "22", "24"];

const run = promisify(execFile);
const binaries = new Map<string, string>();
let work: string;
let project: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "bulk-tasks-cli-tarball-"));
  project = join(work, "consumer");
  await mkdir(project);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  await Promise.all([
    run("pnpm", ["pack", "--pack-destination", work], { cwd: PACKAGE_DIR }),
    run("pnpm", ["pack", "--pack-destination", work], { cwd: join(PACKAGE_DIR, "../bulk-tasks-api") }),
    ...RUNTIMES.map(async (line) => binaries.set(line, await nodeBinary(line))),
  ]);
  const tarballs = (await readdir(work))
    .filter((name) => name.endsWith(".tgz"))
    .map((name) => join(work, name));
  expect(tarballs).toHaveLength(2);
  // --prefer-offline: openapi-fetch from npm's cache when it is there, without asking the registry.
  await run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs],
    {
      cwd: project,
    },
  );
}, 180_000);
afterAll(() => rm(work, { recursive: true, force: true }));

/** This process's binary for its own line; another line's from the registry's `node` package, once. */
async function nodeBinary(line: string): Promise<string> {
  if (process.versions.node.split(".")[0] === line) return process.execPath;
  const { stdout } = await run("npx", [
    "--yes",
    "--prefer-offline",
    "--package",
    `node@${line}`,
    "--",
    "node",
    "-p",
    "process.execPath",
  ]);
  return stdout.trim();
}

describe("the packed CLI, installed by npm in a fresh project", () => {
  it("runs as `npx bulk-tasks --help`", async () => {
    const { stdout } = await run("npx", ["--no-install", "bulk-tasks", "--help"], {
      cwd: project,
      env: cleanEnv(),
    });
    expect(stdout).toContain("Usage\n  bulk-tasks list <organizationId> [options]");
  });

  describe.each(RUNTIMES)("on Node.js %s", (line) => {
    const bin = () => join(project, "node_modules", ".bin", "bulk-tasks");
    const node = (...args: string[]) =>
      // A run that hangs (a handle left open) is killed, and fails with what it printed.
      run(binaries.get(line) ?? `no binary for Node.js ${line}`, [bin(), ...args], {
        cwd: project,
        env: cleanEnv(),
        timeout: 20_000,
      });

    it("prints its version", async () => {
      expect((await node("--version")).stdout).toBe(`${packageVersion()}\n`);
    }, 30_000);

    it("summarises the local API's dataset with `summary lab --local`, and lists it with --no-progress", async () => {
      // The sample dataset, and the two live tasks of --local.
      const summary = JSON.parse((await node("summary", "lab", "--local")).stdout);
      expect(summary.tasks).toBe(DEFAULT_TASK_COUNT + 2);
      const { stdout } = await node("list", "lab", "--local", "--all", "--no-progress", "--format", "csv");
      expect(stdout.split("\r\n").filter(Boolean)).toHaveLength(DEFAULT_TASK_COUNT + 3);
    }, 30_000);
  });
});
