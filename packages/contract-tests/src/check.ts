import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import { type HarEntry, headerValue } from "./har.js";

/** One way a recorded exchange disagrees with the spec. */
export interface Finding {
  /** Where: `request.path`, `request.query`, `request.headers`, `response.status`, `response.content-type`, `response.body`. */
  location: string;
  /** The parameter name or the JSON pointer inside the body; empty when the whole location is meant. */
  path: string;
  /** The rule broken: a JSON Schema keyword (`pattern`, `required`, ...) or one of ours (`undocumented-field`, ...). */
  rule: string;
  /** What a maintainer reads. */
  message: string;
}

/** A finding's identity, stable across runs: `location path rule`. */
export function findingKey(finding: Pick<Finding, "location" | "path" | "rule">): string {
  return `${finding.location} ${finding.path} ${finding.rule}`.replace(/\s+/g, " ");
}

// The parts of a dereferenced OpenAPI 3.1 document the checks read.
type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
export interface OpenApiDocument {
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
}

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

/**
 * Checks recorded exchanges against a dereferenced OpenAPI 3.1 document with Ajv (formats on).
 *
 * Responses are validated against a strict copy of their schema in which every object that does
 * not say otherwise refuses undocumented properties, so that a field the spec does not know is
 * reported (as `undocumented-field`) even though the spec itself stays open to additions.
 */
export class ContractChecker {
  readonly #document: OpenApiDocument;
  readonly #ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  readonly #validators = new Map<Schema, ValidateFunction>();
  readonly #basePath: string;

  constructor(document: OpenApiDocument) {
    this.#document = document;
    addFormats(this.#ajv);
    this.#basePath = new URL(document.servers?.[0]?.url ?? "http://localhost").pathname.replace(/\/$/, "");
  }

  check(entry: HarEntry): Finding[] {
    const url = new URL(entry.request.url);
    const match = this.#findOperation(entry.request.method, url.pathname);
    if (!match) {
      return [
        finding(
          "request.path",
          url.pathname,
          "undocumented-endpoint",
          `No operation for ${entry.request.method} ${url.pathname}.`,
        ),
      ];
    }
    const { operation, pathParameters } = match;
    return [
      ...this.#checkRequest(entry, operation, pathParameters, url),
      ...this.#checkResponse(entry, operation),
    ];
  }

  #findOperation(method: string, pathname: string) {
    const path = pathname.startsWith(this.#basePath) ? pathname.slice(this.#basePath.length) : pathname;
    for (const [template, item] of Object.entries(this.#document.paths)) {
      const operation = item[method.toLowerCase()];
      if (!operation) continue;
      const names: string[] = [];
      const pattern = template
        .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
        .replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name);
          return "([^/]+)";
        });
      const found = new RegExp(`^${pattern}$`).exec(path);
      if (!found) continue;
      const pathParameters = Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? "")]),
      );
      return { operation, pathParameters };
    }
    return undefined;
  }

  #checkRequest(
    entry: HarEntry,
    operation: Operation,
    pathParameters: Record<string, string>,
    url: URL,
  ): Finding[] {
    const findings: Finding[] = [];
    const parameters = operation.parameters ?? [];
    for (const parameter of parameters.filter((p) => p.in === "path")) {
      findings.push(...this.#checkValue("request.path", parameter, pathParameters[parameter.name]));
    }
    const queryParameters = new Map(parameters.filter((p) => p.in === "query").map((p) => [p.name, p]));
    for (const [name, value] of url.searchParams) {
      const parameter = queryParameters.get(name);
      if (!parameter) {
        findings.push(
          finding(
            "request.query",
            name,
            "undocumented-parameter",
            `Query parameter "${name}" is not in the spec.`,
          ),
        );
        continue;
      }
      findings.push(
        ...this.#checkValue("request.query", parameter, coerceQueryValue(value, parameter.schema)),
      );
    }
    for (const parameter of queryParameters.values()) {
      if (parameter.required && !url.searchParams.has(parameter.name)) {
        findings.push(
          finding(
            "request.query",
            parameter.name,
            "required",
            `Required query parameter "${parameter.name}" is missing.`,
          ),
        );
      }
    }
    const security = operation.security ?? this.#document.security ?? [];
    const needsCredentials =
      security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0);
    // A request without credentials is consistent with the spec only when it was refused with 401.
    if (
      needsCredentials &&
      !headerValue(entry.request.headers, "authorization") &&
      entry.response.status !== 401
    ) {
      findings.push(
        finding(
          "request.headers",
          "authorization",
          "missing-credentials",
          `The request has no Authorization header, yet the response is ${entry.response.status}, not 401.`,
        ),
      );
    }
    return findings;
  }

  #checkValue(location: string, parameter: Parameter, value: unknown): Finding[] {
    if (value === undefined) {
      return parameter.required
        ? [
            finding(
              location,
              parameter.name,
              "required",
              `Required parameter "${parameter.name}" is missing.`,
            ),
          ]
        : [];
    }
    const validate = this.#validator(parameter.schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) =>
      finding(
        location,
        parameter.name,
        error.keyword,
        `Parameter "${parameter.name}" = ${JSON.stringify(value)} ${error.message}.`,
      ),
    );
  }

  #checkResponse(entry: HarEntry, operation: Operation): Finding[] {
    const { status } = entry.response;
    const documented =
      operation.responses[String(status)] ??
      operation.responses[`${String(status)[0]}XX`] ??
      operation.responses.default;
    if (!documented) {
      return [
        finding(
          "response.status",
          String(status),
          "undocumented-status",
          `Status ${status} is not documented.`,
        ),
      ];
    }
    const contentType = (
      headerValue(entry.response.headers, "content-type") ?? entry.response.content.mimeType
    )
      .split(";")[0]
      ?.trim()
      .toLowerCase();
    const media = contentType ? documented.content?.[contentType] : undefined;
    if (!media) {
      const expected = Object.keys(documented.content ?? {}).join(", ") || "no body";
      return [
        finding(
          "response.content-type",
          "",
          "undocumented-content-type",
          `Content type "${contentType ?? ""}" is not documented for ${status} (expected ${expected}).`,
        ),
      ];
    }
    let body: unknown;
    try {
      body = JSON.parse(entry.response.content.text ?? "");
    } catch (error) {
      return [
        finding(
          "response.body",
          "",
          "invalid-json",
          `The ${status} body is not JSON: ${(error as Error).message}`,
        ),
      ];
    }
    const validate = this.#validator(forbidUndocumentedProperties(media.schema));
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => bodyFinding(status, error));
  }

  #validator(schema: Schema): ValidateFunction {
    let validate = this.#validators.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(schema);
      this.#validators.set(schema, validate);
    }
    return validate;
  }
}

