import { describeBrokenRule } from "../core/errors.js";
import { findBrokenParameter, type OperationId, rulesOf } from "../core/parameters.js";
import type { BulkTask, BulkTaskPage, ErrorEnvelope } from "../types.js";
import { checkOptions, type Rule, rules } from "./checks.js";
import {
  DEFAULT_TASK_COUNT,
  generateBulkTasks,
  type LiveTask,
  type LiveTaskOptions,
  liveTask,
  liveTaskId,
} from "./dataset.js";

// The rules of the fake bulk tasks API, as a function of a standard Request answering a standard
// Response: the node:http server (startLocalApi) and the msw handlers (testing/msw) are two front
// doors to this one implementation. No Node.js module here: msw runs it in browsers too.

/** A fault the local API can answer with instead of the page. */
export type Fault =
  /**
   * Any status with the vendor's JSON error envelope (or the given body): its `code` and `message`
   * are the vendor's for the status ({@link vendorError}) unless given.
   */
  | {
      kind: "status";
      status: number;
      body?: string;
      headers?: Record<string, string>;
      code?: number;
      message?: string;
    }
  /**
   * 429 with `Retry-After` in seconds (or `retry-after-ms` when `inMilliseconds`), and the error
   * envelope of {@link vendorError} (429), or the `code` and `message` given.
   */
  | { kind: "rate-limit"; retryAfter: number; inMilliseconds?: boolean; code?: number; message?: string }
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

/** What the local API answers, whichever front door (node:http or msw) a request comes through. */
export interface FakeApiOptions {
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
   * @default { lab: generateBulkTasks(300, { newest: clock() }), empty: [] }: 300 tasks, the newest
   * created now (by `clock`), the others over the six months before
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
  /** The time, in ms since the epoch, for tasks started with `startTask`. @default Date.now */
  clock?: () => number;
  /**
   * Answer browsers on other origins (CORS): `true` for any origin, or the origins allowed
   * (`["http://localhost:5173"]`). A preflight (`OPTIONS` with `Access-Control-Request-Method`) is
   * answered 204, before the key is checked and without being counted in `requests`; every answer
   * to an allowed origin, errors and faults included, carries `Access-Control-Allow-Origin` and
   * exposes the headers the client reads (`Retry-After`, `retry-after-ms`, the rate-limit fields,
   * `x-request-id`). The real API's CORS policy is not documented.
   * @default false
   */
  cors?: boolean | string[];
}

/** What the local API saw of a request. The key is never kept: only whether there was one and whether it was valid. */
export interface LocalApiRequest {
  method: string;
  url: string;
  credentials: "none" | "valid" | "invalid";
}

/** The fake API's state and its answering function, which every front door shares. */
export interface FakeApi {
  /** The first valid key. */
  readonly apiKey: string;
  /** Every request received, in order (CORS preflights left out). */
  readonly requests: LocalApiRequest[];
  /** Answers the next `times` authenticated requests (default 1) with this fault. */
  inject(fault: Fault, times?: number): void;
  /**
   * Starts a task that runs on a schedule, as a real import does: `pending`, then `created`, then
   * `inProgress` with its report filling in, then `completed` or `failed` after `durationMs`. It
   * is the organization's newest task (created if unknown); the list and getBulkTask show it as it
   * is at the time of the request. Returns the task as it is now. Without a `seed`, each task
   * started gets the next free one, so that two tasks never share an id; with one, its id is
   * known before it starts (seed 1 is `6f00d5ee00000000face0001`).
   */
  startTask(organizationId: string, options?: LiveTaskOptions): BulkTask;
  /**
   * Forgets the faults still queued by `inject`, the requests seen (`requests`, and the count a
   * fault plan is told) and the tasks started with `startTask`, so that one test's leftovers do not
   * reach the next. The dataset stays.
   */
  reset(): void;
  /**
   * Answers a request. Faults that break the connection are answered as a fetch sees them:
   * `drop` is `Response.error()` (a network error), `truncate` a body that errors half-way (its
   * `content-length` promising the whole), `stall` a body that sends its start and then nothing
   * (and errors after `ms`, when given).
   */
  handle(request: Request): Promise<Response>;
}

