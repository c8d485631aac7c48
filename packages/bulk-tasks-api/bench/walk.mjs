// One walk over every task, in a process of its own, then its peak RSS as JSON on stdout.
//   node bench/walk.mjs <raw-fetch|client> <baseUrl> <limit> [concurrency]
import { createBulkTasksClient } from "../dist/index.js";

const [mode, baseUrl, limit, concurrency = "4"] = process.argv.slice(2);
const path = `${baseUrl}/v1/organizations/bench/bulk-tasks`;
let tasks = 0;
let checksum = 0;
const started = performance.now();

if (mode === "raw-fetch") {
  // The baseline: the loop a careful user writes by hand, one page at a time.
  for (let page = 1; ; page++) {
    const response = await fetch(`${path}?page=${page}&limit=${limit}`, {
      headers: { authorization: "Bearer bench-key" },
    });
    const { data } = await response.json();
    for (const task of data.items) {
      tasks++;
      checksum += task.report.numItems;
    }
    if (!data.hasNextPage) break;
  }
} else {
  const client = createBulkTasksClient({ apiKey: "bench-key", baseUrl });
  for await (const task of client.bulkTasks.list(
    "bench",
    { limit: Number(limit) },
    { concurrency: Number(concurrency) },
  )) {
    tasks++;
    checksum += task.report?.numItems ?? 0;
  }
}

const ms = performance.now() - started;
console.log(
  JSON.stringify({
    mode,
    tasks,
    checksum,
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
