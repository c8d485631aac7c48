#!/usr/bin/env node
// Writes src/generated/parameter-rules.ts: for each parameter of each operation of the spec (by
// operationId), a check compiled from its schema in the bundled spec and the rule in words, so
// that the client validates input
// against the spec itself and not a hand copy. Compiled rather than interpreted at run time: the
// checks are a few comparisons each, and the bundle carries neither the schemas nor an interpreter.
// With --check, fails instead when the committed file differs from what would be written.
// --spec <file> and --output <file> point it elsewhere (its tests run it on a fixture spec).
import { operationsOf, readGeneratorInput, writeGenerated } from "./write-generated.mjs";

const { spec, output: OUTPUT } = await readGeneratorInput(
  new URL("../src/generated/parameter-rules.ts", import.meta.url),
);
// Keywords that only annotate; any other keyword must be compiled below, or generation fails, so a
// new rule in the spec cannot be silently ignored.
const ANNOTATIONS = new Set(["title", "description", "default", "example", "examples", "deprecated"]);
const TYPES = new Set(["string", "integer", "number", "boolean"]);

const operations = operationsOf(spec);

/** The schema as a boolean expression over `value`, and the same rule in words. */
function compileSchema(name, schema, sortFields) {
  const {
    type,
    pattern,
    "x-pattern-description": patternInWords,
    enum: options,
    minimum,
    maximum,
    minLength,
    maxLength,
    ...rest
  } = schema;
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
    rule = [`${type === "integer" ? "an" : "a"} ${type}`, parts.join(" and ")].join(" ").trim();
    // A pattern is said in the spec's words: a regular expression tells a user little.
    if (pattern !== undefined) {
      if (typeof patternInWords !== "string" || !patternInWords.trim()) {
        throw new Error(
          `Parameter "${name}" has a pattern without x-pattern-description: say the rule in words (an error quotes it).`,
        );
      }
      rule =
        parts.length > 1 ? `${patternInWords} (${rule.replace(/ and matching .*$/, "")})` : patternInWords;
    }
  }
  if (sortFields !== undefined) checkSortFields(name, sortFields, pattern);
  return { test: checks.join(" && "), rule, pattern, values: options, sortFields };
}

/** Every sort field must be a string the pattern accepts, alone and with each direction. */
function checkSortFields(name, fields, pattern) {
  if (!Array.isArray(fields) || fields.length === 0 || fields.some((field) => typeof field !== "string")) {
    throw new Error(`Parameter "${name}": x-sort-fields must be a non-empty list of field names.`);
  }
  const regex = pattern === undefined ? undefined : new RegExp(pattern, "u");
  for (const field of fields) {
    for (const value of [field, `${field}:asc`, `${field}:desc`]) {
      if (regex && !regex.test(value)) {
        throw new Error(`Parameter "${name}": sort field ${JSON.stringify(value)} breaks its own pattern.`);
      }
    }
  }
}

/** `ListBulkTasksSort`: the type of an operation's sort parameter, from its x-sort-fields. */
function sortTypeName(operationId) {
  return `${operationId[0].toUpperCase()}${operationId.slice(1)}Sort`;
}

const blocks = operations.map(({ path, method, operation }) => {
  const sortTypes = [];
  // The operation's x-sort-fields name the fields its `sort` parameter takes. On the operation, not
  // the parameter: `redocly diff` takes a parameter that gains two extensions for another one (a
  // removal, which would rate the release major).
  const operationSortFields = operation["x-sort-fields"];
  const parameters = operation.parameters ?? [];
  if (
    operationSortFields !== undefined &&
    !parameters.some(({ name, in: where }) => name === "sort" && where === "query")
  ) {
    throw new Error(`${operation.operationId} has x-sort-fields but no query parameter named sort.`);
  }
  const entries = parameters.map((parameter) => {
    const { test, rule, pattern, values, sortFields } = compileSchema(
      parameter.name,
      parameter.schema,
      parameter.name === "sort" && parameter.in === "query" ? operationSortFields : undefined,
    );
    if (sortFields) {
      const fields = sortFields.map((field) => JSON.stringify(field)).join(" | ");
      sortTypes.push(`/**
 * The values of ${operation.operationId}'s \`${parameter.name}\` (x-sort-fields of the spec): a field, alone or
 * followed by \`:asc\` or \`:desc\`, such as \`"createdAt:desc"\`.
 */
export type ${sortTypeName(operation.operationId)} = \`\${${sortTypeName(operation.operationId)}Field}\${"" | ":asc" | ":desc"}\`;
/** The fields ${operation.operationId} can sort by. */
export type ${sortTypeName(operation.operationId)}Field = ${fields};`);
    }
    return `  ${JSON.stringify(parameter.name)}: {
    in: ${JSON.stringify(parameter.in)},
    type: ${JSON.stringify(parameter.schema.type)},
    test: (value: unknown): boolean => ${test},
    rule: ${JSON.stringify(rule)},${pattern === undefined ? "" : `\n    pattern: ${JSON.stringify(pattern)},`}${
      values === undefined ? "" : `\n    values: ${JSON.stringify(values)},`
    }
  },`;
  });
  return `/** The parameters of ${operation.operationId}: ${method.toUpperCase()} ${path} */
export const ${operation.operationId}ParameterRules = {
${entries.join("\n")}
} as const;${sortTypes.length ? `\n\n${sortTypes.join("\n\n")}` : ""}`;
});

const source = `/**
 * This file was auto-generated by scripts/generate-parameter-rules.mjs from the parameters of every
 * operation of the spec. Do not make direct changes to the file.
 */

// One constant per operation, so that a bundle keeps the rules of the operations it calls and no
// others: each parameter, where it goes, its type, the check of its schema and that rule in words
// (a pattern kept beside its words, for programs).

${blocks.join("\n\n")}

/** Every operation's parameter rules, by operationId (for the local API, which answers them all). */
export const parameterRules = {
${operations.map(({ operation }) => `  ${operation.operationId}: ${operation.operationId}ParameterRules,`).join("\n")}
} as const;
`;

await writeGenerated([[OUTPUT, source]]);