const OPERATION_PATH = /^\/v1\/organizations\/([^/]+)\/bulk-tasks(?:\/([^/]+))?\/?$/;
const CORS_ALLOW_HEADERS = "authorization, content-type, prefer";
const CORS_EXPOSE_HEADERS = [
  "retry-after",
  "retry-after-ms",
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-request-id",
  "request-id",
].join(", ");
/** Statuses whose response has no body, which the Response constructor refuses one for. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const encoder = new TextEncoder();

/** The rules of {@link FakeApiOptions}, which every front door checks (with its own options added). */
export const FAKE_API_OPTION_RULES: Readonly<Record<string, Rule>> = {
  recordings: rules.array,
  organizations: rules.object,
  apiKeys: rules.arrayOf(rules.string, "an array of strings"),
  defaultLimit: rules.integer(1),
  latencyMs: rules.either(rules.number(0), rules.function),
  faults: rules.function,
  rateLimit: rules.object,
  clock: rules.function,
  cors: rules.either(rules.oneOf(true, false), rules.arrayOf(rules.string, "an array of origins")),
};

const LIVE_TASK_OPTION_RULES: Readonly<Record<string, Rule>> = {
  outcome: rules.oneOf("completed", "failed"),
  durationMs: rules.number(1),
  rows: rules.integer(1, 1_000_000),
  action: rules.oneOf("import-mdm-users", "import-inventory-items"),
  seed: rules.integer(1, 0xffff),
};

