/**
 * Reading what a caller gives: client options, per-call options, headers, the base URL. What is
 * checked is a copy, read once, and that copy is what is used.
 */
import {
  ConfigurationError,
  describeBrokenRule,
  hiddenIfString,
  InvalidRequestError,
  isInstance,
  type RuleDetails,
  refusedValue,
  shownName,
} from "./errors.js";
import type { Redactor } from "./redaction.js";
import { closestName } from "./suggest.js";
import type { TransportOptions } from "./transport.js";

/** Options of one call; each overrides the client's. */
export interface RequestOptions {
  /** Aborts the call (and a walk over pages); it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** @default the client's `maxRetries` */
  maxRetries?: number | undefined;
  /** @default the client's `timeoutMs` */
  timeoutMs?: number | undefined;
  /** @default the client's `maxResponseBytes` */
  maxResponseBytes?: number | undefined;
  /** @default the client's `maxRateLimitWaitMs` */
  maxRateLimitWaitMs?: number | undefined;
}

/** A call's options, read and checked: the transport options it uses and its signal. */
export interface CallOptions {
  transport: TransportOptions;
  signal: AbortSignal | undefined;
}

/** The transport options a call may set over the client's (the client takes them too). */
const CALL_TRANSPORT_OPTIONS = [
  "maxRetries",
  "timeoutMs",
  "maxResponseBytes",
  "maxRateLimitWaitMs",
] as const satisfies readonly (keyof RequestOptions & keyof TransportOptions)[];
const REQUEST_OPTIONS = ["signal", ...CALL_TRANSPORT_OPTIONS] as const;

/** `base`, with the transport options that `given` sets (an undefined one leaves the base's). */
export function withTransportOptions(base: TransportOptions, given: RequestOptions): TransportOptions {
  return {
    ...base,
    ...definedOnly(Object.fromEntries(CALL_TRANSPORT_OPTIONS.map((name) => [name, given[name]]))),
  };
}

/** How a refusal is made: an `InvalidRequestError` for a call, a `ConfigurationError` for a client. */
export type Refuse = (name: string, value: unknown, rule: string, details?: RuleDetails) => never;

/** Refuses a parameter or a per-call option: nothing is sent. */
export const refuseParameter: Refuse = (name, value, rule, details) => {
  throw new InvalidRequestError(name, value, rule, details);
};

/**
 * Reads one call's options over the client's defaults.
 * @param extra option names an operation adds (`concurrency` for a walk), returned in `rest`
 * @throws {InvalidRequestError} naming the option that breaks its rule
 */
export function readCallOptions<Extra extends string = never>(
  defaults: TransportOptions,
  given: unknown,
  extra: readonly Extra[] = [],
): CallOptions & { rest: Partial<Record<Extra, unknown>> } {
  const options = plainCopy("options", given, refuseParameter, [
    ...REQUEST_OPTIONS,
    ...extra,
  ]) as RequestOptions & Partial<Record<Extra, unknown>>;
  const transport = withTransportOptions(defaults, options);
  const broken = brokenOption(transport);
  if (broken) refuseParameter(...broken);
  const { signal } = options;
  if (signal !== undefined && !isInstance(signal, AbortSignal))
    refuseParameter("signal", signal, "an AbortSignal");
  const rest: Partial<Record<Extra, unknown>> = {};
  for (const name of extra) rest[name] = options[name];
  return { transport, signal, rest };
}

/** Checks a count such as `concurrency`: an integer >= 1. */
export function brokenCount(name: string, value: unknown): [string, unknown, string] | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 1 ? undefined : [name, value, "an integer >= 1"];
}

/**
 * The base URL as the parsed URL gives it, whatever its source: no whitespace, no trailing slash.
 * @throws {ConfigurationError} when it is not an absolute http(s) URL, or would send the key in clear
 */
