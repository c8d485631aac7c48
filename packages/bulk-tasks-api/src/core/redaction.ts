/**
 * Taking the API key out of everything an error keeps. A hostile or broken server can echo the key
 * anywhere: a body, a header, a status line the HTTP parser chokes on. Every error the client
 * throws is built from what a {@link Redactor} returns, never from raw response parts.
 */

/** The most characters of a response body an error keeps; a longer body is cut, as text. */
export const MAX_BODY_EXCERPT_CHARS = 64 * 1024;

/**
 * The deepest JSON an error keeps: error envelopes are three levels deep. What lies deeper is
 * replaced by {@link TOO_DEEP}, so that printing or serialising the error (`JSON.stringify`
 * recurses) cannot overflow the stack, and the envelope's code and message are kept.
 */
const MAX_KEPT_JSON_DEPTH = 64;

/** What stands for a part of a body nested deeper than {@link MAX_KEPT_JSON_DEPTH}. */
const TOO_DEEP = "[cut: nested deeper than 64 levels]";

/** How deep a cause chain is copied; deeper causes are left out. */
const MAX_CAUSE_DEPTH = 8;

const REDACTED = "[redacted]";

export interface Redactor {
  /** The text with every occurrence of the key replaced: literal, or percent-encoded in any case. */
  text(value: string): string;
  /**
   * A redacted excerpt of a body's text, at most {@link MAX_BODY_EXCERPT_CHARS} characters (plus a
   * note that it was cut). `complete` is false when the text is only the start of the body.
   */
  excerpt(value: string, complete: boolean): string;
  /**
   * A copy of a parsed JSON value with the key taken out of every string, property names included,
   * and what lies deeper than {@link MAX_KEPT_JSON_DEPTH} replaced by {@link TOO_DEEP}. Iterative:
   * any depth is safe.
   */
  json(value: unknown): unknown;
  /**
   * A scrubbed copy of an error thrown by fetch, its parser or a callback: an `Error` with the
   * original's name, message, code and stack, redacted, and its cause copied the same way. The
   * original's other properties (undici's HTTP parser keeps the raw bytes it failed on) are left
   * out: they cannot be scrubbed safely. Errors of this package are returned as they are.
   */
  error(error: unknown): unknown;
}

/** A redactor of `secret`. */
export function createRedactor(secret: string, isOwnError: (error: unknown) => boolean): Redactor {
  // Each character as itself or as %XX, hex digits in any case: the key as sent, URL-encoded by
  // a proxy that quotes the request, or anything in between.
  const pattern = new RegExp(
    [...secret]
      .map((character) => {
        const hex = character.charCodeAt(0).toString(16).padStart(2, "0");
        return `(?:${character.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")}|%${hex})`;
      })
      .join(""),
    "gi",
  );
  // The longest form the key takes (every character encoded): a cut closer than this to the end
  // of an excerpt may have left a prefix of the key that no pattern matches.
  const margin = secret.length * 3;
  const text = (value: string): string => (secret ? value.replace(pattern, REDACTED) : value);

  const excerpt = (value: string, complete: boolean): string => {
    const cut = !complete || value.length > MAX_BODY_EXCERPT_CHARS;
    if (!cut) return text(value);
    const redacted = text(value.slice(0, MAX_BODY_EXCERPT_CHARS + margin));
    return `${redacted.slice(0, Math.max(0, Math.min(MAX_BODY_EXCERPT_CHARS, redacted.length - margin)))}… [cut]`;
  };

  const json = (value: unknown): unknown => {
    const copyOf = (part: unknown): unknown =>
      typeof part === "string" ? text(part) : Array.isArray(part) ? [] : isObject(part) ? {} : part;
    const root = copyOf(value);
    const pending: [source: object, target: object, depth: number][] = [];
    if (isObject(value)) pending.push([value, root as object, 1]);
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [source, target, depth] = next;
      for (const [name, inner] of Object.entries(source)) {
        let copy = copyOf(inner);
        if (isObject(inner)) {
          if (depth >= MAX_KEPT_JSON_DEPTH) copy = TOO_DEEP;
          else pending.push([inner, copy as object, depth + 1]);
        }
        // defineProperty: a property named "__proto__" stays a property.
        Object.defineProperty(target, text(name), {
          value: copy,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return root;
  };

  const error = (caught: unknown, depth = 0): unknown => {
    if (isOwnError(caught)) return caught;
    if (!(caught instanceof Error)) return text(String(caught));
    const copy = new Error(text(String(caught.message)));
    copy.name = text(String(caught.name));
    copy.stack = text(String(caught.stack ?? `${copy.name}: ${copy.message}`));
    const { code } = caught as { code?: unknown };
    if (typeof code === "string" || typeof code === "number") {
      (copy as { code?: unknown }).code = typeof code === "string" ? text(code) : code;
    }
    if (caught.cause !== undefined && depth < MAX_CAUSE_DEPTH) copy.cause = error(caught.cause, depth + 1);
    return copy;
  };

  return { text, excerpt, json, error: (caught) => error(caught) };
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}
