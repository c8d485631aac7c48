import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { type BulkTask, ResponseValidationError } from "../src/index.js";
import { validateListBulkTasksResponse } from "../src/response-validation.js";
import { generateBulkTasks } from "../src/testing/index.js";
import { localClient, useLocalApi } from "./support.js";

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
