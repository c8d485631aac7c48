// The testing helpers' options, checked at run time as `inject` checks a fault: a test written in
// plain JavaScript (or with a cast) that misspells an option or gives a wrong value must fail with
// the option's name, not run against data it did not ask for.
import { closestName } from "../core/suggest.js";

/** What a value must be, said in words, or undefined when it is that. */
export type Rule = (value: unknown) => string | undefined;

/**
 * Throws a `TypeError` naming the first option that is unknown (with the one probably meant) or
 * that breaks its rule. Undefined options are left to their defaults.
 * @param where who was called, for the message: `startLocalApi`, `startTask`, ...
 */
export function checkOptions(where: string, given: unknown, rules: Readonly<Record<string, Rule>>): void {
  if (given === undefined) return;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new TypeError(`${where}: the options must be an object.`);
  }
  const known = Object.keys(rules);
  for (const [name, value] of Object.entries(given)) {
    const rule = rules[name];
    if (!rule) {
      const meant = closestName(name, known);
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(name)}${meant ? ` (did you mean ${meant}?)` : ""}; the options are ${known.join(", ")}.`,
      );
    }
    const broken = value === undefined ? undefined : rule(value);
    if (broken) throw new TypeError(`${where}: ${name} must be ${broken}.`);
  }
}

/** The rules the helpers' options use. */
export const rules = {
  integer:
    (min: number, max = Number.MAX_SAFE_INTEGER): Rule =>
    (value) =>
      Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
        ? undefined
        : `an integer from ${min} to ${max}`,
  number:
    (min: number, max = 2 ** 31 - 1): Rule =>
    (value) =>
      typeof value === "number" && value >= min && value <= max
        ? undefined
        : `a number from ${min} to ${max}`,
  oneOf:
    (...values: readonly unknown[]): Rule =>
    (value) =>
      values.includes(value) ? undefined : `one of ${values.map((item) => JSON.stringify(item)).join(", ")}`,
  function: ((value) => (typeof value === "function" ? undefined : "a function")) as Rule,
  object: ((value) =>
    typeof value === "object" && value !== null && !Array.isArray(value) ? undefined : "an object") as Rule,
  array: ((value) => (Array.isArray(value) ? undefined : "an array")) as Rule,
  string: ((value) => (typeof value === "string" ? undefined : "a string")) as Rule,
  either:
    (...alternatives: Rule[]): Rule =>
    (value) => {
      const broken = alternatives.map((rule) => rule(value));
      return broken.some((words) => words === undefined) ? undefined : broken.join(", or ");
    },
  arrayOf:
    (rule: Rule, words: string): Rule =>
    (value) =>
      Array.isArray(value) && value.every((item) => rule(item) === undefined) ? undefined : words,
};
