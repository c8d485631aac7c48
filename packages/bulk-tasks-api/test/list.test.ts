import { describe, expect, it } from "vitest";
import {
  type ApiError,
  AuthenticationError,
  type BulkTaskPage,
  ConfigurationError,
  ConnectionError,
  createBulkTasksClient,
  NotFoundError,
  ServerError,
  UnexpectedResponseError,
} from "../src/index.js";
import { API_KEY, constructedRecording, failure, useRecordings } from "./support.js";

const odd = (organizationId: string, response: Parameters<typeof constructedRecording>[1]) =>
  constructedRecording(`/v1/organizations/${organizationId}/bulk-tasks`, response);

// A page as the real API sends it: the documentation page's own example says page 0 of 0.
const validPage: BulkTaskPage = {
  items: [
    {
      id: "64b7f0c2a1b2c3d4e5f60718",
      status: "failed",
      action: "import-mdm-users",
      createdAt: "2026-10-01T09:30:00.000Z",
      updatedAt: "2026-10-01T09:31:12.000Z",
      error: "3 rows could not be imported",
      report: { numItems: 3, numInserts: 0, numUpdates: 0, numSkips: 0, numErrors: 3 },
    },
  ],
  totalDocs: 1,
  limit: 10,
  page: 1,
  totalPages: 1,
  pagingCounter: 1,
  hasPrevPage: false,
  hasNextPage: false,
  prevPage: null,
  nextPage: null,
};

const recorded = useRecordings([
  odd("real", {
    status: 200,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify({ status: true, data: validPage }),
  }),
  odd("html-proxy", {
    status: 200,
    contentType: "text/html",
    body: "<html><body>Sign in to the proxy</body></html>",
  }),
  odd("truncated", {
    status: 200,
    contentType: "application/json",
    body: '{"status":true,"data":{"items":[{"id"',
  }),
  odd("empty", { status: 200, contentType: "application/json", body: "" }),
  odd("not-a-page", { status: 200, contentType: "application/json", body: '{"status":true,"data":[]}' }),
  odd("bad-gateway", { status: 502, contentType: "text/html", body: "<html>502 Bad Gateway</html>" }),
]);

const client = (options: Parameters<typeof createBulkTasksClient>[0] = {}) =>
  createBulkTasksClient({ apiKey: API_KEY, baseUrl: recorded.api.url, ...options });

