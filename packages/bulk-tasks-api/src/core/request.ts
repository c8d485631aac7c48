/**
 * One call of an operation, as every operation makes it: the parameters checked against the spec,
 * the URL built with openapi-fetch's serializers (as `raw` builds it), one attempt per retry with
 * the body read under the time limit and the size limit, then the status, the JSON envelope, the
 * operation's own checks of `data` and the opt-in response validation.
 */
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from "openapi-fetch";
import {
  ApiError,
  HiddenValue,
  InvalidRequestError,
  ResponseValidationError,
  UnexpectedResponseError,
} from "./errors.js";
import { readCallOptions, withoutKey } from "./options.js";
import { findBrokenParameter, type OperationId, type ParameterRules } from "./parameters.js";
import type { RateGate } from "./rate-limit.js";
import type { Redactor } from "./redaction.js";
import { type BodyText, describeResponse, parseJson, readBody } from "./responses.js";
import { type Call, type Fetch, fetchResponse, retrying, type TransportOptions } from "./transport.js";

/** Where and how a response breaks the spec. */
export interface ContractViolation {
  /** A JSON pointer into the body, such as `/data/items/0/status`. */
  field: string;
  /** The JSON Schema keyword broken, such as `enum` or `required`. */
  rule: string;
  /** What is wrong, such as `must be equal to one of the allowed values`. */
  message: string;
}

/**
 * Checks a 2xx response body of an operation; returns the first violation, or undefined when the
 * body keeps the contract. `validateResponse` from `@org/bulk-tasks-api/response-validation`
 * checks every operation against the spec.
 */
export type ResponseValidator = (body: unknown, operationId: OperationId) => ContractViolation | undefined;

/** What every operation of one client shares: read once from its options by `readClientOptions`. */
export interface ClientContext {
  baseUrl: string;
  /** Sent with every request of the client's own calls: the extra headers and the key's. */
  headers: Record<string, string>;
  fetch: Fetch;
  transport: TransportOptions;
  redactor: Redactor;
  validateResponse: ResponseValidator | undefined;
  /** The client's one rate-limit gate: every request of every operation passes it. */
  gate: RateGate;
  /** Pages a walk fetches at once, unless a call says otherwise. */
  concurrency: number;
}

/** One call of one operation. */
export interface OperationCall {
  operationId: OperationId;
  /** The path template of the spec, such as `/v1/organizations/{organizationId}/bulk-tasks`. */
  path: string;
  pathParams: Record<string, unknown>;
  query?: Record<string, unknown>;
  transport: TransportOptions;
  signal: AbortSignal | undefined;
  /**
   * The first field of the envelope's `data` the operation cannot do without, as [where, what it
   * must be] (`["data.items", "an array"]`), or undefined when all are there.
   */
  brokenField: (data: unknown) => [string, string] | undefined;
}

/** How openapi-fetch writes a query. */
const serializeQuery = createQuerySerializer();

/**
 * Reads a call's options and checks its parameters, before anything is sent: against the spec's
 * rules, and against the key, which goes in the Authorization header only (a key passed as an id
 * would otherwise land in the URL, and so in the server's and the proxies' logs).
 * @param extra option names the operation adds (`concurrency` for a walk), returned in `rest`
 * @throws {InvalidRequestError} naming the parameter or the option; the key is never quoted
 */
export function prepareCall<Extra extends string = never>(
  context: ClientContext,
  rules: ParameterRules,
  parameters: { path: Record<string, unknown>; query?: object },
  options: unknown,
  extra: readonly Extra[] = [],
): ReturnType<typeof readCallOptions<Extra>> {
  const { redactor } = context;
  try {
    const call = readCallOptions(context.transport, options, extra);
    for (const [name, value] of Object.entries({ ...parameters.query, ...parameters.path })) {
      if (typeof value === "string" && redactor.text(value) !== value) {
        throw new InvalidRequestError(name, new HiddenValue(), "a value without the API key in it");
      }
    }
    const broken = findBrokenParameter(rules, parameters.path, parameters.query);
    if (broken) throw new InvalidRequestError(...broken);
    return call;
  } catch (error) {
    throw withoutKey(error, redactor);
  }
}

