import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The release tests run real tools (git, redocly, pnpm, a registry) in temporary folders.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
