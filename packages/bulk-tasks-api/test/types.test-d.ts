import { describe, expectTypeOf, it } from "vitest";
import {
  type BulkTask,
  type BulkTaskPage,
  type BulkTaskStatus,
  type BulkTasksClient,
  type components,
  createBulkTasksClient,
  createBulkTasksCore,
  type FinishedBulkTask,
  getBulkTask,
  type ListBulkTasksQuery,
  listBulkTasks,
  waitForBulkTask,
} from "../src/index.js";

const client = createBulkTasksClient({ apiKey: "k" });

describe("types derived from the spec", () => {
  it("names the generated schemas", () => {
    expectTypeOf<BulkTask>().toEqualTypeOf<components["schemas"]["BulkTask"]>();
    expectTypeOf<BulkTaskStatus>().toEqualTypeOf<
      "pending" | "created" | "inProgress" | "completed" | "failed"
    >();
    expectTypeOf<BulkTaskPage["nextPage"]>().toEqualTypeOf<number | null>();
    expectTypeOf<BulkTask["report"]>().toEqualTypeOf<components["schemas"]["BulkTaskReport"] | undefined>();
  });

  it("types list()", () => {
    expectTypeOf(client.bulkTasks.list("lab")).resolves.toEqualTypeOf<BulkTaskPage>();
    expectTypeOf<Parameters<typeof client.bulkTasks.list>[1]>().toEqualTypeOf<
      ListBulkTasksQuery | undefined
    >();
  });

  it("iterates tasks and pages", async () => {
    const list = client.bulkTasks.list("lab", { status: "failed" });
    for await (const task of list) expectTypeOf(task).toEqualTypeOf<BulkTask>();
    for await (const page of list.pages()) expectTypeOf(page).toEqualTypeOf<BulkTaskPage>();
  });

  it("takes a query value that may be undefined (exactOptionalPropertyTypes)", () => {
    const maybePage = 2 as number | undefined;
    client.bulkTasks.list("lab", { page: maybePage });
  });

  it("refuses a misspelt query key", () => {
    // @ts-expect-error `limits` is not a query parameter
    client.bulkTasks.list("lab", { limits: 10 });
  });

  it("refuses a status the spec does not list", () => {
    // @ts-expect-error `done` is not a BulkTaskStatus
    client.bulkTasks.list("lab", { status: "done" });
  });

  it("refuses an action the spec does not list", () => {
    // @ts-expect-error `import-apps` is not a BulkTaskAction
    client.bulkTasks.list("lab", { action: "import-apps" });
  });

  it("refuses a page of the wrong type", () => {
    // @ts-expect-error page is a number
    client.bulkTasks.list("lab", { page: "2" });
  });

  it("types the raw client from the spec", async () => {
    const { data, error } = await client.raw.GET("/v1/organizations/{organizationId}/bulk-tasks", {
      params: { path: { organizationId: "lab" }, query: { status: "failed" } },
    });
    type ListResponse = components["schemas"]["ListBulkTasksResponse"];
    // openapi-fetch maps the body type (readOnly/writeOnly handling): equal in shape, not identical.
    if (data) {
      expectTypeOf(data).toExtend<ListResponse>();
      expectTypeOf<ListResponse>().toExtend<typeof data>();
    }
    if (error) expectTypeOf(error).toEqualTypeOf<components["schemas"]["ErrorEnvelope"]>();
    // @ts-expect-error the path has no such operation
    client.raw.GET("/v1/organizations/{organizationId}/tasks", {
      params: { path: { organizationId: "lab" } },
    });
  });
});

describe("the operations as standalone functions", () => {
  const core = createBulkTasksCore({ apiKey: "k" });

  it("type their results as the methods do", () => {
    expectTypeOf(listBulkTasks(core, "lab", { status: "failed" })).resolves.toEqualTypeOf<BulkTaskPage>();
    expectTypeOf(getBulkTask(core, "lab", "0123456789abcdef01234567")).resolves.toEqualTypeOf<BulkTask>();
    expectTypeOf(
      waitForBulkTask(core, "lab", "0123456789abcdef01234567"),
    ).resolves.toEqualTypeOf<FinishedBulkTask>();
  });

  it("types a finished task's status as the two it can end in", async () => {
    const task = await waitForBulkTask(core, "lab", "0123456789abcdef01234567");
    expectTypeOf(task.status).toEqualTypeOf<"completed" | "failed">();
    expectTypeOf(
      await client.bulkTasks.waitFor("lab", "0123456789abcdef01234567"),
    ).toEqualTypeOf<FinishedBulkTask>();
    // A switch over it needs no other case: the default is never reached.
    switch (task.status) {
      case "completed":
      case "failed":
        break;
      default:
        expectTypeOf(task.status).toBeNever();
    }
  });

  it("take a full client as well as a core", () => {
    expectTypeOf(listBulkTasks(client, "lab")).resolves.toEqualTypeOf<BulkTaskPage>();
    expectTypeOf(core).not.toExtend<BulkTasksClient>();
  });

  it("leave a hand-written double of BulkTasksClient compiling, as before the functions", () => {
    const double: BulkTasksClient = { raw: client.raw, bulkTasks: client.bulkTasks };
    expectTypeOf(double).toEqualTypeOf<BulkTasksClient>();
  });

  it("refuse what is not a client, and a query the spec refuses", () => {
    // @ts-expect-error the options are not a client
    listBulkTasks({ apiKey: "k" }, "lab");
    // @ts-expect-error `done` is not a BulkTaskStatus
    listBulkTasks(core, "lab", { status: "done" });
  });
});
