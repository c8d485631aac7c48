import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  ConfigurationError,
  createBulkTasksClient,
  createBulkTasksCore,
  getBulkTask,
  InvalidRequestError,
  type ListBulkTasksSort,
  listBulkTasks,
  type RetryEvent,
  waitForBulkTask,
} from "../src/index.js";
import type { Fault } from "../src/testing/index.js";
import { API_KEY, FAST_RETRIES, useLocalApi } from "./support.js";

// The key must show only in the Authorization header. Every error class the client can throw is
// produced here, and every way of printing it is searched for the key.
const local = useLocalApi();

const everything = (value: unknown): string =>
  [
    String(value),
    value instanceof Error ? (value.stack ?? "") : "",
    value instanceof Error && value.cause ? inspect(value.cause, { depth: 10 }) : "",
    JSON.stringify(value) ?? "",
    inspect(value, { depth: 10, showHidden: true }),
  ].join("\n");

describe("the API key never leaks", () => {
  const retries: RetryEvent[] = [];
  const client = () =>
    createBulkTasksClient({
      apiKey: API_KEY,
      baseUrl: local.api.url,
      retryDelays: FAST_RETRIES,
      timeoutMs: 50,
      onRetry: (event) => retries.push(event),
    });

  it.each<
    [string, { fault?: Fault; organizationId?: string; query?: object; baseUrl?: string; apiKey?: string }]
  >([
    ["401 (wrong key)", { apiKey: `${API_KEY}-wrong` }],
    ["404", { organizationId: "no-such-org" }],
    ["429", { fault: { kind: "rate-limit", retryAfter: 3600 } }],
    ["500", { fault: { kind: "status", status: 500 } }],
    ["HTML 502", { fault: { kind: "html" } }],
    ["a dropped connection", { fault: { kind: "drop" } }],
    ["a timeout", { fault: { kind: "stall" } }],
    ["truncated JSON", { fault: { kind: "truncate" } }],
    ["an invalid parameter", { query: { limit: 0 } }],
    ["a refused connection", { baseUrl: "http://127.0.0.1:9" }],
  ])("in the error for %s, its stack, toJSON, inspect, cause and the retry log", async (_, given) => {
    // Every attempt meets the fault (1 + 2 retries), but a Retry-After over the cap is not retried.
    if (given.fault) local.api.inject(given.fault, given.fault.kind === "rate-limit" ? 1 : 3);
    const key = given.apiKey ?? API_KEY;
    const log = vi.spyOn(console, "log");
    const warn = vi.spyOn(console, "warn");
    const error = await createBulkTasksClient({
      apiKey: key,
      baseUrl: given.baseUrl ?? local.api.url,
      retryDelays: FAST_RETRIES,
      timeoutMs: 50,
      onRetry: (event) => retries.push(event),
    })
      .bulkTasks.list(given.organizationId ?? "lab", given.query ?? {})
      .then(
        () => expect.unreachable("the call should have failed"),
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(Error);
    expect(everything(error)).not.toContain(API_KEY);
    expect(everything(retries)).not.toContain(API_KEY);
    expect([...log.mock.calls, ...warn.mock.calls].flat().join(" ")).not.toContain(API_KEY);
    vi.restoreAllMocks();
  });

  it("in the client object", () => {
    expect(everything(client())).not.toContain(API_KEY);
  });

  it("in what the local API keeps of requests", async () => {
    await client().bulkTasks.list("lab");
    expect(everything(local.api.requests)).not.toContain(API_KEY);
  });
});

describe("a key that the server echoes back", () => {
  // Some error pages quote the request: a proxy's debug page, a 401 saying which token it refused.
  // Whatever the client keeps of such a response in an error has the key taken out.
  const echoing = (status: number, contentType: string, body: (key: string) => string) =>
    createBulkTasksClient({
      apiKey: API_KEY,
      baseUrl: local.api.url,
      maxRetries: 0,
      fetch: async (request) => {
        const key = request.headers.get("authorization")?.replace("Bearer ", "") ?? "";
        return new Response(body(key), {
          status,
          headers: {
            "content-type": contentType,
            "x-debug-authorization": `Bearer ${key}`,
            [`x-${key}`]: "1",
          },
        });
      },
    });

  it.each([
    [
      "a 401 naming the token",
      401,
      "application/json",
      (key: string) =>
        JSON.stringify({ status: false, error: { code: 4004, message: `Invalid token ${key}` } }),
    ],
    [
      "a 500 quoting the request",
      500,
      "application/json",
      (key: string) =>
        JSON.stringify({
          status: false,
          error: { code: 5000, message: "boom", request: { headers: { authorization: `Bearer ${key}` } } },
        }),
    ],
    [
      "a proxy's HTML page quoting the request",
      200,
      "text/html",
      (key: string) => `<html><pre>GET /bulk-tasks\nAuthorization: Bearer ${key}</pre></html>`,
    ],
    [
      "JSON that is not, starting with the key",
      200,
      "application/json",
      (key: string) => `${key} was refused`,
    ],
    [
      "truncated JSON quoting the request",
      200,
      "application/json",
      (key: string) => `{"status":true,"data":{"items":[],"debug":"Bearer ${key}`,
    ],
  ])("%s", async (_, status, contentType, body) => {
    const error = await echoing(status, contentType, body)
      .bulkTasks.list("lab")
      .then(
        () => expect.unreachable("the call should have failed"),
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(Error);
    expect(everything(error)).not.toContain(API_KEY);
    // Nor a piece of it: the parser's error quotes ten characters or so of the text.
    expect(everything(error)).not.toContain(API_KEY.slice(0, 9));
    // What was said stays readable, with the key replaced.
    expect(everything(error)).toContain("[redacted]");
  });
});

/** The option a refusal's message names first: `Invalid token: ...` → token, `baseUrl ...` → baseUrl. */
function optionNamedBy(message: RegExp): string | undefined {
  return /^\^(?:Invalid )?(\w+)/.exec(message.source)?.[1];
}

describe("a key put in the wrong place", () => {
  // Mistakes a newcomer makes with a key in a variable: each is refused, naming what is wrong,
  // and nothing prints the key. A long prefix puts the key across the cut of a quoted value.
  const long = "x".repeat(70);
  const thrown = (create: () => unknown): unknown => {
    try {
      create();
    } catch (error) {
      return error;
    }
    return expect.unreachable("it should have thrown");
  };

  it.each<[string, () => unknown, RegExp]>([
    [
      "the key as the options",
      () => createBulkTasksCore(API_KEY as never),
      /^Invalid options: a string \(not shown\) is not a plain object/,
    ],
    [
      "the key under a misspelt name",
      () => createBulkTasksClient({ apikey: API_KEY } as never),
      /^Invalid apikey: a string \(not shown\) is not a known option \(apiKey, /,
    ],
    [
      "the key twice, once misspelt",
      () => createBulkTasksCore({ apiKey: API_KEY, token: API_KEY } as never),
      /^Invalid token: a string \(not shown\)/,
    ],
    [
      "the key as the base URL",
      () => createBulkTasksCore({ apiKey: API_KEY, baseUrl: API_KEY }),
      /^baseUrl "\[redacted\]" is not an absolute URL/,
    ],
    [
      "a key with a colon as the base URL",
      () => createBulkTasksCore({ apiKey: "sk:0123456789abcdef", baseUrl: "sk:0123456789abcdef" }),
      /^baseUrl must use https \(or http on loopback\); the one given uses another scheme\.$/,
    ],
    [
      "the key after a long base URL",
      () => createBulkTasksCore({ apiKey: API_KEY, baseUrl: `https://${long}/${API_KEY}?` }),
      /^baseUrl must have no/,
    ],
    [
      "the key as a time limit",
      () => createBulkTasksClient({ apiKey: API_KEY, timeoutMs: API_KEY as never }),
      /^Invalid timeoutMs: "\[redacted\]" is not a number/,
    ],
    [
      "the key after a long value",
      () => createBulkTasksClient({ apiKey: API_KEY, fetch: `${long}${API_KEY}` as never }),
      /^Invalid fetch: "x+/,
    ],
    [
      "the key as a header name",
      () => createBulkTasksCore({ apiKey: API_KEY, headers: { [`${API_KEY} x`]: "1" } }),
      /^headers: "\[redacted\] x" is not/,
    ],
    [
      "the key in the retry delays",
      () => createBulkTasksCore({ apiKey: API_KEY, retryDelays: { maxRetryDelayMs: API_KEY } as never }),
      /^Invalid maxRetryDelayMs: "\[redacted\]"/,
    ],
  ])("%s: a ConfigurationError that does not show it", (_, create, message) => {
    const error = thrown(create);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    // The option at fault, by name: what a program (the CLI) reads, rather than the message.
    expect((error as ConfigurationError).option).toBe(optionNamedBy(message));
    expect(everything(error)).not.toContain(API_KEY.slice(0, 9));
    expect(everything(error)).not.toContain("sk:");
  });

  const settled = (call: () => PromiseLike<unknown>): Promise<unknown> =>
    Promise.resolve()
      .then(call)
      .then(
        () => "no error",
        (error: unknown) => error,
      );

  it("the key as an argument or an option of a call: refused before sending, not shown", async () => {
    const core = createBulkTasksCore({ apiKey: API_KEY, baseUrl: local.api.url });
    // A key that looks like an id: a 24-hex-digit one passes the task id's rule.
    const hexKey = "0123456789abcdef0123abcd";
    const hexCore = createBulkTasksCore({ apiKey: hexKey, baseUrl: local.api.url });
    const sent = local.api.requests.length;
    const failures = await Promise.all(
      [
        // The key passes the organization's rule (a slug): refused as the key, not sent.
        () => listBulkTasks(core, API_KEY),
        () => getBulkTask(core, API_KEY, "0123456789abcdef01234567"),
        () => getBulkTask(hexCore, "lab", hexKey),
        () => waitForBulkTask(hexCore, "lab", hexKey, { timeoutMs: 1 }),
        () => listBulkTasks(core, "lab", { sort: API_KEY as ListBulkTasksSort }),
        () => listBulkTasks(core, "lab", { sort: `${long}${API_KEY}` as ListBulkTasksSort }),
        () => listBulkTasks(core, "lab", { token: API_KEY } as never),
        () => listBulkTasks(core, "lab", {}, { apiKey: API_KEY } as never),
        () => listBulkTasks(core, "lab", {}, { concurrency: API_KEY } as never),
        () => listBulkTasks(core, "lab", API_KEY as never),
        () => getBulkTask(core, "lab", API_KEY),
        () => getBulkTask(core, "lab", "0123456789abcdef01234567", API_KEY as never),
        () => waitForBulkTask(core, "lab", API_KEY),
        () => waitForBulkTask(core, "lab", "0123456789abcdef01234567", { apiKey: API_KEY } as never),
        () => waitForBulkTask(core, "lab", "0123456789abcdef01234567", { onProgress: API_KEY } as never),
        // Objects and arrays holding the key, where a string or a number goes.
        () => listBulkTasks(core, { apiKey: API_KEY } as never),
        () => getBulkTask(core, { apiKey: API_KEY } as never, "0123456789abcdef01234567"),
        () => listBulkTasks(core, "lab", { status: [API_KEY] } as never),
        () => listBulkTasks(core, "lab", {}, { timeoutMs: [API_KEY] } as never),
        () => getBulkTask(core, "lab", "0123456789abcdef01234567", { signal: { reason: API_KEY } } as never),
      ].map(settled),
    );
    for (const [index, error] of failures.entries()) {
      expect(error, `call ${index}`).toBeInstanceOf(InvalidRequestError);
      expect(everything(error), `call ${index}`).not.toContain(API_KEY.slice(0, 9));
      expect(everything(error), `call ${index}`).not.toContain(hexKey.slice(0, 9));
    }
    expect((failures[0] as InvalidRequestError).message).toBe(
      "Invalid organizationId: a string (not shown) is not a value without the API key in it. The request was not sent.",
    );
    expect(local.api.requests.length).toBe(sent);
  });

  it("the key as a name (an option's, a query parameter's): refused, the name redacted, nothing sent", async () => {
    const core = createBulkTasksCore({ apiKey: API_KEY, baseUrl: local.api.url });
    const sent = local.api.requests.length;
    const named = { [API_KEY]: 1, [`x-${API_KEY}`]: { nested: API_KEY } };
    const creations = [
      () => createBulkTasksClient({ apiKey: API_KEY, baseUrl: local.api.url, ...named } as never),
      // The key from the environment: known as the key, though not among the options.
      () => {
        vi.stubEnv("APPLIVERY_API_KEY", API_KEY);
        try {
          return createBulkTasksCore({ baseUrl: local.api.url, ...named } as never);
        } finally {
          vi.unstubAllEnvs();
        }
      },
      () => createBulkTasksCore({ apiKey: API_KEY, retryDelays: named } as never),
    ].map(thrown);
    const calls = await Promise.all(
      [
        () => listBulkTasks(core, "lab", named as never),
        () => listBulkTasks(core, "lab", {}, named as never),
        () => getBulkTask(core, "lab", "0123456789abcdef01234567", named as never),
        () => waitForBulkTask(core, "lab", "0123456789abcdef01234567", named as never),
      ].map(settled),
    );
    for (const [index, error] of [...creations, ...calls].entries()) {
      expect(error, `case ${index}`).toBeInstanceOf(
        index < creations.length ? ConfigurationError : InvalidRequestError,
      );
      expect((error as Error).message, `case ${index}`).toMatch(
        /^Invalid ((x-)?\[redacted\]|\[a name not shown: it may be a key\]): /,
      );
      expect(everything(error), `case ${index}`).not.toContain(API_KEY.slice(0, 9));
    }
    expect(local.api.requests.length).toBe(sent);
  });

  it("a name that may be a key, when the client does not know the key: not shown", () => {
    // No apiKey and no APPLIVERY_API_KEY: the key cannot be redacted, so a name like one is hidden.
    const error = thrown(() => createBulkTasksClient({ [API_KEY]: 1 } as never));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(
      /^Invalid \[a name not shown: it may be a key\]: 1 is not a known option/,
    );
    expect(everything(error)).not.toContain(API_KEY.slice(0, 9));
    // Short words stay readable: a misspelt option is named.
    expect(() => createBulkTasksClient({ apikey: 1 } as never)).toThrow(
      /^Invalid apikey: 1 is not a known option/,
    );
  });

  it('allowInsecureHttp must be a boolean: a string "false" would send the key in clear', () => {
    for (const allowInsecureHttp of ["false", "no", 1]) {
      const error = thrown(() =>
        createBulkTasksCore({ apiKey: API_KEY, baseUrl: "http://example.com", allowInsecureHttp } as never),
      );
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe("allowInsecureHttp");
      expect((error as Error).message).toMatch(/is not a boolean\.$/);
    }
  });

  it("the key in the base URL's path: refused when the client is made, not sent", async () => {
    const sent = local.api.requests.length;
    for (const baseUrl of [
      `${local.api.url}/${API_KEY}`,
      `${local.api.url}/gateway/${encodeURIComponent(API_KEY)}/`,
    ]) {
      const error = thrown(() => createBulkTasksCore({ apiKey: API_KEY, baseUrl }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe("baseUrl");
      expect((error as Error).message).toMatch(/^baseUrl holds the API key \(it is not shown here\)/);
      expect(everything(error)).not.toContain(API_KEY.slice(0, 9));
    }
    vi.stubEnv("APPLIVERY_BASE_URL", `${local.api.url}/${API_KEY}`);
    try {
      expect(thrown(() => createBulkTasksClient({ apiKey: API_KEY }))).toBeInstanceOf(ConfigurationError);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(local.api.requests.length).toBe(sent);
  });

  it("the key in a path of the raw client: the URL its hooks and errors show is redacted", async () => {
    const urls: string[] = [];
    const client = createBulkTasksClient({
      apiKey: API_KEY,
      baseUrl: local.api.url,
      retryDelays: FAST_RETRIES,
      onRetry: ({ url }) => {
        urls.push(url);
      },
    });
    local.api.inject({ kind: "status", status: 503 });
    // The raw client checks no input: the key is sent, as asked, and shown nowhere.
    await client.raw.GET("/v1/organizations/{organizationId}/bulk-tasks", {
      params: { path: { organizationId: API_KEY } },
    });
    expect(urls).toEqual([`${local.api.url}/v1/organizations/[redacted]/bulk-tasks`]);
  });
});

describe("a malformed key", () => {
  it.each([
    ["with a space inside", "abc def-0123456789"],
    ["with a line break inside", "abc\ndef-0123456789"],
    ["with a character outside ASCII", "abcdéf-0123456789"],
    ["not a string", 1234567890123],
    ["only spaces", "   "],
  ])("%s is refused when the client is created, without showing it", (_, apiKey) => {
    let error: unknown;
    try {
      createBulkTasksClient({ apiKey: apiKey as string, baseUrl: local.api.url });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    // Only whitespace is an empty key once trimmed, and said so.
    expect((error as Error).message).toMatch(/visible ASCII|is empty, or only whitespace/);
    expect(everything(error)).not.toContain("0123456789");
  });

  it("read with a newline at the end is sent trimmed, and redacted trimmed", async () => {
    const client = createBulkTasksClient({ apiKey: `${API_KEY}\n`, baseUrl: local.api.url });
    await client.bulkTasks.list("lab");
    expect(local.api.requests.at(-1)?.credentials).toBe("valid");
    const echoing = createBulkTasksClient({
      apiKey: `  ${API_KEY}\r\n`,
      baseUrl: local.api.url,
      fetch: async (request) =>
        Response.json(
          {
            status: false,
            error: { code: 4004, message: `Invalid token ${request.headers.get("authorization")}` },
          },
          { status: 401 },
        ),
    });
    const error = await echoing.bulkTasks.list("lab").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(everything(error)).not.toContain(API_KEY);
    expect((error as Error).message).toBe(
      "401 Invalid token Bearer [redacted] (code 4004) for GET /v1/organizations/lab/bulk-tasks",
    );
  });
});

describe("plain http", () => {
  it("is refused off loopback, saying why", () => {
    expect(() => createBulkTasksClient({ apiKey: API_KEY, baseUrl: "http://api.applivery.io" })).toThrow(
      /in clear/,
    );
  });
});
