import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type BulkTask, ResponseValidationError } from "../src/index.js";
import { validateListBulkTasksResponse } from "../src/response-validation.js";
import { generateBulkTasks } from "../src/testing/index.js";
import { localClient, readBundledSpec, useLocalApi } from "./support.js";

const generator = fileURLToPath(new URL("../scripts/generate-response-validator.mjs", import.meta.url));

const [valid] = generateBulkTasks(1) as [BulkTask];
const broken = (change: Record<string, unknown>) => ({ ...valid, ...change }) as BulkTask;
const local = useLocalApi({
  organizations: {
    good: generateBulkTasks(3),
    "new-status": [broken({ status: "archived" })],
    "bad-date": [broken({ createdAt: "2024-01-01T00: 00:00Z" })],
    "no-id": [broken({ id: undefined })],
    "bad-id": [broken({ id: "string" })],
  },
});

describe("opt-in response validation", () => {
  it("passes a page that keeps the contract", async () => {
    const client = localClient(local.api, { validateResponse: validateListBulkTasksResponse });
    expect((await client.bulkTasks.list("good")).items).toHaveLength(3);
  });

  it.each([
    ["a status the spec does not list", "new-status", { field: "/data/items/0/status", rule: "enum" }],
    ["the docs page's date with a space", "bad-date", { field: "/data/items/0/createdAt", rule: "format" }],
    ["a missing required field", "no-id", { field: "/data/items/0/id", rule: "required" }],
    ["an id breaking its pattern", "bad-id", { field: "/data/items/0/id", rule: "pattern" }],
  ])("names the field for %s", async (_, organizationId, want) => {
    const client = localClient(local.api, { validateResponse: validateListBulkTasksResponse });
    const error = await client.bulkTasks.list(organizationId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ ...want, status: 200 });
    expect((error as Error).message).toContain(`The response breaks the spec at ${want.field}`);
  });

  it("is off by default: a new status passes through", async () => {
    const page = await localClient(local.api).bulkTasks.list("new-status");
    expect(page.items[0]?.status).toBe("archived");
  });

  it("is not in the main bundle", async () => {
    const main = await readFile(new URL("../dist/index.js", import.meta.url), "utf8");
    const chunks = [...main.matchAll(/from "\.\/([^"]+)"/g)].map((match) => match[1]);
    const code = [
      main,
      ...(await Promise.all(
        chunks.map((chunk) => readFile(new URL(`../dist/${chunk}`, import.meta.url), "utf8")),
      )),
    ].join("\n");
    expect(code).not.toMatch(/ucs2length|fullFormats|validate20/);
  });
});

describe("scripts/generate-response-validator.mjs", () => {
  // The bundled spec inlines every $ref; the generator shares the spec's components again, so that
  // an operation that returns a task adds its envelope to the validator, not another copy of the
  // task's checks. Tried by generating for the spec with a third operation, a copy of getBulkTask.
  it("adds an operation reusing the task schema for a fraction of a copy of the task's checks", async () => {
    const folder = await mkdtemp(join(tmpdir(), "response-validator-"));
    try {
      const spec = await readBundledSpec();
      const paths = spec.paths as Record<string, Record<string, { operationId: string }>>;
      const getPath = "/v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}";
      const get = paths[getPath]?.get;
      expect(get?.operationId).toBe("getBulkTask");
      const withThird = structuredClone(spec) as typeof spec & { paths: typeof paths };
      withThird.paths[`${getPath}/copy`] = {
        get: { ...structuredClone(get), operationId: "getBulkTaskCopy" } as never,
      };
      const sizes: number[] = [];
      for (const [name, document] of [
        ["two", spec],
        ["three", withThird],
      ] as const) {
        const specFile = join(folder, `${name}.json`);
        const output = join(folder, `${name}.js`);
        await writeFile(specFile, JSON.stringify(document));
        await promisify(execFile)(process.execPath, [generator, "--spec", specFile, "--output", output]);
        const source = await readFile(output, "utf8");
        // Every operation is exported, and the copy checks a task as getBulkTask does.
        const validators = (await import(output)).validators as Record<string, (body: unknown) => boolean>;
        expect(Object.keys(validators)).toEqual(
          name === "two"
            ? ["listBulkTasks", "getBulkTask"]
            : ["listBulkTasks", "getBulkTask", "getBulkTaskCopy"],
        );
        sizes.push(source.length);
      }
      const [two = 0, three = 0] = sizes;
      // A copy of the task's checks is about a third of the file; the envelope a few hundred bytes.
      expect(three - two).toBeGreaterThan(0);
      expect(three - two).toBeLessThan(two / 10);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
