// One walk against one server of the zoo, both in this process and nothing else: walks run side by
// side in processes of their own, so that one walk's burst does not delay another's timers.
//   node bench/zoo-walk.mjs '{"server":"zoo","options":{...},"concurrency":4}'
// Prints "ready" once loaded, starts the walk at the first line on stdin (so that walks started
// together do not share the machine with the others' start-up), then prints
// { seen, elapsed, refused, failure } as JSON.
import { once } from "node:events";
import { createBulkTasksClient } from "../dist/index.js";
import { startExpressRateLimit, startRateLimiterFlexible, startZooServer } from "./zoo.mjs";

const { server: kind, options, concurrency } = JSON.parse(process.argv[2]);
const start = { zoo: startZooServer, express: startExpressRateLimit, flexible: startRateLimiterFlexible }[
  kind
];
const server = await start(options);
const client = createBulkTasksClient({ apiKey: "bench-key", baseUrl: server.url, concurrency });
console.log("ready");
await once(process.stdin, "data");
process.stdin.pause();
let seen = 0;
let failure = "";
const started = performance.now();
try {
  for await (const _task of client.bulkTasks.list("bench", { limit: 10 })) seen++;
} catch (error) {
  failure = error.name;
}
const elapsed = performance.now() - started;
await server.close();
console.log(JSON.stringify({ seen, elapsed, refused: server.stats.refused, failure }));