function bodyFinding(status: number, error: ErrorObject): Finding {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "unevaluatedProperties") {
    const path = `${error.instancePath}/${String(params.unevaluatedProperty)}`;
    return finding(
      "response.body",
      path,
      "undocumented-field",
      `The ${status} body has a field the spec does not document: ${path}.`,
    );
  }
  if (error.keyword === "required") {
    const path = `${error.instancePath}/${String(params.missingProperty)}`;
    return finding("response.body", path, "required", `The ${status} body lacks the required field ${path}.`);
  }
  const path = error.instancePath || "/";
  return finding("response.body", path, error.keyword, `The ${status} body at ${path} ${error.message}.`);
}

const strictCopies = new WeakMap<Schema, Schema>();

/** A copy of a schema in which every object with `properties` and no explicit policy refuses others. */
export function forbidUndocumentedProperties(schema: Schema): Schema {
  const cached = strictCopies.get(schema);
  if (cached) return cached;
  const copy = visit(schema) as Schema;
  strictCopies.set(schema, copy);
  return copy;
}

function visit(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(visit);
  if (typeof node !== "object" || node === null) return node;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    // Examples are data, not schemas.
    copy[key] =
      key === "example" || key === "examples" || key === "const" || key === "enum" ? value : visit(value);
  }
  if ("properties" in copy && !("additionalProperties" in copy) && !("unevaluatedProperties" in copy)) {
    copy.unevaluatedProperties = false;
  }
  return copy;
}

function coerceQueryValue(value: string, schema: Schema): unknown {
  const types = ([] as unknown[]).concat(schema.type);
  if (
    (types.includes("integer") || types.includes("number")) &&
    value.trim() !== "" &&
    !Number.isNaN(Number(value))
  ) {
    return Number(value);
  }
  if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}

function finding(location: string, path: string, rule: string, message: string): Finding {
  return { location, path, rule, message };
}
