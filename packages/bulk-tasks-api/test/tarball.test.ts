import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { OpenApiDocument } from "@org/bulk-tasks-contract-tests";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as validation from "../src/response-validation.js";
import * as testing from "../src/testing/index.js";
import {
  bunRuntime,
  chromiumRuntime,
  denoRuntime,
  nodeRuntime,
  type Runtime,
  type SuiteRun,
  workerdRuntime,
} from "./runtimes/runners.js";
import { type ForwardProxy, readBundledSpec, startForwardProxy } from "./support.js";

// The published artefact as a user gets it: `pnpm pack`, `npm install` of the tarball in a fresh
// project outside the workspace (openapi-fetch from the registry), and plain JavaScript consumers
// (test/tarball/) run by plain `node`, from ESM and from CommonJS. The other tests import src/
// through Vite, whose CommonJS interop is not the bundler's: they passed while the published
// response validator threw `func1 is not a function` on every page holding a task.
//
// Node.js lines: the maintained ones that `engines` (^20.19.0 || >=22.12.0) claims. This file runs
// all three binaries itself, in one install. It runs in `pnpm test`'s test:runtimes task
// (scripts/test-on-runtimes.mjs), once and on Node 20, after the package's own tests and apart from
// them: it starts runtimes and a browser, which would take the margins of their timing tests.
// `pnpm --filter @org/bulk-tasks-api test:runtimes` runs it on its own.
//
// The same install runs the portable suite (test/runtimes/suite.mjs) on every runtime the README
// claims: the Node.js lines, Bun, Deno, workerd and Chromium, each through a small runner
// (test/runtimes/runners.ts) against a local API of its own. Each runtime's tests are grouped
// under "runtime: <name>", which the closing summary of `pnpm test` counts line by line.
const RUNTIMES = ["20", "22", "24"];
const SUITE_RUNTIMES: Runtime[] = [
  ...RUNTIMES.map(nodeRuntime),
  bunRuntime,
  denoRuntime,
  workerdRuntime,
  chromiumRuntime,
];
/**
 * Runtimes run one at a time: the other test files run beside this one, some of them timing-sensitive,
 * on two cores. Two at a time saves about 8 s here and costs them their margins.
 */
