import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

// msw 3 needs Node.js 22.12 or later (it uses Promise.withResolvers; its `engines` says so): its test
// runs in the Node.js 22 and 24 runs of `pnpm test` (scripts/test-on-runtimes.mjs), not on Node.js 20.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const mswRuns = major > 22 || (major === 22 && minor >= 12);

export default defineConfig({
  resolve: {
    // README samples import the package by name; in tests that name is the source.
    alias: [
      {
        find: /^@org\/bulk-tasks-api\/response-validation$/,
        replacement: fileURLToPath(new URL("./src/response-validation.ts", import.meta.url)),
      },
      {
        find: /^@org\/bulk-tasks-api\/testing\/msw$/,
        replacement: fileURLToPath(new URL("./src/testing/msw.ts", import.meta.url)),
      },
      {
        find: /^@org\/bulk-tasks-api\/testing$/,
        replacement: fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)),
      },
      {
        find: /^@org\/bulk-tasks-api$/,
        replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)),
      },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // pnpm test runs every package's tests at once on the CI machine's two cores: tests that start
    // servers, processes and walks need more than vitest's 5 s there. Timing assertions are about
    // lower bounds (a loaded machine only makes things slower), never about this limit.
    testTimeout: 20_000,
    exclude: [...configDefaults.exclude, ...(mswRuns ? [] : ["test/msw.test.ts"])],
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
