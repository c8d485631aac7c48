import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generateBulkTasks } from "../src/testing/index.js";
import { API_KEY, type ForwardProxy, startForwardProxy, useLocalApi } from "./support.js";

// Every TypeScript sample of the READMEs (the package's and the repository's) compiles against the
// package's types and runs here, against the local API, through the APPLIVERY_API_KEY /
// APPLIVERY_BASE_URL variables the samples rely on, and HTTPS_PROXY for the proxy recipe. A sample
// written as a Vitest test file runs in a Vitest of its own.
const readmes = await Promise.all(
  ["../README.md", "../../../README.md"].map((path) => readFile(new URL(path, import.meta.url), "utf8")),
);
const samples = readmes.flatMap((readme) =>
  [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? ""),
);
// One folder per run: the suite may run on several Node.js versions at once.
const samplesDir = new URL(`./.readme-samples/${process.pid}/`, import.meta.url);

const isVitestFile = (code: string) => code.includes('from "vitest"');
// msw 3 needs Node.js 22.12 or later: a sample using it runs there, whatever runs this file.
const needsNode22 = (code: string) => /from "msw\//.test(code);
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
let node22: string | undefined;
async function nodeFor(code: string): Promise<string> {
  if (!needsNode22(code) || major > 22 || (major === 22 && minor >= 12)) return process.execPath;
  // The registry's `node` package, as the tarball test gets its Node.js lines.
  node22 ??= (
    await promisify(execFile)("npx", [
      "--yes",
      "--prefer-offline",
      "--package",
      "node@22",
      "--",
      "node",
      "-p",
      "process.execPath",
    ])
  ).stdout.trim();
  return node22;
}

const local = useLocalApi({ organizations: { lab: generateBulkTasks(120) } });
const saved = { ...process.env };

// A forward proxy on 127.0.0.1 for the proxy recipe, counting what went through it.
let proxy: ForwardProxy;

beforeAll(async () => {
  await mkdir(samplesDir, { recursive: true });
  proxy = await startForwardProxy();
  process.env.APPLIVERY_API_KEY = API_KEY;
  process.env.APPLIVERY_BASE_URL = local.api.url;
  // The task the waitFor sample follows: one that runs, and completes soon.
  process.env.BULK_TASK_ID = local.api.startTask("lab", { durationMs: 1_000, rows: 50 }).id;
  // The recipe's EnvHttpProxyAgent takes HTTP_PROXY for the local API's http:// URL.
  process.env.HTTPS_PROXY = proxy.url;
  process.env.HTTP_PROXY = proxy.url;
  delete process.env.NO_PROXY;
  delete process.env.no_proxy;
});
afterAll(async () => {
  process.env = saved;
  proxy.close();
  await rm(samplesDir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("README samples", () => {
  it("has samples", () => {
    expect(samples.length).toBeGreaterThanOrEqual(3);
  });

  it("compiles every sample against the package's types", async () => {
    const files = await Promise.all(
      samples.map(async (code, index) => {
        const file = new URL(`typed-${index + 1}.ts`, samplesDir);
        await writeFile(file, `${code}\nexport {};\n`);
        return fileURLToPath(file);
      }),
    );
    const src = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));
    await writeFile(
      new URL("tsconfig.json", samplesDir),
      JSON.stringify({
        extends: fileURLToPath(new URL("../../../tsconfig.base.json", import.meta.url)),
        compilerOptions: {
          noEmit: true,
          types: ["node"],
          typeRoots: [fileURLToPath(new URL("../node_modules/@types", import.meta.url))],
          paths: {
            "@org/bulk-tasks-api": [src("index.ts")],
            "@org/bulk-tasks-api/testing": [src("testing/index.ts")],
            "@org/bulk-tasks-api/testing/msw": [src("testing/msw.ts")],
            "@org/bulk-tasks-api/response-validation": [src("response-validation.ts")],
          },
        },
        files,
      }),
    );
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    await expect(
      promisify(execFile)(process.execPath, [
        tsc,
        "-p",
        fileURLToPath(new URL("tsconfig.json", samplesDir)),
      ]).catch((error: { stdout?: string }) => Promise.reject(new Error(error.stdout))),
    ).resolves.toBeDefined();
  }, 60_000);

  it.each(samples.map((code, index) => [index + 1, code] as const))(
    "sample %i runs",
    async (index, code) => {
      if (isVitestFile(code)) {
        // Its own Vitest, on a file named like the package's tests so that the config's aliases apply.
        const file = new URL(`vitest-sample-${index}.test.ts`, samplesDir);
        await writeFile(file, code);
        const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
        const { stdout } = await promisify(execFile)(
          await nodeFor(code),
          [vitest, "run", fileURLToPath(file), "--typecheck.enabled=false", "--reporter=dot"],
          { cwd: fileURLToPath(new URL("..", import.meta.url)), env: { ...process.env, NO_COLOR: "1" } },
        );
        expect(stdout).toMatch(/Tests\s+\d+ passed \(\d+\)/);
        expect(stdout).not.toContain(API_KEY);
        return;
      }
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      const file = new URL(`sample-${index}.ts`, samplesDir);
      await writeFile(file, code);
      await import(file.href);
      expect(log).toHaveBeenCalled();
      const output = log.mock.calls.map((call) => call.join(" ")).join("\n");
      expect(output).not.toContain(API_KEY);
      // A Vitest of its own takes seconds to start on a loaded machine (and npx finds Node.js 22 first).
    },
    30_000,
  );

  it("routes the proxy recipe through the proxy", () => {
    expect(samples.some((code) => code.includes("EnvHttpProxyAgent"))).toBe(true);
    expect(proxy.seen.length).toBeGreaterThan(0);
  });

  it("has an msw sample, which runs in its own Vitest", () => {
    expect(samples.filter((code) => needsNode22(code) && isVitestFile(code))).toHaveLength(1);
  });
});
