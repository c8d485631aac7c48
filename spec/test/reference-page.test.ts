import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import sparticuz, { inflate } from "@sparticuz/chromium";
import { type Browser, chromium, type LaunchOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// The API reference page (`pnpm build-docs`: redocly build-docs, Redoc inlined) in headless Chromium,
// served from 127.0.0.1: what a reader needs is on it, and it works offline. The browser comes
// through the lockfile: @sparticuz/chromium ships a headless Chromium, which it unpacks to the temp
// folder on first use (os.tmpdir(): /tmp/chromium, /tmp/fonts, ...). CHROMIUM_PATH names another
// Chromium instead.
const page_ = new URL("../dist/reference.html", import.meta.url);
const screenshot = new URL("../test-results/reference-page.png", import.meta.url);
// Chromium's own background traffic is refused by a closed network: keep it quiet. (Playwright gives
// each launch a new, empty profile of its own.) Not @sparticuz/chromium's `args`: those are for AWS
// Lambda (one process, no zygote, web security off), not how a reader's browser runs the page.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// The first run unpacks about 210 MB (two seconds here; more on a loaded machine). A launch or a page
// step that hangs fails with Playwright's message after STEP_TIMEOUT; the whole setup has
// SETUP_DEADLINE, below the hook's own timeout, so that it fails the tests rather than skips them.
const STEP_TIMEOUT = 30_000;
const SETUP_DEADLINE = 90_000;

let server: Server | undefined;
let origin: string;
let browser: Browser | undefined;
let page: Page;
let scratch: string | undefined;
let setupFailure: unknown;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

/** The pinned @sparticuz/chromium: its folder of compressed files, and the Chromium major it ships. */
function sparticuzPackage(): { bin: string; major: string } {
  const root = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..");
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  return { bin: join(root, "bin"), major: version.split(".")[0] ?? version };
}

async function launchOwn(executablePath: string): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath, args: FLAGS, timeout: STEP_TIMEOUT });
  } catch (error) {
    throw new Error(
      `The Chromium named by CHROMIUM_PATH (${executablePath}) did not start; unset CHROMIUM_PATH to ` +
        `use @sparticuz/chromium's.\n${(error as Error).message}`,
      { cause: error },
    );
  }
}

async function launchSparticuz(): Promise<Browser> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `@sparticuz/chromium ships Chromium for Linux x64 only, not ${process.platform} ${process.arch}: ` +
        "name a Chromium in CHROMIUM_PATH.",
    );
  }
  const { bin, major } = sparticuzPackage();
  let executablePath: string;
  try {
    executablePath = await sparticuz.executablePath();
  } catch (error) {
    throw new Error(
      `@sparticuz/chromium could not unpack its Chromium to ${tmpdir()} (it needs about 210 MB ` +
        `there).\n${(error as Error).message}`,
      { cause: error },
    );
  }
  const hint =
    `If ${executablePath} was left half-written by an interrupted run, or by another version of ` +
    "@sparticuz/chromium, delete it and run again; CHROMIUM_PATH can name another Chromium.";
  // Its fonts (Open Sans), through a fontconfig file of our own: the package's names /tmp/fonts,
  // whatever the temp folder is. The same fonts on every machine, and some on a machine with none.
  scratch = await mkdtemp(join(tmpdir(), "reference-page-"));
  const fonts = await inflate(join(bin, "fonts.tar.br"));
  const fontsConf = join(scratch, "fonts.conf");
  await writeFile(
    fontsConf,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${xml(fonts)}</dir>\n  <cachedir>${xml(join(scratch, "fonts-cache"))}</cachedir>\n</fontconfig>\n`,
  );
  const options: LaunchOptions = {
    executablePath,
    args: FLAGS,
    timeout: STEP_TIMEOUT,
    env: { ...process.env, FONTCONFIG_FILE: fontsConf },
  };
  let launched: Browser;
  try {
    launched = await chromium.launch(options);
  } catch (error) {
    if (!/error while loading shared libraries/.test((error as Error).message)) {
      throw new Error(
        `@sparticuz/chromium's Chromium (${executablePath}) did not start. ${hint}\n${(error as Error).message}`,
        { cause: error },
      );
    }
    // No NSS, NSPR or expat on this machine (a slim image): the package ships them, built for
    // Amazon Linux 2023 (glibc 2.34 or later), which is why they are not the first choice.
    const libraries = join(await inflate(join(bin, "al2023.tar.br")), "lib");
    const LD_LIBRARY_PATH = [libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
    try {
      launched = await chromium.launch({ ...options, env: { ...options.env, LD_LIBRARY_PATH } });
    } catch (again) {
      throw new Error(
        `@sparticuz/chromium's Chromium (${executablePath}) did not start, with this machine's ` +
          `libraries nor with the package's own (${libraries}). ${hint}\n${(again as Error).message}`,
        { cause: again },
      );
    }
  }
  // executablePath() takes whatever chromium it finds in the temp folder: another version's, maybe.
  const version = launched.version();
  if (version.split(".")[0] !== major) {
    await launched.close();
    throw new Error(
      `${executablePath} is Chromium ${version}, not the ${major} of the installed @sparticuz/chromium. ${hint}`,
    );
  }
  return launched;
}

