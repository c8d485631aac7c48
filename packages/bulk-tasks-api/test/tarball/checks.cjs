// What a consumer of the published package checks, once its entry points are loaded: consumer.mjs
// (import) and consumer.cjs (require) each load them their own way and hand them over, so that
// both module systems run the same checks. Plain JavaScript, run by plain `node` in a project that
// installed the packed tarball (test/tarball.test.ts). Each check records what it saw, or what it
// threw, and the test compares the lot.
"use strict";

/**
 * @param {{ main: any, validation: any, testing: any, spec: any, manifest: any }} entries
 * @returns {Promise<Record<string, unknown>>}
 */
async function runChecks({ main, validation, testing, spec, manifest }) {
  const { createBulkTasksClient, createBulkTasksCore, getBulkTask, listBulkTasks, waitForBulkTask } = main;
  const { generateBulkTasks, startLocalApi } = testing;
  const { validateListBulkTasksResponse } = validation;
  const errorClasses = Object.keys(main)
    .filter((name) => typeof main[name] === "function" && main[name].prototype instanceof Error)
    .sort();
  const describeError = (error) => ({
    name: error?.name,
    instanceOf: errorClasses.filter((name) => error instanceof main[name]),
    ...pick(error, ["status", "code", "parameter", "field", "rule", "retryAfter", "timeoutMs"]),
    // Anything but our own errors is a bug: keep its message for the test's diff.
    ...(error instanceof main.BulkTasksError ? {} : { message: String(error?.message ?? error) }),
  });
  const failure = (call) =>
    Promise.resolve()
      .then(call)
      .then(() => "did not throw", describeError);

  const [task] = generateBulkTasks(1);
  const api = await startLocalApi({
    organizations: {
      lab: generateBulkTasks(25),
      // maxLength counts code points, as JSON Schema says: 1000 emoji are 1000, not 2000.
      "action-1000-emoji": [{ ...task, action: "\u{1F600}".repeat(1000) }],
      "action-1001-emoji": [{ ...task, action: "\u{1F600}".repeat(1001) }],
      "new-status": [{ ...task, status: "archived" }],
      "bad-date": [{ ...task, createdAt: "2024-01-01T00: 00:00Z" }],
      "bad-uri": [{ ...task, createdBy: { ...task.createdBy, picture: "not a uri" } }],
      "bad-email": [{ ...task, createdBy: { ...task.createdBy, email: "nobody" } }],
    },
  });
  // No retries: each injected fault is the answer, and one request meets it.
  const client = (options = {}) =>
    createBulkTasksClient({ apiKey: api.apiKey, baseUrl: api.url, maxRetries: 0, ...options });
  const validating = client({ validateResponse: validateListBulkTasksResponse });
  const faulty = (fault, options) => {
    api.inject(fault);
    return failure(() => client(options).bulkTasks.list("lab"));
  };

  const checks = {
    exports: () => ({
      ".": Object.keys(main).sort(),
      "./response-validation": Object.keys(validation).sort(),
      "./testing": Object.keys(testing).sort(),
    }),
    errorClasses: () => errorClasses,
    "./openapi.json": () => ({ openapi: spec.openapi, paths: Object.keys(spec.paths) }),
    "./package.json": () => pick(manifest, ["name", "version", "engines"]),
    page: async () => {
      const page = await client().bulkTasks.list("lab", { limit: 10, page: 2 });
      return {
        page: page.page,
        totalPages: page.totalPages,
        totalDocs: page.totalDocs,
        items: page.items.length,
      };
    },
    walk: async () => {
      const ids = new Set();
      for await (const each of client().bulkTasks.list("lab", { limit: 10 })) ids.add(each.id);
      const pages = [];
      for await (const page of client().bulkTasks.list("lab", { limit: 10 }).pages())
        pages.push(page.items.length);
      return { tasks: ids.size, pages };
    },
    "standalone functions": async () => {
      const core = createBulkTasksCore({ apiKey: api.apiKey, baseUrl: api.url });
      const ids = [];
      for await (const each of listBulkTasks(core, "lab", { limit: 10 })) ids.push(each.id);
      // An organization of its own: a started task joins its organization's list.
      const started = api.startTask("live", { durationMs: 200, rows: 3 });
      const waited = await waitForBulkTask(core, "live", started.id, { pollIntervalMs: 50 });
      return {
        tasks: ids.length,
        got: (await getBulkTask(client(), "lab", ids[0])).id === ids[0],
        waited: [waited.status, waited.report?.numItems],
        core: JSON.stringify(core),
        "not a client": await failure(() => getBulkTask({ apiKey: api.apiKey }, "lab", ids[0])),
      };
    },
    "validation: a page of tasks": async () => (await validating.bulkTasks.list("lab")).items.length,
    "validation: a walk": async () => {
      let count = 0;
      for await (const _ of validating.bulkTasks.list("lab", { limit: 10 })) count++;
      return count;
    },
    "validation: 1000 emoji in action": async () => {
      const [{ action }] = (await validating.bulkTasks.list("action-1000-emoji")).items;
      return { codePoints: [...action].length, codeUnits: action.length };
    },
    "validation: 1001 emoji in action": () => failure(() => validating.bulkTasks.list("action-1001-emoji")),
    "validation: unknown status": () => failure(() => validating.bulkTasks.list("new-status")),
    "validation: date-time": () => failure(() => validating.bulkTasks.list("bad-date")),
    "validation: uri": () => failure(() => validating.bulkTasks.list("bad-uri")),
    "validation: email": () => failure(() => validating.bulkTasks.list("bad-email")),
    "validation is opt-in": async () => (await client().bulkTasks.list("new-status")).items[0].status,
    "no key": () => {
      delete process.env.APPLIVERY_API_KEY;
      return failure(() => createBulkTasksClient({ baseUrl: api.url }));
    },
    "a parameter the spec refuses": () => failure(() => client().bulkTasks.list("lab", { limit: 0 })),
    "a wrong key": () => failure(() => client({ apiKey: "wrong-key" }).bulkTasks.list("lab")),
    "an unknown organization": () => failure(() => client().bulkTasks.list("no-such-org")),
    "a 403": () => faulty({ kind: "status", status: 403 }),
    "a 418": () => faulty({ kind: "status", status: 418 }),
    "a 429": () => faulty({ kind: "rate-limit", retryAfter: 7 }),
    "a 500": () => faulty({ kind: "status", status: 500 }),
    "an HTML page": () => faulty({ kind: "html", status: 200 }),
    "a dropped connection": () => faulty({ kind: "drop" }),
    "a stalled body": () => faulty({ kind: "stall" }, { timeoutMs: 200 }),
  };

  const results = {};
  try {
    for (const [name, check] of Object.entries(checks)) {
      try {
        results[name] = await check();
      } catch (error) {
        results[name] = { threw: explain(error) };
      }
    }
  } finally {
    await api.close();
  }
  return results;
}

/** The stack, and the causes' (the client wraps what a validator throws, say): what the diff shows. */
function explain(error) {
  const parts = [];
  for (let each = error; each !== undefined && parts.length < 4; each = each?.cause) {
    parts.push(String(each?.stack ?? each));
  }
  return parts.join("\nCaused by: ");
}

function pick(object, keys) {
  return Object.fromEntries(
    keys.filter((key) => object?.[key] !== undefined).map((key) => [key, object[key]]),
  );
}

module.exports = { runChecks };
