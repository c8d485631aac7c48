/**
 * Test helpers for applications that use @org/bulk-tasks-api: a faithful local bulk tasks API on
 * 127.0.0.1 (Node.js), and realistic datasets for it. The same fake answers through msw in
 * `@org/bulk-tasks-api/testing/msw`.
 */
export {
  type DatasetOptions,
  DEFAULT_TASK_COUNT,
  generateBulkTasks,
  type LiveTask,
  type LiveTaskOptions,
  liveTask,
  objectId,
  readNewest,
  seededRandom,
} from "./dataset.js";
export { vendorError } from "./fake.js";
export {
  type Fault,
  type FaultContext,
  type LocalApi,
  type LocalApiOptions,
  type LocalApiRequest,
  paginate,
  type RateLimitOptions,
  type RecordedExchange,
  startLocalApi,
} from "./local-api.js";
