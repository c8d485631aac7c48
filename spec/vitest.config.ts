import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A real browser starts here: seconds, more on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
