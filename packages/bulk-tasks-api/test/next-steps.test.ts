import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { closestName, editDistance } from "../src/core/suggest.js";
import {
  type ApiError,
  ConfigurationError,
  createBulkTasksClient,
  InvalidRequestError,
  type ListBulkTasksQuery,
  ServerError,
} from "../src/index.js";
import { generateBulkTasks, startLocalApi, vendorError } from "../src/testing/index.js";
import { createLocalApiHandlers } from "../src/testing/msw.js";
import { API_KEY, failure, localClient, useLocalApi } from "./support.js";

// What a refusal or a failure tells the caller to do next: the page that failed, the option that
// was probably meant, the rule in words; and the local API's errors in the vendor's own codes.
const local = useLocalApi({ organizations: { lab: generateBulkTasks(30), empty: [] }, defaultLimit: 10 });

describe("a failed request's message", () => {
  it("names the page that failed, so that a walk can be resumed from it", async () => {
    // Page 2 answers 503 (after the client's retries); page 1 is served.
    local.api.reset();
    const client = localClient(local.api, { maxRetries: 0 });
    const pages: number[] = [];
    const walk = (async () => {
      for await (const page of client.bulkTasks.list("lab", { limit: 10 }).pages()) {
        pages.push(page.page);
        if (page.page === 1) local.api.inject({ kind: "status", status: 503 }, 5);
      }
    })();
    const error = await failure(walk);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toMatch(
      /^503 Server error \(code 3002\) for GET \/v1\/organizations\/lab\/bulk-tasks\?(?=.*page=2)(?=.*limit=10)/,
    );
    expect(pages).toEqual([1]);
  });

  it("keeps the query of every request, whatever the parameters", async () => {
    const client = localClient(local.api, { maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            page: fc.integer({ min: 1, max: 50 }),
            limit: fc.integer({ min: 1, max: 500 }),
            status: fc.constantFrom("pending", "failed", "completed"),
          },
          { requiredKeys: [] },
        ),
        async (query) => {
          local.api.inject({ kind: "status", status: 404 });
          const error = (await failure(client.bulkTasks.list("lab", query))) as ApiError;
          for (const [name, value] of Object.entries(query))
            expect(error.message).toContain(`${name}=${value}`);
        },
      ),
      { seed: 20, numRuns: 25 },
    );
  });
});

