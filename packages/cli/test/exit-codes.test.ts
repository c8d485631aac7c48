import { once } from "node:events";
import { createServer } from "node:net";
import { type Fault, generateBulkTasks } from "@org/bulk-tasks-api/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { API_KEY, type Run, runCli, startCli, target, useLocalApi, waitForOutput } from "./support.js";

const local = useLocalApi();
// A fault a failed test left queued must not reach the next one.
beforeEach(() => local.api.reset());

/** One line on stderr, nothing on stdout, and never the key. */
function expectOneErrorLine({ stdout, stderr }: Run, pattern: RegExp): void {
  expect(stdout).toBe("");
  expect(stderr.endsWith("\n")).toBe(true);
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(/^bulk-tasks: /);
  expect(stderr.trimEnd()).toMatch(pattern);
  expect(stderr).not.toContain(API_KEY);
}

describe("exit code 2: usage errors, before any request", () => {
  const api = () => target(local.api);
  it.each<[string, () => string[], RegExp]>([
    [
      "an unknown option",
      () => ["list", "lab", "--bogus", ...api()],
      /Unknown option "--bogus"\. See bulk-tasks list --help\.$/,
    ],
    [
      "an unknown command",
      () => ["lsit", "lab", ...api()],
      /Unknown command "lsit": did you mean list\? The commands are list, summary, get, wait or serve-local/,
    ],
    [
      "a missing organization id",
      () => ["list", ...api()],
      /Missing <organizationId>: .* See bulk-tasks list --help/,
    ],
    ["a missing organization id (summary)", () => ["summary", ...api()], /Missing <organizationId>/],
    ["an extra argument", () => ["list", "lab", "acme", ...api()], /Unexpected argument "acme"/],
    [
      "a bad organization id, with the spec's rule",
      () => ["list", "not an id!", ...api()],
      /Invalid <organizationId>: "not an id!" is not an organization's 24-hex-digit id, or its slug of 3 or more letters, digits and hyphens \(such as lab\)\. Nothing was sent\./,
    ],
    [
      "a --limit that is not a number",
      () => ["list", "lab", "--limit", "ten", ...api()],
      /Invalid --limit: "ten" is not an integer >= 1\./,
    ],
    [
      "--limit 0",
      () => ["list", "lab", "--limit", "0", ...api()],
      /Invalid --limit: 0 is not an integer >= 1\./,
    ],
    [
      "a bad --page",
      () => ["list", "lab", "--page", "1.5", ...api()],
      /Invalid --page: 1\.5 is not an integer >= 1\./,
    ],
    [
      "a misspelt option, with the flag probably meant",
      () => ["list", "lab", "--timout", "5", ...api()],
      /Unknown option "--timout"\. Did you mean --timeout\? See bulk-tasks list --help\.$/,
    ],
    [
      "a misspelt negated flag",
      () => ["list", "lab", "--all", "--no-progres", ...api()],
      /Unknown option "--no-progres"\. Did you mean --no-progress\?/,
    ],
    [
      "a negative --retries, with its rule (not the parser's 'ambiguous')",
      () => ["list", "lab", "--retries", "-1", ...api()],
      /^bulk-tasks: Invalid --retries: -1 is not an integer >= 0\. Nothing was sent\./,
    ],
    [
      "a negative --limit",
      () => ["list", "lab", "--limit", "-5", ...api()],
      /^bulk-tasks: Invalid --limit: -5 is not an integer >= 1\. Nothing was sent\./,
    ],
    [
      "a negative --timeout",
      () => ["get", "lab", "6ae4ecd500000000038f41ed", "--timeout", "-2.5", ...api()],
      /^bulk-tasks: Invalid --timeout: -2\.5 is not a number > 0/,
    ],
    [
      "a negative --wait-timeout",
      () => ["wait", "lab", "6ae4ecd500000000038f41ed", "--wait-timeout", "-1", ...api()],
      /^bulk-tasks: Invalid --wait-timeout: -1 is not a number >= 1/,
    ],
    [
      "a --status next to a known one",
      () => ["list", "lab", "--status", "complete", ...api()],
      /Invalid --status: "complete" is not one of .* Did you mean "completed"\? Nothing was sent\./,
    ],
    [
      "plain http to a host that is not loopback, naming the flag that allows it",
      () => ["list", "lab", "--api-key", API_KEY, "--base-url", "http://example.com"],
      /^bulk-tasks: ConfigurationError: --base-url http:\/\/example\.com is plain http on a non-loopback host: the API key would travel in clear\. Use https, or add --allow-insecure-http\. /,
    ],
    [
      "an option given twice (the last would win without a word)",
      () => ["list", "lab", "--status", "failed", "--status", "completed", ...api()],
      /^bulk-tasks: --status is given more than once: give it once\. See bulk-tasks list --help\.$/,
    ],
    [
      "a misspelt --format",
      () => ["list", "lab", "--format", "tabel", ...api()],
      /Invalid --format: "tabel" is not one of table, json, ndjson, csv\. Did you mean table\?/,
    ],
    ["a --format in capitals", () => ["list", "lab", "--format=JSON", ...api()], /Did you mean json\?/],
    [
      "an option of another command",
      () => ["list", "lab", "--wait-timeout", "5", ...api()],
      /^bulk-tasks: Unknown option "--wait-timeout": it is an option of bulk-tasks wait\. See bulk-tasks list --help\.$/,
    ],
    [
      "a number too large to be held exactly",
      () => ["list", "lab", "--page", "9007199254740993", ...api()],
      /^bulk-tasks: Invalid --page: 9007199254740993 is too large a number \(the largest is 9007199254740991\)\./,
    ],
    [
      "a --timeout in exponent form, read as the number it is",
      () => ["list", "lab", "--timeout", "-1e3", ...api()],
      /^bulk-tasks: Invalid --timeout: -1000 is not a number > 0/,
    ],
    [
      "a bad --status",
      () => ["summary", "lab", "--status", "done", ...api()],
      /Invalid --status: "done" is not one of "pending", "created", "inProgress", "completed", "failed"/,
    ],
    [
      "a bad --sort",
      () => ["list", "lab", "--sort", "createdAt:up", ...api()],
      /Invalid --sort: "createdAt:up"/,
    ],
    [
      "a bad --concurrency",
      () => ["list", "lab", "--all", "--concurrency", "0", ...api()],
      /Invalid --concurrency: 0/,
    ],
    [
      "a bad --timeout",
      () => ["list", "lab", "--timeout", "soon", ...api()],
      /Invalid --timeout: "soon" is not a number > 0/,
    ],
    [
      "a bad --retries",
      () => ["list", "lab", "--retries", "many", ...api()],
      /Invalid --retries: "many" is not an integer >= 0/,
    ],
    [
      "a bad --format",
      () => ["list", "lab", "--format", "xml", ...api()],
      /Invalid --format: "xml" is not one of table, json, ndjson, csv/,
    ],
    [
      "a bad summary --format",
      () => ["summary", "lab", "--format", "csv", ...api()],
      /is not one of text, json/,
    ],
    [
      "--local with --base-url",
      () => ["list", "lab", "--local", "--base-url", local.api.url],
      /--local brings its own URL and key/,
    ],
    [
      "no API key",
      () => ["list", "lab", "--base-url", local.api.url],
      /No API key: pass --api-key or set APPLIVERY_API_KEY \(or try --local/,
    ],
    [
      "a space after --api-key= (the key would be an argument of its own, named by the error)",
      () => ["list", "lab", "--api-key=", API_KEY, "--base-url", local.api.url],
      /^bulk-tasks: --api-key is empty: write --api-key KEY or --api-key=KEY, with no space around =\./,
    ],
    [
      "spaces around the = of --api-key",
      () => ["list", "lab", "--api-key", "=", API_KEY, "--base-url", local.api.url],
      /^bulk-tasks: --api-key is given with a leading "=": write --api-key KEY or --api-key=KEY, with no space around =\./,
    ],
    [
      "a space before the = of --api-key (the key would be sent as =KEY)",
      () => ["list", "lab", "--api-key", `=${API_KEY}`, "--base-url", local.api.url],
      /^bulk-tasks: --api-key is given with a leading "=": write --api-key KEY or --api-key=KEY, with no space around =\./,
    ],
    [
      "the key as the organization (refused, not sent: it would be in the URL)",
      () => ["list", API_KEY, ...api()],
      /^bulk-tasks: Invalid <organizationId>: a string \(not shown\) is not a value without the API key in it\. Nothing was sent\./,
    ],
    [
      "the key where a value goes, before the command line is read",
      () => ["list", "lab", "--format", API_KEY, ...api()],
      /^bulk-tasks: Invalid --format: \(not shown: it may be a key\) is not one of/,
    ],
    [
      // A key of letters alone is not key-shaped: it is known from --api-key, and redacted.
      "a letters-only key where a value goes",
      () => [
        "list",
        "lab",
        "--format",
        "letters-only-secret",
        "--api-key",
        "letters-only-secret",
        "--base-url",
        local.api.url,
      ],
      /^bulk-tasks: Invalid --format: "\[redacted\]" is not one of/,
    ],

    [
      "an option without its value: a sentence before the hint",
      () => ["list", "lab", ...api(), "--limit"],
      /^bulk-tasks: Option '--limit <value>' argument missing\. See bulk-tasks list --help\.$/,
    ],
    [
      "a base URL that would send the key in clear (ConfigurationError)",
      () => ["list", "lab", "--api-key", API_KEY, "--base-url", "http://example.com"],
      /ConfigurationError: .* Check --base-url \/ APPLIVERY_BASE_URL\.$/,
    ],
  ])("%s", async (_, args, pattern) => {
    const before = local.api.requests.length;
    const run = await runCli(args());
    expect(run.code).toBe(2);
    expectOneErrorLine(run, pattern);
    expect(local.api.requests.length).toBe(before);
  });

  it("redacts a key from APPLIVERY_API_KEY given as an argument by mistake", async () => {
    const run = await runCli(["list", "lab", "letters-only-secret", "--base-url", local.api.url], {
      APPLIVERY_API_KEY: "letters-only-secret",
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toMatch(/^bulk-tasks: Unexpected argument "\[redacted\]"\./);
    expect(run.stderr).not.toContain("letters-only");
  });

  // No --api-key and no APPLIVERY_API_KEY: the CLI cannot know the key, so an argument shaped like
  // one is not quoted where a usage error would quote it.
  const keyShaped = "sk_live_9f8e7d6c5b4a3210";
  it.each<[string, string[], RegExp]>([
    [
      "as an extra argument",
      ["list", "lab", keyShaped],
      /Unexpected argument \(not shown: it may be a key\)\./,
    ],
    [
      "as a --format",
      ["list", "lab", "--format", keyShaped],
      /Invalid --format: \(not shown: it may be a key\) is not one of/,
    ],
    ["as a command", [keyShaped, "lab"], /Unknown command \(not shown: it may be a key\): use /],
    ["as an option", ["list", "lab", `--${keyShaped}`], /Unknown option \(not shown: it may be a key\)\./],
  ])("does not quote a key-shaped argument %s when no key is known", async (_, args, pattern) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toMatch(pattern);
    expect(run.stderr).not.toContain("9f8e7d6c");
  });

  it("shows the general help on stderr without any argument", async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage\n  bulk-tasks list <organizationId>");
  });
});

describe("exit code 1: the API or the network failed, said in one line with a hint", () => {
  it("a wrong key: AuthenticationError", async () => {
    const run = await runCli([
      "list",
      "lab",
      "--base-url",
      local.api.url,
      "--api-key",
      "wrong-key-0123456789",
    ]);
    expect(run.code).toBe(1);
    expectOneErrorLine(
      run,
      /AuthenticationError: 401 Invalid Token \(code 4004\) for GET \/v1\/organizations\/lab\/bulk-tasks\. Check --api-key \/ APPLIVERY_API_KEY/,
    );
    expect(run.stderr).not.toContain("wrong-key-0123456789");
  });

  it("an unknown organization: NotFoundError", async () => {
    const run = await runCli(["summary", "acme", ...target(local.api)]);
    expect(run.code).toBe(1);
    expectOneErrorLine(run, /NotFoundError: 404 Entity not found \(code 3001\) .* Check the organization id/);
  });

  it("an unknown organization with the key from APPLIVERY_API_KEY and APPLIVERY_BASE_URL", async () => {
    const run = await runCli(["list", "acme"], {
      APPLIVERY_API_KEY: API_KEY,
      APPLIVERY_BASE_URL: local.api.url,
    });
    expect(run.code).toBe(1);
    expectOneErrorLine(run, /NotFoundError: 404/);
  });

  it.each<[string, Fault, string[], RegExp]>([
    [
      "a 403: PermissionDeniedError, with the request id",
      { kind: "status", status: 403, headers: { "x-request-id": "req-403-abc" } },
      [],
      /PermissionDeniedError: 403 Forbidden \(code 4003\) .* \[request id req-403-abc\]\. .*base\.bulk\.management\.list/,
    ],
    [
      "a 429 asking for more than the client waits: RateLimitError",
      { kind: "rate-limit", retryAfter: 120 },
      [],
      /RateLimitError: 429 .* try again in 120 s\.$/,
    ],
    [
      "a 503, no retries: ServerError",
      { kind: "status", status: 503 },
      ["--retries", "0"],
      /ServerError: 503 .* try again later/,
    ],
    [
      "a proxy's HTML page: UnexpectedResponseError",
      { kind: "html", status: 200 },
      [],
      /UnexpectedResponseError: Expected an application\/json response, got "text\/html" .* check --base-url/,
    ],
    [
      "a body that stops: TimeoutError",
      { kind: "stall" },
      ["--timeout", "300", "--retries", "0"],
      /TimeoutError: The request timed out after 300 ms\. .* raise --timeout\.$/,
    ],
  ])("%s", async (_, fault, extra, pattern) => {
    local.api.inject(fault);
    const run = await runCli(["list", "lab", ...extra, ...target(local.api)]);
    expect(run.code).toBe(1);
    expectOneErrorLine(run, pattern);
  });

  describe("a walk that fails on a page", () => {
    // Page 3 and those after it fail until the test lets them through.
    let failing = true;
    const flaky = useLocalApi({
      faults: ({ query }) =>
        failing && Number(query.page) >= 3 ? { kind: "status", status: 503 } : undefined,
    });

    it("names the page to go on from, and --all --page goes on from there", async () => {
      failing = true;
      const args = ["list", "lab", "--all", "--limit", "50", "--concurrency", "1", "--retries", "0"];
      const run = await runCli([...args, ...target(flaky.api)]);
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd()).toMatch(
        /^bulk-tasks: ServerError: 503 Server error \(code 3002\) for GET \/v1\/organizations\/lab\/bulk-tasks\?limit=50&page=3\. The API failed: try again later\. Pages 1 to 2 were written: to go on, run the same command with --page 3\.$/,
      );
      const written = run.stdout.trimEnd().split("\n");
      expect(written).toHaveLength(100);

      failing = false;
      const rest = await runCli([...args, "--page", "3", ...target(flaky.api)]);
      expect(rest.code).toBe(0);
      const all = await runCli(["list", "lab", "--all", ...target(flaky.api)]);
      expect([...written, ...rest.stdout.trimEnd().split("\n")]).toEqual(all.stdout.trimEnd().split("\n"));
    });
  });

  it("no server at the base URL: ConnectionError", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    server.close();
    const run = await runCli([
      "list",
      "lab",
      "--retries",
      "0",
      "--base-url",
      `http://127.0.0.1:${port}`,
      "--api-key",
      API_KEY,
    ]);
    expect(run.code).toBe(1);
    expectOneErrorLine(
      run,
      /ConnectionError: .*ECONNREFUSED.* Check --base-url \/ APPLIVERY_BASE_URL and the network\.$/,
    );
  });
});

