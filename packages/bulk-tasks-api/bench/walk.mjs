// One walk over every task, in a process of its own, then its time and peak RSS as JSON on stdout.
//   node bench/walk.mjs <raw-fetch|openapi-fetch|client> <baseUrl> <limit> [concurrency]
// The clock starts after one warm-up request made the same way, so that the walk's time leaves out
// loading fetch itself (Node.js loads undici on the first call) and opening the first connection:
// costs that a process pays once, whatever it does after.
import createClient from "openapi-fetch";
import { createBulkTasksClient } from "../dist/index.js";

const [mode, baseUrl, limit, concurrency = "4"] = process.argv.slice(2);
const headers = { authorization: "Bearer bench-key" };
const bare = createClient({ baseUrl, headers });
const client = createBulkTasksClient({ apiKey: "bench-key", baseUrl });

const getPage = {
  // The baseline: the page a careful user fetches by hand.
  "raw-fetch": async (page, pageLimit) => {
    const url = `${baseUrl}/v1/organizations/bench/bulk-tasks?page=${page}&limit=${pageLimit}`;
    return (await (await fetch(url, { headers })).json()).data;
  },
  // The same over bare openapi-fetch: what this client's transport costs before its own work.
  "openapi-fetch": async (page, pageLimit) => {
    const { data } = await bare.GET("/v1/organizations/{organizationId}/bulk-tasks", {
      params: { path: { organizationId: "bench" }, query: { page, limit: pageLimit } },
    });
    return data.data;
  },
  client: (page, pageLimit) => client.bulkTasks.list("bench", { page, limit: pageLimit }),
}[mode];

await getPage(1, 1);
let tasks = 0;
let checksum = 0;
const started = performance.now();
if (mode === "client") {
  const list = client.bulkTasks.list("bench", { limit: Number(limit) }, { concurrency: Number(concurrency) });
  for await (const task of list) count(task);
} else {
  // One page at a time, until the server says there is no next one.
  for (let page = 1; ; page++) {
    const data = await getPage(page, Number(limit));
    for (const task of data.items) count(task);
    if (!data.hasNextPage) break;
  }
}
const ms = performance.now() - started;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// Under --expose-gc, also the live heap once the walk is over and collected: memory kept per task
// would show here, where peak RSS mostly shows how far the collector let the heap grow.
let heapAfterGcMb;
if (globalThis.gc) {
  // Twice, with a turn of the event loop between: FinalizationRegistry callbacks (undici registers
  // every request that has a signal) run as a task after the collection that found their targets.
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
  globalThis.gc();
  heapAfterGcMb = process.memoryUsage().heapUsed / 2 ** 20;
}
console.log(JSON.stringify({ mode, tasks, checksum, ms, maxRssMb, heapAfterGcMb }));

function count(task) {
  tasks++;
  checksum += task.report?.numItems ?? 0;
}
