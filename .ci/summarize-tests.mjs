// Prints the closing line of `pnpm test`: the vitest results of every package, added up.
// turbo restores test-results/ from its cache, so a cached package still counts.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const totals = { passed: 0, failed: 0, skipped: 0 };
const packages = readdirSync(join(root, "packages")).sort();
for (const name of packages) {
  const file = join(root, "packages", name, "test-results", "vitest.json");
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(
    `  ${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
  );
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += skipped;
}
if (totals.passed + totals.failed === 0) {
  console.error("No test results found: did the test tasks run?");
  process.exit(1);
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
