#!/usr/bin/env node
// The main job of `pnpm start`, after the build: what bulk tasks an organization has, and its most
// recent ones, through the `bulk-tasks` command line.
//
//   APPLIVERY_API_KEY set    → the real API (APPLIVERY_BASE_URL to point elsewhere), for the
//                              organization given as argument, else APPLIVERY_ORGANIZATION_ID
//   APPLIVERY_API_KEY unset  → the local API, started in-process by --local: nothing leaves the
//                              machine, and the dataset is the realistic one of the testing entry
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../packages/cli/dist/cli.js", import.meta.url));
const live = Boolean(process.env.APPLIVERY_API_KEY);
// pnpm 12 passes a `--` through to the script: it is not an organization.
const [given] = process.argv.slice(2).filter((arg) => arg !== "--");
const organizationId = given ?? process.env.APPLIVERY_ORGANIZATION_ID ?? "lab";
if (live && !given && !process.env.APPLIVERY_ORGANIZATION_ID) {
  console.error("APPLIVERY_API_KEY is set: name the organization, `pnpm start <organizationId>`.");
  process.exit(2);
}
const where = live ? [] : ["--local"];
console.error(
  live
    ? `Bulk tasks of "${organizationId}" at ${process.env.APPLIVERY_BASE_URL ?? "https://api.applivery.io"}:`
    : `APPLIVERY_API_KEY is not set: the local API on 127.0.0.1 answers (bulk-tasks --local), with its sample organization "lab".`,
);
// Formats for people, even when the output goes to a file or a CI log.
for (const args of [
  ["summary", organizationId, "--format", "text", ...where],
  ["list", organizationId, "--limit", "10", "--format", "table", ...where],
]) {
  console.error(`\n$ bulk-tasks ${args.join(" ")}`);
  const { status } = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit" });
  if (status !== 0) process.exit(status ?? 1);
}
