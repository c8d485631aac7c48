import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // README samples import the package by name; in tests that name is the source.
    alias: [
      {
        find: /^@org\/bulk-tasks-api\/response-validation$/,
        replacement: fileURLToPath(new URL("./src/response-validation.ts", import.meta.url)),
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
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
