import { defineConfig } from "tsdown";

export default defineConfig({
  // `testing` is Node-only (node:http) and never imported by the main entry, so browsers and
  // bundlers that use the main entry never see it.
  entry: { index: "src/index.ts", testing: "src/testing/index.ts" },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: [/^node:/],
  dts: true,
  sourcemap: false,
  clean: true,
});
