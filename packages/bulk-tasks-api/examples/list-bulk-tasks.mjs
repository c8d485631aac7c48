// The README's main job: list bulk tasks with the built client.
//
//   APPLIVERY_API_KEY set    → the real API, for the organization given as argument
//                              (or APPLIVERY_ORGANIZATION_ID)
//   APPLIVERY_API_KEY unset  → the local API on 127.0.0.1, serving its generated dataset (the
//                              documentation page's example is a placeholder that says page 0 of 0,
//                              which the client refuses as no page number)

import { BulkTasksError, createBulkTasksClient } from "@org/bulk-tasks-api";
import { startLocalApi } from "@org/bulk-tasks-api/testing";

const organizationId = process.argv[2] ?? process.env.APPLIVERY_ORGANIZATION_ID ?? "lab";
const live = Boolean(process.env.APPLIVERY_API_KEY);

let local;
let client;
if (live) {
  client = createBulkTasksClient();
  console.log(
    `Listing the bulk tasks of "${organizationId}" from ${process.env.APPLIVERY_BASE_URL ?? "https://api.applivery.io"}`,
  );
} else {
  local = await startLocalApi();
  client = createBulkTasksClient({ apiKey: local.apiKey, baseUrl: local.url });
  console.log(`APPLIVERY_API_KEY is not set: the local API at ${local.url} serves its generated dataset`);
}

try {
  const page = await client.bulkTasks.list(organizationId, { limit: 20 });
  console.log(`Page ${page.page} of ${page.totalPages} (${page.totalDocs} tasks in all):`);
  console.table(
    page.items.map((task) => ({
      id: task.id,
      status: task.status,
      action: task.action,
      file: task.file?.originalName,
      errors: task.report?.numErrors,
      createdAt: task.createdAt,
    })),
  );
} catch (error) {
  if (!(error instanceof BulkTasksError)) throw error;
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await local?.close();
}
