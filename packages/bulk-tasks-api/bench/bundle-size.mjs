// The min+gzip size of a consumer's bundle as esbuild makes it: shared by `pnpm bench` (d) and the
// size budget in test/package.test.ts, so that both measure the same consumer the same way.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** The smallest useful program: list every task of one organization, with the built package. */
export const MINIMAL_CONSUMER = `import { createBulkTasksClient } from "./dist/index.js";
for await (const task of createBulkTasksClient({ apiKey: "k" }).bulkTasks.list("lab")) console.log(task.id);`;

/**
 * The same program with the standalone function: a bundle of the operations it calls and no other
 * (and no `raw` openapi-fetch client). Adding an operation to the spec must not grow it.
 */
export const LIST_ONLY_CONSUMER = `import { createBulkTasksCore, listBulkTasks } from "./dist/index.js";
for await (const task of listBulkTasks(createBulkTasksCore({ apiKey: "k" }), "lab")) console.log(task.id);`;

/** A program calling every operation with the standalone functions: what they cost when used. */
export const EVERY_OPERATION_CONSUMER = `import { createBulkTasksCore, getBulkTask, listBulkTasks, waitForBulkTask } from "./dist/index.js";
const core = createBulkTasksCore({ apiKey: "k" });
for await (const task of listBulkTasks(core, "lab")) console.log(await getBulkTask(core, "lab", task.id), await waitForBulkTask(core, "lab", task.id));`;

/** The same program's first page over bare openapi-fetch: the baseline. */
export const OPENAPI_FETCH_CONSUMER = `import createClient from "openapi-fetch";
const { data } = await createClient({ baseUrl: "https://api.applivery.io" }).GET("/v1/organizations/{organizationId}/bulk-tasks", { params: { path: { organizationId: "lab" } } });
console.log(data);`;

/** All of openapi-fetch, every export kept: the library's own min+gzip size. */
export const OPENAPI_FETCH_WHOLE = `export * from "openapi-fetch"; export { default } from "openapi-fetch";`;

/**
 * Bundles `contents` (imports resolved from the package's folder), minified, for any runtime, and
 * returns its size gzipped at level 9, in kB (1024 bytes).
 * @param {string} contents
 * @returns {Promise<number>}
 */
export async function minGzipKilobytes(contents) {
  return gzipSync(await minifiedBundle(contents), { level: 9 }).length / 1024;
}

/**
 * The minified bundle itself, as esbuild writes it: what a test searches for code that should have
 * been left out.
 * @param {string} contents
 * @returns {Promise<Uint8Array>}
 */
export async function minifiedBundle(contents) {
  const { outputFiles } = await build({
    stdin: { contents, resolveDir: packageDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  return outputFiles[0].contents;
}
