// fake.d.ts
import { i as BulkTaskPage, n as BulkTaskAction, t as BulkTask } from "./types.js";

//#region src/testing/dataset.d.ts
/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same numbers in [0, 1),
 * so that a dataset or a fault pattern can be had again.
 */
declare function seededRandom(seed: number): () => number;
/** A 24-hex-digit id, as MongoDB's ObjectId, derived from a number. */
declare function objectId(n: number, prefix?: string): string;
/** Options of {@link generateBulkTasks}. */
interface DatasetOptions {
  /** The seed: the same seed and count give the same tasks. @default 1 */
  seed?: number;
  /**
   * When the newest task was created: a `Date`, an ISO 8601 string (`"2026-11-01T09:00:00Z"`) or
   * milliseconds since the epoch. The others are spread over the months before it. The same seed
   * gives the same tasks, dates moved with `newest`; their ids depend on the seed alone, so that an
   * id written down (in a README, a test) stays valid whatever `newest` is.
   * @default the current time, to the minute (so that "the last 7 days" finds tasks today)
   */
  newest?: Date | string | number | undefined;
  /** The organization the file keys name. @default "lab" */
  organizationId?: string;
}
/**
 * `newest` as `generateBulkTasks` reads it, in milliseconds since the epoch: a `Date`, an ISO 8601
 * string (a date, read as UTC, or a date and time with `Z` or an offset) or milliseconds since the
 * epoch, from 1973 to 9999; now (to the minute) when undefined.
 * @throws {TypeError} naming `newest` and saying why: not a date, a day that does not exist, a time
 * without an offset (it would be read in the machine's time zone), seconds given for milliseconds
 */
declare function readNewest(newest: Date | string | number | undefined): number;
/** The default size of the `lab` organization of the local API. */
declare const DEFAULT_TASK_COUNT = 300;
/**
 * `count` deterministic bulk tasks shaped like real traffic, newest first, spread over months:
 * both actions; the newest tasks still `pending`, `created` or `inProgress`, the others
 * `completed` (some with errored rows) or `failed` (a whole file refused, or too many rows
 * refused); reports whose counts add up (`numItems` = inserts + updates + skips + errors, one
 * `skippedLines` / `erroredLines` entry for each skip and error, with a reason); file metadata
 * within the spec's rules; a handful of made-up people. Every task keeps the spec. Each task
 * comes from its own seeded stream, so that the first `n` tasks of a larger dataset are the `n`
 * tasks of a smaller one (a test can grow a list and know what it grew by).
 */
declare function generateBulkTasks(count: number, options?: DatasetOptions): BulkTask[];
/** Options of a task that runs on a schedule (`LocalApi.startTask`). */
interface LiveTaskOptions {
  /** How it ends. @default "completed" */
  outcome?: "completed" | "failed";
  /** From its start to its end, in ms. @default 8000 */
  durationMs?: number;
  /** The rows of its file. @default 400 */
  rows?: number;
  /** @default "import-mdm-users" */
  action?: BulkTaskAction;
  /** Its id, the rows it refuses and its people come from the seed. @default 1 */
  seed?: number;
}
/** A task that runs on a schedule: what it is at a given time. */
interface LiveTask {
  readonly id: string;
  at(now: number): BulkTask;
}
/**
 * A task started at `startedAt` that runs as a real import does: `pending` for the first tenth of
 * its duration, `created` for the next, then `inProgress` with its report filling in row by row,
 * then `completed` (a few rows refused) or `failed` (a third of them refused) at the end. Its final
 * form is a task of {@link generateBulkTasks}'s shape; its id comes from the seed, so that a demo or a
 * test can name it before it starts.
 */
