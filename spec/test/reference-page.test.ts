import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The API reference page (`pnpm build-docs`: redocly build-docs, Redoc inlined) in Debian's Chromium,
// served from 127.0.0.1: what a reader needs is on it, and it works offline.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const page_ = new URL("../dist/reference.html", import.meta.url);
const screenshot = new URL("../test-results/reference-page.png", import.meta.url);

let server: Server;
let origin: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

beforeAll(async () => {
  const html = await readFile(page_);
  server = createServer((request, response) => {
    if (request.url === "/" || request.url === "/reference.html") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Chromium's own background traffic is refused by a closed network: keep it quiet. (Playwright
    // gives each launch a new, empty profile of its own.)
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
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
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
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
