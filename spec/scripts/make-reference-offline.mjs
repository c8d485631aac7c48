#!/usr/bin/env node
// Redoc 3, as `redocly build-docs --inlineBundle` embeds it, still loads its attribution logo from
// cdn.redoc.ly: the one request that keeps the page from working offline. This swaps those images
// for an inline SVG wordmark (the attribution stays) and fails if the page names any other
// resource on a CDN, so that a new one cannot slip in unnoticed.
import { readFile, writeFile } from "node:fs/promises";

const page = new URL("../dist/reference.html", import.meta.url);
const wordmark = (width) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16"><text x="0" y="13" font-family="sans-serif" font-size="13" font-weight="600" fill="#0044D4">${width > 20 ? "Redocly" : "R"}</text></svg>`,
  )}`;
const LOGOS = {
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg": wordmark(56),
  "https://cdn.redoc.ly/redoc/logo-mini.svg": wordmark(12),
};

let html = await readFile(page, "utf8");
for (const [url, replacement] of Object.entries(LOGOS)) {
  if (!html.includes(url)) throw new Error(`${url} is no longer in the page: review this script.`);
  html = html.split(url).join(replacement);
}
const remaining = html.match(/https:\/\/cdn\.[\w.-]+\/[^\s"'`)]+\.(svg|png|js|css|woff2?)/g);
if (remaining) throw new Error(`The page still loads from a CDN: ${[...new Set(remaining)].join(", ")}`);
await writeFile(page, html);
console.log("reference.html: works offline (Redoc's CDN logo inlined).");
