import { defineConfig } from "tsdown";

export default defineConfig({
  // One entry, the bin: src/cli.ts starts with the `#!/usr/bin/env node` line, which the bundle keeps.
  entry: { cli: "src/cli.ts" },
  format: "esm",
  platform: "node",
  target: "node20",
  // A command, not a library: no declarations to ship. @org/bulk-tasks-api stays external (a
  // dependency), so that the CLI reads the spec and the local API of the client it runs with.
  dts: false,
  sourcemap: false,
  clean: true,
  fixedExtension: false,
});
