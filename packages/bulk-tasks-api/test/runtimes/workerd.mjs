// The runner for Cloudflare's workerd, through miniflare (which needs Node.js 22 or later): the
// suite, bundled with the installed package into one worker module, answers one request with its
// results, fetching the local API on 127.0.0.1 from inside workerd. Prints them as one line of JSON.
import { readFile } from "node:fs/promises";
import { Miniflare } from "miniflare";

const [bundle, baseUrl, apiKey] = process.argv.slice(2);
const worker = `${await readFile(bundle, "utf8")}
export default {
  async fetch() {
    return Response.json(await runSuite({ baseUrl: ${JSON.stringify(baseUrl)}, apiKey: ${JSON.stringify(apiKey)} }));
  },
};
`;
// No compatibility flags: the plain Workers runtime, without its Node.js compatibility layer.
const miniflare = new Miniflare({ modules: true, script: worker, compatibilityDate: "2026-07-01" });
try {
  const response = await miniflare.dispatchFetch("http://localhost/");
  console.log(await response.text());
} finally {
  await miniflare.dispose();
}
