import { defineConfig } from "tsdown";

export default defineConfig({
  // `testing` is Node-only (node:http) and `response-validation` carries the compiled validator (with
  // Ajv's runtime helpers inlined: no runtime dependency); the main entry imports neither.
  entry: {
    index: "src/index.ts",
    "response-validation": "src/response-validation.ts",
    testing: "src/testing/index.ts",
  },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: [/^node:/],
  dts: true,
  sourcemap: false,
  clean: true,
});
