export {
  type BulkTasksClient,
  type BulkTasksClientOptions,
  type BulkTasksResource,
  type ContractViolation,
  createBulkTasksClient,
  DEFAULT_BASE_URL,
  type ListOptions,
  type RequestOptions,
  type ResponseValidator,
  type WaitOptions,
} from "./client.js";
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
  WaitTimeoutError,
} from "./core/errors.js";
export { BulkTaskList } from "./core/pagination.js";
export type { OperationId } from "./core/parameters.js";
export type { RateLimitEvent } from "./core/rate-limit.js";
export type { Fetch, RetryEvent } from "./core/transport.js";
export type { components, operations, paths } from "./generated/openapi.js";
export { TERMINAL_STATUSES } from "./operations/wait-for-bulk-task.js";
export type {
  BulkTask,
  BulkTaskAction,
  BulkTaskFile,
  BulkTaskPage,
  BulkTaskReport,
  BulkTaskStatus,
  BulkTaskUser,
  ErrorEnvelope,
  GetBulkTaskParameters,
  ListBulkTasksQuery,
} from "./types.js";
