import { defineConfig } from "tsdown";

export default defineConfig({
  // `testing` is Node-only (node:http) and `response-validation` carries the compiled validator (with
  // Ajv's runtime helpers inlined: no runtime dependency); the main entry imports neither.
  // `testing-msw` imports msw, an optional peer dependency: apart, so that `testing` works without it.
  entry: {
    index: "src/index.ts",
    "response-validation": "src/response-validation.ts",
    testing: "src/testing/index.ts",
    "testing-msw": "src/testing/msw.ts",
  },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: [/^node:/],
  dts: true,
  sourcemap: false,
  clean: true,
  // The bundled spec ships with the client it generated, for consumers who mock or validate with
  // it (Prism, Ajv, their own contract tests) and for the semver guard: one version for both.
  copy: [{ from: "../../spec/dist/openapi.json", to: "dist" }],
});
