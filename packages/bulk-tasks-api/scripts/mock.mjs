#!/usr/bin/env node
// pnpm mock: the local bulk tasks API on 127.0.0.1, for development, until Ctrl-C.
//   pnpm mock -- [--port 4010] [--tasks 250] [--key local-api-key] [--recordings]
//                [--latency 0] [--fail-rate 0] [--rate-limit-rate 0] [--retry-after 1]
//                [--html-rate 0] [--drop-rate 0] [--seed 1]
import { parseArgs } from "node:util";
import { generateBulkTasks, startLocalApi } from "../dist/testing.js";

const { values } = parseArgsOrExit({
  options: {
    port: { type: "string", default: "4010" },
    tasks: { type: "string", default: "250" },
    key: { type: "string", default: "local-api-key" },
    recordings: { type: "boolean", default: false },
    latency: { type: "string", default: "0" },
    "fail-rate": { type: "string", default: "0" },
    "rate-limit-rate": { type: "string", default: "0" },
    "retry-after": { type: "string", default: "1" },
    "html-rate": { type: "string", default: "0" },
    "drop-rate": { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
  },
});
function parseArgsOrExit(config) {
  try {
    return parseArgs(config);
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
}

const number = (name) => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${name} must be a number >= 0, not ${JSON.stringify(values[name])}.`);
    process.exit(2);
  }
  return value;
};

// A seeded generator (mulberry32), so that a fault pattern can be replayed with the same --seed.
let state = number("seed") >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const rates = [
  [number("fail-rate"), { kind: "status", status: 503 }],
  [number("rate-limit-rate"), { kind: "rate-limit", retryAfter: number("retry-after") }],
  [number("html-rate"), { kind: "html" }],
  [number("drop-rate"), { kind: "drop" }],
];

let recordings = [];
if (values.recordings) {
  const { loadRecordings } = await import("@org/bulk-tasks-contract-tests");
  recordings = (await loadRecordings()).map(({ entry }) => entry);
}

const api = await startLocalApi({
  port: number("port"),
  apiKeys: [values.key],
  organizations: { lab: generateBulkTasks(number("tasks")), empty: [] },
  recordings,
  latencyMs: number("latency"),
  faults: () => {
    let roll = random();
    for (const [rate, fault] of rates) {
      if (roll < rate) return fault;
      roll -= rate;
    }
    return undefined;
  },
});

console.log(`Local bulk tasks API at ${api.url}`);
console.log(`  organizations: lab (${values.tasks} tasks), empty; any other answers 404`);
console.log(`  key: ${values.key}  (APPLIVERY_BASE_URL=${api.url} APPLIVERY_API_KEY=${values.key})`);
console.log(
  `  try: curl -H "Authorization: Bearer ${values.key}" "${api.url}/v1/organizations/lab/bulk-tasks?limit=2"`,
);
const stop = async () => {
  await api.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
