import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/check-release-cli.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  dts: false,
  // A private tool run from the workspace: its dependencies are installed beside it.
  skipNodeModulesBundle: true,
  clean: true,
  fixedExtension: false,
});
