import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The generator compiles every keyword it accepts, though the spec uses only some of them today:
// each is tried here on a fixture spec, so that a parameter gaining a maximum or a length limit
// is checked the day it does.
const generator = fileURLToPath(new URL("../scripts/generate-parameter-rules.mjs", import.meta.url));
const OPERATION = "/v1/organizations/{organizationId}/bulk-tasks";

type Rules = Record<string, { in: string; type: string; test: (value: unknown) => boolean; rule: string }>;

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "parameter-rules-"));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function generate(parameters: object[]): Promise<Rules> {
  const spec = join(folder, `spec-${parameters.length}.json`);
  const output = join(folder, `rules-${parameters.length}-${Date.now()}.ts`);
  await writeFile(
    spec,
    JSON.stringify({ paths: { [OPERATION]: { get: { operationId: "fixtureOperation", parameters } } } }),
  );
  await promisify(execFile)(process.execPath, [generator, "--spec", spec, "--output", output]);
  return (await import(output)).parameterRules.fixtureOperation as Rules;
}

const parameter = (name: string, schema: object) => ({ name, in: "query", schema });

describe("scripts/generate-parameter-rules.mjs", () => {
  it("compiles every keyword it accepts into a check and the rule in words", async () => {
    const rules = await generate([
      {
        name: "organizationId",
        in: "path",
        required: true,
        schema: {
          type: "string",
          pattern: "^[a-z]+/[a-z]+$",
          "x-pattern-description": "two lower-case words joined by a slash",
        },
      },
      parameter("count", { type: "integer", minimum: 1, maximum: 10, description: "annotations pass" }),
      parameter("ratio", { type: "number", minimum: 0, maximum: 1 }),
      parameter("code", { type: "string", minLength: 2, maxLength: 3 }),
      parameter("flag", { type: "boolean" }),
      parameter("kind", { type: "string", enum: ["a", "b"] }),
    ]);
    const verdicts = (name: string, values: unknown[]) => values.map((value) => rules[name]?.test(value));

    // A pattern is said in the spec's words, and kept beside them for programs.
    expect(rules.organizationId).toMatchObject({
      in: "path",
      rule: "two lower-case words joined by a slash",
      pattern: "^[a-z]+/[a-z]+$",
    });
    expect(verdicts("organizationId", ["ab/cd", "abcd", "ab/cd/ef", 7])).toEqual([true, false, false, false]);

    expect(rules.count?.rule).toBe("an integer >= 1 and <= 10");
    expect(verdicts("count", [1, 10, 0, 11, 2.5, "3", Number.NaN])).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);

    expect(rules.ratio?.rule).toBe("a number >= 0 and <= 1");
    expect(verdicts("ratio", [0, 0.5, 1, -0.1, 1.1, Number.NaN, Number.POSITIVE_INFINITY, "0.5"])).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);

    // Lengths count characters (code points), as JSON Schema does: two emoji are 2, not 4.
    expect(rules.code?.rule).toBe("a string of at least 2 characters and of at most 3 characters");
    expect(verdicts("code", ["ab", "abc", "a", "abcd", "😀😀", "😀😀😀😀"])).toEqual([
      true,
      true,
      false,
      false,
      true,
      false,
    ]);

    expect(rules.flag?.rule).toBe("a boolean");
    expect(verdicts("flag", [true, false, "true", 1])).toEqual([true, true, false, false]);

    expect(rules.kind).toMatchObject({ rule: 'one of "a", "b"', values: ["a", "b"] });
    expect(verdicts("kind", ["a", "b", "c", ["a"]])).toEqual([true, true, false, false]);
  });

  it("fails on a keyword it does not compile, rather than ignore the rule", async () => {
    const failure = generate([parameter("count", { type: "integer", multipleOf: 5 })]);
    await expect(failure).rejects.toThrow(/"count" uses "multipleOf"/);
  });

  it("fails on a pattern the spec does not say in words (x-pattern-description)", async () => {
    const failure = generate([parameter("code", { type: "string", pattern: "^[A-Z]{3}$" })]);
    await expect(failure).rejects.toThrow(/"code" has a pattern without x-pattern-description/);
  });

  it("types a sort parameter from its operation's x-sort-fields, each field alone or with a direction", async () => {
    const sort = parameter("sort", {
      type: "string",
      pattern: "^[\\w.]*((:asc)|(:desc))?$",
      "x-pattern-description": "a field",
    });
    const generateWith = async (name: string, get: object) => {
      const spec = join(folder, `${name}-spec.json`);
      const output = join(folder, `${name}-rules.ts`);
      await writeFile(spec, JSON.stringify({ paths: { [OPERATION]: { get } } }));
      await promisify(execFile)(process.execPath, [generator, "--spec", spec, "--output", output]);
      return readFile(output, "utf8");
    };
    const operation = (fields: unknown, parameters = [sort]) => ({
      operationId: "fixtureOperation",
      "x-sort-fields": fields,
      parameters,
    });
    const source = await generateWith("sort", operation(["createdAt", "report.numErrors"]));
    // In pieces: a "${" in a plain string reads as a mistaken template to the linter.
    const sortType =
      "export type FixtureOperationSort = `$" + "{FixtureOperationSortField}$" + '{"" | ":asc" | ":desc"}`;';
    expect(source).toContain(sortType);
    expect(source).toContain('export type FixtureOperationSortField = "createdAt" | "report.numErrors";');
    // A field the pattern refuses would make the type promise what the run-time check refuses.
    await expect(generateWith("broken-sort", operation(["created at"]))).rejects.toThrow(
      /sort field "created at" breaks its own pattern/,
    );
    await expect(generateWith("no-sort", operation(["createdAt"], []))).rejects.toThrow(
      /fixtureOperation has x-sort-fields but no query parameter named sort/,
    );
  });

  it("fails on a type it does not compile", async () => {
    const failure = generate([parameter("ids", { type: "array" })]);
    await expect(failure).rejects.toThrow(/"ids" has type "array"/);
  });
});
