// Prints the closing line of `pnpm test`: the vitest results of every package, on every runtime,
// added up. turbo restores test-results/ from its cache, so a cached package still counts.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const totals = { passed: 0, failed: 0, skipped: 0 };
const workspaces = [
  ["spec", join(root, "spec")],
  ...readdirSync(join(root, "packages"))
    .sort()
    .map((name) => [name, join(root, "packages", name)]),
];
for (const [name, directory] of workspaces) {
  const folder = join(directory, "test-results");
  if (!existsSync(folder)) continue;
  // vitest.json for the main run, vitest-node22.json and so on for the other runtimes, vitest-tarball.json
  // for the packed package on every runtime.
  for (const file of readdirSync(folder)
    .filter((file) => /^vitest.*\.json$/.test(file))
    .sort()) {
    const report = JSON.parse(readFileSync(join(folder, file), "utf8"));
    const skipped = report.numPendingTests + report.numTodoTests;
    const runtime = file.match(/node(\d+)/)?.[1];
    const part = file.match(/^vitest-(?!node\d)(.+)\.json$/)?.[1];
    const label = runtime ? `${name} (Node.js ${runtime})` : part ? `${name} (${part})` : name;
    console.log(
      `  ${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
    );
    // Tests grouped under a "runtime: <name>" describe (the tarball's runtime matrix) are counted
    // in the package's line above, and shown again runtime by runtime.
    const runtimes = new Map();
    for (const file of report.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        const title = test.ancestorTitles?.find((each) => each.startsWith("runtime: "));
        if (!title) continue;
        const counts = runtimes.get(title) ?? { passed: 0, failed: 0, skipped: 0 };
        if (test.status === "passed") counts.passed++;
        else if (test.status === "failed") counts.failed++;
        else counts.skipped++;
        runtimes.set(title, counts);
      }
    }
    for (const [title, counts] of runtimes) {
      console.log(
        `    ${title.slice("runtime: ".length)}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
      );
    }
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += skipped;
  }
}
if (totals.passed + totals.failed === 0) {
  console.error("No test results found: did the test tasks run?");
  process.exit(1);
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