function xml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

async function openPage(): Promise<void> {
  const html = await readFile(page_).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    throw new Error(
      `${page_.pathname} is missing: build it with \`pnpm build-docs\` (turbo's test task does, first).`,
    );
  });
  const listening = createServer((request, response) => {
    if (request.url === "/" || request.url === "/reference.html") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;

  const own = process.env.CHROMIUM_PATH;
  browser = own ? await launchOwn(own) : await launchSparticuz();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (
      url.startsWith(origin) ||
      url.startsWith("data:") ||
      url.startsWith("blob:") ||
      url.startsWith("about:")
    ) {
      return route.continue();
    }
    // Nothing may leave the page's own host; record it, and refuse it rather than wait on it.
    foreignRequests.push(url);
    return route.abort();
  });
  await page.goto(`${origin}/reference.html`, { waitUntil: "load" });
  // As a reader does: open the tag in the sidebar, then the operation.
  await page.getByText("Bulk tasks", { exact: true }).first().click();
  await page.getByText("List the bulk tasks of an organization").first().click();
  await page.getByText("/v1/organizations/{organizationId}/bulk-tasks").first().waitFor();
  await page.screenshot({ path: screenshot.pathname });
}

// A failing beforeAll would mark every test skipped; kept here and thrown by each test, it fails them.
beforeAll(async () => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The reference page was not open after ${SETUP_DEADLINE / 1000} s.`)),
      SETUP_DEADLINE,
    );
  });
  try {
    await Promise.race([openPage(), deadline]);
  } catch (error) {
    setupFailure = error;
  } finally {
    clearTimeout(timer);
  }
}, SETUP_DEADLINE + 10_000);

beforeEach(() => {
  if (setupFailure !== undefined) throw setupFailure;
});

afterAll(async () => {
  await browser?.close();
  const listening = server;
  if (listening) await new Promise((resolve) => listening.close(resolve));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the API reference page", () => {
  it("shows the operation, its path and its permission", async () => {
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: what is rendered is the point.
    const text = await page.locator("body").innerText();
    expect(text).toContain("List the bulk tasks of an organization");
    expect(text).toContain("/v1/organizations/{organizationId}/bulk-tasks");
    expect(text).toContain("base.bulk.management.list");
  });

  async function shown(name: string): Promise<boolean> {
    const field = page.getByText(name, { exact: true }).first();
    await field.scrollIntoViewIfNeeded();
    return field.isVisible();
  }

  it.each(["organizationId", "page", "limit", "sort", "status", "action"])(
    "shows the parameter %s",
    async (name) => {
      expect(await shown(name)).toBe(true);
    },
  );

  it.each(["items", "totalDocs", "hasNextPage", "nextPage", "pagingCounter", "createdBy"])(
    "shows the response field %s",
    async (name) => {
      expect(await shown(name)).toBe(true);
    },
  );

  it("shows the 401 and 404 answers", async () => {
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: what is rendered is the point.
    const text = await page.locator("body").innerText();
    expect(text).toMatch(/401/);
    expect(text).toMatch(/404/);
  });

  it("logs no console error", () => {
    expect(consoleErrors).toEqual([]);
  });

  it("asks nothing of any other host (it works offline)", () => {
    expect(foreignRequests).toEqual([]);
  });
});
