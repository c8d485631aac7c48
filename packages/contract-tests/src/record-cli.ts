#!/usr/bin/env node
// pnpm record -- --org <id> [name=value ...] [--errors] [--keep-personal-data] [--base-url URL] [--out FILE]
// Records the live endpoint into packages/contract-tests/recordings/, with APPLIVERY_API_KEY.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RECORDINGS_DIR } from "./har.js";
import { record } from "./recorder.js";

const { values, positionals } = parseArgs({
  options: {
    org: { type: "string" },
    errors: { type: "boolean", default: false },
    "keep-personal-data": { type: "boolean", default: false },
    "base-url": { type: "string" },
    out: { type: "string" },
  },
  allowPositionals: true,
});
const apiKey = process.env.APPLIVERY_API_KEY;
if (!values.org || !apiKey) {
  console.error(
    "Usage: APPLIVERY_API_KEY=... pnpm record -- --org <organizationId> [name=value ...] [--errors] [--keep-personal-data] [--base-url URL] [--out FILE]",
  );
  process.exit(2);
}
const query = Object.fromEntries(
  positionals.map((pair) => {
    const [name = "", ...rest] = pair.split("=");
    if (!name || rest.length === 0) {
      console.error(`Query parameters are name=value pairs, not ${JSON.stringify(pair)}.`);
      process.exit(2);
    }
    return [name, rest.join("=")];
  }),
);
const output = values.out ?? join(RECORDINGS_DIR, `recorded-${values.org}.har`);
const har = await record({
  organizationId: values.org,
  query,
  apiKey,
  baseUrl: values["base-url"] ?? process.env.APPLIVERY_BASE_URL,
  errors: values.errors,
  keepPersonalData: values["keep-personal-data"],
  output,
});
for (const entry of har.log.entries)
  console.log(`${entry.response.status} ${entry.request.url} (${entry.comment})`);
console.log(`Written to ${output}. Run pnpm test: the contract tests and the secret guard check it.`);
