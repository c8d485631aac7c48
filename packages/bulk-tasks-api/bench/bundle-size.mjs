// The min+gzip size of a consumer's bundle as esbuild makes it: shared by `pnpm bench` (d) and the
// size budget in test/package.test.ts, so that both measure the same consumer the same way.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** The smallest useful program: list every task of one organization, with the built package. */
export const MINIMAL_CONSUMER = `import { createBulkTasksClient } from "./dist/index.js";
for await (const task of createBulkTasksClient({ apiKey: "k" }).bulkTasks.list("lab")) console.log(task.id);`;

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
  return gzipSync(outputFiles[0].contents, { level: 9 }).length / 1024;
}
