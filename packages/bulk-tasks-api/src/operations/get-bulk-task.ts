/** `GET /v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}` (getBulkTask): one task. */
import type { BulkTasksClient } from "../client.js";
import { type BulkTasksCore, contextOf } from "../core/context.js";
import type { RequestOptions } from "../core/options.js";
import { type ClientContext, callOperation, prepareCall } from "../core/request.js";
import { getBulkTaskParameterRules as rules } from "../generated/parameter-rules.js";
import type { BulkTask } from "../types.js";

const PATH = "/v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}";

/**
 * Checks a get's input once and gives the call, which resolves to the task with the response it
 * came in: `waitFor` makes it again at each poll, and reads the poll interval a server may ask for.
 * @throws {InvalidRequestError} naming the parameter or the option; nothing is sent
 */
export function prepareFetchBulkTask(
  context: ClientContext,
  organizationId: string,
  bulkTaskId: string,
  options: RequestOptions | undefined,
): () => Promise<{ data: BulkTask; response: Response }> {
  const { transport, signal } = prepareCall(
    context,
    rules,
    { path: { organizationId, bulkTaskId } },
    options,
  );
  return () =>
    callOperation<BulkTask>(context, {
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

/**
 * `GET /v1/organizations/{organizationId}/bulk-tasks/{bulkTaskId}` (operationId `getBulkTask`), as
 * `client.bulkTasks.get()` makes it: the task.
 * @param client from `createBulkTasksCore()` or `createBulkTasksClient()`
 * @param bulkTaskId the task's 24-hex-digit id, as `id` in a list
 */
export async function getBulkTask(
  client: BulkTasksCore | BulkTasksClient,
  organizationId: string,
  bulkTaskId: string,
  options?: RequestOptions,
): Promise<BulkTask> {
  const fetchTask = prepareFetchBulkTask(contextOf(client), organizationId, bulkTaskId, options);
  return (await fetchTask()).data;
}