export function normaliseBaseUrl(
  baseUrl: unknown,
  allowInsecureHttp: boolean,
  source: "baseUrl" | "APPLIVERY_BASE_URL" = "baseUrl",
): string {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    let shown = "a value that cannot be read";
    try {
      shown = JSON.stringify(String(baseUrl));
    } catch {
      // A revoked Proxy, or an object whose toString throws: named, not quoted.
    }
    throw new ConfigurationError(
      `${source} ${shown} is not an absolute URL (such as https://api.applivery.io).`,
      "baseUrl",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(
      // The scheme is not quoted: a key put here by mistake ("sk:...") would show its start.
      `${source} must use https (or http on loopback); the one given uses another scheme.`,
      "baseUrl",
    );
  }
  // fetch refuses a URL with credentials, in an error that quotes them; a query or a fragment would
  // land in the middle of every request's URL.
  if (url.username || url.password || /[?#]/.test(url.href)) {
    throw new ConfigurationError(
      `${source} must have no user name, password, query or fragment: use ${url.origin}${url.pathname}`,
      "baseUrl",
    );
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new ConfigurationError(
      `${source} ${url.origin} is plain http on a non-loopback host: the API key would travel in clear. Use https, or set allowInsecureHttp: true.`,
      "baseUrl",
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** RFC 9110 token characters: what a header name may hold. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A field value: visible characters, spaces and tabs inside; no CR, LF or NUL (header injection). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * The extra headers, checked once: a plain object of header names and string values. The error names
 * the header and never quotes its value, which may be a secret of its own.
 */
export function checkHeaders(headers: unknown): Record<string, string> {
  const copy = plainCopy("headers", headers, refuseOption);
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(copy)) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigurationError(`headers: ${JSON.stringify(name)} is not a valid header name.`, "headers");
    }
    if (typeof value !== "string" || !HEADER_VALUE.test(value)) {
      throw new ConfigurationError(
        `headers: the value of ${JSON.stringify(name)} must be a string of printable Latin-1 characters, without line breaks or control characters (it is not shown here).`,
        "headers",
      );
    }
    // The key's own Authorization replaces one given here, in any case of the name.
    if (name.toLowerCase() !== "authorization") checked[name] = value.trim();
  }
  return checked;
}

/** Refuses a client option: how `createBulkTasksClient` reports a broken rule. */
export const refuseOption: Refuse = (name, value, rule, details) => {
  throw new ConfigurationError(describeBrokenRule(name, value, rule, details), name);
};

/**
 * A copy of a plain object's own enumerable properties, read once; undefined gives `{}`. Anything
 * else (null, an array, a class instance, an object inheriting properties) goes to `refuse`: what is
 * checked must be what is used, and an inherited property would be used without being checked.
 */
export function plainCopy(
  name: string,
  value: unknown,
  refuse: Refuse,
  known?: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  const copy: Record<string, unknown> = {};
  try {
    const prototype = typeof value === "object" && value !== null ? Object.getPrototypeOf(value) : undefined;
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError("not a plain object");
    for (const key of Object.keys(value as object)) {
      // defineProperty: an own property named "__proto__" stays a property, and is refused as unknown.
      Object.defineProperty(copy, key, {
        value: (value as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  } catch {
    // Not a plain object, or one whose properties cannot be read (a Proxy, a getter that throws).
    // A string here may be the key, passed in place of the options: not quoted.
    return refuse(name, hiddenIfString(value), "a plain object");
  }
  if (known) refuseUnknown(copy, known, refuse);
  return copy;
}

/**
 * Refuses the first key of `copy` that is not a known option. A misspelt option's string may be
 * the key (`apikey: KEY`): named, not quoted; and a name may be the key itself: `redactName` takes
 * the key out when it is known, and a name shaped like a key is not shown.
 */
export function refuseUnknown(
  copy: Record<string, unknown>,
  known: readonly string[],
  refuse: Refuse,
  redactName: (name: string) => string = (name) => name,
): void {
  for (const key of Object.keys(copy)) {
    if (!known.includes(key)) {
      refuse(shownName(redactName(key)), hiddenIfString(copy[key]), `a known option (${known.join(", ")})`, {
        suggestion: closestName(key, known),
      });
    }
  }
}

/**
 * The refusal of a caller's input, with the client's key taken out of what it quotes: a key passed
 * where an id or an option goes (arguments swapped) is not printed. An `InvalidRequestError` is
 * made again from its redacted value; a `ConfigurationError` has its message redacted, which is
 * enough only where the message quotes values whole (see readClientOptions). Others pass unchanged.
 */
export function withoutKey(error: unknown, redactor: Redactor): unknown {
  if (error instanceof InvalidRequestError) {
    // The parameter is a name the caller gave (an unknown option, or query key), perhaps the key.
    const given = refusedValue(error);
    const parameter = redactor.text(error.parameter);
    const value = typeof given === "string" ? redactor.text(given) : given;
    return parameter === error.parameter && value === given
      ? error
      : new InvalidRequestError(parameter, value, error.rule, error);
  }
  if (error instanceof ConfigurationError) {
    const message = redactor.text(error.message);
    return message === error.message ? error : new ConfigurationError(message, error.option);
  }
  return error;
}

/** The option that breaks its rule, as [name, value, rule], or undefined when all keep theirs. */
export function brokenOption(options: TransportOptions): [string, unknown, string] | undefined {
  const { maxRetries, timeoutMs, maxResponseBytes } = options;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0)
    return ["maxRetries", maxRetries, "an integer >= 0"];
  if (!isTimerDelay(timeoutMs) || timeoutMs === 0) {
    return ["timeoutMs", timeoutMs, `a number > 0 and <= ${MAX_TIMER_MS}`];
  }
  for (const name of [
    "initialRetryDelayMs",
    "maxRetryDelayMs",
    "maxRetryAfterMs",
    "maxRateLimitWaitMs",
  ] as const) {
    const value = options[name];
    if (!isTimerDelay(value)) return [name, value, `a number >= 0 and <= ${MAX_TIMER_MS}`];
  }
  return brokenCount("maxResponseBytes", maxResponseBytes);
}

/** The longest delay setTimeout keeps: a longer one fires at once, in Node.js and browsers alike. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function isTimerDelay(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= MAX_TIMER_MS;
}

type WithoutUndefined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** The entries whose value is not undefined, so that they do not override defaults. */
export function definedOnly<T extends object>(values: T): WithoutUndefined<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as WithoutUndefined<T>;
}

export function readEnvironment(name: string): string | undefined {
  // `process` is absent in browsers and some edge runtimes; Deno throws NotCapable when it was not
  // allowed to read the environment: either way, there is no such variable to read.
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    return env?.[name] || undefined;
  } catch {
    return undefined;
  }
}
