import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generateBulkTasks } from "../src/testing/index.js";
import { API_KEY, useLocalApi } from "./support.js";

// Every TypeScript sample of the README runs here, against the local API, through the
// APPLIVERY_API_KEY / APPLIVERY_BASE_URL variables the samples rely on.
// The package README and the repository's.
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
