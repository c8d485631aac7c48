import { InvalidRequestError } from "./errors.js";
import { listBulkTasksParameterRules } from "./generated/parameter-rules.js";
import type { ListBulkTasksQuery } from "./types.js";

/** One parameter's rule, compiled from the spec by `pnpm generate`. */
interface ParameterRule {
  readonly in: "path" | "query";
  readonly test: (value: unknown) => boolean;
  /** The rule in words, such as `an integer >= 1`. */
  readonly rule: string;
}

const rules: Record<string, ParameterRule | undefined> = listBulkTasksParameterRules;
const queryNames = Object.keys(rules).filter((name) => rules[name]?.in === "query");

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
  return rule.test(value) ? undefined : [name, value, rule.rule];
}
