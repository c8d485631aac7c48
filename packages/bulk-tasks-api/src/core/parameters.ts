import type { operations } from "../generated/openapi.js";
import { parameterRules } from "../generated/parameter-rules.js";
import { hiddenIfString, type RuleDetails, shownName } from "./errors.js";
import { closestName } from "./suggest.js";

/** An operation of the spec, by its operationId. */
export type OperationId = keyof operations & keyof typeof parameterRules;

/** One parameter's rule, compiled from the spec by `pnpm generate`. */
export interface ParameterRule {
  readonly in: "path" | "query";
  readonly type: string;
  readonly test: (value: unknown) => boolean;
  /** The rule in words, such as `an integer >= 1`. */
  readonly rule: string;
  /** The spec's pattern, when the rule is one. */
  readonly pattern?: string;
  /** The values of an enum, for "did you mean". */
  readonly values?: readonly string[];
}

/** The rules of one operation's parameters, by name: `listBulkTasksParameterRules`, generated. */
export type ParameterRules = Readonly<Record<string, ParameterRule | undefined>>;

// Assigning the generated rules here type-checks their shape.
const rules: Record<OperationId, ParameterRules> = parameterRules;

/** A parameter that breaks its rule: its name, the value given, the rule in words, and details. */
export type BrokenParameter = [parameter: string, value: unknown, rule: string, details?: RuleDetails];

/**
 * The rules of one operation's parameters, by name. For the local API, which answers every
 * operation: an operation's own code imports its rules by name, so that a bundle keeps no others.
 */
export function rulesOf(operationId: OperationId): ParameterRules {
  return rules[operationId];
}

/**
 * The first parameter that breaks its rule in the spec, or undefined when all keep theirs: the path
 * parameters first (every one is required), then the query, whose keys must be the operation's.
 */
export function findBrokenParameter(
  operationRules: ParameterRules,
  path: Record<string, unknown>,
  query: object | undefined,
): BrokenParameter | undefined {
  for (const [name, value] of Object.entries(path)) {
    const broken = checkParameter(operationRules, name, value);
    if (broken) return broken;
  }
  // The query is a plain object by now: callers copy it with plainCopy, the local API from a URL.
  if (query === undefined) return undefined;
  const queryNames = Object.keys(operationRules).filter((name) => operationRules[name]?.in === "query");
  for (const [name, value] of Object.entries(query)) {
    if (!queryNames.includes(name)) {
      // An unknown name's string may be a key put in the wrong place: named, not quoted.
      return [
        shownName(name),
        hiddenIfString(value),
        `a query parameter of this operation (${queryNames.join(", ") || "none"})`,
        { suggestion: closestName(name, queryNames) },
      ];
    }
    // An undefined value is left out of the query string: nothing to check.
    const broken = value === undefined ? undefined : checkParameter(operationRules, name, value);
    if (broken) return broken;
  }
  return undefined;
}

function checkParameter(
  operationRules: ParameterRules,
  name: string,
  value: unknown,
): BrokenParameter | undefined {
  const rule = operationRules[name];
  if (!rule) return [name, value, "a parameter of this operation"];
  if (rule.test(value)) return undefined;
  const suggestion = rule.values && typeof value === "string" ? closestName(value, rule.values) : undefined;
  return [name, value, rule.rule, { pattern: rule.pattern, suggestion }];
}