declare function liveTask(organizationId: string, startedAt: number, options?: LiveTaskOptions): LiveTask;
//#endregion
//#region src/testing/fake.d.ts
/** A fault the local API can answer with instead of the page. */
type Fault =
/**
 * Any status with the vendor's JSON error envelope (or the given body): its `code` and `message`
 * are the vendor's for the status ({@link vendorError}) unless given.
 */
{
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
| {
  kind: "rate-limit";
  retryAfter: number;
  inMilliseconds?: boolean;
  code?: number;
  message?: string;
} /** An HTML error page from a proxy, 502 by default. */ | {
  kind: "html";
  status?: number;
} /** The connection is closed before any response. */ | {
  kind: "drop";
} /** The headers and half of the JSON body are sent, then the connection is closed. */ | {
  kind: "truncate";
} /** The headers and the start of the body are sent, then nothing for `ms` (default: until closed). */ | {
  kind: "stall";
  ms?: number;
};
/** A rate limit of the local API: a token bucket, or a fixed window. */
type RateLimitOptions = /** `burst` requests at once, refilled at `perSecond`. */{
  kind: "token-bucket";
  perSecond: number;
  burst: number;
  headers?: boolean;
} /** `limit` requests in each window of `windowMs`, counted from the first request. */ | {
  kind: "fixed-window";
  limit: number;
  windowMs: number;
  headers?: boolean;
};
/** What the local API tells a fault plan about a request. */
interface FaultContext {
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
interface RecordedExchange {
  request: {
    method: string;
    url: string;
    headers: {
      name: string;
      value: string;
    }[];
  };
  response: {
    status: number;
    statusText?: string;
    headers: {
      name: string;
      value: string;
    }[];
    content: {
      text?: string;
    };
  };
}
/** What the local API answers, whichever front door (node:http or msw) a request comes through. */
interface FakeApiOptions {
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
interface LocalApiRequest {
  method: string;
  url: string;
  credentials: "none" | "valid" | "invalid";
}
/** The fake API's state and its answering function, which every front door shares. */
interface FakeApi {
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
/** mongoose-paginate-v2's answer, with `docs` renamed to `items`. */
declare function paginate(tasks: BulkTask[], page: number, limit: number): BulkTaskPage;
/**
 * The vendor's error code and message for a status, as its server framework answers them (see
 * docs/api-facts.md, "Auth and errors"): 400 3000 validation error, 401 4004 invalid token (4002
 * when there is none, 4005 when it expired), 403 4003, 404 3001, 409 5001, 5xx 3002. The vendor
 * documents no 429: 4290 is the local API's own. Any other status gets 3000 (4xx) or 3002 (5xx).
 */
declare function vendorError(status: number): {
  code: number;
  message: string;
};
//#endregion
export { readNewest as _, LocalApiRequest as a, paginate as c, DatasetOptions as d, LiveTask as f, objectId as g, liveTask as h, FaultContext as i, vendorError as l, generateBulkTasks as m, FakeApiOptions as n, RateLimitOptions as o, LiveTaskOptions as p, Fault as r, RecordedExchange as s, FakeApi as t, DEFAULT_TASK_COUNT as u, seededRandom as v };
// index.d.ts
import { _ as paths, a as BulkTaskReport, c as ErrorEnvelope, d as ListBulkTasksQuery, f as ListBulkTasksSort, g as operations, h as components, i as BulkTaskPage, l as FinishedBulkTask, n as BulkTaskAction, o as BulkTaskStatus, p as ListBulkTasksSortField, r as BulkTaskFile, s as BulkTaskUser, t as BulkTask, u as GetBulkTaskParameters } from "./types.js";
import { C as UnexpectedResponseError, S as TimeoutError, T as WaitTimeoutError, _ as RateLimitError, a as Fetch, b as ResponseValidationError, c as RateLimitEvent, d as BulkTasksError, f as ConfigurationError, g as PermissionDeniedError, h as NotFoundError, i as RequestOptions, l as ApiError, m as InvalidRequestError, n as ResponseValidator, o as RetryEvent, p as ConnectionError, r as OperationId, s as TransportOptions, t as ContractViolation, u as AuthenticationError, v as ResponseDetails, w as UnknownTaskStatusError, x as ServerError, y as ResponseTooLargeError } from "./request.js";
import { Client } from "openapi-fetch";

//#region src/core/context.d.ts
declare const clientBrand: unique symbol;
/**
 * A client's shared part: the key, the base URL, retries, time limits and the rate-limit gate, with
 * no operation attached. What `createBulkTasksCore()` returns; pass it to the operation functions
 * (`listBulkTasks(core, ...)`), which take a client of `createBulkTasksClient()` as well.
 */
interface BulkTasksCore {
  /** A type brand, not a property: a plain object cannot pass for a client. */
  readonly [clientBrand]: true;
}
//#endregion
//#region src/client-core.d.ts
/** The production API. */
declare const DEFAULT_BASE_URL = "https://api.applivery.io";
/** Options of {@link createBulkTasksCore} and `createBulkTasksClient`. */
interface BulkTasksClientOptions {
  /**
   * The Service Account token, sent as `Authorization: Bearer <apiKey>` (spec: `ApiKeyAuth`).
   * @default the `APPLIVERY_API_KEY` environment variable
   */
  apiKey?: string | undefined;
  /**
   * Where the API lives (spec: `servers[0].url`). A plain `http://` URL is refused unless its host is
   * loopback or `allowInsecureHttp` is set, so that the key never crosses a network in clear.
   * @default the `APPLIVERY_BASE_URL` environment variable, else "https://api.applivery.io"
   */
  baseUrl?: string | undefined;
  /**
   * Allow a plain `http://` base URL on a host other than loopback.
   * @default false
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * The fetch implementation, called as `fetch(request, { signal })`. It should honour `signal`, which
   * carries the time limit and the caller's abort, so that the request is cancelled: the client stops
   * waiting for it either way.
   * @default globalThis.fetch
   */
  fetch?: Fetch | undefined;
  /**
   * Extra headers sent with every request, checked when the client is created (a name that is not
   * a header name, or a value with a line break, is a `ConfigurationError` naming the header). An
   * `Authorization` header here is replaced by the API key's.
   */
  headers?: Record<string, string> | undefined;
  /**
   * Retries after the first attempt, on connection errors, timeouts, 408, 429 and 5xx (not 501, 505); 0 disables.
   * @default 2
   */
  maxRetries?: number | undefined;
  /**
   * Time limit of each attempt in ms, from sending the request to the body's last byte.
   * @default 30000
   */
  timeoutMs?: number | undefined;
  /**
   * Pages asked for at once when iterating over a list, after the first page; also the most pages
   * held in memory by the walk. The client's rate-limit gate may send fewer at once, once a server
   * refused more.
   * @default 4
   */
  concurrency?: number | undefined;
  /**
   * The largest page read, in bytes after decoding; a larger one is a `ResponseTooLargeError`,
   * refused before it is held whole (a proxy streaming without end, a gzip bomb). Error responses
   * are read only as far as an error keeps of them (64 KiB).
   * @default 33554432 (32 MiB: far above any real page, far below what would strain a process)
   */
  maxResponseBytes?: number | undefined;
  /**
   * The longest one call waits, in all, for the server's rate limit (see "Rate limits" in the README):
   * a 429 is retried while its wait fits, whatever `maxRetries` says.
   * @default 300000 (5 minutes)
   */
  maxRateLimitWaitMs?: number | undefined;
  /**
   * Called when the client's rate-limit gate closes: a 429 or 503 asked every request of the client
   * to wait, or the server's quota headers say its quota is spent. Not awaited.
   */
  onRateLimit?: ((event: RateLimitEvent) => void) | undefined;
  /** Called before every retry, with the attempt, the delay and why. Use it to log retries. */
  onRetry?: ((event: RetryEvent) => unknown) | undefined;
  /**
   * Backoff and `Retry-After` tuning: `initialRetryDelayMs` (500), `maxRetryDelayMs` (8000) and
   * `maxRetryAfterMs` (60000, the longest `Retry-After` honoured; longer ones are not retried). A
   * retry waits at least its backoff delay, whatever shorter wait the server asks for.
   */
  retryDelays?: Partial<Pick<TransportOptions, "initialRetryDelayMs" | "maxRetryDelayMs" | "maxRetryAfterMs">> | undefined;
  /**
   * Checks every 2xx body against the spec's schema; a body that breaks it throws
   * {@link ResponseValidationError} naming the field. Pass `validateResponse` from
   * `@org/bulk-tasks-api/response-validation`, which checks every operation.
   * @default undefined (no validation: new enum values and fields pass through)
   */
  validateResponse?: ResponseValidator | undefined;
}
/**
 * Creates a client with no operation attached: pass it to the operation functions you call
 * (`listBulkTasks(core, "lab")`), and a bundler keeps those and no others. The options are read
 * once, here, into what every operation shares. `createBulkTasksClient()` makes one of these too.
 * @throws {ConfigurationError} when no API key is given or found, or an option breaks its rule
 */
declare function createBulkTasksCore(givenOptions?: BulkTasksClientOptions): BulkTasksCore;
//#endregion
//#region src/core/pagination.d.ts
/** Loads one page: the page number (undefined: the caller's own query, as given) and a signal. */
type PageLoader = (page: number | undefined, signal: AbortSignal | undefined) => Promise<BulkTaskPage>;
interface BulkTaskListOptions {
  load: PageLoader;
  /** The page the walk starts from: the query's `page`, else the server's default (1). */
  startPage: number | undefined;
  /** Pages fetched at once after the first; also the most pages held in memory. */
  concurrency: number;
  /** The caller's signal: aborts the first page and the walk. */
  signal: AbortSignal | undefined;
  /** Told when a page's `totalDocs` differs from the page before it: the list moved during the walk. */
  onListChange?: ((event: ListChangeEvent) => unknown) | undefined;
}
/** What `onListChange` is told: the list changed under a walk, which may then have missed tasks. */
interface ListChangeEvent {
  /** The page that told the new count. */
  page: number;
  /** `totalDocs` as the page before it told it. */
  previousTotalDocs: number;
  /** `totalDocs` as this page tells it. */
  totalDocs: number;
}
/**
 * What `bulkTasks.list()` returns: awaitable as the first page, and async-iterable over every task of
 * every page from it (`for await (const task of list)`), or over the pages (`list.pages()`).
 *
 * Nothing is sent until it is awaited or iterated. The first page is fetched once and shared.
 *
 * The walk: after the first page, the next pages up to its `totalPages` are fetched `concurrency` at a
 * time, and yielded in order; it ends at the first page that says `hasNextPage: false` or holds no
 * task, and goes on past `totalPages` while pages say `hasNextPage: true` (tasks added during the
 * walk). No task is yielded twice in one walk (offset pages over a live list repeat tasks that
 * newer ones pushed over a page boundary), and `onListChange` is told when `totalDocs` moves.
 * Leaving the loop (`break`, `return`, an exception) aborts the requests still in flight.
 */
declare class BulkTaskList implements PromiseLike<BulkTaskPage>, AsyncIterable<BulkTask> {
  #private;
  constructor(options: BulkTaskListOptions);
  get [Symbol.toStringTag](): string;
  then<TResult1 = BulkTaskPage, TResult2 = never>(onfulfilled?: ((page: BulkTaskPage) => TResult1 | PromiseLike<TResult1>) | null, onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null): Promise<TResult1 | TResult2>;
  catch<TResult = never>(onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null): Promise<BulkTaskPage | TResult>;
  finally(onfinally?: (() => void) | null): Promise<BulkTaskPage>;
  /** Every task of every page, in order. */
  [Symbol.asyncIterator](): AsyncGenerator<BulkTask, void, undefined>;
  /**
   * Every page, in order, from the first. A task a page holds that an earlier page of the same walk
   * held already (the list moved under it) is left out of that page's `items`.
   */
  pages(): AsyncGenerator<BulkTaskPage, void, undefined>;
}
//#endregion
//#region src/operations/list-bulk-tasks.d.ts
/** Options of `list()`; each overrides the client's. */
interface ListOptions extends RequestOptions {
  /** @default the client's `concurrency` */
  concurrency?: number | undefined;
  /**
   * Called during a walk when a page's `totalDocs` differs from the page before it: tasks were
   * created or deleted under the walk, which may have missed some (walk again to see them). An
   * error it throws ends the walk.
   */
  onListChange?: ((event: ListChangeEvent) => unknown) | undefined;
}
/**
 * `GET /v1/organizations/{organizationId}/bulk-tasks` (operationId `listBulkTasks`), as
 * `client.bulkTasks.list()` makes it: a {@link BulkTaskList}, awaitable as one page and iterable
 * (`for await`) over every task of every page, or `.pages()` for the pages. Nothing is sent until
 * it is awaited or iterated; every error, a refused parameter included, comes from there.
 * @param client from `createBulkTasksCore()` or `createBulkTasksClient()`
 * @param organizationId the organization's 24-hex-digit id or its slug
 * @param query page, limit, sort, status and action, checked against the spec before sending: a
 * plain object, read once (its own properties), and that copy is what every page sends
 */
declare function listBulkTasks(client: BulkTasksCore | BulkTasksClient, organizationId: string, query?: ListBulkTasksQuery, options?: ListOptions): BulkTaskList;
//#endregion
//#region src/operations/wait-for-bulk-task.d.ts
/** Options of `waitFor()`. */
interface WaitOptions {
  /** Aborts the wait; it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * The time limit of the whole wait, in ms; past it, a `WaitTimeoutError` carrying the task as
   * last seen. Each poll has the client's own time limit and retries besides.
   * @default 1800000 (30 minutes: imports of tens of thousands of rows take minutes)
   */
  timeoutMs?: number | undefined;
  /**
   * The first delay between two polls, in ms, and the delay after each change of the task.
   * @default 1000
   */
  pollIntervalMs?: number | undefined;
  /**
   * The longest delay between two polls: while the task does not change, the delay grows by half
   * at each poll up to this.
   * @default 15000
   */
  maxPollIntervalMs?: number | undefined;
  /**
   * Called with the task on the first poll and whenever it changes (its status, its report, or
   * `updatedAt`). It may be async: the next poll waits for it; an error it throws ends the wait.
   */
  onProgress?: ((task: BulkTask) => unknown) | undefined;
}
/** The statuses a task does not leave. */
declare const TERMINAL_STATUSES: readonly BulkTaskStatus[];
/**
 * Polls `getBulkTask` until the task is `completed` or `failed`, and resolves to it, as
 * `client.bulkTasks.waitFor()` does: a failed task resolves too (read its `error` and `report`).
 *
 * The delay between polls starts at `pollIntervalMs`, grows by half while the task does not change
 * (up to `maxPollIntervalMs`) and starts again after each change. A server that asks for a longer
 * delay (`Retry-After` or `retry-after-ms` on a poll's answer) is followed, a shorter one is not; a
 * poll refused with 429 once the client's retries are spent waits what the server asked, and the
 * wait goes on.
 */
declare function waitForBulkTask(client: BulkTasksCore | BulkTasksClient, organizationId: string, bulkTaskId: string, options?: WaitOptions): Promise<FinishedBulkTask>;
//#endregion
//#region src/client.d.ts
/** The bulk tasks operations. */
interface BulkTasksResource {
  /**
   * `GET /v1/organizations/{organizationId}/bulk-tasks` (operationId `listBulkTasks`). Await it for one
   * page; iterate it (`for await`) for every task of every page, or `.pages()` for the pages.
   * @param organizationId the organization's 24-hex-digit id or its slug
   * @param query page, limit, sort, status and action, checked against the spec before sending: a
   * plain object, read once (its own properties), and that copy is what every page sends
   * @throws {InvalidRequestError} when a parameter breaks its rule, or the query or the options are
   * not plain objects; nothing is sent
   * @throws {ApiError} a subclass for each non-2xx status ({@link AuthenticationError}, ...)
   * @throws {UnexpectedResponseError} when a 2xx response is not the JSON the spec promises
   * @throws {ConnectionError} when no HTTP response came back ({@link TimeoutError} when too late)
   */
  list(organizationId: string, query?: ListBulkTasksQuery, options?: ListOptions): BulkTaskList;
  /**
   * `GET /v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}` (operationId `getBulkTask`).
   * @param bulkTaskId the task's 24-hex-digit id, as `id` in a list
   * @throws {NotFoundError} when the organization or the task is unknown (code 3001)
   * @throws the same errors as `list`, for the same reasons
   */
  get(organizationId: string, bulkTaskId: string, options?: RequestOptions): Promise<BulkTask>;
  /**
   * Polls `get` until the task is `completed` or `failed`, and resolves to it: a failed task
   * resolves too (read its `error` and `report`).
   * @throws {WaitTimeoutError} when it has not finished within `timeoutMs` (30 minutes by default)
   * @throws the errors of `get`, but for a 429: the wait slows down and goes on
   */
  waitFor(organizationId: string, bulkTaskId: string, options?: WaitOptions): Promise<FinishedBulkTask>;
}
/**
 * A client for the Applivery bulk tasks API, with every operation. The standalone operation
 * functions take it too, as they take a {@link BulkTasksCore}: the client object itself, not a
 * copy (`{ ...client }` is not a client).
 */
interface BulkTasksClient {
  bulkTasks: BulkTasksResource;
  /**
   * The typed openapi-fetch client, with the API key, the retries and the time limits applied, for
   * callers who want `{ data, error, response }` instead of thrown errors. It does not check input.
   */
  raw: Client<paths>;
}
/**
 * Creates a client with every operation: `client.bulkTasks.list()`, `.get()`, `.waitFor()`, and
 * `client.raw`. A bundle keeps them all; one that calls a few may use `createBulkTasksCore()` and
 * the operation functions instead (see "Smaller bundles" in the README).
 * @throws {ConfigurationError} when no API key is given or found, or an option breaks its rule
 */
declare function createBulkTasksClient(options?: BulkTasksClientOptions): BulkTasksClient;
//#endregion
//#region src/core/suggest.d.ts
/**
 * "Did you mean": the closest of `known` to `given`, when it is near enough to be a slip of the
 * keyboard, or undefined (also when `given` is known, or longer than 64 characters).
 */
declare function closestName(given: string, known: readonly string[]): string | undefined;
//#endregion
//#region src/operations/get-bulk-task.d.ts
/**
 * `GET /v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}` (operationId `getBulkTask`), as
 * `client.bulkTasks.get()` makes it: the task.
 * @param client from `createBulkTasksCore()` or `createBulkTasksClient()`
 * @param bulkTaskId the task's 24-hex-digit id, as `id` in a list
 */
declare function getBulkTask(client: BulkTasksCore | BulkTasksClient, organizationId: string, bulkTaskId: string, options?: RequestOptions): Promise<BulkTask>;
//#endregion
export { ApiError, AuthenticationError, type BulkTask, type BulkTaskAction, type BulkTaskFile, BulkTaskList, type BulkTaskPage, type BulkTaskReport, type BulkTaskStatus, type BulkTaskUser, type BulkTasksClient, type BulkTasksClientOptions, type BulkTasksCore, BulkTasksError, type BulkTasksResource, ConfigurationError, ConnectionError, type ContractViolation, DEFAULT_BASE_URL, type ErrorEnvelope, type Fetch, type FinishedBulkTask, type GetBulkTaskParameters, InvalidRequestError, type ListBulkTasksQuery, type ListBulkTasksSort, type ListBulkTasksSortField, type ListChangeEvent, type ListOptions, NotFoundError, type OperationId, PermissionDeniedError, RateLimitError, type RateLimitEvent, type RequestOptions, type ResponseDetails, ResponseTooLargeError, ResponseValidationError, type ResponseValidator, type RetryEvent, ServerError, TERMINAL_STATUSES, TimeoutError, UnexpectedResponseError, UnknownTaskStatusError, type WaitOptions, WaitTimeoutError, closestName, type components, createBulkTasksClient, createBulkTasksCore, getBulkTask, listBulkTasks, type operations, type paths, waitForBulkTask };
// request.d.ts
import { g as operations, m as parameterRules, t as BulkTask } from "./types.js";

//#region src/core/errors.d.ts
/**
 * The error hierarchy (after the Stainless-generated SDKs):
 *
 * BulkTasksError
 * ├── ConfigurationError        the client was set up wrongly (no API key, insecure base URL)
 * ├── InvalidRequestError       a parameter broke the spec's rule; nothing was sent
 * ├── WaitTimeoutError          `waitFor` gave up: the task did not finish in time
 * ├── UnknownTaskStatusError    `waitFor` met a status the spec does not name
 * ├── ConnectionError           the request never got an HTTP response (cause attached)
 * │   └── TimeoutError          an attempt ran past `timeoutMs`
 * ├── UnexpectedResponseError   a response that is not what the spec says (HTML, truncated JSON, ...)
 * │   ├── ResponseValidationError  a body that breaks the spec's schema (opt-in validation)
 * │   └── ResponseTooLargeError    a body larger than `maxResponseBytes`
 * └── ApiError                  the API answered with a non-2xx status
 *     ├── AuthenticationError   401
 *     ├── PermissionDeniedError 403
 *     ├── NotFoundError         404
 *     ├── RateLimitError        429
 *     └── ServerError           5xx
 *
 * No error ever holds the API key: requests are described by method and URL only, response
 * headers (never request headers) are kept, and everything kept of a response, or of an error thrown
 * by fetch, has the key taken out first (see redaction.ts).
 */
/** The base class of every error this package throws. */
declare class BulkTasksError extends Error {
  name: string;
  /**
   * What `JSON.stringify` writes: the name, the message, every field and the cause's name and
   * message, for structured logs (an `Error`'s message is not enumerable, so it would be left out).
   */
  toJSON(): Record<string, unknown>;
}
/** The client was configured in a way that cannot work, such as without an API key. */
declare class ConfigurationError extends BulkTasksError {
  name: string;
  /**
   * The option at fault, such as `apiKey`, `baseUrl` or `timeoutMs` (`options` when the options
   * are not an object), or undefined when no option is: a call's first argument is not a client.
   */
  readonly option: string | undefined;
  constructor(message: string, option?: string);
}
/** A parameter broke a rule of the spec; the request was not sent. */
declare class InvalidRequestError extends BulkTasksError {
  name: string;
  /** The parameter, such as `limit` or `organizationId`. */
  readonly parameter: string;
  /**
   * The value that was refused, when it is a string, a number, a boolean or null. Undefined when it
   * is not shown: an object, an array or a function (the options object, with its key, passed
   * where an id goes), or a string under a name that is not an option or a parameter, or one that
   * holds the key (a key put in the wrong place).
   */
  readonly value: string | number | boolean | null | undefined;
  /** The rule it broke, in words, such as `an integer >= 1`. */
  readonly rule: string;
  /** The spec's regular expression, when the rule is a pattern (`rule` says it in words). */
  readonly pattern: string | undefined;
  /**
   * What was probably meant: the known option, query parameter or value closest to the one given
   * (`timeoutMs` for `timoutMs`, `completed` for `complete`), when one is close.
   */
  readonly suggestion: string | undefined;
  constructor(parameter: string, value: unknown, rule: string, details?: RuleDetails);
}
/** What a refusal may add to its rule: the spec's pattern, and the name or value probably meant. */
interface RuleDetails {
  pattern?: string | undefined;
  suggestion?: string | undefined;
}
/** A task `waitFor` followed did not reach `completed` or `failed` within its `timeoutMs`. */
declare class WaitTimeoutError extends BulkTasksError {
  name: string;
  /** The task waited for. */
  readonly bulkTaskId: string;
  /** The time limit of the whole wait, in milliseconds. */
  readonly timeoutMs: number;
  /** The task as last seen, or undefined when no poll answered. */
  readonly lastTask: BulkTask | undefined;
  /** @param lastTask as an error keeps a response body: the key taken out (see redaction.ts) */
  constructor(bulkTaskId: string, timeoutMs: number, lastTask: BulkTask | undefined);
}
/**
 * `waitFor` met a task whose `status` is none the spec names: it cannot tell whether the task will
 * ever finish, so it stops at once rather than poll to its timeout. The list may grow (`created`
 * came after the others): update the client, or read `task` and decide.
 */
declare class UnknownTaskStatusError extends BulkTasksError {
  name: string;
  /** The task waited for. */
  readonly bulkTaskId: string;
  /** Where the value is: `data.status`. */
  readonly field = "data.status";
  /** The status the server sent. */
  readonly value: string;
  /** The task as it came, with the key taken out as from any response body an error keeps. */
  readonly task: BulkTask;
  /** @param task as an error keeps a response body: the key taken out (see redaction.ts) */
  constructor(bulkTaskId: string, task: BulkTask);
}
/** The request never got an HTTP response: DNS, refused or dropped connection, TLS. */
declare class ConnectionError extends BulkTasksError {
  name: string;
}
/** An attempt took longer than `timeoutMs`. Distinct from the caller's own abort, which rethrows its reason. */
declare class TimeoutError extends ConnectionError {
  name: string;
  /** The per-attempt limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options?: ErrorOptions);
}
/** What every HTTP-level error knows about the request and its response, with the API key taken out. */
interface ResponseDetails {
  /** The request's method, such as `GET`. */
  method: string;
  /** The request's URL (it never holds the key). */
  url: string;
  /** The HTTP status. */
  status: number;
  /** The response headers, lower-cased names. */
  headers: Record<string, string>;
  /**
   * The response body: parsed JSON when it was JSON, else the text. A body longer than 64 KiB is
   * kept as the start of its text, ending in `… [cut]`; JSON parts nested deeper than 64 levels are
   * replaced by a note.
   */
  body: unknown;
  /** The request id the server sent (`x-request-id` and similar), when it sent one. */
  requestId: string | undefined;
}
/** A response that is not what the spec promises: HTML from a proxy, truncated JSON, an empty body, a wrong content type. */
declare class UnexpectedResponseError extends BulkTasksError implements ResponseDetails {
  name: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly requestId: string | undefined;
  /** @param message what is wrong; the method and the path are added to it */
  constructor(message: string, details: ResponseDetails, options?: ErrorOptions);
}
/** A 2xx body that breaks the spec's schema, found by the opt-in `validateResponse`. */
declare class ResponseValidationError extends UnexpectedResponseError {
  name: string;
  /** A JSON pointer to the field that broke the contract, such as `/data/items/0/status`. */
  readonly field: string;
  /** The JSON Schema keyword broken, such as `enum`. */
  readonly rule: string;
  constructor(violation: {
    field: string;
    rule: string;
    message: string;
  }, details: ResponseDetails);
}
/** A 2xx body larger than `maxResponseBytes`: refused before it was held whole. */
declare class ResponseTooLargeError extends UnexpectedResponseError {
  name: string;
  /** The limit that was exceeded, in bytes. */
  readonly maxResponseBytes: number;
  constructor(maxResponseBytes: number, details: ResponseDetails);
}
/** The API answered with a non-2xx status. */
declare class ApiError extends BulkTasksError implements ResponseDetails {
  name: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The vendor's error code (`error.code` of the envelope), such as 4004; informative, not exhaustive. */
  readonly code: number | undefined;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly requestId: string | undefined;
  /**
   * How long the server asked to wait before trying again, in seconds (`retry-after-ms` or
   * `Retry-After`), when it said: a 429, or a 503 for maintenance.
   */
  readonly retryAfter: number | undefined;
  constructor(details: ResponseDetails);
  /** The subclass that fits the status. */
  static from(details: ResponseDetails): ApiError;
}
/** 401: the token is missing (code 4002), invalid (4004) or expired (4005). */
declare class AuthenticationError extends ApiError {
  name: string;
}
/** 403: the token lacks the operation's permission (`base.bulk.management.list`, `.get`; code 4003). */
declare class PermissionDeniedError extends ApiError {
  name: string;
}
/** 404: the organization (or the task) does not exist, or the token cannot see it (code 3001). */
declare class NotFoundError extends ApiError {
  name: string;
}
/** 429: too many requests; `retryAfter` says for how long, when the server said. */
declare class RateLimitError extends ApiError {
  name: string;
}
/** 5xx: the server failed. */
declare class ServerError extends ApiError {
  name: string;
}
//#endregion
//#region src/core/rate-limit.d.ts
/** What `onRateLimit` is told when the gate closes. It never holds a header, so never the key. */
interface RateLimitEvent {
  /**
   * Why: `retry-after`, a 429 or 503 that said how long to wait; `backoff`, one that did not (the
   * backoff schedule decides); `quota`, the server's rate-limit headers say its quota is spent.
   */
  cause: "retry-after" | "backoff" | "quota";
  /** The status that closed it (429, 503), or that of the answer whose headers did. */
  status: number;
  /** The request whose answer closed it. */
  method: string;
  url: string;
  /** How long no request of this client is sent from now, in ms. */
  waitMs: number;
}
//#endregion
//#region src/core/transport.d.ts
/** How the client retries and times out; every field has a default (see `DEFAULT_TRANSPORT_OPTIONS`). */
interface TransportOptions {
  /**
   * Retries after the first attempt, on connection errors, timeouts, 408 and 5xx (not 501, 505); 0
   * disables. Never on other statuses (400, 401, 403, 404, ...). A 429 (or a 503 saying how long to
   * wait) is retried within `maxRateLimitWaitMs` instead, whatever this says.
   * @default 2
   */
  maxRetries: number;
  /**
   * Time limit of one attempt, from sending the request to the last byte of the body, in ms.
   * @default 30000
   */
  timeoutMs: number;
  /**
   * The first backoff delay in ms; it doubles with each retry, up to `maxRetryDelayMs`. A retry
   * waits at least its backoff delay, however short a wait the server asks for.
   * @default 500
   */
  initialRetryDelayMs: number;
  /** @default 8000 */
  maxRetryDelayMs: number;
  /**
   * The longest `Retry-After` (or `retry-after-ms`) the client waits for. A server asking for more
   * gets no retry: the error (a `RateLimitError` for 429) carries `retryAfter` for the caller to act on.
   * @default 60000
   */
  maxRetryAfterMs: number;
  /**
   * How long one call may wait, in all, for the server's rate limit: at the client's gate, closed
   * by its own 429 or another request's. A 429 is retried while its wait fits in what is left (so
   * that a long walk under a steady limit finishes); past it, the `RateLimitError`.
   * @default 300000 (5 minutes)
   */
  maxRateLimitWaitMs: number;
  /**
   * The largest 2xx body read, in bytes after decoding; a larger one is a `ResponseTooLargeError`,
   * refused before it is held whole. Error responses are read only as far as an error keeps (64 KiB).
   * @default 33554432 (32 MiB)
   */
  maxResponseBytes: number;
  /**
   * Called before each retry: make retries visible in your logs. The client waits for what it
   * returns (it may be async) before the backoff; an error it throws rejects the call as it is.
   */
  onRetry: ((event: RetryEvent) => unknown) | undefined;
}
/** What `onRetry` is told. It never holds a header, so never the key. */
interface RetryEvent {
  /** `GET`. */
  method: string;
  /** The request URL (the key is never in it). */
  url: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long the client waits before the next attempt, in ms. */
  delayMs: number;
  /** The status that is retried, or undefined when no response came. */
  status: number | undefined;
  /** The connection error or timeout that is retried, or undefined when a response came. */
  error: ConnectionError | undefined;
  /**
   * How long the attempt that failed waited at the client's rate-limit gate before it was sent,
   * in ms (not counted as an attempt, nor in its time limit).
   */
  gateWaitMs: number;
}
/** fetch as the client calls it: `init.signal` aborts the attempt (its time limit, the caller's abort). */
type Fetch = (request: Request, init?: {
  signal: AbortSignal;
}) => Promise<Response>;
//#endregion
//#region src/core/options.d.ts
/** Options of one call; each overrides the client's. */
interface RequestOptions {
  /** Aborts the call (and a walk over pages); it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** @default the client's `maxRetries` */
  maxRetries?: number | undefined;
  /** @default the client's `timeoutMs` */
  timeoutMs?: number | undefined;
  /** @default the client's `maxResponseBytes` */
  maxResponseBytes?: number | undefined;
  /** @default the client's `maxRateLimitWaitMs` */
  maxRateLimitWaitMs?: number | undefined;
}
//#endregion
//#region src/core/parameters.d.ts
/** An operation of the spec, by its operationId. */
type OperationId = keyof operations & keyof typeof parameterRules;
//#endregion
//#region src/core/request.d.ts
/** Where and how a response breaks the spec. */
interface ContractViolation {
  /** A JSON pointer into the body, such as `/data/items/0/status`. */
  field: string;
  /** The JSON Schema keyword broken, such as `enum` or `required`. */
  rule: string;
  /** What is wrong, such as `must be equal to one of the allowed values`. */
  message: string;
}
/**
 * Checks a 2xx response body of an operation; returns the first violation, or undefined when the
 * body keeps the contract. `validateResponse` from `@org/bulk-tasks-api/response-validation`
 * checks every operation against the spec.
 */
type ResponseValidator = (body: unknown, operationId: OperationId) => ContractViolation | undefined;
//#endregion
export { UnexpectedResponseError as C, TimeoutError as S, WaitTimeoutError as T, RateLimitError as _, Fetch as a, ResponseValidationError as b, RateLimitEvent as c, BulkTasksError as d, ConfigurationError as f, PermissionDeniedError as g, NotFoundError as h, RequestOptions as i, ApiError as l, InvalidRequestError as m, ResponseValidator as n, RetryEvent as o, ConnectionError as p, OperationId as r, TransportOptions as s, ContractViolation as t, AuthenticationError as u, ResponseDetails as v, UnknownTaskStatusError as w, ServerError as x, ResponseTooLargeError as y };
// response-validation.d.ts
import { n as ResponseValidator, t as ContractViolation } from "./request.js";

//#region src/response-validation.d.ts
/** Checks a 2xx body of any operation of the spec against its schema; the first violation, or undefined. */
declare const validateResponse: ResponseValidator;
/** Checks a `listBulkTasks` 200 body against the spec; the first violation, or undefined. */
declare const validateListBulkTasksResponse: (body: unknown) => ContractViolation | undefined;
/** Checks a `getBulkTask` 200 body against the spec; the first violation, or undefined. */
declare const validateGetBulkTaskResponse: (body: unknown) => ContractViolation | undefined;
//#endregion
export { type ContractViolation, type ResponseValidator, validateGetBulkTaskResponse, validateListBulkTasksResponse, validateResponse };
// testing-msw.d.ts
import { a as LocalApiRequest, c as paginate, d as DatasetOptions, g as objectId, i as FaultContext, m as generateBulkTasks, n as FakeApiOptions, o as RateLimitOptions, r as Fault, s as RecordedExchange, t as FakeApi, v as seededRandom } from "./fake.js";
import { HttpHandler } from "msw";

//#region src/testing/msw.d.ts
interface LocalApiHandlersOptions extends FakeApiOptions {
  /**
   * The origin (and path prefix, if any) the handlers answer for: the client's default base URL,
   * so that code under test needs no other configuration than its key.
   * @default "https://api.applivery.io"
   */
  baseUrl?: string;
}
interface LocalApiHandlers extends Omit<FakeApi, "handle"> {
  /** Give them to msw: `setupServer(...api.handlers)` (Node.js) or `setupWorker(...api.handlers)`. */
  readonly handlers: HttpHandler[];
  /** The base URL the handlers answer for, without a trailing slash. */
  readonly url: string;
}
/**
 * msw handlers that answer every request under `baseUrl` as the local API does. Faults that break
 * the connection are answered as fetch sees them: `drop` is a network error (msw's
 * `HttpResponse.error()`), `truncate` a body that errors half-way, `stall` a body that sends its
 * start and then nothing (and errors after `ms`, when given).
 */
declare function createLocalApiHandlers(options?: LocalApiHandlersOptions): LocalApiHandlers;
//#endregion
export { type DatasetOptions, type Fault, type FaultContext, LocalApiHandlers, LocalApiHandlersOptions, type LocalApiRequest, type RateLimitOptions, type RecordedExchange, createLocalApiHandlers, generateBulkTasks, objectId, paginate, seededRandom };
// testing.d.ts
import { _ as readNewest, a as LocalApiRequest, c as paginate, d as DatasetOptions, f as LiveTask, g as objectId, h as liveTask, i as FaultContext, l as vendorError, m as generateBulkTasks, n as FakeApiOptions, o as RateLimitOptions, p as LiveTaskOptions, r as Fault, s as RecordedExchange, t as FakeApi, u as DEFAULT_TASK_COUNT, v as seededRandom } from "./fake.js";

//#region src/testing/local-api.d.ts
interface LocalApiOptions extends FakeApiOptions {
  /** @default 0 (any free port) */
  port?: number;
}
interface LocalApi extends Omit<FakeApi, "handle"> {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}
/**
 * Starts the bulk tasks API on 127.0.0.1, offline: both operations of the spec (the list and one
 * task), mongoose-paginate-v2 pagination over a dataset (a page past the end included), the `status`
 * and `action` filters, `sort`, 401 with code 4002 (no key) or 4004 (wrong key), 404 with code 3001
 * for an unknown organization or task, 400 with code 3000 for a parameter the spec refuses, tasks
 * that run on a schedule (`startTask`), CORS on demand, and faults on demand.
 */
declare function startLocalApi(options?: LocalApiOptions): Promise<LocalApi>;
//#endregion
export { DEFAULT_TASK_COUNT, type DatasetOptions, type Fault, type FaultContext, type LiveTask, type LiveTaskOptions, type LocalApi, type LocalApiOptions, type LocalApiRequest, type RateLimitOptions, type RecordedExchange, generateBulkTasks, liveTask, objectId, paginate, readNewest, seededRandom, startLocalApi, vendorError };
// types.d.ts
//#region src/generated/openapi.d.ts
/**
 * This file was auto-generated by openapi-typescript.
 * Do not make direct changes to the file.
 */
interface paths {
  "/v1/organizations/{organizationId}/bulk-tasks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the bulk tasks of an organization
     * @description Returns one page of the organization's bulk tasks, newest first unless `sort` says otherwise.
     *
     *     Pagination follows mongoose-paginate-v2 (its `docs` renamed to `items`): `page` is 1-based,
     *     a page past the end returns `items: []` with `hasNextPage: false`, and `totalPages` is at
     *     least 1 even for an empty organization. Walk pages with `hasNextPage`, not `page < totalPages`.
     *
     *     Required permission: `base.bulk.management.list`.
     */
    get: operations["listBulkTasks"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get one bulk task
     * @description Returns one bulk task of the organization: its state and, once it has run, its report.
     *     A bulk task is an asynchronous CSV import: it is created `pending` (or `created`), runs
     *     `inProgress`, and ends `completed` or `failed`, the terminal states. Poll this operation to
     *     follow a task to its end; `report` fills in as the import proceeds, `error` when it failed.
     *
     *     Source: the vendor's "Get bulkTask by ID" page. Its error responses are not shown there; the
     *     vendor's server framework answers these, with the same envelope as the list's.
     *
     *     Required permission: `base.bulk.management.get`.
     */
    get: operations["getBulkTask"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
interface components {
  schemas: {
    /**
     * BulkTaskStatus
     * @description The state of a bulk task. `created` was added by the vendor after the first published list
     *     (`pending`, `inProgress`, `completed`, `failed`), so the list can grow again.
     *
     *     In responses, a value outside this list is a contract break: the contract tests report it,
     *     and the maintainers add it here. That is a major release of the client (`redocly diff` rates it
     *     so, and `pnpm check-release` enforces it): a switch over the old union stops being exhaustive.
     *     The client does not reject such a task at run time (response validation is opt-in), so code
     *     that switches on `status` should keep a default branch.
     * @enum {string}
     */
    BulkTaskStatus: "pending" | "created" | "inProgress" | "completed" | "failed";
    /**
     * BulkTaskAction
     * @description The kind of import a bulk task runs, as accepted by the `action` filter. In responses the
     *     field is a free string (see `BulkTask.action`), so that a task of a new kind does not break
     *     the contract.
     * @enum {string}
     */
    BulkTaskAction: "import-inventory-items" | "import-mdm-users";
    /**
     * BulkTaskConfig
     * @description The options the import was started with. Only `override` is documented; other options may
     *     appear and are kept.
     */
    BulkTaskConfig: {
      /** @description Whether existing records are overwritten by the imported ones. */override?: boolean;
    } & {
      [key: string]: unknown;
    };
    /**
     * BulkTaskFile
     * @description The uploaded CSV file the task imports, as stored by the vendor. The length limits and the
     *     `storageProviderId` pattern come from the vendor's second rendering of the list page and from
     *     its "Get bulkTask by ID" page; the primary list page leaves them out.
     */
    BulkTaskFile: {
      /** @description The file name as uploaded. At most 256 characters (source, the second rendering). */originalName?: string; /** @description The file's media type, such as `text/csv`. At most 128 characters (source, the second rendering). */
      mimetype?: string; /** @description The file's size in bytes. */
      size?: number; /** @description The storage bucket holding the file. At most 256 characters (source, the second rendering). */
      bucket?: string; /** @description The file's key inside the bucket. At most 256 characters (source, the second rendering). */
      key?: string; /** @description Where the file is stored (a URL). At most 256 characters (source, the second rendering). */
      location?: string; /** @description The storage region. At most 128 characters (source, the second rendering). */
      region?: string;
      /**
       * @description The id of the storage provider configuration that holds the file: a MongoDB ObjectId, 24 hex
       *     digits (source, the second rendering and the "Get bulkTask by ID" page).
       */
      storageProviderId?: string; /** @description The file's checksum, as computed by the vendor. At most 256 characters (source, the second rendering). */
      checksum?: string;
    };
    /**
     * BulkTaskReport
     * @description The outcome of a processed task. The page shows the counts as numbers with the example `0`;
     *     they are counts, so integers here.
     */
    BulkTaskReport: {
      /** @description Rows read from the file. */numItems?: number; /** @description Records created. */
      numInserts?: number; /** @description Records updated. */
      numUpdates?: number; /** @description Rows skipped. */
      numSkips?: number; /** @description Rows that failed. */
      numErrors?: number; /** @description The rows that were skipped. */
      skippedLines?: {
        /** @description The row's line number in the file. */line?: number;
      }[]; /** @description The rows that failed, with why. */
      erroredLines?: {
        /** @description The row's line number in the file. */line?: number; /** @description Why the row failed. */
        reason?: string;
      }[];
    };
    /**
     * BulkTaskUser
     * @description The user who created the task (personal data).
     */
    BulkTaskUser: {
      /** @description The user's id (24 hex digits). */id?: string;
      /**
       * Format: email
       * @description The user's email address.
       */
      email?: string; /** @description The user's first name. */
      firstName?: string; /** @description The user's last name. */
      lastName?: string; /** @description The user's full name. */
      fullName?: string;
      /**
       * Format: uri
       * @description The address of the user's profile picture.
       */
      picture?: string;
    };
    /**
     * BulkTask
     * @description One bulk task. Required: the fields every stored task has (its id, state, kind and Mongoose
     *     timestamps). The rest is sent when the task has it: `file` once uploaded, `report` once
     *     processed, `error` when it failed.
     */
    BulkTask: {
      /** @description The task's id (a MongoDB ObjectId, 24 hex digits). */id: string;
      status: components["schemas"]["BulkTaskStatus"];
      config?: components["schemas"]["BulkTaskConfig"];
      file?: components["schemas"]["BulkTaskFile"];
      /**
       * @description The kind of import, such as `import-inventory-items` or `import-mdm-users`. The page documents
       *     it as a free string of at most 1000 characters in responses, while the `action` query
       *     filter is an enum (see `BulkTaskAction`); both are kept as documented.
       */
      action: string;
      report?: components["schemas"]["BulkTaskReport"]; /** @description Why the task failed, when it did. */
      error?: string;
      createdBy?: components["schemas"]["BulkTaskUser"];
      /**
       * Format: date-time
       * @description When the task last changed (RFC 3339).
       */
      updatedAt: string;
      /**
       * Format: date-time
       * @description When the task was created (RFC 3339).
       */
      createdAt: string;
    };
    /**
     * BulkTaskPage
     * @description One page of tasks: mongoose-paginate-v2 output with `docs` renamed to `items`. Every field but
     *     `lean` is always sent, although the documentation page marks them all optional;
     *     `pagingCounter`, which the page omits, is sent too.
     */
    BulkTaskPage: {
      /** @description The tasks of this page; empty on a page past the end. */items: components["schemas"]["BulkTask"][]; /** @description How many tasks match the filters, across all pages. */
      totalDocs: number; /** @description The page size used. */
      limit: number; /** @description The page returned, 1-based; echoes the requested page even past the end. */
      page: number; /** @description How many pages there are; at least 1, even when `totalDocs` is 0. */
      totalPages: number; /** @description The 1-based position of this page's first task in the whole list, `(page - 1) * limit + 1`. */
      pagingCounter: number; /** @description Whether a page comes before this one. */
      hasPrevPage: boolean; /** @description Whether a page comes after this one. The reliable end-of-list signal. */
      hasNextPage: boolean; /** @description The previous page's number, or `null` on the first page. */
      prevPage: number | null; /** @description The next page's number, or `null` on the last page and past the end. */
      nextPage: number | null;
      /**
       * @description Listed by the documentation page, but an input option of mongoose-paginate-v2 that real
       *     responses do not carry. Kept optional so that a response that has it stays valid.
       */
      lean?: boolean;
    };
    /**
     * ListBulkTasksResponse
     * @description The success envelope that wraps every page.
     */
    ListBulkTasksResponse: {
      /**
       * @description Always `true` on success.
       * @constant
       */
      status: true;
      data: components["schemas"]["BulkTaskPage"];
    };
    /**
     * ErrorEnvelope
     * @description The envelope of every error response, as built by the vendor's server framework
     *     (express-deliver).
     */
    ErrorEnvelope: {
      /**
       * @description Always `false` on error.
       * @constant
       */
      status: false; /** @description What went wrong. */
      error: {
        /**
         * @description The vendor's error code, such as 4002 (no auth token), 4004 (invalid token),
         *     4005 (token expired), 3001 (entity not found). The catalogue has changed over the
         *     years: read it as information, never as an exhaustive list.
         */
        code: number; /** @description A human-readable message, in English. */
        message: string; /** @description Details about the error, when the server has any. Any JSON value. */
        data?: unknown;
      };
    };
    /**
     * GetBulkTaskResponse
     * @description The success envelope that wraps one bulk task.
     */
    GetBulkTaskResponse: {
      /**
       * @description Always `true` on success.
       * @constant
       */
      status: true;
      data: components["schemas"]["BulkTask"];
    };
  };
  responses: {
    /**
     * @description The token is missing (code 4002), invalid (4004) or expired (4005). The documentation page
     *     shows 4004 in its schema and 4002 in its example: both are real, so both are examples here.
     */
    Unauthorized: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorEnvelope"];
      };
    };
    /**
     * @description The token is valid but lacks the operation's permission (code 4003). The vendor's pages show no
     *     403; its server framework answers one for a missing permission, with this envelope.
     */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorEnvelope"];
      };
    };
    /**
     * @description The organization does not exist or the token cannot see it, or (for one task) the task does
     *     not exist in that organization (code 3001). A task of another organization is answered the
     *     same way, as far as is known.
     */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorEnvelope"];
      };
    };
  };
  parameters: {
    /**
     * @description The organization: its 24-hex-digit id, or its slug (letters, digits and hyphens, at least 3
     *     characters, such as `lab`).
     *
     *     Correction: the documentation page shows the pattern `^(([a-fA-F0-9]{24})|([a-zA-Z0-9\\-]{3,}))$`.
     *     Written literally, its doubled backslash also admits `\` in a slug; the intent is a hyphen.
     * @example lab
     */
    OrganizationId: string;
    /**
     * @description The 1-based page to return. Defaults to 1. The server turns a value below 1 into 1; this
     *     description refuses it instead, so that a client catches the mistake before sending it.
     * @example 1
     */
    Page: number;
    /**
     * @description The most tasks to return in one page. No maximum is documented. The default (100) is read off
     *     the vendor's server skeleton, not documented. The server returns no items for a value below 1;
     *     this description refuses it instead.
     * @example 50
     */
    Limit: number;
    /**
     * @description One field to sort by, optionally followed by `:asc` or `:desc` (lower case), such as
     *     `createdAt:desc`. Defaults to newest first.
     * @example createdAt:desc
     */
    Sort: string;
    /**
     * @description Only the tasks in this state.
     * @example failed
     */
    StatusFilter: components["schemas"]["BulkTaskStatus"];
    /**
     * @description Only the tasks of this kind.
     * @example import-inventory-items
     */
    ActionFilter: components["schemas"]["BulkTaskAction"];
    /**
     * @description The bulk task's id (a MongoDB ObjectId, 24 hex digits), as `id` in a list's items.
     *     Source: the vendor's "Get bulkTask by ID" page.
     * @example 65a1f0c2e4b0a1b2c3d4e5f6
     */
    BulkTaskId: string;
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
interface operations {
  listBulkTasks: {
    parameters: {
      query?: {
        /**
         * @description The 1-based page to return. Defaults to 1. The server turns a value below 1 into 1; this
         *     description refuses it instead, so that a client catches the mistake before sending it.
         * @example 1
         */
        page?: components["parameters"]["Page"];
        /**
         * @description The most tasks to return in one page. No maximum is documented. The default (100) is read off
         *     the vendor's server skeleton, not documented. The server returns no items for a value below 1;
         *     this description refuses it instead.
         * @example 50
         */
        limit?: components["parameters"]["Limit"];
        /**
         * @description One field to sort by, optionally followed by `:asc` or `:desc` (lower case), such as
         *     `createdAt:desc`. Defaults to newest first.
         * @example createdAt:desc
         */
        sort?: components["parameters"]["Sort"];
        /**
         * @description Only the tasks in this state.
         * @example failed
         */
        status?: components["parameters"]["StatusFilter"];
        /**
         * @description Only the tasks of this kind.
         * @example import-inventory-items
         */
        action?: components["parameters"]["ActionFilter"];
      };
      header?: never;
      path: {
        /**
         * @description The organization: its 24-hex-digit id, or its slug (letters, digits and hyphens, at least 3
         *     characters, such as `lab`).
         *
         *     Correction: the documentation page shows the pattern `^(([a-fA-F0-9]{24})|([a-zA-Z0-9\\-]{3,}))$`.
         *     Written literally, its doubled backslash also admits `\` in a slug; the intent is a hyphen.
         * @example lab
         */
        organizationId: components["parameters"]["OrganizationId"];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of bulk tasks. */200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListBulkTasksResponse"];
        };
      };
      401: components["responses"]["Unauthorized"];
      403: components["responses"]["Forbidden"];
      404: components["responses"]["NotFound"];
    };
  };
  getBulkTask: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The organization: its 24-hex-digit id, or its slug (letters, digits and hyphens, at least 3
         *     characters, such as `lab`).
         *
         *     Correction: the documentation page shows the pattern `^(([a-fA-F0-9]{24})|([a-zA-Z0-9\\-]{3,}))$`.
         *     Written literally, its doubled backslash also admits `\` in a slug; the intent is a hyphen.
         * @example lab
         */
        organizationId: components["parameters"]["OrganizationId"];
        /**
         * @description The bulk task's id (a MongoDB ObjectId, 24 hex digits), as `id` in a list's items.
         *     Source: the vendor's "Get bulkTask by ID" page.
         * @example 65a1f0c2e4b0a1b2c3d4e5f6
         */
        bulkTaskId: components["parameters"]["BulkTaskId"];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The bulk task. */200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetBulkTaskResponse"];
        };
      };
      401: components["responses"]["Unauthorized"];
      403: components["responses"]["Forbidden"];
      404: components["responses"]["NotFound"];
    };
  };
}
//#endregion
//#region src/generated/parameter-rules.d.ts
/**
 * The values of listBulkTasks's `sort` (x-sort-fields of the spec): a field, alone or
 * followed by `:asc` or `:desc`, such as `"createdAt:desc"`.
 */
type ListBulkTasksSort = `${ListBulkTasksSortField}${"" | ":asc" | ":desc"}`;
/** The fields listBulkTasks can sort by. */
type ListBulkTasksSortField = "createdAt" | "updatedAt" | "status" | "action" | "id" | "error" | "file.originalName" | "file.size" | "file.mimetype" | "report.numItems" | "report.numInserts" | "report.numUpdates" | "report.numSkips" | "report.numErrors" | "createdBy.email";
/** Every operation's parameter rules, by operationId (for the local API, which answers them all). */
declare const parameterRules: {
  readonly listBulkTasks: {
    readonly organizationId: {
      readonly in: "path";
      readonly type: "string";
      readonly test: (value: unknown) => boolean;
      readonly rule: "an organization's 24-hex-digit id, or its slug of 3 or more letters, digits and hyphens (such as lab)";
      readonly pattern: "^([a-fA-F0-9]{24}|[a-zA-Z0-9-]{3,})$";
    };
    readonly page: {
      readonly in: "query";
      readonly type: "integer";
      readonly test: (value: unknown) => boolean;
      readonly rule: "an integer >= 1";
    };
    readonly limit: {
      readonly in: "query";
      readonly type: "integer";
      readonly test: (value: unknown) => boolean;
      readonly rule: "an integer >= 1";
    };
    readonly sort: {
      readonly in: "query";
      readonly type: "string";
      readonly test: (value: unknown) => boolean;
      readonly rule: "a field name (letters, digits, _ and dots), optionally followed by :asc or :desc in lower case (such as createdAt:desc)";
      readonly pattern: "^[\\w.]*((:asc)|(:desc))?$";
    };
    readonly status: {
      readonly in: "query";
      readonly type: "string";
      readonly test: (value: unknown) => boolean;
      readonly rule: "one of \"pending\", \"created\", \"inProgress\", \"completed\", \"failed\"";
      readonly values: readonly ["pending", "created", "inProgress", "completed", "failed"];
    };
    readonly action: {
      readonly in: "query";
      readonly type: "string";
      readonly test: (value: unknown) => boolean;
      readonly rule: "one of \"import-inventory-items\", \"import-mdm-users\"";
      readonly values: readonly ["import-inventory-items", "import-mdm-users"];
    };
  };
  readonly getBulkTask: {
    readonly organizationId: {
      readonly in: "path";
      readonly type: "string";
      readonly test: (value: unknown) => boolean;
      readonly rule: "an organization's 24-hex-digit id, or its slug of 3 or more letters, digits and hyphens (such as lab)";
      readonly pattern: "^([a-fA-F0-9]{24}|[a-zA-Z0-9-]{3,})$";
    };
    readonly bulkTaskId: {
      readonly in: "path";
      readonly type: "string";
      readonly test: (value: unknown) => boolean;
      readonly rule: "a task id of 24 hex digits (0-9, a-f), such as 65a1f0c2e4b0a1b2c3d4e5f6";
      readonly pattern: "^[a-fA-F0-9]{24}$";
    };
  };
};
//#endregion
//#region src/types.d.ts
type Schemas = components["schemas"];
/** One bulk task, as the API returns it. */
type BulkTask = Schemas["BulkTask"];
/** One page of bulk tasks: the `data` of the list response. */
type BulkTaskPage = Schemas["BulkTaskPage"];
/** The states a bulk task can be in. */
type BulkTaskStatus = Schemas["BulkTaskStatus"];
/** The kinds of bulk task the `action` filter accepts. */
type BulkTaskAction = Schemas["BulkTaskAction"];
/** The file a bulk task imports. */
type BulkTaskFile = Schemas["BulkTaskFile"];
/** The outcome of a processed bulk task. */
type BulkTaskReport = Schemas["BulkTaskReport"];
/** The user who created a bulk task. */
type BulkTaskUser = Schemas["BulkTaskUser"];
/**
 * A task `waitFor` resolved to: one that reached a status it does not leave. A `switch` over its
 * status needs no other case.
 */
type FinishedBulkTask = BulkTask & {
  status: "completed" | "failed";
};
/** The envelope of every error response. */
type ErrorEnvelope = Schemas["ErrorEnvelope"];
type GeneratedListBulkTasksQuery = NonNullable<operations["listBulkTasks"]["parameters"]["query"]>;
/**
 * The query parameters of `GET /v1/organizations/{organizationId}/bulk-tasks`. An `undefined` value
 * is left out of the request, so that `{ page: maybePage }` compiles under `exactOptionalPropertyTypes`.
 */
type ListBulkTasksQuery = { [K in keyof GeneratedListBulkTasksQuery]?: K extends "sort" ? ListBulkTasksSort | undefined : GeneratedListBulkTasksQuery[K] | undefined };
/** The path parameters of `GET /v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}`. */
type GetBulkTaskParameters = operations["getBulkTask"]["parameters"]["path"];
//#endregion
export { paths as _, BulkTaskReport as a, ErrorEnvelope as c, ListBulkTasksQuery as d, ListBulkTasksSort as f, operations as g, components as h, BulkTaskPage as i, FinishedBulkTask as l, parameterRules as m, BulkTaskAction as n, BulkTaskStatus as o, ListBulkTasksSortField as p, BulkTaskFile as r, BulkTaskUser as s, BulkTask as t, GetBulkTaskParameters as u };