export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  // A Map, not the object: an organization called "constructor" or "__proto__" must be unknown.
  const clock = options.clock ?? Date.now;
  // The default dataset ends at the fake's own "now": today's, or a test's clock.
  const organizations = new Map(
    Object.entries(
      options.organizations ?? {
        // Without a clock of the test's, the minute, as generateBulkTasks() has it: the same data.
        lab: generateBulkTasks(DEFAULT_TASK_COUNT, { newest: options.clock ? clock() : undefined }),
        empty: [],
      },
    ),
  );
  const apiKeys = options.apiKeys ?? ["local-api-key"];
  const defaultLimit = options.defaultLimit ?? 100;
  const requests: LocalApiRequest[] = [];
  const injected: Fault[] = [];
  const views = new Map<string, BulkTask[]>();
  const liveTasks = new Map<string, LiveTask[]>();
  const limiter = options.rateLimit && createLimiter(options.rateLimit, clock());
  // What a request is matched on, read once from each recording rather than at every request.
  const recordings = (options.recordings ?? []).map(indexRecording);
  const allowsOrigin = (origin: string | null): origin is string =>
    origin !== null &&
    (options.cors === true || (Array.isArray(options.cors) && options.cors.includes(origin)));
  let count = 0;

  async function answer(request: Request): Promise<Response> {
    count++;
    const url = new URL(request.url);
    const credentials = classify(request.headers.get("authorization"), apiKeys);
    requests.push({ method: request.method, url: `${url.pathname}${url.search}`, credentials });

    const match = OPERATION_PATH.exec(url.pathname);
    const organizationId = decodeURIComponent(match?.[1] ?? "");
    const bulkTaskId = match?.[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const operationId = match ? (bulkTaskId === undefined ? "listBulkTasks" : "getBulkTask") : undefined;
    const query = Object.fromEntries(url.searchParams);
    const context: FaultContext = { operationId, organizationId, bulkTaskId, query, count };
    const latency =
      typeof options.latencyMs === "function" ? options.latencyMs(context) : (options.latencyMs ?? 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const recording = findRecording(recordings, request.method, url, credentials);
    const asksForRecording = /\bexample=recorded\b/i.test(request.headers.get("prefer") ?? "");
    if (recording && (asksForRecording || !organizations.has(organizationId))) return replay(recording);

    if (credentials === "none") return errorResponse(401, 4002, "No auth token");
    if (credentials === "invalid") return vendorErrorResponse(401);
    if (request.method !== "GET" || !operationId) return vendorErrorResponse(404);

    let quota: Record<string, string> = {};
    if (limiter) {
      const { allowed, headers } = limiter.take(clock());
      quota = headers;
      if (!allowed) return vendorErrorResponse(429, {}, quota);
    }
    const withQuota = (response: Response) => {
      if (response.type === "error") return response;
      for (const [name, value] of Object.entries(quota)) response.headers.set(name, value);
      return response;
    };

    let fault = injected.shift();
    if (!fault) {
      fault = options.faults?.(context);
      // A wrong one answers 500 with the reason, in the test that planned it.
      if (fault) checkFault(fault, "faults");
    }
    if (fault) return withQuota(answerWithFault(fault));

    const stored = organizations.get(organizationId);
    if (!stored) return withQuota(vendorErrorResponse(404));
    const live = liveTasks.get(organizationId);
    const now = clock();
    // Tasks that run on a schedule are shown as they are now, newest first.
    const tasks = live ? [...live.map((task) => task.at(now)), ...stored] : stored;

    const path = bulkTaskId === undefined ? { organizationId } : { organizationId, bulkTaskId };
    const invalid = checkParameters(operationId, path, url.searchParams);
    if (invalid) return withQuota(vendorErrorResponse(400, { message: invalid }));

    if (bulkTaskId !== undefined) {
      const task = tasks.find(({ id }) => id.toLowerCase() === bulkTaskId.toLowerCase());
      if (!task) return withQuota(vendorErrorResponse(404));
      return withQuota(jsonResponse(200, { status: true, data: task }));
    }

    const limit = query.limit === undefined ? defaultLimit : Number(query.limit);
    const page = query.page === undefined ? 1 : Number(query.page);
    const view = viewOf(organizationId, tasks, query, live === undefined);
    return withQuota(jsonResponse(200, { status: true, data: paginate(view, page, limit) }));
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

  /**
   * The CORS headers added to an answer for a page on an allowed origin (`origin`), or only
   * `Vary: Origin` for another origin or none: the answer depends on the Origin header, and a
   * cache must not give one origin's answer to another.
   */
  function withCors(response: Response, origin: string | undefined): Response {
    if (response.type === "error") return response;
    // Headers of a Response made elsewhere may be immutable: copy it (the body is not read).
    const answer = new Response(response.body, response);
    if (origin !== undefined) {
      answer.headers.set("access-control-allow-origin", origin);
      answer.headers.set("access-control-expose-headers", CORS_EXPOSE_HEADERS);
    }
    answer.headers.append("vary", "Origin");
    return answer;
  }

  return {
    apiKey: apiKeys[0] ?? "",
    requests,
    inject(fault, times = 1) {
      checkFault(fault, "inject");
      if (!Number.isSafeInteger(times) || times < 0) {
        throw new TypeError(`inject: times must be an integer >= 0, not ${String(times)}.`);
      }
      for (let i = 0; i < times; i++) injected.push(fault);
    },
    startTask(organizationId, taskOptions = {}) {
      checkOptions("startTask", taskOptions, LIVE_TASK_OPTION_RULES);
      if (typeof organizationId !== "string" || organizationId === "") {
        throw new TypeError('startTask: the organization must be a non-empty string, such as "lab".');
      }
      const taken = new Set([...liveTasks.values()].flat().map(({ id }) => id));
      let { seed } = taskOptions;
      if (seed === undefined) {
        // The next seed whose task id is free.
        seed = 1;
        while (taken.has(liveTaskId(seed))) seed++;
      } else if (taken.has(liveTaskId(seed))) {
        // Two tasks of one id: get would answer with one of them, and waitFor follow the wrong one.
        throw new Error(
          `startTask: the task of seed ${seed} (${liveTaskId(seed)}) is already started: give another seed, leave it out for a free one, or reset() first.`,
        );
      }
      if (!organizations.has(organizationId)) organizations.set(organizationId, []);
      const task = liveTask(organizationId, clock(), { ...taskOptions, seed });
      liveTasks.set(organizationId, [task, ...(liveTasks.get(organizationId) ?? [])]);
      return task.at(clock());
    },
    reset() {
      injected.length = 0;
      requests.length = 0;
      count = 0;
      liveTasks.clear();
    },
    async handle(request) {
      const origin = request.headers.get("origin");
      const cors = options.cors && allowsOrigin(origin) ? origin : undefined;
      if (
        cors !== undefined &&
        request.method === "OPTIONS" &&
        request.headers.has("access-control-request-method")
      ) {
        return new Response(null, {
          status: 204,
          headers: {
            "access-control-allow-origin": cors,
            "access-control-allow-methods": "GET, HEAD",
            "access-control-allow-headers": CORS_ALLOW_HEADERS,
            "access-control-max-age": "600",
            vary: "Origin",
          },
        });
      }
      let response: Response;
      try {
        response = await answer(request);
      } catch (error) {
        // A bug here must show as a 500 in the test that met it, not crash the test run.
        response = vendorErrorResponse(500, { message: `Local API error: ${(error as Error).message}` });
      }
      // With CORS on, every answer depends on the Origin header (the allowed one is echoed back).
      return options.cors ? withCors(response, cors) : response;
    },
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
  const broken = findBrokenParameter(rules, path, query);
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

/** A recording with what a request is matched on. */
interface IndexedRecording {
  exchange: RecordedExchange;
  method: string;
  pathname: string;
  /** The query, its parameters sorted. */
  query: string;
  /** Whether the recorded URL has a query at all. */
  hasQuery: boolean;
  credentials: LocalApiRequest["credentials"];
}

function indexRecording(exchange: RecordedExchange): IndexedRecording {
  const url = new URL(exchange.request.url);
  return {
    exchange,
    method: exchange.request.method,
    pathname: url.pathname,
    query: sortedQuery(url),
    hasQuery: url.search !== "",
    credentials: recordedCredentials(exchange),
  };
}

/** The recording of this request with its query, else the one of its path without a query. */
function findRecording(
  recordings: IndexedRecording[],
  method: string,
  url: URL,
  credentials: LocalApiRequest["credentials"],
): RecordedExchange | undefined {
  const candidates = recordings.filter(
    (recording) =>
      recording.method === method &&
      recording.pathname === url.pathname &&
      recording.credentials === credentials,
  );
  const query = sortedQuery(url);
  return (
    candidates.find((recording) => recording.query === query) ??
    candidates.find((recording) => !recording.hasQuery)
  )?.exchange;
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

function replay({ response: recorded }: RecordedExchange): Response {
  const body = encoder.encode(recorded.content.text ?? "");
  // The recorded framing headers may not fit the body as sent here: the length is recomputed.
  const headers = new Headers();
  for (const { name, value } of recorded.headers) {
    if (!/^(content-length|transfer-encoding|connection)$/i.test(name)) headers.append(name, value);
  }
  headers.set("content-length", String(body.byteLength));
  return new Response(NULL_BODY_STATUSES.has(recorded.status) ? null : body, {
    status: recorded.status,
    statusText: recorded.statusText ?? "",
    headers,
  });
}

function classify(authorization: string | null, apiKeys: string[]): LocalApiRequest["credentials"] {
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

/** The fields each kind of fault takes: any other is refused, so that a misspelt one is not ignored. */
const FAULT_FIELDS: Record<Fault["kind"], readonly string[]> = {
  status: ["status", "body", "headers", "code", "message"],
  "rate-limit": ["retryAfter", "inMilliseconds", "code", "message"],
  html: ["status"],
  drop: [],
  truncate: [],
  stall: ["ms"],
};

/**
 * Refuses a fault the types would refuse, for callers in plain JavaScript: a body that is not a
 * string would be sent as "[object Object]", and the test would meet a fault it did not ask for.
 * @param source who gave it, for the message: `inject` or `faults`
 */
function checkFault(fault: Fault, source: string): void {
  const problem = (() => {
    const given = (fault ?? {}) as Record<string, unknown>;
    const { kind, status, body, headers, retryAfter, ms } = given;
    if (typeof kind !== "string" || !Object.hasOwn(FAULT_FIELDS, kind)) {
      return `kind must be one of ${Object.keys(FAULT_FIELDS).join(", ")}`;
    }
    const fields = FAULT_FIELDS[kind as Fault["kind"]];
    const unknown = Object.keys(given).filter(
      (name) => name !== "kind" && given[name] !== undefined && !fields.includes(name),
    );
    if (unknown.length > 0) {
      return `a ${kind} fault takes ${fields.join(", ") || "no other field"}, not ${unknown.join(", ")}`;
    }
    if (
      status !== undefined &&
      (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599)
    )
      return "status must be an integer from 200 to 599";
    if (kind === "status" && status === undefined) return "status is required";
    if (body !== undefined && typeof body !== "string") return "body must be a string (JSON.stringify it)";
    if (
      headers !== undefined &&
      (typeof headers !== "object" ||
        headers === null ||
        Object.values(headers).some((value) => typeof value !== "string"))
    )
      return "headers must be an object of strings";
    if (kind === "rate-limit" && !(typeof retryAfter === "number" && retryAfter >= 0))
      return "retryAfter must be a number >= 0";
    if (ms !== undefined && !(typeof ms === "number" && ms >= 0)) return "ms must be a number >= 0";
    if (given.code !== undefined && !Number.isSafeInteger(given.code)) return "code must be an integer";
    if (given.message !== undefined && typeof given.message !== "string") return "message must be a string";
    if (body !== undefined && (given.code !== undefined || given.message !== undefined))
      return "body replaces the envelope: give body, or code and message, not both";
    return undefined;
  })();
  if (problem) throw new TypeError(`${source}: ${problem}.`);
}

function answerWithFault(fault: Fault): Response {
  switch (fault.kind) {
    case "status":
      if (fault.body !== undefined) {
        return new Response(NULL_BODY_STATUSES.has(fault.status) ? null : fault.body, {
          status: fault.status,
          headers: { "content-type": "application/json", ...fault.headers },
        });
      }
      return vendorErrorResponse(fault.status, fault, fault.headers);
    case "rate-limit":
      return vendorErrorResponse(429, fault, {
        [fault.inMilliseconds ? "retry-after-ms" : "retry-after"]: String(fault.retryAfter),
      });
    case "html":
      return new Response(
        "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
        { status: fault.status ?? 502, headers: { "content-type": "text/html" } },
      );
    case "drop":
      return Response.error();
    case "truncate": {
      const body = encoder.encode(JSON.stringify({ status: true, data: paginate([], 1, 1) }));
      return new Response(brokenBody(body.subarray(0, body.byteLength >> 1), 0), {
        status: 200,
        headers: { "content-type": "application/json", "content-length": String(body.byteLength) },
      });
    }
    case "stall": {
      // The length of a whole (empty) page is promised: a client that stops waiting closes an
      // exchange that is unfinished by any reading, not one that a close could end.
      const body = encoder.encode(JSON.stringify({ status: true, data: paginate([], 1, 1) }));
      return new Response(brokenBody(body.subarray(0, 15), fault.ms), {
        status: 200,
        headers: { "content-type": "application/json", "content-length": String(body.byteLength) },
      });
    }
  }
}

/** A body that sends `start`, then errors after `ms` (at once for 0; never when undefined). */
function brokenBody(start: Uint8Array, ms: number | undefined): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let started = false;
  const closed = () => new Error("The local API closed the connection (fault)");
  // Pulled, not queued at once: an error discards what is still queued, and `start` must go out.
  return new ReadableStream(
    {
      pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(start);
          return;
        }
        if (ms === 0) return controller.error(closed());
        return new Promise<void>((resolve) => {
          if (ms === undefined) return;
          timer = setTimeout(() => {
            controller.error(closed());
            resolve();
          }, ms);
          // A stall must not keep a Node.js process alive on its own (a timer is a number elsewhere).
          (timer as { unref?: () => void }).unref?.();
        });
      },
      cancel() {
        clearTimeout(timer);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The vendor's error code and message for a status, as its server framework answers them (see
 * docs/api-facts.md, "Auth and errors"): 400 3000 validation error, 401 4004 invalid token (4002
 * when there is none, 4005 when it expired), 403 4003, 404 3001, 409 5001, 5xx 3002. The vendor
 * documents no 429: 4290 is the local API's own. Any other status gets 3000 (4xx) or 3002 (5xx).
 */
export function vendorError(status: number): { code: number; message: string } {
  const known = VENDOR_ERRORS[status];
  if (known) return known;
  return status >= 500 ? { code: 3002, message: "Server error" } : { code: 3000, message: "Request error" };
}

const VENDOR_ERRORS: Readonly<Record<number, { code: number; message: string }>> = {
  400: { code: 3000, message: "Validation error" },
  401: { code: 4004, message: "Invalid Token" },
  403: { code: 4003, message: "Forbidden" },
  404: { code: 3001, message: "Entity not found" },
  409: { code: 5001, message: "Conflict" },
  429: { code: 4290, message: "Too many requests" },
  500: { code: 3002, message: "Database error" },
};

/** The vendor's error envelope for a status, with the code or message given in place of its own. */
function vendorErrorResponse(
  status: number,
  given: { code?: number | undefined; message?: string | undefined } = {},
  headers: Record<string, string> = {},
): Response {
  const known = vendorError(status);
  return errorResponse(status, given.code ?? known.code, given.message ?? known.message, headers);
}

function errorResponse(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const envelope: ErrorEnvelope = { status: false, error: { code, message } };
  return jsonResponse(status, envelope, headers);
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = encoder.encode(JSON.stringify(body));
  return new Response(NULL_BODY_STATUSES.has(status) ? null : text, {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(text.byteLength),
      ...headers,
    },
  });
}
