import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { describeBrokenRule } from "../core/errors.js";
import { findBrokenParameter, type OperationId, rulesOf } from "../core/parameters.js";
import type { BulkTask, BulkTaskPage, ErrorEnvelope } from "../types.js";
import {
  DEFAULT_TASK_COUNT,
  generateBulkTasks,
  type LiveTask,
  type LiveTaskOptions,
  liveTask,
} from "./dataset.js";

/** A fault the local API can answer with instead of the page. */
export type Fault =
  /** Any status with a JSON error envelope (or the given body). */
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  /** 429 with `Retry-After` in seconds (or `retry-after-ms` when `inMilliseconds`). */
  | { kind: "rate-limit"; retryAfter: number; inMilliseconds?: boolean }
  /** An HTML error page from a proxy, 502 by default. */
  | { kind: "html"; status?: number }
  /** The connection is closed before any response. */
  | { kind: "drop" }
  /** The headers and half of the JSON body are sent, then the connection is closed. */
  | { kind: "truncate" }
  /** The headers and the start of the body are sent, then nothing for `ms` (default: until closed). */
  | { kind: "stall"; ms?: number };

/** A rate limit of the local API: a token bucket, or a fixed window. */
export type RateLimitOptions =
  /** `burst` requests at once, refilled at `perSecond`. */
  | { kind: "token-bucket"; perSecond: number; burst: number; headers?: boolean }
  /** `limit` requests in each window of `windowMs`, counted from the first request. */
  | { kind: "fixed-window"; limit: number; windowMs: number; headers?: boolean };

/** What the local API tells a fault plan about a request. */
export interface FaultContext {
  /** The operation asked for, or undefined for a path the API does not have. */
  operationId: "listBulkTasks" | "getBulkTask" | undefined;
  organizationId: string;
  /** The task asked for, for getBulkTask. */
  bulkTaskId: string | undefined;
  /** The query as received, strings. */
  query: Record<string, string>;
  /** How many requests the server has received so far, this one included. */
  count: number;
}

/** A recorded exchange: the parts of a HAR 1.2 entry the local API reads (a HAR entry fits as it is). */
export interface RecordedExchange {
  request: { method: string; url: string; headers: { name: string; value: string }[] };
  response: {
    status: number;
    statusText?: string;
    headers: { name: string; value: string }[];
    content: { text?: string };
  };
}

export interface LocalApiOptions {
  /**
   * Recorded exchanges (HAR entries) to answer with, byte for byte: a request gets the recording of
   * the same method and path whose credentials are of the same kind (none, the valid key, another
   * key; a 401 recorded with a token stands for "another key"), with the same query if one has it,
   * else one recorded without a query. A recording answers when the request asks for it with the
   * header `Prefer: example=recorded` (Prism's convention), and for an organization the dataset
   * does not hold; otherwise the dataset answers.
   */
  recordings?: RecordedExchange[];
  /**
   * The organizations and their tasks, by id or slug. Tasks are served in the order given unless
   * `sort` says otherwise.
   * @default { lab: generateBulkTasks(300), empty: [] }
   */
  organizations?: Record<string, BulkTask[]>;
  /** The keys that are valid; any other bearer token gets 401 code 4004. @default ["local-api-key"] */
  apiKeys?: string[];
  /** The page size when the query has no `limit`. @default 100 */
  defaultLimit?: number;
  /** Delay before every answer, in ms (or a function of the request, for random latency). @default 0 */
  latencyMs?: number | ((context: FaultContext) => number);
  /** Called for every authenticated request: return a fault to answer with it instead. */
  faults?: (context: FaultContext) => Fault | undefined;
  /**
   * A rate limit on authenticated requests, as an API gateway enforces one: a 429 with
   * `Retry-After` (whole seconds, rounded up) when it is spent, and, unless `headers` is false, the
   * quota on every answer: `RateLimit-Policy` and `RateLimit` (IETF draft) and the common
   * `X-RateLimit-Limit`, `-Remaining`, `-Reset`.
   */
  rateLimit?: RateLimitOptions;
  /** @default 0 (any free port) */
  port?: number;
  /** The time, in ms since the epoch, for tasks started with `startTask`. @default Date.now */
  clock?: () => number;
}

/** What the local API saw of a request. The key is never kept: only whether there was one and whether it was valid. */
export interface LocalApiRequest {
  method: string;
  url: string;
  credentials: "none" | "valid" | "invalid";
}

