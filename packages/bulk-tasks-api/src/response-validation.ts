/**
 * Opt-in validation of response bodies against the spec:
 *
 *   import { validateResponse } from "@org/bulk-tasks-api/response-validation";
 *   createBulkTasksClient({ validateResponse });
 *
 * The validators were compiled from the spec when the package was built (Ajv standalone code, one
 * per operation); this is a separate entry point so that clients that do not opt in carry none of it.
 */

import type { OperationId } from "./core/parameters.js";
import type { ContractViolation, ResponseValidator } from "./core/request.js";
import { type Validator, validators } from "./generated/response-validator.js";

function violationOf(validate: Validator, body: unknown): ContractViolation | undefined {
  if (validate(body)) return undefined;
  const [error] = validate.errors ?? [];
  if (!error) return { field: "/", rule: "unknown", message: "does not match the spec" };
  const missing = error.keyword === "required" ? `/${String(error.params.missingProperty)}` : "";
  return {
    field: `${error.instancePath}${missing}` || "/",
    rule: error.keyword,
    message: error.keyword === "required" ? "is required" : (error.message ?? "breaks the spec"),
  };
}

/** Checks a 2xx body of any operation of the spec against its schema; the first violation, or undefined. */
export const validateResponse: ResponseValidator = (body, operationId) => {
  const validate: Validator | undefined = (validators as Partial<Record<OperationId, Validator>>)[
    operationId
  ];
  if (!validate)
    return { field: "/", rule: "operation", message: `no schema for operation ${String(operationId)}` };
  return violationOf(validate, body);
};

/** Checks a `listBulkTasks` 200 body against the spec; the first violation, or undefined. */
export const validateListBulkTasksResponse = (body: unknown): ContractViolation | undefined =>
  violationOf(validators.listBulkTasks, body);

/** Checks a `getBulkTask` 200 body against the spec; the first violation, or undefined. */
export const validateGetBulkTaskResponse = (body: unknown): ContractViolation | undefined =>
  violationOf(validators.getBulkTask, body);

export type { ContractViolation, ResponseValidator };
