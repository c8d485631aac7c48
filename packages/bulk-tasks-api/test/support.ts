import { readFile } from "node:fs/promises";
import { createServer, request as httpRequest, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { type AddressInfo, connect } from "node:net";
import { inspect } from "node:util";
import {
  type HarEntry,
  loadRecordings,
  type OpenApiDocument,
  type Recording,
} from "@org/bulk-tasks-contract-tests";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createBulkTasksClient } from "../src/index.js";
import { type LocalApi, type LocalApiOptions, startLocalApi } from "../src/testing/index.js";

/** The bundled spec (`@org/bulk-tasks-spec/openapi.json`, built by `pnpm build`). */
export async function readBundledSpec(): Promise<OpenApiDocument> {
  const path = createRequire(import.meta.url).resolve("@org/bulk-tasks-spec/openapi.json");
  return JSON.parse(await readFile(path, "utf8")) as OpenApiDocument;
}

/** A fake key: tests search errors and logs for it. */
export const API_KEY = "test-key-0123456789abcdef";

/** Starts the local API answering with the committed recordings (plus any extra), and no dataset. */
export function useRecordings(extra: Recording[] = []): { readonly api: LocalApi } {
  const handle = {} as { api: LocalApi };
  beforeAll(async () => {
    const recordings = [...(await loadRecordings()), ...extra].map(({ entry }) => entry);
    handle.api = await startLocalApi({ apiKeys: [API_KEY], organizations: {}, recordings });
  });
  afterAll(() => handle.api.close());
  return handle;
}

/** An in-memory recording, constructed by a test (never committed). */
export function constructedRecording(
  path: string,
  response: { status: number; contentType?: string; body: string },
): Recording {
  const entry: HarEntry = {
    startedDateTime: new Date(0).toISOString(),
    comment: "constructed by a test",
    request: {
      method: "GET",
      url: `https://api.applivery.io${path}`,
      headers: [{ name: "Authorization", value: "Bearer <redacted>" }],
      queryString: [],
    },
    response: {
      status: response.status,
      statusText: "",
      headers: response.contentType ? [{ name: "Content-Type", value: response.contentType }] : [],
      content: { mimeType: response.contentType ?? "", text: response.body, size: response.body.length },
    },
    _provenance: { kind: "constructed", source: "bulk-tasks-api test support" },
  };
  return { file: "constructed", index: 0, entry };
}

/** Starts the local API for the file's tests; `options` may be a function, read when it starts. */
export function useLocalApi(options: LocalApiOptions | (() => LocalApiOptions) = {}): {
  readonly api: LocalApi;
} {
  const handle = {} as { api: LocalApi };
  beforeAll(async () => {
    handle.api = await startLocalApi({
      apiKeys: [API_KEY],
      ...(typeof options === "function" ? options() : options),
    });
  });
  afterAll(() => handle.api.close());
  return handle;
}

/** Backoff delays short enough for tests (the formula is tested on its own). */
export const FAST_RETRIES = { initialRetryDelayMs: 1, maxRetryDelayMs: 4 } as const;

/** A client of the given local API, with fast retries. */
export function localClient(api: LocalApi, options: Parameters<typeof createBulkTasksClient>[0] = {}) {
  return createBulkTasksClient({ apiKey: API_KEY, baseUrl: api.url, retryDelays: FAST_RETRIES, ...options });
}

/**
 * Every string reachable from a value, as one text: own properties at any depth (hidden and symbol
 * keys included, getters read), the cause chain, `util.inspect` with `showHidden` and no depth
 * limit, `String()` and `JSON.stringify`. What a test searches for a secret.
 */
export function everythingReachable(value: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") parts.push(next);
    if (typeof next === "number" || typeof next === "bigint") parts.push(String(next));
    if ((typeof next !== "object" && typeof next !== "function") || next === null || seen.has(next)) continue;
    seen.add(next);
    for (const key of Reflect.ownKeys(next)) {
      parts.push(String(key));
      try {
        pending.push((next as Record<PropertyKey, unknown>)[key]);
      } catch {
        // A getter that throws holds nothing to read.
      }
    }
    const prototype = Object.getPrototypeOf(next);
    if (prototype && prototype !== Object.prototype && !seen.has(prototype)) pending.push(prototype);
  }
  parts.push(inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY }));
  parts.push(String(value));
  try {
    parts.push(JSON.stringify(value) ?? "");
  } catch (error) {
    parts.push(`JSON.stringify threw: ${String(error)}`);
  }
  return parts.join("\n");
}

/** The key as sent, and as a proxy might quote it: percent-encoded, in upper or lower case hex. */
export function secretForms(key: string): string[] {
  const encoded = [...key]
    .map((character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .join("");
  return [key, encodeURIComponent(key), encoded, encoded.toLowerCase()];
}

/** The first form of the key found in the text, or undefined. */
export function findSecret(text: string, key: string): string | undefined {
  return secretForms(key).find((form) => text.includes(form));
}

/** The error a call rejects with; a call that resolves fails the test. */
export async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => expect.unreachable("the call should have failed"),
    (error: unknown) => error,
  );
}

/** A forward proxy on 127.0.0.1 that counts what goes through it: tunnels (CONNECT) and absolute-form requests. */
export interface ForwardProxy {
  readonly url: string;
  /** The requests it received, as `CONNECT host:port` or `GET http://…`. */
  readonly seen: string[];
  close(): void;
}

/** Starts a {@link ForwardProxy}, for the proxy recipes and their tests. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: string[] = [];
  const proxy = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    const upstream = httpRequest(
      request.url ?? "",
      { method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  proxy.on("connect", (request, socket, head) => {
    seen.push(`CONNECT ${request.url}`);
    const [host = "", port = ""] = (request.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    seen,
    close() {
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}

/** A server on 127.0.0.1 answering every request as the test says, and noting when each came. */
export function useAnsweringServer() {
  const state: { url: string; times: number[]; answer: (response: ServerResponse) => unknown } = {
    url: "",
    times: [],
    answer: (response) => response.writeHead(500).end(),
  };
  const server = createServer((_request, response) => {
    state.times.push(performance.now());
    state.answer(response);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterEach(() => {
    state.times = [];
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return state;
}

/** Answers with `body` as JSON. */
export function answerJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}