/**
 * Makes the call, and gives the envelope's `data` with the response it came in (whose headers may
 * steer the caller, such as a poll interval).
 * @throws {ApiError} a subclass for each non-2xx status
 * @throws {UnexpectedResponseError} when a 2xx response is not the JSON envelope the spec promises
 * @throws {ConnectionError} when no HTTP response came back ({@link TimeoutError} when too late)
 */
export async function callOperation<Data>(
  context: ClientContext,
  operation: OperationCall,
): Promise<{ data: Data; response: Response }> {
  const { redactor } = context;
  const url = createFinalURL(operation.path, {
    baseUrl: context.baseUrl,
    params: { path: operation.pathParams, query: operation.query ?? {} },
    querySerializer: serializeQuery,
    pathSerializer: defaultPathSerializer,
  });
  const call: Call = {
    method: "GET",
    // What errors, onRetry and onRateLimit show: a key passed as a path parameter is not printed.
    url: redactor.text(url),
    options: operation.transport,
    signal: operation.signal,
    redactor,
    gate: context.gate,
  };
  const { response, body } = await retrying(call, async (attemptSignal) => {
    const request = new Request(url, { headers: context.headers });
    const response = await fetchResponse(call, context.fetch, request, attemptSignal);
    const body = await readBody(call, response, operation.transport.maxResponseBytes, redactor);
    return { response, value: { response, body } };
  });
  if (!response.ok) throw ApiError.from(describeResponse(call, response, body, redactor));
  const envelope = readEnvelope(call, response, body, operation.brokenField);
  if (context.validateResponse) {
    checkContract(context.validateResponse, operation.operationId, call, response, body, envelope);
  }
  return { data: envelope.data as Data, response };
}

/** The success envelope `{ status: true, data }`, checked as far as the operation needs it. */
function readEnvelope(
  call: Call,
  response: Response,
  body: BodyText,
  brokenField: OperationCall["brokenField"],
): { status: true; data: unknown } {
  const { redactor } = call;
  const details = () => describeResponse(call, response, body, redactor);
  const contentType = response.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    const shown = contentType ? JSON.stringify(redactor.text(contentType)) : "no content type";
    throw new UnexpectedResponseError(
      `Expected an application/json response, got ${shown} (status ${response.status})`,
      details(),
    );
  }
  if (!body.text)
    throw new UnexpectedResponseError(`The ${response.status} response has an empty body`, details());
  const parsed = parseJson(body.text);
  if (!parsed) {
    // The parser's error quotes the text where it failed: the cause is the parser's error on the
    // redacted excerpt, which quotes no key.
    const described = details();
    let cause: unknown;
    try {
      JSON.parse(String(described.body));
    } catch (error) {
      cause = error;
    }
    throw new UnexpectedResponseError(
      `The ${response.status} response is not valid JSON (truncated?)`,
      described,
      {
        cause,
      },
    );
  }
  const { status, data }: { status?: unknown; data?: unknown } =
    (typeof parsed.value === "object" && parsed.value) || {};
  const broken: [string, string] | undefined =
    status !== true
      ? ["status", "true"]
      : typeof data !== "object" || data === null
        ? ["data", "an object"]
        : brokenField(data);
  if (broken) {
    throw new UnexpectedResponseError(
      `The response is not the envelope the spec promises: ${broken[0]} is not ${broken[1]}`,
      details(),
    );
  }
  return { status: true, data };
}

function checkContract(
  validate: ResponseValidator,
  operationId: OperationId,
  call: Call,
  response: Response,
  body: BodyText,
  envelope: unknown,
): void {
  let violation: ContractViolation | undefined;
  try {
    const found = validate(envelope, operationId);
    // A validator of the caller's own may quote the body, and so an echoed key.
    const redact = (part: unknown) => call.redactor.text(String(part));
    violation = found && {
      field: redact(found.field),
      rule: redact(found.rule),
      message: redact(found.message),
    };
  } catch (error) {
    throw new UnexpectedResponseError(
      "The response validator failed",
      describeResponse(call, response, body, call.redactor),
      { cause: call.redactor.error(error) },
    );
  }
  if (violation) {
    throw new ResponseValidationError(violation, describeResponse(call, response, body, call.redactor));
  }
}
