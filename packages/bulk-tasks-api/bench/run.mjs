// pnpm bench: the client against raw fetch and bare openapi-fetch, measured in the same run.
// Needs the built package (the root `pnpm bench` builds it first). Prints a Markdown table.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import createClient from "openapi-fetch";
import { createBulkTasksClient } from "../dist/index.js";
import { generateBulkTasks, startLocalApi } from "../dist/testing.js";
import {
  EVERY_OPERATION_CONSUMER,
  LIST_ONLY_CONSUMER,
  MINIMAL_CONSUMER,
  minGzipKilobytes,
  OPENAPI_FETCH_CONSUMER,
  OPENAPI_FETCH_WHOLE,
} from "./bundle-size.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const results = [];
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};
// The ratio is measured / baseline unless given: `ratio: Number.NaN` leaves it out (figures near
// zero, whose ratio means nothing), and times that read as "× faster" give baseline / measured.
const report = (name, measured, baseline, unit, target, passed, { ratio = measured / baseline } = {}) =>
  results.push({ name, measured, baseline, unit, ratio, target, passed });

async function startServer(tasks, latencyMs) {
  const child = spawn(process.execPath, [`${here}server.mjs`, String(tasks), String(latencyMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [firstChunk] = await once(child.stdout, "data");
  return { url: String(firstChunk).trim(), stop: () => child.kill() };
}

// (a) Time per request, one page of 100 tasks, no latency: medians over interleaved rounds so that
// drift in the machine's speed hits the three alike.
async function perRequest() {
  const server = await startServer(1000, 0);
  const path = "/v1/organizations/{organizationId}/bulk-tasks";
  const headers = { authorization: "Bearer bench-key" };
  const bare = createClient({ baseUrl: server.url, headers });
  const client = createBulkTasksClient({ apiKey: "bench-key", baseUrl: server.url });
  const contenders = {
    "raw fetch": async () => {
      const response = await fetch(`${server.url}/v1/organizations/bench/bulk-tasks?limit=100`, { headers });
      return (await response.json()).data.items.length;
    },
    "bare openapi-fetch": async () =>
      (await bare.GET(path, { params: { path: { organizationId: "bench" }, query: { limit: 100 } } })).data
        .data.items.length,
    "@org/bulk-tasks-api": async () => (await client.bulkTasks.list("bench", { limit: 100 })).items.length,
  };
  const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (const run of Object.values(contenders)) for (let i = 0; i < 300; i++) await run();
  for (let round = 0; round < 100; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      const started = performance.now();
      for (let i = 0; i < 50; i++) if ((await run()) !== 100) throw new Error(`${name}: wrong page`);
      samples[name].push((performance.now() - started) / 50);
    }
  }
  server.stop();
  const raw = median(samples["raw fetch"]);
  const bareMs = median(samples["bare openapi-fetch"]);
  const ours = median(samples["@org/bulk-tasks-api"]);
  report("(a) one page of 100 tasks, bare openapi-fetch", bareMs, raw, "ms/request", "", true);
  report(
    "(a) one page of 100 tasks, this client",
    ours,
    raw,
    "ms/request",
    "≤ 1.10× raw fetch",
    ours / raw <= 1.1,
  );
}

function walk(mode, url, limit, concurrency) {
  const output = execFileSync(
    process.execPath,
    ["--expose-gc", `${here}walk.mjs`, mode, url, String(limit), String(concurrency)],
    {
      encoding: "utf8",
    },
  );
  return JSON.parse(output);
}

// (b) Walking 10,000 tasks (100 pages) with 20 ms of server latency.
async function walkSpeed() {
  const server = await startServer(10_000, 20);
  const sequential = walk("raw-fetch", server.url, 100, 1);
  for (const concurrency of [4, 8]) {
    const ours = walk("client", server.url, 100, concurrency);
    if (ours.tasks !== 10_000 || ours.checksum !== sequential.checksum) throw new Error("the walks disagree");
    // With c pages in flight, 100 pages take at best 1 + 99/c round trips (the first page comes alone,
    // since it tells how many there are), against 100 for the sequential loop.
    const ceiling = 100 / (1 + 99 / concurrency);
    const faster = sequential.ms / ours.ms;
    report(
      `(b) walk 10,000 tasks, 20 ms latency, concurrency ${concurrency}${concurrency === 4 ? " (default)" : ""}; ceiling ${ceiling.toFixed(2)}×`,
      ours.ms,
      sequential.ms,
      "ms",
      "≥ 4× faster than a sequential loop",
      faster >= 4,
      { ratio: faster },
    );
  }
  server.stop();
}

// (c) Memory walking 10,000, 100,000 and 300,000 tasks, each walk in a fresh process. Peak RSS
// moves by several MB from one process to the next with the garbage collector's timing, so each
// figure is the median of three walks.
async function memory() {
  const peaks = {};
  const heaps = {};
  for (const [tasks, modes] of [
    [10_000, ["raw-fetch", "openapi-fetch", "client"]],
    [100_000, ["raw-fetch", "openapi-fetch", "client"]],
    [300_000, ["raw-fetch", "client"]],
  ]) {
    const server = await startServer(tasks, 0);
    for (const mode of modes) {
      const runs = [1, 2, 3].map(() => walk(mode, server.url, 100, mode === "client" ? 4 : 1));
      if (runs.some((run) => run.tasks !== tasks)) throw new Error(`${mode}: the walk missed tasks`);
      peaks[`${mode} ${tasks}`] = median(runs.map((run) => run.maxRssMb));
      heaps[`${mode} ${tasks}`] = median(runs.map((run) => run.heapAfterGcMb));
    }
    server.stop();
  }
  const growth = (figures, mode, from, to) => figures[`${mode} ${to}`] - figures[`${mode} ${from}`];
  report(
    "(c) peak RSS, walk 100,000 tasks",
    peaks["client 100000"],
    peaks["raw-fetch 100000"],
    "MB",
    "≤ 1.2× raw-fetch loop",
    peaks["client 100000"] <= 1.2 * peaks["raw-fetch 100000"],
  );
  // Growth is shown beside the raw loop's own growth over the same range, and bare openapi-fetch's:
  // most of it is the garbage collector letting the heap grow before it collects.
  report(
    "(c) peak RSS growth, 10,000 → 100,000 tasks, bare openapi-fetch loop",
    growth(peaks, "openapi-fetch", 10_000, 100_000),
    growth(peaks, "raw-fetch", 10_000, 100_000),
    "MB",
    "",
    true,
  );
  const peakGrowth = growth(peaks, "client", 10_000, 100_000);
  report(
    "(c) peak RSS growth, 10,000 → 100,000 tasks, this client",
    peakGrowth,
    growth(peaks, "raw-fetch", 10_000, 100_000),
    "MB",
    "< 25 MB",
    peakGrowth < 25,
  );
  // Flatness itself: memory kept per task would show in the live heap, 200,000 tasks later. (From
  // 10,000 tasks on, the live heap also grows by the code V8 optimises in a longer run: under 1 MB.)
  report(
    "(c) live heap after the walk and a full GC, growth 100,000 → 300,000 tasks",
    growth(heaps, "client", 100_000, 300_000),
    growth(heaps, "raw-fetch", 100_000, 300_000),
    "MB",
    "",
    true,
    { ratio: Number.NaN },
  );
}

// (d) min+gzip size of a minimal consumer, bundled by esbuild, against openapi-fetch alone.
async function bundleSize() {
  const ours = await minGzipKilobytes(MINIMAL_CONSUMER);
  const bare = await minGzipKilobytes(OPENAPI_FETCH_CONSUMER);
  report(
    "(d) min+gzip bundle of a minimal consumer",
    ours,
    bare,
    "kB",
    "≤ 2× openapi-fetch alone",
    ours <= 2 * bare,
  );
  // For scale: the whole of openapi-fetch, as a package-size site would weigh it.
  const whole = await minGzipKilobytes(OPENAPI_FETCH_WHOLE);
  report("(d) the same, against all of openapi-fetch (every export)", ours, whole, "kB", "", true);
  // The same program with createBulkTasksCore and listBulkTasks: no other operation, no `raw`.
  const listOnly = await minGzipKilobytes(LIST_ONLY_CONSUMER);
  report(
    "(d) the same with the standalone listBulkTasks",
    listOnly,
    bare,
    "kB",
    "≤ 2× openapi-fetch alone",
    listOnly <= 2 * bare,
  );
  // What getBulkTask and waitForBulkTask weigh in a bundle that calls them; one that does not
  // keeps none of their code (checked by the size test in test/package.test.ts).
  const everyOperation = await minGzipKilobytes(EVERY_OPERATION_CONSUMER);
  report(
    "(d) every operation as standalone functions, against the list alone",
    everyOperation,
    listOnly,
    "kB",
    "",
    true,
  );
}

// (e) Walks under a server's rate limit: 120 pages of 10 tasks against the local API enforcing 20
// requests a second, as a token bucket (burst 5) and as a fixed window (100 per 5 s), each at
// concurrency 1, 4 and 8. The baseline is the ideal: pages / rate. Every walk must see every task,
// at <= 1.2x the ideal, meeting fewer 429s than pages / 10.
async function rateLimits() {
  const pages = 120;
  const perSecond = 20;
  const tasks = generateBulkTasks(pages * 10);
  const shapes = {
    "token bucket, 20/s, burst 5": { kind: "token-bucket", perSecond, burst: 5 },
    "fixed window, 100 per 5 s": { kind: "fixed-window", limit: 100, windowMs: 5_000 },
    // A server that only says Retry-After: the gate and the walk's window do all the work.
    "token bucket, 20/s, burst 5, no quota headers": {
      kind: "token-bucket",
      perSecond,
      burst: 5,
      headers: false,
    },
  };
  for (const [shape, rateLimit] of Object.entries(shapes)) {
    for (const concurrency of [1, 4, 8]) {
      const api = await startLocalApi({ organizations: { bench: tasks }, apiKeys: ["bench-key"], rateLimit });
      let refused = 0;
      const client = createBulkTasksClient({
        apiKey: "bench-key",
        baseUrl: api.url,
        concurrency,
        fetch: async (request, init) => {
          const response = await fetch(request, init);
          if (response.status === 429) refused++;
          return response;
        },
      });
      let seen = 0;
      let failure = "";
      const started = performance.now();
      try {
        for await (const _task of client.bulkTasks.list("bench", { limit: 10 })) seen++;
      } catch (error) {
        failure = ` (failed: ${error.name})`;
      }
      const elapsed = performance.now() - started;
      await api.close();
      const ideal = (pages / perSecond) * 1000;
      // The targets are for a server that says its quota; without it, each 429's Retry-After
      // (whole seconds) is all there is to go by, and the row is shown for comparison.
      const targeted = rateLimit.headers !== false;
      report(
        `(e) ${shape}, concurrency ${concurrency}: ${seen} of ${tasks.length} tasks, ${refused} 429s${failure}`,
        elapsed,
        ideal,
        "ms",
        targeted ? `every task, ≤ 1.2× ideal, < ${pages / 10} 429s` : "",
        seen === tasks.length && elapsed <= 1.2 * ideal && refused < pages / 10,
      );
    }
  }
}

// `pnpm bench -- memory size` runs only those; by default, all of them.
const benchmarks = {
  "per-request": perRequest,
  walk: walkSpeed,
  memory,
  size: bundleSize,
  "rate-limit": rateLimits,
};
const chosen = process.argv.slice(2).filter((name) => name in benchmarks);
for (const name of chosen.length > 0 ? chosen : Object.keys(benchmarks)) await benchmarks[name]();

const format = (value) => (value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 3));
console.log(`\nNode.js ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log("| benchmark | this client | baseline | ratio | target | met |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const { name, measured, baseline, unit, ratio, target, passed } of results) {
  console.log(
    `| ${name} | ${format(measured)} ${unit} | ${format(baseline)} ${unit} | ${Number.isNaN(ratio) ? "" : `${ratio.toFixed(2)}×`} | ${target} | ${target ? (passed ? "yes" : "**no**") : ""} |`,
  );
}
