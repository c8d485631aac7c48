import type { components, operations } from "./generated/openapi.js";
import type { ListBulkTasksSort } from "./generated/parameter-rules.js";

export type { ListBulkTasksSort, ListBulkTasksSortField } from "./generated/parameter-rules.js";

type Schemas = components["schemas"];

/** One bulk task, as the API returns it. */
export type BulkTask = Schemas["BulkTask"];
/** One page of bulk tasks: the `data` of the list response. */
export type BulkTaskPage = Schemas["BulkTaskPage"];
/** The states a bulk task can be in. */
export type BulkTaskStatus = Schemas["BulkTaskStatus"];
/** The kinds of bulk task the `action` filter accepts. */
export type BulkTaskAction = Schemas["BulkTaskAction"];
/** The file a bulk task imports. */
export type BulkTaskFile = Schemas["BulkTaskFile"];
/** The outcome of a processed bulk task. */
export type BulkTaskReport = Schemas["BulkTaskReport"];
/** The user who created a bulk task. */
export type BulkTaskUser = Schemas["BulkTaskUser"];
/**
 * A task `waitFor` resolved to: one that reached a status it does not leave. A `switch` over its
 * status needs no other case.
 */
export type FinishedBulkTask = BulkTask & { status: "completed" | "failed" };
/** The envelope of every error response. */
export type ErrorEnvelope = Schemas["ErrorEnvelope"];
type GeneratedListBulkTasksQuery = NonNullable<operations["listBulkTasks"]["parameters"]["query"]>;

/**
 * The query parameters of `GET /v1/organizations/{organizationId}/bulk-tasks`. An `undefined` value
 * is left out of the request, so that `{ page: maybePage }` compiles under `exactOptionalPropertyTypes`.
 */
export type ListBulkTasksQuery = {
  [K in keyof GeneratedListBulkTasksQuery]?: K extends "sort"
    ? ListBulkTasksSort | undefined
    : GeneratedListBulkTasksQuery[K] | undefined;
};

/** The path parameters of `GET /v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}`. */
export type GetBulkTaskParameters = operations["getBulkTask"]["parameters"]["path"];
