// What the generators share: their command line, the spec they read and its operations, and the
// writing of generated files, or with --check on the command line, failing when a committed one
// differs from what would be written (so that `pnpm test` catches types or rules older than the spec).
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/**
 * The command line of a generator: --spec <file> and --output <file> point it elsewhere (its tests
 * run it on a changed spec), --check compares instead of writing.
 * @param {URL} defaultOutput
 * @returns {Promise<{ spec: any, output: URL }>} the spec read, and where to write
 */
export async function readGeneratorInput(defaultOutput) {
  const { values } = parseArgs({
    options: { spec: { type: "string" }, output: { type: "string" }, check: { type: "boolean" } },
  });
  const specPath = values.spec ?? createRequire(import.meta.url).resolve("@org/bulk-tasks-spec/openapi.json");
  return {
    spec: JSON.parse(await readFile(specPath, "utf8")),
    output: values.output ? pathToFileURL(values.output) : defaultOutput,
  };
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * Every operation of the spec, in the order of its paths (the generated files follow the spec).
 * @throws {Error} when the spec has none, or one has no operationId
 * @returns {{ path: string, method: string, operation: any }[]}
 */
export function operationsOf(spec) {
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method] })),
  );
  if (operations.length === 0) throw new Error("The spec has no operation.");
  for (const { path, method, operation } of operations) {
    if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId.`);
  }
  return operations;
}

/** @param {[URL, string][]} files */
export async function writeGenerated(files) {
  const check = process.argv.includes("--check");
  for (const [url, content] of files) {
    const name = relative(process.cwd(), fileURLToPath(url));
    if (!check) {
      await writeFile(url, content);
      console.log(`🚀 ${name}`);
    } else if ((await readFile(url, "utf8").catch(() => "")) !== content) {
      console.error(` ✘  ${name} is not up-to-date! Run pnpm generate and commit the result.`);
      process.exitCode = 1;
    }
  }
}
