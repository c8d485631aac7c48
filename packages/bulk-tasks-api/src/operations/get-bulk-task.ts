/** `GET /v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}` (getBulkTask): one task. */
import { type RequestOptions, readCallOptions } from "../core/options.js";
import { type ClientContext, callOperation, checkParameters } from "../core/request.js";
import type { BulkTask } from "../types.js";

const PATH = "/v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}";

/**
 * Gets one task, with the response it came in (for `waitFor`, which reads the poll interval a
 * server may ask for).
 */
export async function fetchBulkTask(
  context: ClientContext,
  organizationId: string,
  bulkTaskId: string,
  options: RequestOptions | undefined,
): Promise<{ data: BulkTask; response: Response }> {
  const { transport, signal } = readCallOptions(context.transport, options);
  checkParameters("getBulkTask", { organizationId, bulkTaskId });
  return callOperation<BulkTask>(context, {
    operationId: "getBulkTask",
    path: PATH,
    pathParams: { organizationId, bulkTaskId },
    transport,
    signal,
    // A task is told apart by its id and followed by its status; the rest is left to the opt-in
    // response validation.
    brokenField: (data) => {
      const { id, status } = data as Partial<Record<keyof BulkTask, unknown>>;
      // Hex digits in either case name the same task.
      if (typeof id !== "string" || id.toLowerCase() !== bulkTaskId.toLowerCase()) {
        return ["data.id", "the id asked for"];
      }
      return typeof status === "string" ? undefined : ["data.status", "a string"];
    },
  });
}

/** `get(organizationId, bulkTaskId, options?)`: the task. */
export function getBulkTask(context: ClientContext) {
  return async (organizationId: string, bulkTaskId: string, options?: RequestOptions): Promise<BulkTask> =>
    (await fetchBulkTask(context, organizationId, bulkTaskId, options)).data;
}