describe("did you mean", () => {
  it.each<[string, () => unknown, { suggestion: string; message: RegExp }]>([
    [
      "a misspelt client option",
      () => createBulkTasksClient({ apiKey: API_KEY, timoutMs: 5 } as never),
      { suggestion: "timeoutMs", message: /Invalid timoutMs: .* Did you mean "timeoutMs"\?/ },
    ],
    [
      "a client option in the wrong case",
      () => createBulkTasksClient({ apiKey: API_KEY, maxretries: 1 } as never),
      { suggestion: "maxRetries", message: /Did you mean "maxRetries"\?/ },
    ],
    [
      "a misspelt call option",
      () => localClient(local.api).bulkTasks.list("lab", {}, { singal: undefined } as never),
      {
        suggestion: "signal",
        message: /Invalid singal: .*Did you mean "signal"\? The request was not sent\.$/,
      },
    ],
    [
      "a misspelt query key",
      () => localClient(local.api).bulkTasks.list("lab", { stauts: "failed" } as never),
      { suggestion: "status", message: /Did you mean "status"\?/ },
    ],
    [
      "a value next to one of an enum",
      () => localClient(local.api).bulkTasks.list("lab", { status: "complete" as never }),
      {
        suggestion: "completed",
        message: /Invalid status: "complete" is not one of .* Did you mean "completed"\?/,
      },
    ],
  ])("for %s", async (_, call, want) => {
    local.api.reset();
    const error = await failure(Promise.resolve().then(call));
    if (error instanceof InvalidRequestError) expect(error.suggestion).toBe(want.suggestion);
    else expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(want.message);
    expect(local.api.requests).toEqual([]);
  });

  it("suggests nothing for a name far from every known one", async () => {
    const error = await failure(localClient(local.api).bulkTasks.list("lab", { owner: "me" } as never));
    expect(error).toMatchObject({ parameter: "owner", suggestion: undefined });
    expect((error as Error).message).not.toContain("Did you mean");
  });

  it("finds a known name from any one slip of the keyboard (a property over names and edits)", () => {
    const known = ["maxRetries", "timeoutMs", "maxResponseBytes", "maxRateLimitWaitMs", "signal"] as const;
    const slip = fc.tuple(
      fc.constantFrom(...known),
      fc.nat(),
      fc.constantFrom("drop", "swap", "double", "case"),
    );
    fc.assert(
      fc.property(slip, ([name, at, kind]) => {
        const i = at % (name.length - 1);
        const typed =
          kind === "drop"
            ? name.slice(0, i) + name.slice(i + 1)
            : kind === "swap"
              ? name.slice(0, i) + name.charAt(i + 1) + name.charAt(i) + name.slice(i + 2)
              : kind === "double"
                ? name.slice(0, i) + name.charAt(i) + name.slice(i)
                : name.toLowerCase();
        if (typed === name) return;
        expect(closestName(typed, known)).toBe(name);
        expect(editDistance(typed.toLowerCase(), name.toLowerCase())).toBeLessThanOrEqual(1);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("does not compare a long string (a key put where a name goes is no slip)", () => {
    expect(closestName(`timeoutMs${"x".repeat(60)}`, ["timeoutMs"])).toBeUndefined();
  });
});

describe("a rule said in words", () => {
  it("keeps the spec's pattern in the error's pattern field, for programs", async () => {
    const error = await failure(localClient(local.api).bulkTasks.get("lab", "not-an-id"));
    expect(error).toMatchObject({
      parameter: "bulkTaskId",
      rule: "a task id of 24 hex digits (0-9, a-f), such as 65a1f0c2e4b0a1b2c3d4e5f6",
      pattern: "^[a-fA-F0-9]{24}$",
    });
    expect((error as Error).message).not.toMatch(/[[\]{}^$]/);
  });

  it("leaves pattern undefined for a rule that is not one", async () => {
    const error = await failure(localClient(local.api).bulkTasks.list("lab", { limit: 0 }));
    expect(error).toMatchObject({ parameter: "limit", rule: "an integer >= 1", pattern: undefined });
  });

  it("types sort from the spec's fields and directions", () => {
    const sorts: ListBulkTasksQuery["sort"][] = ["createdAt", "createdAt:desc", "report.numErrors:asc"];
    // @ts-expect-error: a misspelt direction does not compile
    const misspelt: ListBulkTasksQuery["sort"] = "createdAt:dsc";
    expect([...sorts, misspelt]).toHaveLength(4);
  });
});

describe("the local API's errors speak the vendor's codes", () => {
  it.each<[string, number, { code: number; message: string }]>([
    ["400: a validation error", 400, { code: 3000, message: "Validation error" }],
    ["401: an invalid token", 401, { code: 4004, message: "Invalid Token" }],
    ["403: no permission", 403, { code: 4003, message: "Forbidden" }],
    ["404: no such entity", 404, { code: 3001, message: "Entity not found" }],
    ["409: a conflict", 409, { code: 5001, message: "Conflict" }],
    ["500: a database error", 500, { code: 3002, message: "Database error" }],
    ["another 4xx: a request error", 418, { code: 3000, message: "Request error" }],
    ["another 5xx: a server error", 504, { code: 3002, message: "Server error" }],
  ])("an injected %s", async (_, status, want) => {
    expect(vendorError(status)).toEqual(want);
    local.api.inject({ kind: "status", status });
    const error = (await failure(
      localClient(local.api, { maxRetries: 0 }).bulkTasks.list("lab"),
    )) as ApiError;
    expect(error).toMatchObject({ status, code: want.code, body: { status: false, error: want } });
  });

  it("takes a code and a message of the test's own, per fault", async () => {
    local.api.inject({ kind: "status", status: 401, code: 4005, message: "Token expired" });
    local.api.inject({ kind: "rate-limit", retryAfter: 0, code: 4291 });
    const client = localClient(local.api, { maxRetries: 0 });
    expect(await failure(client.bulkTasks.list("lab"))).toMatchObject({ status: 401, code: 4005 });
    expect((await failure(client.bulkTasks.list("lab"))) as ApiError).toMatchObject({
      status: 429,
      code: 4291,
      body: { error: { message: "Too many requests" } },
    });
  });

  it("refuses a body given with a code or a message (the body replaces the envelope)", () => {
    expect(() => local.api.inject({ kind: "status", status: 500, body: "{}", code: 1 })).toThrow(
      /give body, or code and message, not both/,
    );
  });

  it("answers a missing and an unknown key with 4002 and 4004, and an unknown task with 3001", async () => {
    const plain = (authorization?: string) =>
      fetch(`${local.api.url}/v1/organizations/lab/bulk-tasks/0123456789abcdef01234567`, {
        headers: authorization ? { authorization } : {},
      }).then(async (response) => [
        response.status,
        ((await response.json()) as { error: { code: number } }).error.code,
      ]);
    expect(await plain()).toEqual([401, 4002]);
    expect(await plain("Bearer another")).toEqual([401, 4004]);
    expect(await plain(`Bearer ${API_KEY}`)).toEqual([404, 3001]);
  });
});

describe("the msw entry on a runtime msw 3 cannot run on", () => {
  it("says which Node.js it needs and what to use instead, before any request", () => {
    // Node.js 20 has no Promise.withResolvers; taken away here, so that every Node.js runs this.
    const promise = Promise as { withResolvers?: unknown };
    const saved = promise.withResolvers;
    promise.withResolvers = undefined;
    try {
      expect(() => createLocalApiHandlers()).toThrow(
        /^@org\/bulk-tasks-api\/testing\/msw needs msw 3, which needs Node\.js 22\.12 or later .*; this is Node\.js \d+\.\d+\.\d+\. On Node\.js 20, start the same local API on 127\.0\.0\.1 instead: startLocalApi\(\)/,
      );
    } finally {
      if (saved === undefined) delete promise.withResolvers;
      else promise.withResolvers = saved;
    }
  });
});

describe("the testing helpers check their options, as inject() checks a fault", () => {
  it.each<[string, () => unknown, RegExp]>([
    [
      "a misspelt option of startLocalApi",
      () => startLocalApi({ organisations: {} } as never),
      /^startLocalApi: unknown option "organisations" \(did you mean organizations\?\); the options are /,
    ],
    [
      "a key list that is not one",
      () => startLocalApi({ apiKeys: "k" } as never),
      /apiKeys must be an array of strings/,
    ],
    [
      "a negative latency",
      () => startLocalApi({ latencyMs: -1 }),
      /latencyMs must be a number from 0 to 2147483647, or a function/,
    ],
    ["a port out of range", () => startLocalApi({ port: 70000 }), /port must be an integer from 0 to 65535/],
    [
      "a misspelt option of the msw handlers",
      () => createLocalApiHandlers({ baseURL: "https://x" } as never),
      /^createLocalApiHandlers: unknown option "baseURL" \(did you mean baseUrl\?\)/,
    ],
  ])("refuses %s", async (_, call, message) => {
    const error = await failure(Promise.resolve().then(call));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });

  it.each<[string, object, RegExp]>([
    ["a misspelt option", { outcom: "failed" }, /unknown option "outcom" \(did you mean outcome\?\)/],
    ["an outcome it does not have", { outcome: "fail" }, /outcome must be one of "completed", "failed"/],
    ["a duration of 0", { durationMs: 0 }, /durationMs must be a number from 1/],
    ["rows that are not a count", { rows: 2.5 }, /rows must be an integer from 1/],
  ])("refuses a task started with %s", (_, options, message) => {
    expect(() => local.api.startTask("lab", options as never)).toThrow(message);
  });

  it("refuses a second task of a seed already started (two tasks of one id)", () => {
    local.api.reset();
    const first = local.api.startTask("lab", { seed: 9 });
    expect(() => local.api.startTask("lab", { seed: 9 })).toThrow(
      `startTask: the task of seed 9 (${first.id}) is already started: give another seed, leave it out for a free one, or reset() first.`,
    );
    local.api.reset();
    expect(local.api.startTask("lab", { seed: 9 }).id).toBe(first.id);
    local.api.reset();
  });
});

describe("settings the client read from the environment are named as such", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each<[string, Record<string, string>, object, RegExp]>([
    [
      "a base URL",
      { APPLIVERY_BASE_URL: "example.com" },
      { apiKey: API_KEY },
      /^APPLIVERY_BASE_URL "example\.com" is not an absolute URL/,
    ],
    [
      "a key with its Bearer prefix",
      { APPLIVERY_API_KEY: "Bearer abcdef0123" },
      {},
      /^The API key \(from APPLIVERY_API_KEY\) starts with "Bearer "/,
    ],
    [
      "a key of whitespace only",
      { APPLIVERY_API_KEY: "   " },
      {},
      /^The API key \(from APPLIVERY_API_KEY\) is empty, or only whitespace\.$/,
    ],
    [
      "the option's own base URL",
      { APPLIVERY_BASE_URL: "https://ok.example" },
      { apiKey: API_KEY, baseUrl: "nope" },
      /^baseUrl "nope" is not an absolute URL/,
    ],
  ])("%s", (_, env, options, message) => {
    Object.assign(process.env, env);
    expect(() => createBulkTasksClient(options)).toThrow(message);
  });

  it("finds the option another client calls by another name (retries, url, token)", () => {
    for (const [given, meant] of [
      ["retries", "maxRetries"],
      ["url", "baseUrl"],
      ["token", "apiKey"],
      ["timeout", "timeoutMs"],
    ]) {
      expect(() => createBulkTasksClient({ apiKey: API_KEY, [given as string]: 1 } as never)).toThrow(
        `Did you mean "${meant}"?`,
      );
    }
  });
});

describe("an HTML page in place of the API's error", () => {
  it("says so in the message", async () => {
    local.api.inject({ kind: "html", status: 503 });
    const error = await failure(localClient(local.api, { maxRetries: 0 }).bulkTasks.list("lab"));
    expect((error as Error).message).toMatch(
      /^503 an HTML page answered, not the API \(a proxy or a gateway\?\) for GET /,
    );
  });
});
