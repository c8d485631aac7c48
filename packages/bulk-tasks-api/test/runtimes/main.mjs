// The runner for runtimes with a command line (Node.js, Bun, Deno): runs the suite against the
// local API named by its arguments and prints the results as one line of JSON.
import { runSuite } from "./suite.mjs";

const [baseUrl, apiKey] = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
console.log(JSON.stringify(await runSuite({ baseUrl, apiKey })));
