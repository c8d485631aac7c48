// pnpm bench: the client against raw fetch and bare openapi-fetch, measured in the same run.
// Needs the built package (the root `pnpm bench` builds it first). Prints a Markdown table.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import createClient from "openapi-fetch";
import { createBulkTasksClient } from "../dist/index.js";
import {
  EVERY_OPERATION_CONSUMER,
  LIST_ONLY_CONSUMER,
  MINIMAL_CONSUMER,
  minGzipKilobytes,
  OPENAPI_FETCH_CONSUMER,
  OPENAPI_FETCH_WHOLE,
} from "./bundle-size.mjs";
import { idealMs } from "./zoo.mjs";

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
    // since it tells how many there are), against 100 for the sequential loop: that is the latency
    // floor, measured from the same run's sequential loop. (The target was once "≥ 4× faster than
    // the sequential loop", above the ceiling of 3.88× at the default concurrency of 4.)
    const floor = (sequential.ms * (1 + 99 / concurrency)) / 100;
    report(
      `(b) walk 10,000 tasks, 20 ms latency, concurrency ${concurrency}${concurrency === 4 ? " (default)" : ""}; ${(sequential.ms / ours.ms).toFixed(2)}× faster than the sequential loop (ceiling ${(100 / (1 + 99 / concurrency)).toFixed(2)}×)`,
      ours.ms,
      floor,
      "ms",
      "≤ 1.1× the latency floor",
      ours.ms <= 1.1 * floor,
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

// (e) Walks under a server's rate limit, against the zoo of bench/zoo.mjs: each class of limiter,
// and two real limiter middlewares, at concurrency 1, 4 and 8. The baseline is the ideal: the time
// the server's limit allows at best (pages / rate for a steady one). Beside it, the physical limit
// of a client told nothing: it meets at least one refusal to find the limit, and waits what that
// refusal asks. The walks of a group run side by side, each with its server in a process of its
// own (bench/zoo-walk.mjs): they spend their time waiting, and the benchmark takes two minutes.
async function rateLimits() {
  const TB = { kind: "token-bucket", perSecond: 20, burst: 5 };
  const s = 1000;
  // Half the ideal time at 20/s, then 10/s.
  const changing = (pages) => ({
    kind: "changing",
    first: TB,
    afterMs: (pages / 20) * 500,
    next: { ...TB, perSecond: 10 },
  });
  const window = (limit, windowMs) => ({ kind: "fixed-window", limit, windowMs });
  // A window's worth at once, then a window's wait: finding the limit costs nothing more.
  const windowPhysical = (limit, windowMs) => (pages) => Math.floor((pages - 1) / limit) * windowMs;
  // The burst, one refusal and its Retry-After (1 s), then the rate.
  const bucketPhysical = (pages) => ((pages - TB.burst) / TB.perSecond) * s + s;
  const zoo =
    (limiter, extra = {}) =>
    (pages, headers) => ({ server: "zoo", options: { pages, limiter, headers, ...extra } });
  // name → [the server, ideal(pages, concurrency), physical limit(pages, concurrency)]
  const members = (headers) => ({
    "token bucket 20/s, burst 5": [zoo(TB), (pages) => idealMs(TB, pages), bucketPhysical],
    "token bucket 20/s, burst 5, Retry-After as an HTTP date": [
      zoo(TB, { retryAfter: "date" }),
      (pages) => idealMs(TB, pages),
      bucketPhysical,
    ],
    "fixed window 100 per 5 s": [
      zoo(window(100, 5000)),
      (pages) => idealMs(window(100, 5000), pages),
      windowPhysical(100, 5000),
    ],
    "sliding log 20 per 1 s": [
      zoo({ kind: "sliding-log", limit: 20, windowMs: 1000 }),
      (pages) => idealMs(window(20, 1000), pages),
      windowPhysical(20, 1000),
    ],
    "token bucket 20/s, then 10/s from half the ideal time": [
      (pages, quota) => zoo(changing(pages))(pages, quota),
      (pages) => idealMs(changing(pages), pages),
      // A refusal to find each limit, each with its Retry-After.
      (pages) => idealMs(changing(pages), pages) + 2 * s,
    ],
    // A limit of requests in flight has no quota to tell.
    ...(headers
      ? {
          "express-rate-limit 20 per 1 s, standard headers (draft-8)": [
            (pages) => ({
              server: "express",
              options: { pages, limit: 20, windowMs: 1000, standardHeaders: "draft-8" },
            }),
            (pages) => idealMs(window(20, 1000), pages),
            windowPhysical(20, 1000),
          ],
          "rate-limiter-flexible 20 points per 1 s, X-RateLimit-* headers": [
            (pages) => ({ server: "flexible", options: { pages, points: 20, duration: 1, headers: true } }),
            (pages) => idealMs(window(20, 1000), pages),
            windowPhysical(20, 1000),
          ],
        }
      : {
          "2 requests in flight, 100 ms each": [
            zoo({ kind: "concurrency", limit: 2 }, { latencyMs: 100 }),
            (pages, concurrency) => idealMs({ kind: "concurrency", limit: 2 }, pages, 100, concurrency),
            // One refusal (above 2 in flight) and its Retry-After of 1 s.
            (pages, concurrency) =>
              idealMs({ kind: "concurrency", limit: 2 }, pages, 100, concurrency) + (concurrency > 2 ? s : 0),
          ],
          "express-rate-limit 20 per 1 s, headers off (no Retry-After either)": [
            (pages) => ({
              server: "express",
              options: { pages, limit: 20, windowMs: 1000, standardHeaders: false },
            }),
            (pages) => idealMs(window(20, 1000), pages),
            windowPhysical(20, 1000),
          ],
          "rate-limiter-flexible 20 points per 1 s": [
            (pages) => ({ server: "flexible", options: { pages, points: 20, duration: 1 } }),
            (pages) => idealMs(window(20, 1000), pages),
            windowPhysical(20, 1000),
          ],
        }),
  });
  // One walk in a process of its own, started once the process is loaded.
  const walkAlone = async (spec) => {
    const child = spawn(process.execPath, [`${here}zoo-walk.mjs`, JSON.stringify(spec)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    const closed = once(child, "close");
    await once(child.stdout, "data");
    child.stdin.end("go\n");
    await closed;
    return JSON.parse(output.slice(output.indexOf("{")));
  };
  // At most WALKS_AT_ONCE walks run side by side (about a tenth of a core each, start-up aside):
  // more, and they would measure the machine's load rather than the client.
  const WALKS_AT_ONCE = 6;
  const pool = [];
  const queued = (spec) =>
    new Promise((resolve, reject) => {
      pool.push(() => walkAlone(spec).then(resolve, reject));
    });
  const drain = async () => {
    const run = async () => {
      for (let next = pool.shift(); next; next = pool.shift()) await next();
    };
    await Promise.all(Array.from({ length: WALKS_AT_ONCE }, run));
  };
  const groups = [
    // [quota headers, pages, ratio target, most refusals, what the pages are]
    [false, 120, 1.6, 11, "about 6 s of ideal time"],
    [true, 120, 1.2, 2, "about 6 s of ideal time"],
    [false, 600, 1.25, 11, "30 s or more of ideal time"],
  ];
  const rows = [];
  for (const [headers, pages, target, allowed, length] of groups) {
    for (const [name, [server, ideal, physical]] of Object.entries(members(headers))) {
      for (const concurrency of [1, 4, 8]) {
        const walk = queued({ ...server(pages, headers), concurrency });
        rows.push({
          name,
          headers,
          pages,
          target,
          allowed,
          length,
          concurrency,
          walk,
          ideal: ideal(pages, concurrency),
          physical: physical(pages, concurrency),
        });
      }
    }
  }
  // The longest walks first, so that the pool ends about when the last of them does.
  pool.reverse();
  await drain();
  for (const { name, headers, pages, target, allowed, length, concurrency, walk, ideal, physical } of rows) {
    const { seen, failure, elapsed, refused } = await walk;
    report(
      `(e) ${name}, ${headers ? "quota headers" : "no quota headers"}, ${pages} pages (${length}), concurrency ${concurrency}: ${seen} of ${pages * 10} tasks, ${refused} 429s${failure ? ` (failed: ${failure})` : ""}; physical limit ${(physical / 1000).toFixed(2)} s (${(physical / ideal).toFixed(2)}×)`,
      elapsed,
      ideal,
      "ms",
      `every task, ≤ ${target}× ideal, ${headers ? "0–2" : "< 12"} 429s`,
      seen === pages * 10 && elapsed <= target * ideal && refused <= allowed,
    );
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
