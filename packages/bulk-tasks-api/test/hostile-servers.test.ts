import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiError,
  type BulkTask,
  type BulkTaskPage,
  BulkTasksError,
  ConfigurationError,
  ConnectionError,
  createBulkTasksClient,
  InvalidRequestError,
  RateLimitError,
  ResponseTooLargeError,
  ServerError,
  UnexpectedResponseError,
} from "../src/index.js";
import { generateBulkTasks } from "../src/testing/index.js";
import { everythingReachable, FAST_RETRIES, failure, findSecret, useLocalApi } from "./support.js";

// A key with characters that percent-encoding changes, so that an encoded echo differs from it.
const KEY = "sk_live/Zq8+Kp3=Rw5x";
// Short enough to occur inside a header name the server makes up.
const SHORT_KEY = "tok";

/** An HTTP server on 127.0.0.1 whose every answer the current test decides. */
function useHttpServer(): {
  url: string;
  requests: number;
  answer: (request: IncomingMessage, response: ServerResponse) => void;
} {
  const state = {
    url: "",
    requests: 0,
    answer: (_request: IncomingMessage, response: ServerResponse) => {
      response.writeHead(500).end();
    },
  };
  let server: ReturnType<typeof createHttpServer>;
  beforeAll(async () => {
    server = createHttpServer((request, response) => {
      state.requests++;
      state.answer(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  afterEach(() => {
    state.requests = 0;
  });
  return state;
}

/**
 * A TCP server on 127.0.0.1 that answers each request with raw bytes the test makes from the
 * request's Authorization header: for HTTP broken where no HTTP server would break it.
 */
async function rawServer(respond: (authorization: string, socket: Socket) => void): Promise<{
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      requests++;
      const authorization = /^authorization: (.*)$/im.exec(head)?.[1]?.trim() ?? "";
      head = "";
      respond(authorization, socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function expectNoSecret(error: unknown, key = KEY): void {
  expect(findSecret(everythingReachable(error), key)).toBeUndefined();
}

const client = (baseUrl: string, options: Parameters<typeof createBulkTasksClient>[0] = {}) =>
  createBulkTasksClient({ apiKey: KEY, baseUrl, retryDelays: FAST_RETRIES, maxRetries: 0, ...options });

describe("HTTP broken below the body: the parser's errors keep no key", () => {
  it.each<[string, (authorization: string) => string]>([
    ["a malformed status line", (auth) => `HTTP/1.1 2x0 ${auth}\r\n\r\n`],
    ["a header with a control character", (auth) => `HTTP/1.1 200 OK\r\nx-echo: ${auth}\u0001\r\n\r\n`],
    [
      "a chunk size that is not hex",
      (auth) =>
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nZZ ${auth}\r\n`,
    ],
    [
      "a percent-encoded echo in a broken status line",
      (auth) => `HTTP/1.1 2x0 ${encodeURIComponent(auth)}\r\n\r\n`,
    ],
  ])("%s is a ConnectionError whose cause chain is scrubbed", async (_, response) => {
    const server = await rawServer((authorization, socket) => socket.end(response(authorization)));
    try {
      const error = await failure(client(server.url).bulkTasks.list("lab"));
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).cause).toBeInstanceOf(Error);
      expectNoSecret(error);
    } finally {
      await server.close();
    }
  });

  it("a connection reset is a ConnectionError, and is retried", async () => {
    const server = await rawServer((_, socket) => socket.resetAndDestroy());
    try {
      const error = await failure(client(server.url, { maxRetries: 2 }).bulkTasks.list("lab"));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(server.requests()).toBe(3);
    } finally {
      await server.close();
    }
  });
});

describe("what an error says of a response comes from redacted details", () => {
  const server = useHttpServer();

  it("a content type that echoes the key", async () => {
    server.answer = (request, response) =>
      response
        .writeHead(200, { "content-type": `text/html; echo="${request.headers.authorization}"` })
        .end("<p>");
    const error = await failure(client(server.url).bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain("[redacted]");
    expectNoSecret(error);
  });

  it("a key that occurs inside a header name, on a 429", async () => {
    server.answer = (_, response) =>
      response
        .writeHead(429, {
          "content-type": "application/json",
          [`x-${SHORT_KEY}en-bucket`]: "empty",
          "retry-after": "7",
        })
        .end(JSON.stringify({ status: false, error: { code: 4290, message: "Too many requests" } }));
    const error = await failure(client(server.url, { apiKey: SHORT_KEY }).bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(7);
    expectNoSecret(error, SHORT_KEY);
  });

  it.each([
    ["literal", (key: string) => key],
    ["percent-encoded", (key: string) => encodeURIComponent(key)],
    ["percent-encoded in lower case", (key: string) => encodeURIComponent(key).toLowerCase()],
  ])("a key echoed %s in a body, a header and a status text", async (_, form) => {
    server.answer = (request, response) => {
      const echoed = form((request.headers.authorization ?? "").replace("Bearer ", ""));
      response.writeHead(403, `Forbidden ${echoed}`, {
        "content-type": "application/json",
        "x-echo": echoed,
      });
      response.end(JSON.stringify({ status: false, error: { code: 4003, message: `token ${echoed}` } }));
    };
    const error = await failure(client(server.url).bulkTasks.list("lab"));
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).headers["x-echo"]).toBe("[redacted]");
    expectNoSecret(error);
  });

  it("a key written with JSON escapes is found in the parsed body", async () => {
    server.answer = (_, response) => {
      const escaped = [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
      response.writeHead(401, { "content-type": "application/json" });
      response.end(`{"status":false,"error":{"code":4004,"message":"Invalid token ${escaped}"}}`);
    };
    const error = await failure(client(server.url).bulkTasks.list("lab"));
    expect((error as Error).message).toBe(
      "401 Invalid token [redacted] (code 4004) for GET /v1/organizations/lab/bulk-tasks",
    );
    expectNoSecret(error);
  });
});

describe("no crash on any body", () => {
  const server = useHttpServer();

  it.each([200, 500])(
    "a %i body nested 100,000 levels deep gives the error of its status",
    async (status) => {
      const deep = `{"status":false,"error":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
      server.answer = (_, response) =>
        response.writeHead(status, { "content-type": "application/json" }).end(deep);
      const error = await failure(client(server.url).bulkTasks.list("lab"));
      expect(error).toBeInstanceOf(status === 500 ? ServerError : UnexpectedResponseError);
      // Kept as text, cut: printing and serialising the error are safe.
      expect(typeof (error as ApiError).body).toBe("string");
      expect(() => JSON.stringify(error)).not.toThrow();
    },
  );

  it("a deep error body that fits is kept parsed when shallow enough", async () => {
    const nested = (depth: number): unknown => (depth === 0 ? "end" : { inner: nested(depth - 1) });
    server.answer = (_, response) =>
      response
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ status: false, error: { code: 1, message: "x", data: nested(20) } }));
    const error = await failure(client(server.url).bulkTasks.list("lab"));
    expect((error as ApiError).body).toMatchObject({ error: { data: { inner: { inner: {} } } } });
  });

  /** Streams `total` bytes of JSON-looking text, counting what it managed to write. */
  function streaming(status: number, total: number, headers: Record<string, string> = {}) {
    const sent = { bytes: 0 };
    server.answer = (_, response) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      const chunk = Buffer.alloc(64 * 1024, "a");
      const write = () => {
        while (sent.bytes < total) {
          sent.bytes += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", write);
        }
        response.end();
      };
      response.on("error", () => {});
      write();
    };
    return sent;
  }

  it("a 50 MB error body gives the error of its status with a bounded excerpt, read no further", async () => {
    const sent = streaming(503, 50 * 1024 * 1024);
    const error = await failure(client(server.url).bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(ServerError);
    const body = (error as ApiError).body as string;
    expect(body.length).toBeLessThanOrEqual(64 * 1024 + 100);
    expect(body.endsWith("… [cut]")).toBe(true);
    // The client stopped reading: the server could not push the whole body through the socket.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent.bytes).toBeLessThan(16 * 1024 * 1024);
  });

  it("a 200 body over maxResponseBytes is a ResponseTooLargeError before it is held whole", async () => {
    const sent = streaming(200, 50 * 1024 * 1024);
    const error = await failure(client(server.url, { maxResponseBytes: 1024 * 1024 }).bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ maxResponseBytes: 1024 * 1024, status: 200 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent.bytes).toBeLessThan(16 * 1024 * 1024);
  });

  it("a 200 that declares a content-length over maxResponseBytes is refused before its body", async () => {
    const sent = streaming(200, 50 * 1024 * 1024, { "content-length": String(50 * 1024 * 1024) });
    const error = await failure(client(server.url, { maxResponseBytes: 1024 * 1024 }).bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(sent.bytes).toBeLessThan(16 * 1024 * 1024);
  });

  describe("a small gzip that inflates to 256 MB", () => {
    // Built once, cheaply: one gzip member of 1 MiB, compressed once and sent 256 times over (a
    // gzip stream may hold several members, inflated one after the other). Compressing 256 MB at
    // level 9 took seconds, and ran past the hook's 10 s limit on a loaded machine; this takes
    // milliseconds, and the limit keeps room for a machine many times slower.
    let bomb: Buffer;
    beforeAll(() => {
      const member = gzipSync(Buffer.alloc(1024 * 1024, " "), { level: 9 });
      bomb = Buffer.concat(Array.from({ length: 256 }, () => member));
    }, 60_000);

    it.each([
      [200, ResponseTooLargeError],
      [500, ServerError],
    ] as const)("as a %i gives %o, and memory stays bounded", async (status, type) => {
      expect(bomb.length).toBeLessThan(1024 * 1024);
      server.answer = (_, response) => {
        response.on("error", () => {});
        response
          .writeHead(status, { "content-type": "application/json", "content-encoding": "gzip" })
          .end(bomb);
      };
      const before = process.memoryUsage().rss;
      const error = await failure(
        client(server.url, { maxResponseBytes: 4 * 1024 * 1024 }).bulkTasks.list("lab"),
      );
      expect(error).toBeInstanceOf(type);
      // Reading it whole would take 256 MB (and twice that as a string).
      expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
    });
  });
});

describe("retry only what a retry can mend", () => {
  const server = useHttpServer();

  it("a redirect loop is a ConnectionError, not retried", async () => {
    server.answer = (_, response) => response.writeHead(302, { location: "/again" }).end();
    const error = await failure(client(server.url, { maxRetries: 2 }).bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/redirected too many times/);
    // One attempt: fetch follows 20 redirects, then gives up.
    expect(server.requests).toBe(21);
  });

  it.each([
    ["gzip", (text: string) => gzipSync(text)],
    ["deflate", (text: string) => deflateSync(text)],
    ["br", (text: string) => brotliCompressSync(text)],
  ])(
    "a %s body that cannot be decoded is an UnexpectedResponseError, not retried",
    async (encoding, encode) => {
      server.answer = (_, response) => {
        const valid = encode('{"status":true}');
        // The right header, the bytes broken in the middle.
        const broken = Buffer.concat([
          valid.subarray(0, 4),
          Buffer.from("garbage-garbage-garbage"),
          valid.subarray(4),
        ]);
        response
          .writeHead(200, { "content-type": "application/json", "content-encoding": encoding })
          .end(broken);
      };
      const error = await failure(client(server.url, { maxRetries: 2 }).bulkTasks.list("lab"));
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as Error).message).toContain(`cannot be decoded (content-encoding ${encoding})`);
      expect(server.requests).toBe(1);
    },
  );

  it.each([414, 431, 501])("%i is not retried", async (status) => {
    server.answer = (_, response) =>
      response
        .writeHead(status, { "content-type": "application/json" })
        .end(JSON.stringify({ status: false, error: { code: 1, message: "no" } }));
    const error = await failure(client(server.url, { maxRetries: 2 }).bulkTasks.list("lab"));
    expect((error as ApiError).status).toBe(status);
    expect(server.requests).toBe(1);
  });

  it("a response served by another origin after a redirect is not the API's answer", async () => {
    const elsewhere = createHttpServer((_, response) =>
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(
          JSON.stringify({ status: true, data: { items: [], page: 1, totalPages: 1, hasNextPage: false } }),
        ),
    );
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(elsewhere.address() as { port: number }).port}`;
    server.answer = (request, response) =>
      response.writeHead(307, { location: `${origin}${request.url}` }).end();
    try {
      const error = await failure(client(server.url, { maxRetries: 2 }).bulkTasks.list("lab"));
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as Error).message).toContain(`redirected to ${origin}, which is not the API`);
      expect(server.requests).toBe(1);
    } finally {
      elsewhere.close();
    }
  });
});

describe("what is checked is what is sent", () => {
  const tasks = generateBulkTasks(60);
  const failedTasks = tasks.filter((task) => task.status === "failed");
  const local = useLocalApi({ organizations: { lab: tasks } });
  const localClient = (options: Parameters<typeof createBulkTasksClient>[0] = {}) =>
    createBulkTasksClient({ apiKey: local.api.apiKey, baseUrl: local.api.url, ...options });

  it.each<[string, unknown, unknown]>([
    ["a query inheriting a property", Object.create({ limit: 0 }), undefined],
    ["a null query", null, undefined],
    ["a query that is a Map", new Map([["limit", 5]]), undefined],
    ["an array as options", {}, []],
    ["options inheriting a property", {}, Object.create({ timeoutMs: -1 })],
  ])("%s is an InvalidRequestError, and nothing is sent", async (_, query, options) => {
    const sent = local.api.requests.length;
    const list = localClient().bulkTasks.list("lab", query as never, options as never);
    const error = await failure(list);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).rule).toBe("a plain object");
    expect(local.api.requests.length).toBe(sent);
  });

  it("the query is read once: what was checked is what every page sends", async () => {
    let reads = 0;
    const query = {
      limit: 2,
      get status() {
        reads++;
        return reads === 1 ? "failed" : "not-a-status";
      },
    };
    const sent = local.api.requests.length;
    const walked: BulkTask[] = [];
    for await (const task of localClient().bulkTasks.list("lab", query as never)) walked.push(task);
    expect(reads).toBe(1);
    expect(walked.map((task) => task.id)).toEqual(failedTasks.map((task) => task.id));
    const sentStatuses = local.api.requests
      .slice(sent)
      .map((request) => new URL(request.url, "http://x").searchParams.get("status"));
    expect(failedTasks.length).toBeGreaterThan(2);
    expect(sentStatuses).toEqual(Array(Math.ceil(failedTasks.length / 2)).fill("failed"));
  });

  it.each([
    ["a page number below 1", { page: 0 }, "data.page is not 1, the page asked for"],
    ["a negative page number", { page: -3 }, "data.page is not 1, the page asked for"],
    ["a fractional page number", { page: 1.5 }, "data.page is not 1, the page asked for"],
    // No page asked for is page 1: a cache that ignores the query string answers another.
    [
      "another page than page 1 when none was asked for",
      { page: 7 },
      "data.page is not 1, the page asked for",
    ],
    ["no pages at all", { totalPages: 0 }, "data.totalPages is not an integer >= 1"],
    ["a fractional page count", { totalPages: 2.5 }, "data.totalPages is not an integer >= 1"],
  ])(
    "a server reporting %s is an UnexpectedResponseError before the walk steers by it",
    async (_, edit, message) => {
      const editing = localClient({
        fetch: async (request, init) => {
          const response = await fetch(request, init);
          const body = (await response.json()) as { data: Record<string, unknown> };
          return Response.json({ ...body, data: { ...body.data, ...edit } });
        },
      });
      const sent = local.api.requests.length;
      const pages: BulkTaskPage[] = [];
      const error = await failure(
        (async () => {
          for await (const page of editing.bulkTasks.list("lab", { limit: 5 }).pages()) pages.push(page);
        })(),
      );
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as Error).message).toContain(message);
      expect(pages).toHaveLength(0);
      expect(local.api.requests.length).toBe(sent + 1);
    },
  );

  it.each([
    ["a value with a line break", { "x-team": "platform\r\nx-injected: 1" }, 'the value of "x-team"'],
    ["a value with a NUL", { "x-team": "a\u0000b" }, 'the value of "x-team"'],
    ["a value that is not a string", { "x-team": 5 }, 'the value of "x-team"'],
    ["a name with a space", { "x team": "a" }, '"x team" is not a valid header name'],
  ])(
    "extra headers with %s are a ConfigurationError at creation, naming the header",
    (_, headers, message) => {
      let error: unknown;
      try {
        localClient({ headers: headers as never });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain("platform");
    },
  );

  it.each([
    ["trailing whitespace and a newline", (url: string) => `${url}  \n`],
    ["leading whitespace", (url: string) => `\t ${url}`],
    ["trailing slashes", (url: string) => `${url}///`],
  ])("a base URL with %s is normalised from the parsed URL", async (_, edit) => {
    const saved = process.env.APPLIVERY_BASE_URL;
    process.env.APPLIVERY_BASE_URL = edit(local.api.url);
    try {
      await createBulkTasksClient({ apiKey: local.api.apiKey }).bulkTasks.list("lab");
      expect(local.api.requests.at(-1)?.url).toBe("/v1/organizations/lab/bulk-tasks");
    } finally {
      if (saved === undefined) delete process.env.APPLIVERY_BASE_URL;
      else process.env.APPLIVERY_BASE_URL = saved;
    }
  });

  it("client options that are not a plain object are a ConfigurationError", () => {
    expect(() => createBulkTasksClient(Object.create({ apiKey: "inherited" }))).toThrow(ConfigurationError);
  });

  it("a response validator that throws is an UnexpectedResponseError with the cause", async () => {
    const broken = new TypeError("func1 is not a function");
    const error = await failure(
      localClient({
        validateResponse: () => {
          throw broken;
        },
      }).bulkTasks.list("lab"),
    );
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toMatch(/^The response validator failed/);
    expect(((error as Error).cause as Error).message).toBe("func1 is not a function");
  });
});

describe("no key in any error, whatever the server does (property)", () => {
  const server = useHttpServer();

  type Echo = "literal" | "encoded" | "lower-encoded" | "json-escaped";
  const echoOf = (key: string, how: Echo) =>
    how === "literal"
      ? key
      : how === "encoded"
        ? encodeURIComponent(key)
        : how === "lower-encoded"
          ? encodeURIComponent(key).toLowerCase()
          : key;
  const behaviour = fc.record({
    status: fc.constantFrom(200, 400, 401, 403, 404, 408, 429, 500, 502, 503),
    contentType: fc.constantFrom("application/json", "text/html", "text/plain", "application/problem+json"),
    echoIn: fc.subarray([
      "body",
      "header",
      "header-name",
      "content-type",
      "status-text",
      "retry-after",
    ] as const),
    how: fc.constantFrom<Echo>("literal", "encoded", "lower-encoded", "json-escaped"),
    shape: fc.constantFrom("envelope", "page", "html", "truncated", "deep", "empty", "array-of-strings"),
  });

  it("holds for generated statuses, headers, bodies and echoes", async () => {
    await fc.assert(
      fc.asyncProperty(behaviour, async (given) => {
        server.answer = (request, response) => {
          const key = (request.headers.authorization ?? "").replace("Bearer ", "");
          const echoed = echoOf(key, given.how);
          const inBody = given.echoIn.includes("body")
            ? given.how === "json-escaped"
              ? [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")
              : echoed
            : "nothing";
          const body = {
            envelope: `{"status":false,"error":{"code":4004,"message":"token ${inBody}","data":{"${inBody}":["${inBody}"]}}}`,
            page: `{"status":true,"data":{"items":[{"id":"${inBody}"}],"page":0,"totalPages":1,"hasNextPage":false}}`,
            html: `<html><pre>Authorization: Bearer ${inBody}</pre></html>`,
            truncated: `{"status":true,"data":{"items":[{"note":"${inBody}`,
            deep: `${"[".repeat(5000)}"${inBody}"${"]".repeat(5000)}`,
            empty: "",
            "array-of-strings": JSON.stringify(Array.from({ length: 50 }, () => inBody)),
          }[given.shape];
          const headers: Record<string, string> = {
            "content-type": given.echoIn.includes("content-type")
              ? `${given.contentType}; note="${echoed}"`
              : given.contentType,
          };
          if (given.echoIn.includes("header")) headers["x-echo"] = `Bearer ${echoed}`;
          if (given.echoIn.includes("header-name")) headers[`x-${echoed.replace(/[^\w-]/g, "-")}`] = "1";
          if (given.echoIn.includes("retry-after")) headers["retry-after"] = echoed;
          const statusText = given.echoIn.includes("status-text") ? `Status ${echoed}` : "Status";
          response.writeHead(given.status, statusText, headers).end(body);
        };
        const events: unknown[] = [];
        const error = await createBulkTasksClient({
          apiKey: KEY,
          baseUrl: server.url,
          maxRetries: 1,
          retryDelays: { initialRetryDelayMs: 0, maxRetryDelayMs: 0, maxRetryAfterMs: 0 },
          onRetry: (event) => events.push(event),
        })
          .bulkTasks.list("lab")
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        if (error !== undefined) expect(error).toBeInstanceOf(BulkTasksError);
        expect(findSecret(everythingReachable([error, events]), KEY)).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });
});

// Found by trying the packed client from the outside, as a user would.
describe("what an outside-in trial found", () => {
  const server = useHttpServer();
  const envelope = (message: string) => JSON.stringify({ status: false, error: { code: 4004, message } });

  it.each(["authorization", "AUTHORIZATION", "Authorization"])(
    "an extra header %s is replaced by the key, not merged with it",
    async (name) => {
      let seen: string | undefined;
      server.answer = (request, response) => {
        seen = request.headers.authorization;
        response.writeHead(404, { "content-type": "application/json" }).end(envelope("x"));
      };
      await failure(client(server.url, { headers: { [name]: "Bearer other" } }).bulkTasks.list("lab"));
      expect(seen).toBe(`Bearer ${KEY}`);
    },
  );

  it("a validator of the caller's own that quotes the body does not carry the key into the error", async () => {
    server.answer = (request, response) => {
      const key = (request.headers.authorization ?? "").replace("Bearer ", "");
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          status: true,
          data: { items: [], page: 1, totalPages: 1, hasNextPage: false, note: key },
        }),
      );
    };
    const quoting = (body: unknown) => {
      const note = (body as { data: { note: string } }).data.note;
      return { field: `/data/${note}`, rule: `r ${note}`, message: `m ${note}` };
    };
    const error = await failure(client(server.url, { validateResponse: quoting }).bulkTasks.list("lab"));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as { field: string }).field).toBe("/data/[redacted]");
    expectNoSecret(error);
  });

  it("an async onRetry that rejects rejects the call, with no unhandled rejection", async () => {
    server.answer = (_, response) =>
      response.writeHead(503, { "content-type": "application/json" }).end(envelope("x"));
    const hookError = new Error("the hook failed");
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const error = await failure(
        client(server.url, {
          maxRetries: 1,
          onRetry: async () => {
            throw hookError;
          },
        }).bulkTasks.list("lab"),
      );
      expect(error).toBe(hookError);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("a query whose properties cannot be read is an InvalidRequestError", async () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("boom");
        },
      },
    );
    const error = await failure(client(server.url).bulkTasks.list("lab", hostile));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(server.requests).toBe(0);
  });

  it.each([
    [
      "client option",
      () => createBulkTasksClient({ apiKey: KEY, timeout: 5 } as never),
      ConfigurationError,
      "timeout",
    ],
    [
      "retry delay",
      () => createBulkTasksClient({ apiKey: KEY, retryDelays: { initialDelayMs: 5 } as never }),
      ConfigurationError,
      "initialDelayMs",
    ],
  ])("a misspelt %s is refused, naming it", (_, create, type, name) => {
    expect(create).toThrow(type);
    expect(create).toThrow(`Invalid ${name}: 5 is not a known option (`);
  });

  it("a misspelt call option is an InvalidRequestError, naming it", async () => {
    const error = await failure(client(server.url).bulkTasks.list("lab", {}, { timeout: 5 } as never));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).parameter).toBe("timeout");
  });

  it("a key pasted with its Bearer prefix is refused with a hint, without showing it", () => {
    expect(() => createBulkTasksClient({ apiKey: `Bearer ${KEY}` })).toThrow(/starts with "Bearer "/);
    try {
      createBulkTasksClient({ apiKey: `Bearer ${KEY}` });
    } catch (error) {
      expectNoSecret(error);
    }
  });

  it("a vendor message is quoted on one line, without control characters, at most 200 characters", async () => {
    server.answer = (_, response) =>
      response
        .writeHead(401, { "content-type": "application/json" })
        .end(envelope(`line1\nline2\u001b[31mRED\r\nFAKE: 200 OK ${"x".repeat(10_000)}`));
    const error = (await failure(client(server.url).bulkTasks.list("lab"))) as ApiError;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be absent.
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.message.startsWith("401 line1 line2 [31mRED FAKE: 200 OK xxx")).toBe(true);
    expect(error.message.length).toBeLessThan(300);
    // The whole text stays in the body.
    expect((error.body as { error: { message: string } }).error.message).toContain("x".repeat(10_000));
  });

  it("an envelope with deeply nested data keeps its code and message", async () => {
    const deep = `${"[".repeat(200)}${"]".repeat(200)}`;
    server.answer = (_, response) =>
      response
        .writeHead(401, { "content-type": "application/json" })
        .end(`{"status":false,"error":{"code":4004,"message":"Invalid Token","data":${deep}}}`);
    const error = (await failure(client(server.url).bulkTasks.list("lab"))) as ApiError;
    expect(error.code).toBe(4004);
    expect(error.message).toMatch(/^401 Invalid Token \(code 4004\)/);
    expect(JSON.stringify(error)).toContain("[cut: nested deeper than 64 levels]");
  });

  it("a 503 with Retry-After longer than the client waits carries retryAfter", async () => {
    server.answer = (_, response) =>
      response
        .writeHead(503, { "content-type": "application/json", "retry-after": "120" })
        .end(envelope("maintenance"));
    const error = (await failure(client(server.url, { maxRetries: 2 }).bulkTasks.list("lab"))) as ApiError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.retryAfter).toBe(120);
    expect(server.requests).toBe(1);
  });

  it("an abort during a walk ends it before the next task, not after the page", async () => {
    server.answer = (_, response) =>
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          status: true,
          data: {
            items: Array.from({ length: 10 }, (_, i) => ({ id: String(i) })),
            page: 1,
            totalPages: 1,
            hasNextPage: false,
          },
        }),
      );
    const controller = new AbortController();
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const task of client(server.url).bulkTasks.list(
          "lab",
          {},
          { signal: controller.signal },
        )) {
          seen.push(task);
          if (seen.length === 3) controller.abort(new Error("enough"));
        }
      })(),
    );
    expect((error as Error).message).toBe("enough");
    expect(seen).toHaveLength(3);
  });

  it("JSON.stringify of an error writes its name, message, fields and cause", async () => {
    const error = await failure(client("http://127.0.0.1:9").bulkTasks.list("lab"));
    const written = JSON.parse(JSON.stringify(error));
    expect(written).toMatchObject({
      name: "ConnectionError",
      message: expect.stringContaining("fetch failed"),
    });
    expect(written.cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
  });
});
