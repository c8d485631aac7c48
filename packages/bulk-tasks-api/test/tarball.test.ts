import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { OpenApiDocument } from "@org/bulk-tasks-contract-tests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as validation from "../src/response-validation.js";
import * as testing from "../src/testing/index.js";
import { readBundledSpec } from "./support.js";

// The published artefact as a user gets it: `pnpm pack`, `npm install` of the tarball in a fresh
// project outside the workspace (openapi-fetch from the registry), and plain JavaScript consumers
// (test/tarball/) run by plain `node`, from ESM and from CommonJS. The other tests import src/
// through Vite, whose CommonJS interop is not the bundler's: they passed while the published
// response validator threw `func1 is not a function` on every page holding a task.
//
// Node.js lines: the maintained ones that `engines` (^20.19.0 || >=22.12.0) claims. This file runs
// all three binaries itself, in one install; scripts/test-on-runtimes.mjs, which runs the whole
// suite again on Node 22 and 24, leaves it out rather than pack and install twice more for the
// same three runs.
const RUNTIMES = ["20", "22", "24"];
const CONSUMERS = [
  ["ESM (import)", "consumer.mjs"],
  ["CommonJS (require)", "consumer.cjs"],
] as const;

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const consumers = fileURLToPath(new URL("./tarball/", import.meta.url));
const binaries = new Map<string, string>();
let work: string;
let project: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "bulk-tasks-api-tarball-"));
  project = join(work, "consumer");
  await mkdir(project);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  await Promise.all([
    installTarball(),
    ...RUNTIMES.map(async (line) => binaries.set(line, await nodeBinary(line))),
    ...["checks.cjs", ...CONSUMERS.map(([, script]) => script)].map((name) =>
      copyFile(join(consumers, name), join(project, name)),
    ),
  ]);
}, 180_000);
afterAll(() => rm(work, { recursive: true, force: true }));

async function installTarball(): Promise<void> {
  await run("pnpm", ["pack", "--pack-destination", work], { cwd: packageDir });
  const [tarball = "missing.tgz"] = (await readdir(work)).filter((name) => name.endsWith(".tgz"));
  // --prefer-offline: openapi-fetch from npm's cache when it is there, without asking the registry.
  await run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", join(work, tarball)],
    { cwd: project },
  );
}

/** This process's binary for its own line; another line's from the registry's `node` package, once. */
async function nodeBinary(line: string): Promise<string> {
  if (process.versions.node.split(".")[0] === line) return process.execPath;
  // --prefer-offline: the line's binary that npx already holds, without asking the registry again.
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

/** Runs a consumer as a user would: plain node, no key in the environment, no options of ours. */
async function consume(line: string, script: string): Promise<{ runtime: string; results: unknown }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(APPLIVERY_|NODE_OPTIONS$)/.test(name)),
  );
  const binary = binaries.get(line) ?? `no binary for Node.js ${line}`;
  // A consumer that hangs (a timer or socket left behind) is killed, and fails with what it printed.
  const { stdout } = await run(binary, [script], { cwd: project, env, timeout: 20_000 });
  return JSON.parse(stdout);
}

const errorClasses = Object.entries(main)
  .filter(([, value]) => typeof value === "function" && value.prototype instanceof Error)
  .map(([name]) => name)
  .sort();
const validationError = (field: string, rule: string) => ({
  name: "ResponseValidationError",
  instanceOf: ["BulkTasksError", "ResponseValidationError", "UnexpectedResponseError"],
  status: 200,
  field,
  rule,
});
const apiError = (name: string, status: number, code: number, extra = {}) => ({
  name,
  instanceOf: [...new Set(["ApiError", "BulkTasksError", name])].sort(),
  status,
  code,
  ...extra,
});

/** What every consumer must see: the exports are those of src/, and each check's outcome. */
async function expected(): Promise<Record<string, unknown>> {
  const spec = (await readBundledSpec()) as OpenApiDocument & { openapi: string };
  const manifest = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8"));
  return {
    exports: {
      ".": Object.keys(main).sort(),
      "./response-validation": Object.keys(validation).sort(),
      "./testing": Object.keys(testing).sort(),
    },
    errorClasses,
    "./openapi.json": { openapi: spec.openapi, paths: Object.keys(spec.paths) },
    "./package.json": { name: manifest.name, version: manifest.version, engines: manifest.engines },
    page: { page: 2, totalPages: 3, totalDocs: 25, items: 10 },
    walk: { tasks: 25, pages: [10, 10, 5] },
    "validation: a page of tasks": 25,
    "validation: a walk": 25,
    "validation: 1000 emoji in action": { codePoints: 1000, codeUnits: 2000 },
    "validation: 1001 emoji in action": validationError("/data/items/0/action", "maxLength"),
    "validation: unknown status": validationError("/data/items/0/status", "enum"),
    "validation: date-time": validationError("/data/items/0/createdAt", "format"),
    "validation: uri": validationError("/data/items/0/createdBy/picture", "format"),
    "validation: email": validationError("/data/items/0/createdBy/email", "format"),
    "validation is opt-in": "archived",
    "no key": { name: "ConfigurationError", instanceOf: ["BulkTasksError", "ConfigurationError"] },
    "a parameter the spec refuses": {
      name: "InvalidRequestError",
      instanceOf: ["BulkTasksError", "InvalidRequestError"],
      parameter: "limit",
      rule: "an integer >= 1",
    },
    "a wrong key": apiError("AuthenticationError", 401, 4004),
    "an unknown organization": apiError("NotFoundError", 404, 3001),
    "a 403": apiError("PermissionDeniedError", 403, 3000),
    "a 418": apiError("ApiError", 418, 3000),
    "a 429": apiError("RateLimitError", 429, 4290, { retryAfter: 7 }),
    "a 500": apiError("ServerError", 500, 3002),
    "an HTML page": {
      name: "UnexpectedResponseError",
      instanceOf: ["BulkTasksError", "UnexpectedResponseError"],
      status: 200,
    },
    "a dropped connection": { name: "ConnectionError", instanceOf: ["BulkTasksError", "ConnectionError"] },
    "a stalled body": {
      name: "TimeoutError",
      instanceOf: ["BulkTasksError", "ConnectionError", "TimeoutError"],
      timeoutMs: 200,
    },
  };
}

describe("the packed tarball, installed by npm in a fresh project", () => {
  describe.each(RUNTIMES)("on Node.js %s", (line) => {
    it.each(CONSUMERS)(
      `works on Node.js ${line} from %s: every entry point, every error class`,
      async (_, script) => {
        const { runtime, results } = await consume(line, script);
        expect(runtime).toMatch(new RegExp(`^v${line}\\.`));
        expect(results).toEqual(await expected());
      },
      30_000,
    );
  });
});
