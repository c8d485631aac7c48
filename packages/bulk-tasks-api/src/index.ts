export {
  type BulkTasksClient,
  type BulkTasksClientOptions,
  type BulkTasksResource,
  type ContractViolation,
  createBulkTasksClient,
  DEFAULT_BASE_URL,
  type RequestOptions,
  type ResponseValidator,
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
} from "./errors.js";
export type { components, operations, paths } from "./generated/openapi.js";
export { BulkTaskList } from "./pagination.js";
export type { Fetch, RetryEvent } from "./transport.js";
export type {
  BulkTask,
  BulkTaskAction,
  BulkTaskFile,
  BulkTaskPage,
  BulkTaskReport,
  BulkTaskStatus,
  BulkTaskUser,
  ErrorEnvelope,
  ListBulkTasksQuery,
} from "./types.js";
