// Writes generated files, or with --check on the command line, fails when a committed one differs
// from what would be written (so that `pnpm test` catches types or rules older than the spec).
import { readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

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