describe("bulkTasks.list against the recorded responses", () => {
  it("resolves to the page of a 200, typed", async () => {
    const page: BulkTaskPage = await client().bulkTasks.list("real");
    expect(page).toEqual(validPage);
  });

  it("refuses the documentation page's example 200: its page 0 is not a page number", async () => {
    const error = await failure(client().bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toBe(
      "The response is not the envelope the spec promises: data.page is not 1, the page asked for (GET /v1/organizations/lab/bulk-tasks)",
    );
    expect((error as UnexpectedResponseError).body).toMatchObject({ data: { page: 0, totalPages: 0 } });
  });

  it("sends the key as a bearer token", async () => {
    await client().bulkTasks.list("real");
    // "valid": the server received exactly `Authorization: Bearer <the key>`.
    expect(recorded.api.requests.at(-1)?.credentials).toBe("valid");
  });

  it("serialises the query as the server receives it", async () => {
    // The recording answers every query with the docs page's example, which says page 0: the client
    // refuses it as not the page asked for. What counts here is what reached the server.
    const answer = client().bulkTasks.list("lab", {
      page: 2,
      limit: 10,
      sort: "createdAt:desc",
      status: "failed",
      action: "import-mdm-users",
    });
    await expect(answer).rejects.toThrow(/data.page is not 2, the page asked for/);
    const url = new URL(recorded.api.requests.at(-1)?.url ?? "", "http://x");
    expect(url.pathname).toBe("/v1/organizations/lab/bulk-tasks");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      page: "2",
      limit: "10",
      sort: "createdAt:desc",
      status: "failed",
      action: "import-mdm-users",
    });
  });

  it("sends no query string when there is no query", async () => {
    await client().bulkTasks.list("real");
    expect(recorded.api.requests.at(-1)?.url).toBe("/v1/organizations/real/bulk-tasks");
  });

  it.each<
    [
      string,
      {
        organizationId: string;
        options?: Parameters<typeof client>[0];
        want: { type: typeof ApiError; status: number; code: number; message: string };
      },
    ]
  >([
    [
      "401 without a token (4002)",
      {
        organizationId: "lab",
        // A proxy that strips the Authorization header.
        options: {
          fetch: (request: Request) => {
            const stripped = new Request(request);
            stripped.headers.delete("authorization");
            return fetch(stripped);
          },
        },
        want: {
          type: AuthenticationError,
          status: 401,
          code: 4002,
          message: "401 No auth token (code 4002) for GET /v1/organizations/lab/bulk-tasks",
        },
      },
    ],
    [
      "401 with a wrong token (4004)",
      {
        organizationId: "lab",
        options: { apiKey: "wrong-key" },
        want: {
          type: AuthenticationError,
          status: 401,
          code: 4004,
          message: "401 Invalid Token (code 4004) for GET /v1/organizations/lab/bulk-tasks",
        },
      },
    ],
    [
      "404 for an unknown organization (3001)",
      {
        organizationId: "no-such-org",
        want: {
          type: NotFoundError,
          status: 404,
          code: 3001,
          message: "404 Entity not found (code 3001) for GET /v1/organizations/no-such-org/bulk-tasks",
        },
      },
    ],
  ])("maps %s to its class with the vendor's code", async (_, { organizationId, options, want }) => {
    const error = await failure(client(options).bulkTasks.list(organizationId));
    expect(error).toBeInstanceOf(want.type);
    expect(error).toMatchObject({ status: want.status, code: want.code, message: want.message });
    expect((error as ApiError).body).toEqual({
      status: false,
      error: { code: want.code, message: expect.any(String) },
    });
    expect((error as ApiError).headers["content-type"]).toBe("application/json");
  });

  it("maps an HTML 502 to ServerError, keeping the text", async () => {
    const error = await failure(client({ maxRetries: 0 }).bulkTasks.list("bad-gateway"));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 502, code: undefined, body: "<html>502 Bad Gateway</html>" });
  });

  it.each([
    ["HTML from a proxy", "html-proxy", /Expected an application\/json response, got "text\/html"/],
    ["truncated JSON", "truncated", /not valid JSON/],
    ["an empty 200", "empty", /empty body/],
    ["a body of the wrong shape", "not-a-page", /not the envelope the spec promises/],
  ])("turns %s into UnexpectedResponseError", async (_, organizationId, message) => {
    const error = await failure(client().bulkTasks.list(organizationId));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toMatch(message);
    expect(error).toMatchObject({ status: 200 });
  });

  it("wraps a refused connection in ConnectionError, with the cause", async () => {
    const error = await failure(
      client({ baseUrl: "http://127.0.0.1:9", maxRetries: 0 }).bulkTasks.list("lab"),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).cause).toBeInstanceOf(Error);
  });

  it("rejects with the caller's own abort reason", async () => {
    const controller = new AbortController();
    const reason = new Error("the caller gave up");
    controller.abort(reason);
    await expect(client().bulkTasks.list("lab", {}, { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("the headers option", () => {
  it("adds its headers to every request, and the key replaces an Authorization among them", async () => {
    const sent: Headers[] = [];
    const capturing = client({
      headers: { "x-team": "platform", Authorization: "Bearer not-the-key" },
      fetch: (request, init) => {
        sent.push(new Headers(request.headers));
        return fetch(request, init);
      },
    });
    await capturing.bulkTasks.list("real");
    await capturing.raw.GET("/v1/organizations/{organizationId}/bulk-tasks", {
      params: { path: { organizationId: "real" } },
    });
    expect(sent).toHaveLength(2);
    for (const headers of sent) {
      expect(headers.get("x-team")).toBe("platform");
      expect(headers.get("authorization")).toBe(`Bearer ${API_KEY}`);
    }
    expect(recorded.api.requests.at(-1)?.credentials).toBe("valid");
  });
});

describe("client.raw", () => {
  it("gives { data, error, response } with the key applied", async () => {
    const { data, error, response } = await client().raw.GET(
      "/v1/organizations/{organizationId}/bulk-tasks",
      {
        params: { path: { organizationId: "no-such-org" } },
      },
    );
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error?.error.code).toBe(3001);
    expect(recorded.api.requests.at(-1)?.credentials).toBe("valid");
  });
});

describe("createBulkTasksClient", () => {
  it("reads the key from APPLIVERY_API_KEY", async () => {
    const saved = process.env.APPLIVERY_API_KEY;
    process.env.APPLIVERY_API_KEY = API_KEY;
    try {
      await createBulkTasksClient({ baseUrl: recorded.api.url }).bulkTasks.list("real");
      expect(recorded.api.requests.at(-1)?.credentials).toBe("valid");
    } finally {
      if (saved === undefined) delete process.env.APPLIVERY_API_KEY;
      else process.env.APPLIVERY_API_KEY = saved;
    }
  });

  it("refuses to start without a key, saying where to put one", () => {
    const saved = process.env.APPLIVERY_API_KEY;
    delete process.env.APPLIVERY_API_KEY;
    try {
      expect(() => createBulkTasksClient()).toThrow(ConfigurationError);
      expect(() => createBulkTasksClient()).toThrow(/APPLIVERY_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.APPLIVERY_API_KEY = saved;
    }
  });

  it.each([
    [{ maxRetries: -1 }, "Invalid maxRetries: -1 is not an integer >= 0."],
    [{ maxRetries: 1.5 }, "Invalid maxRetries: 1.5 is not an integer >= 0."],
    [{ timeoutMs: 0 }, "Invalid timeoutMs: 0 is not a number > 0 and <= 2147483647."],
    // Longer than setTimeout keeps: every attempt would time out at once.
    [{ timeoutMs: 3e9 }, "Invalid timeoutMs: 3000000000 is not a number > 0 and <= 2147483647."],
    [{ timeoutMs: Number.NaN }, "Invalid timeoutMs: NaN is not a number > 0 and <= 2147483647."],
    [
      { retryDelays: { initialRetryDelayMs: -1 } },
      "Invalid initialRetryDelayMs: -1 is not a number >= 0 and <= 2147483647.",
    ],
    // A Retry-After that long would be honoured with no wait at all: a retry storm.
    [
      { retryDelays: { maxRetryAfterMs: Number.POSITIVE_INFINITY } },
      "Invalid maxRetryAfterMs: Infinity is not a number >= 0 and <= 2147483647.",
    ],
    [
      { retryDelays: { maxRetryDelayMs: "8000" as unknown as number } },
      'Invalid maxRetryDelayMs: "8000" is not a number >= 0 and <= 2147483647.',
    ],
    [{ concurrency: 0 }, "Invalid concurrency: 0 is not an integer >= 1."],
  ])("refuses the option %o", (option, message) => {
    // The error names the option at fault, as its message does.
    const named = /^Invalid (\w+):/.exec(message)?.[1];
    expect(() => createBulkTasksClient({ apiKey: API_KEY, ...option })).toThrow(
      new ConfigurationError(message, named),
    );
  });

  it("keeps a baseUrl's path prefix (an API gateway) in front of the operation's path", async () => {
    const urls: string[] = [];
    const client = createBulkTasksClient({
      apiKey: API_KEY,
      baseUrl: "https://gateway.example/applivery/",
      maxRetries: 0,
      fetch: async (request) => {
        urls.push(request.url);
        return new Response("{}", { status: 404, headers: { "content-type": "application/json" } });
      },
    });
    await client.bulkTasks.list("lab", { limit: 5 }).catch(() => {});
    expect(urls).toEqual(["https://gateway.example/applivery/v1/organizations/lab/bulk-tasks?limit=5"]);
  });

  it.each([
    ["plain http on a public host", "http://api.applivery.io", /plain http/],
    ["a relative URL", "/api", /not an absolute URL/],
    ["another protocol", "ftp://api.applivery.io", /must use https/],
    ["a URL with a password", "https://me:hunter2@api.applivery.io/v1", /no user name, password/],
    [
      "a URL with a query",
      "https://proxy.example/applivery?team=1",
      /use https:\/\/proxy.example\/applivery$/,
    ],
    ["a URL with a fragment", "https://api.applivery.io/#top", /query or fragment/],
  ])("refuses %s as baseUrl", (_, baseUrl, message) => {
    expect(() => createBulkTasksClient({ apiKey: API_KEY, baseUrl })).toThrow(message);
    // A password in it is not repeated.
    expect(() => createBulkTasksClient({ apiKey: API_KEY, baseUrl })).not.toThrow(/hunter2/);
  });

  it.each([
    ["https", { baseUrl: "https://api.example.com/" }],
    ["http on 127.0.0.1", { baseUrl: "http://127.0.0.1:8080" }],
    ["http on localhost", { baseUrl: "http://localhost:8080" }],
    ["http on [::1]", { baseUrl: "http://[::1]:8080" }],
    ["http elsewhere when allowed", { baseUrl: "http://api.internal", allowInsecureHttp: true }],
    ["a path prefix behind a gateway", { baseUrl: "https://gateway.example/applivery/" }],
  ])("accepts %s", (_, options) => {
    expect(() => createBulkTasksClient({ apiKey: API_KEY, ...options })).not.toThrow();
  });
});
