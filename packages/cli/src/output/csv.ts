import type { SchemaNode } from "../spec.js";

/** One CSV column: its dotted name (`file.originalName`) and where its value sits in a task. */
export interface CsvColumn {
  name: string;
  path: string[];
}

/**
 * The columns of a schema, in the spec's order, nested objects flattened to dotted names. An object
 * is flattened into its declared properties unless the spec says it takes others
 * (`additionalProperties: true`, as `config` does): such an object is one column of JSON text, so
 * that the properties the spec does not list are kept. Arrays are JSON text too.
 */
export function csvColumns(schema: SchemaNode, prefix: string[] = []): CsvColumn[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const path = [...prefix, name];
    const flattened = property.properties !== undefined && property.additionalProperties === undefined;
    return flattened ? csvColumns(property, path) : [{ name: path.join("."), path }];
  });
}

/** One record of RFC 4180 CSV, CRLF included. */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(quoteField).join(",")}\r\n`;
}

/** The cells of one task: empty when absent, JSON text for arrays and open objects. */
export function csvCells(columns: readonly CsvColumn[], task: object): string[] {
  return columns.map(({ path }) => {
    let value: unknown = task;
    for (const key of path) {
      value =
        typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined || value === null) return "";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  });
}

function quoteField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