describe("exit code 130: Ctrl-C in the middle of a walk", () => {
  const tasks = generateBulkTasks(200);
  const slow = useLocalApi({ organizations: { lab: tasks }, latencyMs: 150 });

  it.each([
    ["ndjson", (line: string) => JSON.parse(line)],
    ["json", (line: string) => JSON.parse(line.replace(/^\[$/, "[]").replace(/,$/, ""))],
    ["csv", (line: string) => line],
  ])("stops the walk, and %s output ends with a whole line", async (format, parseLine) => {
    const before = slow.api.requests.length;
    const child = startCli(["list", "lab", "--all", "--limit", "5", "--format", format, ...target(slow.api)]);
    await waitForOutput(child, "stdout", /\n/);
    child.kill("SIGINT");
    const [code] = (await once(child, "close")) as [number | null];
    expect(code).toBe(130);
    const { stdout, stderr } = child.output;
    expect(stdout.endsWith("\n")).toBe(true);
    for (const line of stdout.trimEnd().split("\n")) parseLine(line.replace(/\r$/, ""));
    expect(stdout.trimEnd().endsWith("]")).toBe(false); // a cut JSON array must not parse as complete
    expect(stderr).toBe("");
    // Aborted: no request is sent after the exit, and far fewer were sent than the walk has pages.
    const sent = slow.api.requests.length - before;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(slow.api.requests.length - before).toBe(sent);
    expect(sent).toBeLessThan(Math.ceil(tasks.length / 5) / 2);
  });
});

describe("exit code 0, and a word on stderr", () => {
  it.each(["ndjson", "table", "csv"])("a page past the end says so (%s)", async (format) => {
    const run = await runCli(["list", "lab", "--page", "999", "--format", format, ...target(local.api)]);
    expect(run.code).toBe(0);
    expect(run.stderr.trimEnd()).toBe(
      "Page 999 is past the end: the list has 3 pages (300 tasks). Try --page 3.",
    );
  });

  it("a walk from a page past the end says so too (--all --page)", async () => {
    const run = await runCli([
      "list",
      "lab",
      "--all",
      "--page",
      "6",
      "--format",
      "ndjson",
      ...target(local.api),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd()).toBe(
      "Page 6 is past the end: the list has 3 pages (300 tasks). Try --page 3.",
    );
  });

  it("an empty list past its end says it is empty", async () => {
    const run = await runCli(["list", "empty", "--page", "2", ...target(local.api)]);
    expect(run.code).toBe(0);
    expect(run.stderr.trimEnd()).toBe("Page 2 is past the end: the list is empty.");
  });

  it("--allow-insecure-http lets plain http reach a host that is not loopback", async () => {
    // 0.0.0.0 is not a loopback name to the client, but a connection to it stays on this machine.
    const base = local.api.url.replace("127.0.0.1", "0.0.0.0");
    const refused = await runCli(["list", "lab", "--limit", "1", "--api-key", API_KEY, "--base-url", base]);
    expect(refused.code).toBe(2);
    const allowed = await runCli([
      "list",
      "lab",
      "--limit",
      "1",
      "--api-key",
      API_KEY,
      "--base-url",
      base,
      "--allow-insecure-http",
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("settings from the environment, named as such", () => {
  it.each([
    [
      "APPLIVERY_BASE_URL off loopback in plain http",
      { APPLIVERY_API_KEY: API_KEY, APPLIVERY_BASE_URL: "http://example.com" },
      /^bulk-tasks: ConfigurationError: APPLIVERY_BASE_URL http:\/\/example\.com is plain http on a non-loopback host: .* add --allow-insecure-http\./,
    ],
    [
      "APPLIVERY_BASE_URL that is not a URL",
      { APPLIVERY_API_KEY: API_KEY, APPLIVERY_BASE_URL: "example.com" },
      /^bulk-tasks: ConfigurationError: APPLIVERY_BASE_URL "example\.com" is not an absolute URL/,
    ],
    [
      "APPLIVERY_API_KEY with its Bearer prefix",
      { APPLIVERY_API_KEY: "Bearer abcdef0123456789", APPLIVERY_BASE_URL: "http://127.0.0.1:9" },
      /^bulk-tasks: ConfigurationError: The API key \(from APPLIVERY_API_KEY\) starts with "Bearer "/,
    ],
    [
      "a malformed SOURCE_DATE_EPOCH (the reproducible-builds convention: an error, not ignored)",
      { SOURCE_DATE_EPOCH: "1793525400000" },
      /^bulk-tasks: SOURCE_DATE_EPOCH must be whole seconds since the epoch/,
    ],
  ])("%s", async (_, env, pattern) => {
    const args = "SOURCE_DATE_EPOCH" in env ? ["list", "lab", "--local"] : ["list", "lab"];
    const run = await runCli(args, env);
    expect(run.code).toBe(2);
    expectOneErrorLine(run, pattern);
  });
});

describe("an HTML page in place of the API", () => {
  it("is told as such, with where to look", async () => {
    local.api.inject({ kind: "html", status: 502 });
    const run = await runCli(["list", "lab", "--retries", "0", ...target(local.api)]);
    expect(run.code).toBe(1);
    expectOneErrorLine(
      run,
      /^bulk-tasks: ServerError: 502 an HTML page answered, not the API \(a proxy or a gateway\?\) for GET .*Something that is not the bulk tasks API answered with an HTML page: check --base-url \/ APPLIVERY_BASE_URL, or try again later\.$/,
    );
  });
});

describe("bulk-tasks help", () => {
  it.each([
    [["help"], /^Usage/m],
    [["help", "list"], /^bulk-tasks list <organizationId>/],
  ])("%j prints the help, as git and gh do", async (args, pattern) => {
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(pattern);
  });
});
