export {
  type BulkTasksClient,
  type BulkTasksResource,
  type ContractViolation,
  createBulkTasksClient,
  type ListOptions,
  type ResponseValidator,
  type WaitOptions,
} from "./client.js";
export { type BulkTasksClientOptions, createBulkTasksCore, DEFAULT_BASE_URL } from "./client-core.js";
export type { BulkTasksCore } from "./core/context.js";
export {
  ApiError,
  AuthenticationError,
  BulkTasksError,
  ConfigurationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type ResponseDetails,
  ResponseTooLargeError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
  UnknownTaskStatusError,
  WaitTimeoutError,
} from "./core/errors.js";
export type { RequestOptions } from "./core/options.js";
export { BulkTaskList, type ListChangeEvent } from "./core/pagination.js";
export type { OperationId } from "./core/parameters.js";
export type { RateLimitEvent } from "./core/rate-limit.js";
// The "did you mean" of every refusal, for tools built on the client (the CLI suggests its flags with it).
export { closestName } from "./core/suggest.js";
export type { Fetch, RetryEvent } from "./core/transport.js";
export type { components, operations, paths } from "./generated/openapi.js";
// The operations as standalone functions, for bundles that keep only the ones they call.
export { getBulkTask } from "./operations/get-bulk-task.js";
export { listBulkTasks } from "./operations/list-bulk-tasks.js";
export { TERMINAL_STATUSES, waitForBulkTask } from "./operations/wait-for-bulk-task.js";
export type {
  BulkTask,
  BulkTaskAction,
  BulkTaskFile,
  BulkTaskPage,
  BulkTaskReport,
  BulkTaskStatus,
  BulkTaskUser,
  ErrorEnvelope,
  FinishedBulkTask,
  GetBulkTaskParameters,
  ListBulkTasksQuery,
  ListBulkTasksSort,
  ListBulkTasksSortField,
} from "./types.js";
