/** `GET /v1/organizations/{organizationId}/bulk-tasks` (listBulkTasks): one page, or a walk. */

import { type BulkTasksCore, contextOf } from "../core/context.js";
import {
  brokenCount,
  plainCopy,
  type RequestOptions,
  readCallOptions,
  refuseParameter,
  withoutKey,
} from "../core/options.js";
import { BulkTaskList } from "../core/pagination.js";
import type { ClientContext } from "../core/request.js";
import { callOperation, checkParameters } from "../core/request.js";
import { listBulkTasksParameterRules as rules } from "../generated/parameter-rules.js";
import type { BulkTaskPage, ListBulkTasksQuery } from "../types.js";

/** Options of `list()`; each overrides the client's. */
export interface ListOptions extends RequestOptions {
  /** @default the client's `concurrency` */
  concurrency?: number | undefined;
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
  client: BulkTasksCore,
  organizationId: string,
  query?: ListBulkTasksQuery,
  options?: ListOptions,
): BulkTaskList {
  // The query is read once, here: the copy is what is checked and what every page sends.
  let context: ClientContext | undefined;
  let copy: ListBulkTasksQuery = {};
  let call: ReturnType<typeof readCallOptions<"concurrency">> | undefined;
  let concurrency = 1;
  let invalid: Error | undefined;
  try {
    context = contextOf(client);
    copy = plainCopy("query", query, refuseParameter) as ListBulkTasksQuery;
    call = readCallOptions(context.transport, options, ["concurrency"]);
    checkParameters(rules, { organizationId }, copy);
    concurrency = (call.rest.concurrency as number | undefined) ?? context.concurrency;
    const broken = brokenCount("concurrency", concurrency);
    if (broken) refuseParameter(...broken);
  } catch (error) {
    invalid = (context ? withoutKey(error, context.redactor) : error) as Error;
  }
  // Only reached with a context and a call: an invalid list rejects before it loads anything.
  const loadPage = async (page: number | undefined, signal: AbortSignal | undefined) => {
    const pageQuery = page === undefined ? copy : { ...copy, page };
    const { data } = await callOperation<BulkTaskPage>(context as ClientContext, {
      operationId: "listBulkTasks",
      path: PATH,
      pathParams: { organizationId },
      query: pageQuery,
      transport: (call as NonNullable<typeof call>).transport,
      signal,
      brokenField: (data) => brokenPageField(data, pageQuery.page),
    });
    return data;
  };
  return new BulkTaskList({
    load: loadPage,
    startPage: copy.page,
    concurrency,
    signal: call?.signal,
    invalid,
    throttles: () => context?.gate.throttles ?? 0,
  });
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