export interface LocalApi {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The first valid key. */
  readonly apiKey: string;
  /** Every request received, in order. */
  readonly requests: LocalApiRequest[];
  /** Answers the next `times` authenticated requests (default 1) with this fault. */
  inject(fault: Fault, times?: number): void;
  /**
   * Starts a task that runs on a schedule, as a real import does: `pending`, then `created`, then
   * `inProgress` with its report filling in, then `completed` or `failed` after `durationMs`. It
   * is the organization's newest task (created if unknown); the list and getBulkTask show it as it
   * is at the time of the request. Returns the task as it is now.
   */
  startTask(organizationId: string, options?: LiveTaskOptions): BulkTask;
  /**
   * Forgets the faults still queued by `inject` and the requests seen (`requests`, and the count a
   * fault plan is told), so that one test's leftovers do not reach the next. The dataset stays.
   */
  reset(): void;
  close(): Promise<void>;
}

const OPERATION_PATH = /^\/v1\/organizations\/([^/]+)\/bulk-tasks(?:\/([^/]+))?\/?$/;

/**
 * Starts the bulk tasks API on 127.0.0.1, offline: both operations of the spec (the list and one
 * task), mongoose-paginate-v2 pagination over a dataset (a page past the end included), the `status`
 * and `action` filters, `sort`, 401 with code 4002 (no key) or 4004 (wrong key), 404 with code 3001
 * for an unknown organization or task, 400 with code 3000 for a parameter the spec refuses, tasks
 * that run on a schedule (`startTask`), and faults on demand.
 */
