import { InvalidRequestError } from "./errors.js";
import { listBulkTasksParameterRules } from "./generated/parameter-rules.js";
import type { ListBulkTasksQuery } from "./types.js";

/** The subset of JSON Schema that parameter schemas use (generation fails on anything else). */
interface ParameterSchema {
  readonly type?: "string" | "integer" | "number" | "boolean";
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
}

interface ParameterRule {
  readonly in: "path" | "query";
  readonly required: boolean;
  readonly schema: ParameterSchema;
}

const rules: Record<string, ParameterRule> = listBulkTasksParameterRules;
const queryNames = Object.keys(rules).filter((name) => rules[name]?.in === "query");
const patterns = new Map<string, RegExp>();

/** A parameter that breaks its rule: its name, the value given and the rule, in words. */
export type BrokenParameter = [parameter: string, value: unknown, rule: string];

/**
 * Refuses, before anything is sent, a parameter that breaks its rule in the spec.
 * @throws {InvalidRequestError} naming the parameter, the value and the rule
 */
export function validateListBulkTasksParameters(
  organizationId: unknown,
  query: ListBulkTasksQuery | undefined,
): void {
  const broken = findBrokenParameter(organizationId, query);
  if (broken) throw new InvalidRequestError(...broken);
}

/** The first parameter that breaks its rule in the spec, or undefined when all keep theirs. */
export function findBrokenParameter(
  organizationId: unknown,
  query: object | undefined,
): BrokenParameter | undefined {
  const brokenOrganization = checkParameter("organizationId", organizationId);
  if (brokenOrganization || query === undefined) return brokenOrganization;
  if (typeof query !== "object" || query === null) {
    return ["query", query, "an object of query parameters"];
  }
  for (const [name, value] of Object.entries(query)) {
    if (!queryNames.includes(name)) {
      return [name, value, `a query parameter of this operation (${queryNames.join(", ")})`];
    }
    // openapi-fetch leaves undefined out of the query string: nothing to check.
    const broken = value === undefined ? undefined : checkParameter(name, value);
    if (broken) return broken;
  }
  return undefined;
}

function checkParameter(name: string, value: unknown): BrokenParameter | undefined {
  const rule = rules[name];
  if (!rule) return [name, value, "a parameter of this operation"];
  const broken = brokenRule(rule.schema, value);
  return broken ? [name, value, broken] : undefined;
}

/** The rule a value breaks, in words, or undefined when it keeps them all. */
function brokenRule(schema: ParameterSchema, value: unknown): string | undefined {
  const { type } = schema;
  if (type === "integer" && !Number.isSafeInteger(value)) return describe(schema);
  if (type === "number" && (typeof value !== "number" || !Number.isFinite(value))) return describe(schema);
  if ((type === "string" || type === "boolean") && typeof value !== type) return describe(schema);
  if (schema.enum && !schema.enum.includes(value)) return describe(schema);
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) return describe(schema);
    if (schema.maximum !== undefined && value > schema.maximum) return describe(schema);
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) return describe(schema);
    if (schema.maxLength !== undefined && length > schema.maxLength) return describe(schema);
    if (schema.pattern !== undefined && !compile(schema.pattern).test(value)) return describe(schema);
  }
  return undefined;
}

function describe(schema: ParameterSchema): string {
  if (schema.enum) return `one of ${schema.enum.map((option) => JSON.stringify(option)).join(", ")}`;
  const parts: string[] = [`${schema.type === "integer" ? "an" : "a"} ${schema.type ?? "value"}`];
  if (schema.minimum !== undefined) parts.push(`>= ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`<= ${schema.maximum}`);
  if (schema.minLength !== undefined) parts.push(`of at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) parts.push(`of at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined) parts.push(`matching /${schema.pattern}/`);
  return parts.join(" ");
}

function compile(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    // JSON Schema patterns are ECMA-262 regular expressions, read with the unicode flag.
    regex = new RegExp(pattern, "u");
    patterns.set(pattern, regex);
  }
  return regex;
}
