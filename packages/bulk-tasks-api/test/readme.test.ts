import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generateBulkTasks } from "../src/testing/index.js";
import { API_KEY, useLocalApi } from "./support.js";

// Every TypeScript sample of the READMEs (the package's and the repository's) compiles against the
// package's types and runs here, against the local API, through the APPLIVERY_API_KEY /
// APPLIVERY_BASE_URL variables the samples rely on.
const readmes = await Promise.all(
  ["../README.md", "../../../README.md"].map((path) => readFile(new URL(path, import.meta.url), "utf8")),
);
const samples = readmes.flatMap((readme) =>
  [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? ""),
);
// One folder per run: the suite may run on several Node.js versions at once.
const samplesDir = new URL(`./.readme-samples/${process.pid}/`, import.meta.url);

const local = useLocalApi({ organizations: { lab: generateBulkTasks(120) } });
const saved = { ...process.env };

beforeAll(async () => {
  await mkdir(samplesDir, { recursive: true });
  process.env.APPLIVERY_API_KEY = API_KEY;
  process.env.APPLIVERY_BASE_URL = local.api.url;
});
afterAll(async () => {
  process.env = saved;
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

  it.each(samples.map((code, index) => [index + 1, code] as const))("sample %i runs", async (index, code) => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const file = new URL(`sample-${index}.ts`, samplesDir);
    await writeFile(file, code);
    await import(file.href);
    expect(log).toHaveBeenCalled();
    const output = log.mock.calls.map((call) => call.join(" ")).join("\n");
    expect(output).not.toContain(API_KEY);
  });
});