export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  // A Map, not the object: an organization called "constructor" or "__proto__" must be unknown.
  const organizations = new Map(
    Object.entries(options.organizations ?? { lab: generateBulkTasks(DEFAULT_TASK_COUNT), empty: [] }),
  );
  const apiKeys = options.apiKeys ?? ["local-api-key"];
  const defaultLimit = options.defaultLimit ?? 100;
  const requests: LocalApiRequest[] = [];
  const injected: Fault[] = [];
  const views = new Map<string, BulkTask[]>();
  const liveTasks = new Map<string, LiveTask[]>();
  const clock = options.clock ?? Date.now;
  const limiter = options.rateLimit && createLimiter(options.rateLimit, clock());
  const sockets = new Set<Socket>();
  let count = 0;

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      // A bug here must show as a 500 in the test that met it, not crash the test run.
      if (!response.headersSent)
        sendError(response, 500, 3002, `Local API error: ${(error as Error).message}`);
      else response.destroy();
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    count++;
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const credentials = classify(request.headers.authorization, apiKeys);
    requests.push({ method: request.method ?? "", url: request.url ?? "", credentials });

    const match = OPERATION_PATH.exec(url.pathname);
    const organizationId = decodeURIComponent(match?.[1] ?? "");
    const bulkTaskId = match?.[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const operationId = match ? (bulkTaskId === undefined ? "listBulkTasks" : "getBulkTask") : undefined;
    const query = Object.fromEntries(url.searchParams);
    const context: FaultContext = { operationId, organizationId, bulkTaskId, query, count };
    const latency =
      typeof options.latencyMs === "function" ? options.latencyMs(context) : (options.latencyMs ?? 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const recording = findRecording(options.recordings ?? [], request.method ?? "", url, credentials);
    const asksForRecording = /\bexample=recorded\b/i.test(String(request.headers.prefer ?? ""));
    if (recording && (asksForRecording || !organizations.has(organizationId)))
      return replay(response, recording);

    if (credentials === "none") return sendError(response, 401, 4002, "No auth token");
    if (credentials === "invalid") return sendError(response, 401, 4004, "Invalid Token");
    if (request.method !== "GET" || !operationId) return sendError(response, 404, 3001, "Entity not found");

    if (limiter) {
      const { allowed, headers } = limiter.take(clock());
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      if (!allowed) return sendError(response, 429, 4290, "Too many requests");
    }

    const fault = injected.shift() ?? options.faults?.(context);
    if (fault) return answerWithFault(response, fault);

    const stored = organizations.get(organizationId);
    if (!stored) return sendError(response, 404, 3001, "Entity not found");
    const live = liveTasks.get(organizationId);
    const now = clock();
    // Tasks that run on a schedule are shown as they are now, newest first.
    const tasks = live ? [...live.map((task) => task.at(now)), ...stored] : stored;

    const path = bulkTaskId === undefined ? { organizationId } : { organizationId, bulkTaskId };
    const invalid = checkParameters(operationId, path, url.searchParams);
    if (invalid) return sendError(response, 400, 3000, invalid);

    if (bulkTaskId !== undefined) {
      const task = tasks.find(({ id }) => id.toLowerCase() === bulkTaskId.toLowerCase());
      if (!task) return sendError(response, 404, 3001, "Entity not found");
      return sendJson(response, 200, { status: true, data: task });
    }

    const limit = query.limit === undefined ? defaultLimit : Number(query.limit);
    const page = query.page === undefined ? 1 : Number(query.page);
    const view = viewOf(organizationId, tasks, query, live === undefined);
    sendJson(response, 200, { status: true, data: paginate(view, page, limit) });
  }

  function viewOf(
    organizationId: string,
    tasks: BulkTask[],
    query: Record<string, string>,
    cacheable: boolean,
  ): BulkTask[] {
    // Filtering and sorting a large dataset on every page would dominate benchmarks: cache each view
    // (keyed on the length too, so that tests adding or removing tasks during a walk are seen), but
    // for an organization whose tasks run on a schedule, which changes with the time.
    const key = JSON.stringify([organizationId, tasks.length, query.status, query.action, query.sort]);
    let view = cacheable ? views.get(key) : undefined;
    if (!view) {
      view = tasks.filter(
        (task) =>
          (query.status === undefined || task.status === query.status) &&
          (query.action === undefined || task.action === query.action),
      );
      if (query.sort) view = sortTasks(view, query.sort);
      if (cacheable) views.set(key, view);
    }
    return view;
  }

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: apiKeys[0] ?? "",
    requests,
    inject(fault, times = 1) {
      for (let i = 0; i < times; i++) injected.push(fault);
    },
    startTask(organizationId, taskOptions = {}) {
      if (!organizations.has(organizationId)) organizations.set(organizationId, []);
      const task = liveTask(organizationId, clock(), taskOptions);
      liveTasks.set(organizationId, [task, ...(liveTasks.get(organizationId) ?? [])]);
      return task.at(clock());
    },
    reset() {
      injected.length = 0;
      requests.length = 0;
      count = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** mongoose-paginate-v2's answer, with `docs` renamed to `items`. */
export function paginate(tasks: BulkTask[], page: number, limit: number): BulkTaskPage {
  const totalDocs = tasks.length;
  const totalPages = Math.max(1, Math.ceil(totalDocs / limit));
  const offset = (page - 1) * limit;
  const hasPrevPage = page > 1;
  const hasNextPage = page < totalPages;
  return {
    items: tasks.slice(offset, offset + limit),
    totalDocs,
    limit,
    page,
    totalPages,
    pagingCounter: offset + 1,
    hasPrevPage,
    hasNextPage,
    prevPage: hasPrevPage ? page - 1 : null,
    nextPage: hasNextPage ? page + 1 : null,
  };
}

/** The broken rule of a request's parameters, in words, or undefined: the client's own checks. */
function checkParameters(
  operationId: OperationId,
  path: Record<string, string>,
  searchParams: URLSearchParams,
): string | undefined {
  // Query strings carry text: integers are read as numbers before the spec's rules are applied.
  const rules = rulesOf(operationId);
  const query: Record<string, unknown> = {};
  for (const [name, value] of searchParams) {
    query[name] = rules[name]?.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  const broken = findBrokenParameter(operationId, path, query);
  return broken && describeBrokenRule(...broken);
}

function sortTasks(tasks: BulkTask[], sort: string): BulkTask[] {
  const [field = "", direction = "asc"] = sort.split(":");
  const sign = direction === "desc" ? -1 : 1;
  const value = (task: BulkTask) =>
    field.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown>)?.[key], task);
  return [...tasks].sort((a, b) => {
    const [x, y] = [value(a), value(b)] as [string | number | undefined, string | number | undefined];
    if (x === y) return 0;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}

function findRecording(
  recordings: RecordedExchange[],
  method: string,
  url: URL,
  credentials: LocalApiRequest["credentials"],
): RecordedExchange | undefined {
  const candidates = recordings.filter((recording) => {
    const recorded = new URL(recording.request.url);
    return (
      recording.request.method === method &&
      recorded.pathname === url.pathname &&
      recordedCredentials(recording) === credentials
    );
  });
  const query = sortedQuery(url);
  return (
    candidates.find((recording) => sortedQuery(new URL(recording.request.url)) === query) ??
    candidates.find((recording) => new URL(recording.request.url).search === "")
  );
}

function recordedCredentials({ request, response }: RecordedExchange): LocalApiRequest["credentials"] {
  if (!request.headers.some((header) => header.name.toLowerCase() === "authorization")) return "none";
  return response.status === 401 ? "invalid" : "valid";
}

function sortedQuery(url: URL): string {
  return [...url.searchParams]
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join("&");
}

function replay(response: ServerResponse, { response: recorded }: RecordedExchange): void {
  const body = recorded.content.text ?? "";
  // The recorded framing headers may not fit the body as sent here: the length is recomputed.
  const headers = recorded.headers.filter(
    ({ name }) => !/^(content-length|transfer-encoding|connection)$/i.test(name),
  );
  response.writeHead(recorded.status, recorded.statusText ?? "", [
    ...headers.flatMap(({ name, value }) => [name, value]),
    "content-length",
    String(Buffer.byteLength(body)),
  ]);
  response.end(body);
}

function classify(authorization: string | undefined, apiKeys: string[]): LocalApiRequest["credentials"] {
  if (!authorization) return "none";
  const token = /^Bearer (.+)$/i.exec(authorization)?.[1];
  return token !== undefined && apiKeys.includes(token) ? "valid" : "invalid";
}

/**
 * A rate limiter and the headers it answers with: whether the request may pass, and the quota left.
 * The token bucket's "reset" is the time until it is full again; the window's, until it ends.
 */
function createLimiter(
  limit: RateLimitOptions,
  start: number,
): { take(now: number): { allowed: boolean; headers: Record<string, string> } } {
  const seconds = (ms: number) => String(Math.max(0, Math.ceil(ms / 1000)));
  const describe = (
    quota: number,
    windowMs: number,
    remaining: number,
    resetMs: number,
    retryMs: number,
  ) => ({
    ...(limit.headers === false
      ? {}
      : {
          "ratelimit-policy": `"default";q=${quota};w=${windowMs / 1000}`,
          ratelimit: `"default";r=${remaining};t=${resetMs / 1000}`,
          "x-ratelimit-limit": String(quota),
          "x-ratelimit-remaining": String(remaining),
          "x-ratelimit-reset": String(resetMs / 1000),
        }),
    ...(retryMs > 0 ? { "retry-after": seconds(retryMs) } : {}),
  });
  if (limit.kind === "token-bucket") {
    let tokens = limit.burst;
    let updated = start;
    return {
      take(now) {
        tokens = Math.min(limit.burst, tokens + ((now - updated) * limit.perSecond) / 1000);
        updated = now;
        const allowed = tokens >= 1;
        if (allowed) tokens -= 1;
        const remaining = Math.floor(tokens);
        const resetMs = Math.ceil(((limit.burst - tokens) * 1000) / limit.perSecond);
        const retryMs = allowed ? 0 : ((1 - tokens) * 1000) / limit.perSecond;
        const windowMs = (limit.burst * 1000) / limit.perSecond;
        return { allowed, headers: describe(limit.burst, windowMs, remaining, resetMs, retryMs) };
      },
    };
  }
  let windowStart = start;
  let used = 0;
  return {
    take(now) {
      if (now - windowStart >= limit.windowMs) {
        windowStart = now;
        used = 0;
      }
      const allowed = used < limit.limit;
      if (allowed) used++;
      const resetMs = windowStart + limit.windowMs - now;
      return {
        allowed,
        headers: describe(limit.limit, limit.windowMs, limit.limit - used, resetMs, allowed ? 0 : resetMs),
      };
    },
  };
}

function answerWithFault(response: ServerResponse, fault: Fault): void {
  switch (fault.kind) {
    case "status":
      if (fault.body !== undefined) {
        response.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
        response.end(fault.body);
      } else {
        sendError(response, fault.status, fault.status >= 500 ? 3002 : 3000, "Injected fault", fault.headers);
      }
      return;
    case "rate-limit":
      sendError(response, 429, 4290, "Too many requests", {
        [fault.inMilliseconds ? "retry-after-ms" : "retry-after"]: String(fault.retryAfter),
      });
      return;
    case "html":
      response.writeHead(fault.status ?? 502, { "content-type": "text/html" });
      response.end(
        "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
      );
      return;
    case "drop":
      response.socket?.destroy();
      return;
    case "truncate": {
      const body = JSON.stringify({ status: true, data: paginate([], 1, 1) });
      response.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
      response.write(body.slice(0, body.length >> 1), () => response.socket?.destroy());
      return;
    }
    case "stall": {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"status":true,');
      if (fault.ms !== undefined) setTimeout(() => response.socket?.destroy(), fault.ms).unref();
      return;
    }
  }
}

function sendError(
  response: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const envelope: ErrorEnvelope = { status: false, error: { code, message } };
  sendJson(response, status, envelope, headers);
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}
