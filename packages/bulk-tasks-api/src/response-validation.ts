/**
 * Opt-in validation of response bodies against the spec:
 *
 *   import { validateListBulkTasksResponse } from "@org/bulk-tasks-api/response-validation";
 *   createBulkTasksClient({ validateResponse: validateListBulkTasksResponse });
 *
 * The validator was compiled from the spec when the package was built (Ajv standalone code); it is a
 * separate entry point so that clients that do not opt in carry none of it.
 */
import type { ContractViolation, ResponseValidator } from "./client.js";
import { validate } from "./generated/response-validator.js";

/** Checks a `listBulkTasks` 200 body against the spec; the first violation, or undefined. */
export const validateListBulkTasksResponse: ResponseValidator = (body) => {
  if (validate(body)) return undefined;
  const [error] = validate.errors ?? [];
  if (!error) return { field: "/", rule: "unknown", message: "does not match the spec" };
  const missing = error.keyword === "required" ? `/${String(error.params.missingProperty)}` : "";
  return {
    field: `${error.instancePath}${missing}` || "/",
    rule: error.keyword,
    message: error.keyword === "required" ? "is required" : (error.message ?? "breaks the spec"),
  } satisfies ContractViolation;
};

export type { ContractViolation, ResponseValidator };
