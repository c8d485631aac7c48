/** `GET /v1/organizations/{organizationId}/bulk-tasks` (listBulkTasks): one page, or a walk. */

import {
  brokenCount,
  plainCopy,
  type RequestOptions,
  readCallOptions,
  refuseParameter,
} from "../core/options.js";
import { BulkTaskList } from "../core/pagination.js";
import { rulesOf } from "../core/parameters.js";
import { type ClientContext, callOperation, checkParameters } from "../core/request.js";
import type { BulkTaskPage, ListBulkTasksQuery } from "../types.js";

/** Options of `list()`; each overrides the client's. */
export interface ListOptions extends RequestOptions {
  /** @default the client's `concurrency` */
  concurrency?: number | undefined;
}

const PATH = "/v1/organizations/{organizationId}/bulk-tasks";

/** The walk holds a server's page count to the rule it holds a caller's page number to. */
const isPageNumber = rulesOf("listBulkTasks").page?.test ?? Number.isSafeInteger;

/**
 * `list(organizationId, query?, options?)`: a {@link BulkTaskList}, awaitable as one page and
 * iterable over every task of every page.
 */
export function listBulkTasks(context: ClientContext, defaultConcurrency: number) {
  return (organizationId: string, query?: ListBulkTasksQuery, options?: ListOptions): BulkTaskList => {
    // The query is read once, here: the copy is what is checked and what every page sends.
    let copy: ListBulkTasksQuery = {};
    let call: ReturnType<typeof readCallOptions<"concurrency">> | undefined;
    let concurrency = defaultConcurrency;
    let invalid: Error | undefined;
    try {
      copy = plainCopy("query", query, refuseParameter) as ListBulkTasksQuery;
      call = readCallOptions(context.transport, options, ["concurrency"]);
      checkParameters("listBulkTasks", { organizationId }, copy);
      concurrency = (call.rest.concurrency as number | undefined) ?? defaultConcurrency;
      const broken = brokenCount("concurrency", concurrency);
      if (broken) refuseParameter(...broken);
    } catch (error) {
      invalid = error as Error;
    }
    const loadPage = async (page: number | undefined, signal: AbortSignal | undefined) => {
      const pageQuery = page === undefined ? copy : { ...copy, page };
      const { data } = await callOperation<BulkTaskPage>(context, {
        operationId: "listBulkTasks",
        path: PATH,
        pathParams: { organizationId },
        query: pageQuery,
        transport: call?.transport ?? context.transport,
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
      throttles: () => context.gate.throttles,
    });
  };
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
