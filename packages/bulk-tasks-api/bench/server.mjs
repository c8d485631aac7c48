// The local API in a process of its own, so that its memory and CPU do not count against the
// client's. Prints its URL on the first line of stdout, then serves until killed.
//   node bench/server.mjs <tasks> <latencyMs>
import { generateBulkTasks, startLocalApi } from "../dist/testing.js";

const [tasks = "10000", latencyMs = "0"] = process.argv.slice(2);
const api = await startLocalApi({
  organizations: { bench: generateBulkTasks(Number(tasks)) },
  apiKeys: ["bench-key"],
  latencyMs: Number(latencyMs),
});
console.log(api.url);
