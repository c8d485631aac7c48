/**
 * Reading a response the way every operation needs it: the body with a size limit, and what an
 * error keeps of it, with the key taken out.
 */
import { type ResponseDetails, ResponseTooLargeError, UnexpectedResponseError } from "./errors.js";
import { MAX_BODY_EXCERPT_CHARS, type Redactor } from "./redaction.js";
import { ignore } from "./signals.js";

/** A body, or its start when it was longer than the limit it was read with. */
export interface BodyText {
  text: string;
  /** False when the body was longer than the limit: `text` is its start. */
  complete: boolean;
}

/**
 * The most bytes of an error response read: enough for the kept excerpt (64 Ki characters of
 * ASCII; fewer of other text) and the margin that redaction needs at a cut.
 */
const ERROR_BODY_READ_BYTES = MAX_BODY_EXCERPT_CHARS + 16 * 1024;

/** Where a request id is looked for, in this order. */
const REQUEST_ID_HEADERS = [
  "x-request-id",
  "request-id",
  "x-amzn-requestid",
  "x-correlation-id",
  "x-trace-id",
];

/** What a request was, for errors and `onRetry`. */
export interface RequestLine {
  method: string;
  url: string;
}

/** Builds the details errors keep of a response: every header and the body, redacted and bounded. */
export function describeResponse(
  request: RequestLine,
  response: Response,
  body: BodyText | undefined,
  redactor: Redactor,
): ResponseDetails {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[redactor.text(name)] = redactor.text(value);
  });
  const requestId = REQUEST_ID_HEADERS.map((name) => headers[name]).find((value) => value !== undefined);
  return { ...request, status: response.status, headers, body: keptBody(body, redactor), requestId };
}

function keptBody(body: BodyText | undefined, redactor: Redactor): unknown {
  if (!body || body.text === "") return body?.text;
  if (body.complete && body.text.length <= MAX_BODY_EXCERPT_CHARS) {
    const parsed = parseJson(body.text);
    if (parsed) return redactor.json(parsed.value);
  }
  return redactor.excerpt(body.text, body.complete);
}

/** The parsed value, or undefined when the text is not JSON. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * Reads the body of a response: a 2xx one whole, up to `maxResponseBytes` (more is a
 * {@link ResponseTooLargeError}, refused before it is held whole); any other only as far as an
 * error keeps of it, so that a huge error page costs no more than its excerpt. Counts decoded bytes:
 * a small gzip that inflates without end is stopped like any other large body.
 * @throws {UnexpectedResponseError} when the body cannot be decoded (gzip, deflate or brotli alike)
 */
export async function readBody(
  request: RequestLine,
  response: Response,
  maxResponseBytes: number,
  redactor: Redactor,
): Promise<BodyText> {
  const limit = response.ok ? maxResponseBytes : ERROR_BODY_READ_BYTES;
  const tooLarge = () =>
    new ResponseTooLargeError(maxResponseBytes, describeResponse(request, response, undefined, redactor));
  const declaredLength = Number(response.headers.get("content-length") ?? Number.NaN);
  if (response.ok && declaredLength > limit) {
    await response.body?.cancel().catch(ignore);
    throw tooLarge();
  }
  const reader = response.body?.getReader();
  if (!reader) return { text: "", complete: true };
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > limit) {
        reader.cancel().catch(ignore);
        if (response.ok) throw tooLarge();
        return { text: decode(chunks, limit), complete: false };
      }
    }
  } catch (error) {
    if (error instanceof UnexpectedResponseError) throw error;
    const encoding = response.headers.get("content-encoding");
    if (encoding && isDecodingFailure(error)) {
      throw new UnexpectedResponseError(
        `The ${response.status} response's body cannot be decoded (content-encoding ${redactor.text(encoding)})`,
        describeResponse(request, response, undefined, redactor),
        { cause: redactor.error(error) },
      );
    }
    throw error;
  }
  return { text: decode(chunks, size), complete: true };
}

function decode(chunks: Uint8Array[], length: number): string {
  if (chunks.length === 1 && chunks[0]) return utf8.decode(chunks[0].subarray(0, length));
  const bytes = new Uint8Array(
    Math.min(
      length,
      chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0),
    ),
  );
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= bytes.length) break;
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  // A cut may split a character: the decoder replaces the broken end, it does not throw.
  return utf8.decode(bytes);
}

const utf8 = new TextDecoder();

/**
 * Whether an error from reading a body is its decoding failing: zlib's codes (gzip, deflate),
 * brotli's, and the words runtimes use for them. Asked only for a body with a content-encoding.
 */
function isDecodingFailure(error: unknown): boolean {
  return someInChain(
    error,
    (link) =>
      /^(?:Z_|ERR__ERROR|ERR_BROTLI|ERR_ZSTD)/.test(String(link.code ?? "")) ||
      /zlib|decompress|gzip|deflate|brotli|incorrect header check|invalid (?:block type|distance|stored block|code lengths)|unknown compression/i.test(
        `${link.name ?? ""} ${link.message ?? ""}`,
      ),
  );
}

/** Whether an error thrown by fetch is a redirect loop: no retry can mend that. */
export function isRedirectLoop(error: unknown): boolean {
  return someInChain(error, (link) => /redirect/i.test(String(link.message ?? "")));
}

function someInChain(
  error: unknown,
  test: (link: { name?: unknown; message?: unknown; code?: unknown }) => boolean,
): boolean {
  let link: unknown = error;
  for (let depth = 0; depth < 8 && typeof link === "object" && link !== null; depth++) {
    if (test(link)) return true;
    link = (link as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A response that followed a redirect to another origin is not the API's answer (and fetch sent
 * it no key): an {@link UnexpectedResponseError} naming the origin. Undefined when it is the API's.
 */
export function foreignOrigin(request: RequestLine, response: Response): string | undefined {
  if (!response.redirected || !response.url) return undefined;
  const origin = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return undefined;
    }
  };
  const served = origin(response.url);
  return served !== origin(request.url) ? served : undefined;
}