const PARALLEL_RUNS = 1;
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
    ...["suite.mjs", "main.mjs"].map((name) => copyFile(join(suites, name), join(project, name))),
  ]);
  startSuiteRuns();
}, 180_000);
afterAll(async () => {
  await Promise.allSettled(suiteRuns.values());
  const timings = [...suiteTimings].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`);
  console.info(`The portable suite, start to end of each runtime: ${timings.join(", ")}`);
  await rm(work, { recursive: true, force: true });
});

const suites = fileURLToPath(new URL("./runtimes/", import.meta.url));
const suiteRuns = new Map<string, Promise<SuiteRun>>();
const suiteTimings = new Map<string, number>();

/** Starts every runtime's run of the suite, PARALLEL_RUNS at a time; each runtime's tests await its own. */
function startSuiteRuns(): void {
  const lanes: Runtime[][] = Array.from({ length: PARALLEL_RUNS }, () => []);
  for (const [index, runtime] of SUITE_RUNTIMES.entries()) lanes[index % PARALLEL_RUNS]?.push(runtime);
  const nodeBinaryOf = (line: string) => binaries.get(line) ?? `no binary for Node.js ${line}`;
  for (const lane of lanes) {
    let previous: Promise<unknown> = Promise.resolve();
    for (const runtime of lane) {
      const run = previous
        .catch(() => {})
        .then(async () => {
          const started = performance.now();
          try {
            return await runtime.run(project, nodeBinaryOf);
          } finally {
            suiteTimings.set(runtime.name, performance.now() - started);
          }
        });
      // Awaited by the runtime's tests; a rejection is theirs to report, never an unhandled one.
      run.catch(() => {});
      suiteRuns.set(runtime.name, run);
      previous = run;
    }
  }
}

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
    "standalone functions": {
      tasks: 25,
      got: true,
      waited: ["completed", 3],
      core: "{}",
      "not a client": { name: "ConfigurationError", instanceOf: ["BulkTasksError", "ConfigurationError"] },
    },
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
    // The vendor's code for 403 (the local API's faults speak it since issue 20).
    "a 403": apiError("PermissionDeniedError", 403, 4003),
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

const connectionError = (cause: string) => ({
  name: "ConnectionError",
  instanceOf: ["BulkTasksError", "ConnectionError"],
  cause,
});

/** What the portable suite must see on every runtime: the client behaves the same everywhere. */
const SUITE_EXPECTED: Record<string, unknown> = {
  page: { page: 2, totalPages: 3, totalDocs: 25, items: 10 },
  "a walk, 3 pages at a time": { tasks: 25, inOrder: true },
  "one task": true,
  "standalone functions": { got: true, core: "{}" },
  "input refused before sending": {
    error: {
      name: "InvalidRequestError",
      instanceOf: ["BulkTasksError", "InvalidRequestError"],
      parameter: "limit",
      rule: "an integer >= 1",
    },
    sent: 0,
  },
  "no key": { name: "ConfigurationError", instanceOf: ["BulkTasksError", "ConfigurationError"] },
  "a wrong key": apiError("AuthenticationError", 401, 4004),
  "an unknown organization": apiError("NotFoundError", 404, 3001),
  "a 403": apiError("PermissionDeniedError", 403, 4003),
  "a 418": apiError("ApiError", 418, 3000),
  "a 429 asking too long a wait": apiError("RateLimitError", 429, 4290, { retryAfter: 120 }),
  "a 500": apiError("ServerError", 500, 3002),
  "an HTML page": {
    name: "UnexpectedResponseError",
    instanceOf: ["BulkTasksError", "UnexpectedResponseError"],
    status: 200,
  },
  "a dropped connection": connectionError("TypeError"),
  "a truncated body": connectionError("TypeError"),
  "a stalled body": {
    name: "TimeoutError",
    instanceOf: ["BulkTasksError", "ConnectionError", "TimeoutError"],
    timeoutMs: 300,
  },
  "a body over maxResponseBytes": {
    name: "ResponseTooLargeError",
    instanceOf: ["BulkTasksError", "ResponseTooLargeError", "UnexpectedResponseError"],
    status: 200,
  },
  // In the browser too: the local API's CORS option exposes Retry-After to the page.
  "a retry after Retry-After": { totalDocs: 3, retries: [{ attempt: 1, delayMs: 1000, status: 429 }] },
  "a per-attempt timeout, retried": {
    totalDocs: 4,
    retries: [{ attempt: 1, error: "TimeoutError", timeoutMs: 300 }],
  },
  "an abort, with the caller's reason": { sameReason: true },
  "an abort, with no reason": { name: "AbortError", isSignalReason: true },
  "the key, quoted back, is redacted": {
    error: apiError("AuthenticationError", 401, 4004),
    leaks: [],
    redacted: true,
  },
  "response validation: a valid walk": 25,
  "response validation: an unknown status": validationError("/data/items/0/status", "enum"),
  "a redirect loop": connectionError("TypeError"),
  // Bun, Deno, workerd and Chromium read it; Node.js refuses a response whose headers pass 16 KiB.
  "a 32 KiB response header": apiError("ApiError", 418, 3000),
};

/**
 * Where runtimes differ, decided: each difference is the README's runtime table's, and a change in
 * a runtime fails here until the table says so. `requests` is what the local API received.
 */
const DIFFERENCES: Record<
  Runtime["kind"],
  { results?: Record<string, unknown>; requests: Record<string, number> }
> = {
  node: {
    results: { "a 32 KiB response header": connectionError("TypeError") },
    requests: { "redirect-loop": 21 },
  },
  // Bun follows 127 redirects (not 20) before it gives up: not retried, as a loop is said to be.
  bun: { requests: { "redirect-loop": 127 } },
  // Without --allow-env Deno refuses to read APPLIVERY_API_KEY (NotCapable): the client treats the
  // variable as unset, so "no key" is the ConfigurationError it is everywhere else.
  deno: { requests: { "redirect-loop": 21 } },
  // workerd's fetch throws a plain Error, not a TypeError: what ConnectionError's cause is.
  workerd: {
    results: {
      "a dropped connection": connectionError("Error"),
      "a truncated body": connectionError("Error"),
    },
    requests: { "redirect-loop": 21 },
  },
  // The browser's TypeError does not say a redirect loop is one: retried as any connection error.
  chromium: { requests: { "redirect-loop": 63 } },
};

describe("the packed tarball, installed by npm in a fresh project", () => {
  describe.each(SUITE_RUNTIMES.map((runtime) => [runtime.name, runtime] as const))(
    "runtime: %s",
    (name, runtime) => {
      const line = runtime.nodeLine;
      if (line !== undefined) {
        it.each(CONSUMERS)(
          `works on Node.js ${line} from %s: every entry point, every error class`,
          async (_, script) => {
            const { runtime: version, results } = await consume(line, script);
            expect(version).toMatch(new RegExp(`^v${line}\\.`));
            expect(results).toEqual(await expected());
          },
          30_000,
        );
      }

      let run: SuiteRun | undefined;
      let failure: unknown;
      // A failing beforeAll would mark the tests skipped: kept, and thrown by each, it fails them.
      beforeAll(async () => {
        try {
          run = await suiteRuns.get(name);
        } catch (error) {
          failure = error;
        }
      }, 240_000);
      const suiteRun = (): SuiteRun => {
        if (failure !== undefined || run === undefined) throw failure ?? new Error(`${name} did not run`);
        return run;
      };
      const difference = DIFFERENCES[runtime.kind];

      it("runs the portable suite on the runtime it names", () => {
        expect(suiteRun().runtime).toMatch(runtime.says);
      });
      it.each(Object.keys(SUITE_EXPECTED))("the portable suite: %s", (check) => {
        const want = difference.results?.[check] ?? SUITE_EXPECTED[check];
        expect(suiteRun().results[check]).toEqual(want);
      });
      it("sends what it should: a redirect loop's requests, a single try of a 403", () => {
        const { counts } = suiteRun();
        expect(counts["redirect-loop"]).toBe(difference.requests["redirect-loop"]);
        expect(counts["fault-403"]).toBe(1);
        expect(Object.keys(suiteRun().results).sort()).toEqual(Object.keys(SUITE_EXPECTED).sort());
      });
    },
  );
});

// The README's proxy recipe as a user gets it: undici from the registry as `npm install` gives it
// today, not the lockfile's, in a fresh project per Node.js line (on Node.js 20 the README says
// `undici@7`: `npm install undici` gives undici 8, which does not load there). Through a forward
// proxy on 127.0.0.1, to a local API on 127.0.0.1.
describe("the README's proxy recipe, with undici as npm installs it today", () => {
  const UNDICI_FOR: Record<string, string> = { "20": "undici@7", "22": "undici", "24": "undici" };
  let proxy: ForwardProxy;
  let api: testing.LocalApi;
  let recipe: string;

  beforeAll(async () => {
    const readme = await readFile(join(packageDir, "README.md"), "utf8");
    const sample = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((match) => match[1] ?? "")
      .find((code) => code.includes("EnvHttpProxyAgent"));
    if (!sample) throw new Error("The README has no proxy recipe with EnvHttpProxyAgent.");
    recipe = (await transform(sample, { loader: "ts", format: "esm" })).code;
    [proxy, api] = await Promise.all([startForwardProxy(), testing.startLocalApi()]);
  });
  afterAll(async () => {
    proxy?.close();
    await api?.close();
  });

  /** Runs `code` as an ES module with `binary`, in `cwd`, through the proxy. */
  async function runThroughProxy(binary: string, cwd: string, code: string, extraEnv = {}) {
    await writeFile(join(cwd, "recipe.mjs"), code);
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !/^(APPLIVERY_|NODE_OPTIONS$|NO_PROXY$|no_proxy$)/.test(name),
      ),
    );
    const before = proxy.seen.length;
    const { stdout } = await run(binary, ["recipe.mjs"], {
      cwd,
      timeout: 30_000,
      env: {
        ...env,
        APPLIVERY_API_KEY: api.apiKey,
        APPLIVERY_BASE_URL: api.url,
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
        ...extraEnv,
      },
    });
    return { stdout: stdout.trim(), proxied: proxy.seen.slice(before) };
  }

  it.each(RUNTIMES)(
    "works on Node.js %s",
    async (line) => {
      const cwd = join(work, `proxy-recipe-${line}`);
      await mkdir(cwd);
      await writeFile(
        join(cwd, "package.json"),
        JSON.stringify({ name: "proxy-recipe", private: true, type: "module" }),
      );
      const [tarball = "missing.tgz"] = (await readdir(work)).filter((name) => name.endsWith(".tgz"));
      await run(
        "npm",
        [
          "install",
          "--no-audit",
          "--no-fund",
          "--loglevel=error",
          join(work, tarball),
          UNDICI_FOR[line] ?? "undici",
        ],
        { cwd },
      );
      const binary = binaries.get(line) ?? `no binary for Node.js ${line}`;
      const { stdout, proxied } = await runThroughProxy(binary, cwd, recipe);
      expect(stdout).toBe("5 tasks through the proxy");
      expect(proxied).toContain(`CONNECT ${new URL(api.url).host}`);
    },
    120_000,
  );

  it.each(["22", "24"])(
    "needs no code on Node.js %s with NODE_USE_ENV_PROXY=1",
    async (line) => {
      const plain = `import { createBulkTasksClient } from "@org/bulk-tasks-api";
const page = await createBulkTasksClient().bulkTasks.list("lab", { limit: 5 });
console.log(page.items.length, "tasks through the proxy");`;
      const binary = binaries.get(line) ?? `no binary for Node.js ${line}`;
      const { stdout, proxied } = await runThroughProxy(binary, project, plain, { NODE_USE_ENV_PROXY: "1" });
      expect(stdout).toBe("5 tasks through the proxy");
      expect(proxied.length).toBeGreaterThan(0);
    },
    60_000,
  );
});
