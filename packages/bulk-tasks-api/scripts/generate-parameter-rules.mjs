#!/usr/bin/env node
// Writes src/generated/parameter-rules.ts: for each parameter of each operation of the spec (by
// operationId), a check compiled from its schema in the bundled spec and the rule in words, so
// that the client validates input
// against the spec itself and not a hand copy. Compiled rather than interpreted at run time: the
// checks are a few comparisons each, and the bundle carries neither the schemas nor an interpreter.
// With --check, fails instead when the committed file differs from what would be written.
// --spec <file> and --output <file> point it elsewhere (its tests run it on a fixture spec).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { writeGenerated } from "./write-generated.mjs";

const { values: args } = parseArgs({
  options: { spec: { type: "string" }, output: { type: "string" }, check: { type: "boolean" } },
});
const OUTPUT = args.output
  ? pathToFileURL(args.output)
  : new URL("../src/generated/parameter-rules.ts", import.meta.url);
// Keywords that only annotate; any other keyword must be compiled below, or generation fails, so a
// new rule in the spec cannot be silently ignored.
const ANNOTATIONS = new Set(["title", "description", "default", "example", "examples", "deprecated"]);
const TYPES = new Set(["string", "integer", "number", "boolean"]);

const specPath = args.spec ?? createRequire(import.meta.url).resolve("@org/bulk-tasks-spec/openapi.json");
const spec = JSON.parse(await readFile(specPath, "utf8"));
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
// Every operation, in the order of the spec's paths: the generated file follows the spec.
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method] })),
);
if (operations.length === 0) throw new Error("The spec has no operation.");
for (const { path, method, operation } of operations) {
  if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId.`);
}

/** The schema as a boolean expression over `value`, and the same rule in words. */
function compileSchema(name, schema) {
  const { type, pattern, enum: options, minimum, maximum, minLength, maxLength, ...rest } = schema;
  for (const keyword of Object.keys(rest)) {
    if (!ANNOTATIONS.has(keyword)) {
      throw new Error(
        `Parameter "${name}" uses "${keyword}", which this generator does not compile: teach it first.`,
      );
    }
  }
  if (!TYPES.has(type))
    throw new Error(`Parameter "${name}" has type ${JSON.stringify(type)}: teach the generator first.`);
  const checks = [
    {
      integer: "Number.isSafeInteger(value)",
      number: 'typeof value === "number" && Number.isFinite(value)',
      string: 'typeof value === "string"',
      boolean: 'typeof value === "boolean"',
    }[type],
  ];
  // After the type check, TypeScript still sees `unknown`: the casts below are safe.
  const cast = type === "integer" || type === "number" ? "value as number" : "value as string";
  const as = `(${cast})`;
  if (options) checks.push(`${JSON.stringify(options)}.includes(${cast})`);
  if (minimum !== undefined) checks.push(`${as} >= ${minimum}`);
  if (maximum !== undefined) checks.push(`${as} <= ${maximum}`);
  // JSON Schema counts characters (code points), not UTF-16 units.
  if (minLength !== undefined) checks.push(`[...${as}].length >= ${minLength}`);
  if (maxLength !== undefined) checks.push(`[...${as}].length <= ${maxLength}`);
  // JSON Schema patterns are ECMA-262 regular expressions, read with the unicode flag; String()
  // of a RegExp is a literal with its slashes escaped.
  if (pattern !== undefined) checks.push(`${String(new RegExp(pattern, "u"))}.test(${cast})`);

  let rule;
  if (options) rule = `one of ${options.map((option) => JSON.stringify(option)).join(", ")}`;
  else {
    const parts = [];
    if (minimum !== undefined) parts.push(`>= ${minimum}`);
    if (maximum !== undefined) parts.push(`<= ${maximum}`);
    if (minLength !== undefined) parts.push(`of at least ${minLength} characters`);
    if (maxLength !== undefined) parts.push(`of at most ${maxLength} characters`);
    if (pattern !== undefined) parts.push(`matching /${pattern}/`);
    rule = [`${type === "integer" ? "an" : "a"} ${type}`, parts.join(" and ")].join(" ").trim();
  }
  return { test: checks.join(" && "), rule };
}

const blocks = operations.map(({ path, method, operation }) => {
  const entries = (operation.parameters ?? []).map((parameter) => {
    const { test, rule } = compileSchema(parameter.name, parameter.schema);
    return `  ${JSON.stringify(parameter.name)}: {
    in: ${JSON.stringify(parameter.in)},
    type: ${JSON.stringify(parameter.schema.type)},
    test: (value: unknown): boolean => ${test},
    rule: ${JSON.stringify(rule)},
  },`;
  });
  return `/** The parameters of ${operation.operationId}: ${method.toUpperCase()} ${path} */
export const ${operation.operationId}ParameterRules = {
${entries.join("\n")}
} as const;`;
});

const source = `/**
 * This file was auto-generated by scripts/generate-parameter-rules.mjs from the parameters of every
 * operation of the spec. Do not make direct changes to the file.
 */

// One constant per operation, so that a bundle keeps the rules of the operations it calls and no
// others: each parameter, where it goes, its type, the check of its schema and that rule in words.

${blocks.join("\n\n")}

/** Every operation's parameter rules, by operationId (for the local API, which answers them all). */
export const parameterRules = {
${operations.map(({ operation }) => `  ${operation.operationId}: ${operation.operationId}ParameterRules,`).join("\n")}
} as const;
`;

await writeGenerated([[OUTPUT, source]]);
