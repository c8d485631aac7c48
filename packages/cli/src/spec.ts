import { createRequire } from "node:module";

/** A JSON Schema node of the bundled spec, as far as the CLI reads it. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  enum?: unknown[];
}

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; schema?: SchemaNode }[];
  responses?: Record<string, { content?: Record<string, { schema?: SchemaNode }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const LIST_OPERATION = "listBulkTasks";

let listOperation: Operation | undefined;

/**
 * The list operation of the spec that ships with the client (`@org/bulk-tasks-api/openapi.json`,
 * bundled and dereferenced), read at run time: the CSV columns and the summary's statuses follow the
 * spec of the client installed beside the CLI, not a list kept by hand.
 */
function readListOperation(): Operation {
  if (!listOperation) {
    const spec = createRequire(import.meta.url)("@org/bulk-tasks-api/openapi.json") as OpenApiDocument;
    listOperation = Object.values(spec.paths)
      .flatMap((methods) => Object.values(methods))
      .find((operation) => operation.operationId === LIST_OPERATION);
    if (!listOperation) throw new Error(`The bundled spec has no operation ${LIST_OPERATION}.`);
  }
  return listOperation;
}

/** The schema of one task: the 200 response's `data.items.items`. */
export function readBulkTaskSchema(): SchemaNode {
  const envelope = readListOperation().responses?.["200"]?.content?.["application/json"]?.schema;
  const page = envelope?.properties?.data;
  const items = page?.properties?.items as (SchemaNode & { items?: SchemaNode }) | undefined;
  if (!items?.items?.properties) {
    throw new Error(`The bundled spec's ${LIST_OPERATION} 200 response has no data.items.items schema.`);
  }
  return items.items;
}

/** The values a task's `status` can take, in the spec's order. */
export function readStatuses(): string[] {
  return enumOf(readBulkTaskSchema().properties?.status, "BulkTask.status");
}

/** The values of the `action` filter, in the spec's order (in responses `action` is a free string). */
export function readActions(): string[] {
  const parameter = readListOperation().parameters?.find(
    ({ name, in: where }) => name === "action" && where === "query",
  );
  return enumOf(parameter?.schema, "the action parameter");
}

function enumOf(schema: SchemaNode | undefined, where: string): string[] {
  const values = schema?.enum;
  if (!values?.every((value) => typeof value === "string")) {
    throw new Error(`The bundled spec has no enum of strings for ${where}.`);
  }
  return values;
}
