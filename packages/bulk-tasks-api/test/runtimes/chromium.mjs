// The runner for headless Chromium (@sparticuz/chromium through playwright-core, as the spec's
// reference-page test launches it): opens the page that loads the bundled suite, runs it there
// against the local API (another origin: CORS) and prints the results as one line of JSON.
// @sparticuz/chromium unpacks to os.tmpdir(): the test gives this process a folder of its own, so
// that it never races the reference-page test unpacking to the shared one.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import sparticuz, { inflate } from "@sparticuz/chromium";
import { chromium } from "playwright-core";

const [pageUrl, baseUrl, apiKey] = process.argv.slice(2);
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function launch() {
  const executablePath = process.env.CHROMIUM_PATH || (await sparticuz.executablePath());
  const options = { executablePath, args: FLAGS, timeout: 30_000 };
  try {
    return await chromium.launch(options);
  } catch (error) {
    if (process.env.CHROMIUM_PATH || !/error while loading shared libraries/.test(error.message)) throw error;
    // No NSS, NSPR or expat on this machine: the package ships them (see spec/test/reference-page.test.ts).
    const bin = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "bin");
    const libraries = join(await inflate(join(bin, "al2023.tar.br")), "lib");
    const LD_LIBRARY_PATH = [libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
    return chromium.launch({ ...options, env: { ...process.env, LD_LIBRARY_PATH } });
  }
}

const browser = await launch();
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(pageUrl, { waitUntil: "load" });
  const results = await page.evaluate(({ baseUrl, apiKey }) => globalThis.runSuite({ baseUrl, apiKey }), {
    baseUrl,
    apiKey,
  });
  console.log(JSON.stringify({ ...results, pageErrors: problems }));
} finally {
  await browser.close();
}
