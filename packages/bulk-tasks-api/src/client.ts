/**
 * `createBulkTasksClient`: a client's shared part (client-core.ts) with every operation composed
 * onto one object, and the raw openapi-fetch client beside them.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { type BulkTasksClientOptions, readClientOptions } from "./client-core.js";
import { attachContext, type BulkTasksCore } from "./core/context.js";
import type { RequestOptions } from "./core/options.js";
import type { BulkTaskList } from "./core/pagination.js";
import { createTransport } from "./core/transport.js";
import type { paths } from "./generated/openapi.js";
import { getBulkTask } from "./operations/get-bulk-task.js";
import { type ListOptions, listBulkTasks } from "./operations/list-bulk-tasks.js";
import { type WaitOptions, waitForBulkTask } from "./operations/wait-for-bulk-task.js";
import type { BulkTask, FinishedBulkTask, ListBulkTasksQuery } from "./types.js";

/** The bulk tasks operations. */
export interface BulkTasksResource {
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
export interface BulkTasksClient {
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
export function createBulkTasksClient(options: BulkTasksClientOptions = {}): BulkTasksClient {
  const context = readClientOptions(options);
  const { Authorization: authorization = "", ...extraHeaders } = context.headers;
  const raw = createClient<paths>({
    baseUrl: context.baseUrl,
    fetch: createTransport(context.fetch, context.transport, context.redactor, context.gate),
    headers: extraHeaders,
  });
  raw.use(bearerAuth(authorization));
  const bulkTasks: BulkTasksResource = {
    list: (organizationId, query, listOptions) => listBulkTasks(client, organizationId, query, listOptions),
    get: (organizationId, bulkTaskId, getOptions) =>
      getBulkTask(client, organizationId, bulkTaskId, getOptions),
    waitFor: (organizationId, bulkTaskId, waitOptions) =>
      waitForBulkTask(client, organizationId, bulkTaskId, waitOptions),
  };
  const client: BulkTasksClient = { raw, bulkTasks };
  attachContext(client, context);
  return client;
}

// For `raw`: a middleware rather than a default header, so that the key lives only in this closure,
// never in an options object that a caller might log, and replaces any Authorization passed per call.
function bearerAuth(authorization: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set("Authorization", authorization);
      return request;
    },
  };
}

export type { ContractViolation, ResponseValidator } from "./core/request.js";
export type { ListOptions } from "./operations/list-bulk-tasks.js";
export type { WaitOptions } from "./operations/wait-for-bulk-task.js";
