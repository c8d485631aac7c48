import { beforeEach, describe, expect, it } from "vitest";
import { API_KEY, runCli, target, useLocalApi } from "./support.js";

const local = useLocalApi();
beforeEach(() => local.api.reset());

// A key with characters that percent-encoding changes: neither form may be printed.
const ODD_KEY = "sk-live/0123456789+abcdef=";

describe("--verbose", () => {
  it("shows each request (method, URL, status, time) and each retry on stderr, never the key", async () => {
    local.api.inject({ kind: "status", status: 503 });
    const { code, stdout, stderr } = await runCli([
      "list",
      "lab",
      "--limit",
      "3",
      "--verbose",
      ...target(local.api),
    ]);
    expect(code).toBe(0);
    const url = `${local.api.url}/v1/organizations/lab/bulk-tasks?limit=3`;
    expect(stderr.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^GET ${escapeRegExp(url)} 503 \\d+ ms$`)),
      expect.stringMatching(new RegExp(`^retry 1 of GET ${escapeRegExp(url)} in \\d+ ms \\(after 503\\)$`)),
      expect.stringMatching(new RegExp(`^GET ${escapeRegExp(url)} 200 \\d+ ms$`)),
    ]);
    expect(stdout.split("\n").filter(Boolean)).toHaveLength(3);
    for (const text of [stdout, stderr]) expect(text).not.toContain(API_KEY);
  });

  it("names a failed request by its error, and never prints a refused key, in either form", async () => {
    const { code, stderr, stdout } = await runCli([
      "summary",
      "lab",
      "--verbose",
      ...["--base-url", local.api.url, "--api-key", ODD_KEY],
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/v1\/organizations\/lab\/bulk-tasks 401 \d+ ms\n/);
    expect(stderr).toContain("AuthenticationError");
    for (const text of [stdout, stderr]) {
      expect(text).not.toContain(ODD_KEY);
      expect(text).not.toContain(encodeURIComponent(ODD_KEY));
    }
  });

  it("shows when the client's rate-limit gate closes, and for how long", async () => {
    // Longer than the client's first backoff delay (at most 500 ms), which a retry waits at least.
    local.api.inject({ kind: "rate-limit", retryAfter: 600, inMilliseconds: true });
    const { code, stderr } = await runCli(["list", "lab", "--limit", "2", "--verbose", ...target(local.api)]);
    expect(code).toBe(0);
    expect(stderr).toContain("rate limit: 429 (retry-after), every request waits 600 ms\n");
    expect(stderr).toMatch(/retry 1 of GET .* in 600 ms \(after 429\)/);
  });

  it("says where the local API of --local runs", async () => {
    const { code, stderr } = await runCli(["list", "lab", "--local", "--limit", "1", "--verbose"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^local API at http:\/\/127\.0\.0\.1:\d+\nGET http:\/\/127\.0\.0\.1:\d+\/v1\/organizations\/lab\/bulk-tasks\?limit=1 200 \d+ ms\n$/,
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
