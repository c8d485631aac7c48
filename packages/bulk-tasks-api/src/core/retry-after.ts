/** Reads a header by its lower-case name: `Headers.get`, or a lookup in a plain record. */
export type HeaderReader = (name: string) => string | null | undefined;

/** A header value that is a plain number (of seconds, or of ms): `12`, `1.5`, spaces around. */
export const PLAIN_NUMBER = /^\s*\d+(\.\d+)?\s*$/;

/** The wait a response asks for: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP date. */
export function readRetryAfterMs(header: HeaderReader, now: number = Date.now()): number | undefined {
  const milliseconds = header("retry-after-ms");
  if (typeof milliseconds === "string" && PLAIN_NUMBER.test(milliseconds)) return Number(milliseconds);
  const retryAfter = header("retry-after");
  if (typeof retryAfter !== "string") return undefined;
  if (PLAIN_NUMBER.test(retryAfter)) return Number(retryAfter) * 1000;
  // An HTTP date has a weekday and a month name; Date.parse alone would also take "-1" as a year.
  if (!/[a-z]/i.test(retryAfter)) return undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
