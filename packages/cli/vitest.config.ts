import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every test spawns the built bin (a cold node start each), some in a pseudo-terminal.
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
