/** `GET /v1/organizations/{organizationId}/bulk-tasks` (listBulkTasks): one page, or a walk. */

import type { BulkTasksClient } from "../client.js";
import { type BulkTasksCore, contextOf } from "../core/context.js";
import {
  brokenCount,
  type CallOptions,
  plainCopy,
  type RequestOptions,
  refuseParameter,
  withoutKey,
} from "../core/options.js";
import { BulkTaskList, type ListChangeEvent, refusedList } from "../core/pagination.js";
import { type ClientContext, callOperation, prepareCall } from "../core/request.js";
import { listBulkTasksParameterRules as rules } from "../generated/parameter-rules.js";
import type { BulkTaskPage, ListBulkTasksQuery } from "../types.js";

/** Options of `list()`; each overrides the client's. */
export interface ListOptions extends RequestOptions {
  /** @default the client's `concurrency` */
  concurrency?: number | undefined;
  /**
   * Called during a walk when a page's `totalDocs` differs from the page before it: tasks were
   * created or deleted under the walk, which may have missed some (walk again to see them). An
   * error it throws ends the walk.
   */
  onListChange?: ((event: ListChangeEvent) => unknown) | undefined;
}

const PATH = "/v1/organizations/{organizationId}/bulk-tasks";

/** The walk holds a server's page count to the rule it holds a caller's page number to. */
const isPageNumber = rules.page.test;

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
export function listBulkTasks(
  client: BulkTasksCore | BulkTasksClient,
  organizationId: string,
  query?: ListBulkTasksQuery,
  options?: ListOptions,
): BulkTaskList {
  let prepared: PreparedList;
  try {
    prepared = prepareList(client, organizationId, query, options);
  } catch (error) {
    // Awaiting or iterating the list rejects with the refusal; nothing is loaded.
    return refusedList(error as Error);
  }
  const { context, copy, call, concurrency, onListChange } = prepared;
  const loadPage = async (page: number | undefined, signal: AbortSignal | undefined) => {
    const pageQuery = page === undefined ? copy : { ...copy, page };
    const { data } = await callOperation<BulkTaskPage>(context, {
      operationId: "listBulkTasks",
      path: PATH,
      pathParams: { organizationId },
      query: pageQuery,
      transport: call.transport,
      signal,
      brokenField: (data) => brokenPageField(data, pageQuery.page),
    });
    return data;
  };
  return new BulkTaskList({
    load: loadPage,
    startPage: copy.page,
    concurrency,
    signal: call.signal,
    onListChange,
  });
}

interface PreparedList {
  context: ClientContext;
  /** The query, read once: what is checked and what every page sends. */
  copy: ListBulkTasksQuery;
  call: CallOptions;
  concurrency: number;
  onListChange: ListOptions["onListChange"];
}

/**
 * The client's settings, the query and the options, read once and checked.
 * @throws {ConfigurationError} when `client` is not a client
 * @throws {InvalidRequestError} naming the parameter or the option; the key is never quoted
 */
function prepareList(
  client: BulkTasksCore | BulkTasksClient,
  organizationId: string,
  query: ListBulkTasksQuery | undefined,
  options: ListOptions | undefined,
): PreparedList {
  const context = contextOf(client);
  try {
    const copy = plainCopy("query", query, refuseParameter) as ListBulkTasksQuery;
    const call = prepareCall(context, rules, { path: { organizationId }, query: copy }, options, [
      "concurrency",
      "onListChange",
    ]);
    const { concurrency = context.concurrency, onListChange } = call.rest;
    const broken = brokenCount("concurrency", concurrency);
    if (broken) refuseParameter(...broken);
    if (onListChange !== undefined && typeof onListChange !== "function") {
      refuseParameter("onListChange", onListChange, "a function");
    }
    return {
      context,
      copy,
      call,
      concurrency: concurrency as number,
      onListChange: onListChange as ListOptions["onListChange"],
    };
  } catch (error) {
    throw withoutKey(error, context.redactor);
  }
}

/**
 * The first field a page cannot do without, as [where, what it must be], or undefined when all are
 * there. The walk steers by page, totalPages and hasNextPage: without them it would end early, or
 * never, in silence; with a page count the caller could not send (0, -1, 1.5), it would send it.
 * Other fields are left to the opt-in response validation.
 *
 * The API echoes the page asked for, even past the end. Another page means the page parameter was
 * lost on the way (a cache keyed on the path alone), and a walk would yield the same tasks again.
 */
function brokenPageField(data: unknown, pageAskedFor: number | undefined): [string, string] | undefined {
  const { items, page, totalPages, hasNextPage } = data as Partial<Record<keyof BulkTaskPage, unknown>>;
  if (!Array.isArray(items)) return ["data.items", "an array"];
  // No page asked for is page 1, the spec's default.
  const expected = pageAskedFor ?? 1;
  if (page !== expected) return ["data.page", `${expected}, the page asked for`];
  if (!isPageNumber(totalPages)) return ["data.totalPages", "an integer >= 1"];
  if (typeof hasNextPage !== "boolean") return ["data.hasNextPage", "a boolean"];
  return undefined;
}
