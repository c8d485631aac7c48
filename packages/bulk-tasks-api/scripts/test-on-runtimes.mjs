#!/usr/bin/env node
// Runs the client's tests on the newer Node.js lines it supports (Node 20 runs them in `test`):
// each binary comes from the npm registry's `node` package through npx, so nothing is assumed
// installed. Type tests are left out: they do not depend on the runtime. So is the tarball test,
// which runs the installed package on Node.js 20, 22 and 24 itself (see test/tarball.test.ts).
import { spawnSync } from "node:child_process";

const RUNTIMES = ["22", "24"];
let failed = false;
for (const major of RUNTIMES) {
  console.log(`\n── Node.js ${major} ──`);
  const result = spawnSync(
    "npx",
    [
      "--yes",
      "--package",
      `node@${major}`,
      "--",
      "node",
      "./node_modules/vitest/vitest.mjs",
      "run",
      "--typecheck.enabled=false",
      "--exclude=test/tarball.test.ts",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=test-results/vitest-node${major}.json`,
    ],
    { stdio: "inherit" },
  );
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
