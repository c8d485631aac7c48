#!/usr/bin/env node
// The client on every runtime it claims, after its own tests (`test`, on Node 20) have run:
//  1. the tarball test (test/tarball.test.ts): the packed package installed in a fresh project, and
//     the portable suite on Node.js 20, 22 and 24, Bun, Deno, workerd and Chromium. It starts
//     browsers and runtimes, so it runs here, apart from `test`'s timing-sensitive tests.
//  2. the client's tests again on the newer Node.js lines (Node 20 runs them in `test`): each binary
//     comes from the npm registry's `node` package through npx, so nothing is assumed installed.
//     Type tests are left out: they do not depend on the runtime. So is the tarball test.
import { spawnSync } from "node:child_process";

let failed = false;
console.log("\n── The packed tarball, on every runtime ──");
const tarball = spawnSync(
  process.execPath,
  [
    "./node_modules/vitest/vitest.mjs",
    "run",
    "test/tarball.test.ts",
    "--typecheck.enabled=false",
    "--reporter=default",
    "--reporter=json",
    "--outputFile.json=test-results/vitest-tarball.json",
  ],
  { stdio: "inherit" },
);
if (tarball.status !== 0) failed = true;

const RUNTIMES = ["22", "24"];
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
