// The portable behavioural suite: plain JavaScript (ESM), no test framework, no Node.js module. It
// imports the package by name (the installed tarball; bundled with it for workerd and the browser),
// talks to a local API that the Vitest side started in Node.js, and returns what it saw as JSON.
// Faults are chosen by organization id (see test/runtimes/suite-api.ts): the runtime needs no
// access to the Node.js process. Each check records what it saw, or what it threw; the test
// (test/tarball.test.ts) compares the lot, runtime by runtime.
import * as main from "@org/bulk-tasks-api";
import { validateResponse } from "@org/bulk-tasks-api/response-validation";

const { BulkTasksError, createBulkTasksClient, createBulkTasksCore, getBulkTask, listBulkTasks } = main;
// Every export, to find every error class: the whole namespace is the point, not tree shaking.
const exported = { ...main };
const errorClasses = Object.keys(exported)
  .filter((name) => typeof exported[name] === "function" && exported[name].prototype instanceof Error)
  .sort();

/** The runtime's name and version, as it says itself. */
export function runtimeName() {
  if (globalThis.Bun) return `Bun ${globalThis.Bun.version}`;
  if (globalThis.Deno) return `Deno ${globalThis.Deno.version.deno}`;
  if (globalThis.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  const chrome = globalThis.navigator?.userAgent?.match(/(?:Headless)?Chrome\/([\d.]+)/);
  if (chrome) return `Chromium ${chrome[1]}`;
  if (globalThis.process?.versions?.node) return `Node.js ${globalThis.process.versions.node}`;
  return "unknown";
}

/**
 * @param {{ baseUrl: string, apiKey: string }} options
 * @returns {Promise<{ runtime: string, durationMs: number, results: Record<string, unknown> }>}
 */
export async function runSuite({ baseUrl, apiKey }) {
  const started = Date.now();
  let sent = 0;
  const counting = (request, init) => {
    sent++;
    return fetch(request, init);
  };
  const client = (options = {}) =>
    createBulkTasksClient({
      apiKey,
      baseUrl,
      maxRetries: 0,
      retryDelays: { initialRetryDelayMs: 1, maxRetryDelayMs: 4 },
      ...options,
    });
  const failure = (call) =>
    Promise.resolve()
      .then(call)
      .then(() => "did not throw", describeError);

  const checks = {
    page: async () => {
      const page = await client().bulkTasks.list("lab", { limit: 10, page: 2 });
      return {
        page: page.page,
        totalPages: page.totalPages,
        totalDocs: page.totalDocs,
        items: page.items.length,
      };
    },
    "a walk, 3 pages at a time": async () => {
      const ids = [];
      for await (const task of client().bulkTasks.list("lab", { limit: 5 }, { concurrency: 3 }))
        ids.push(task.id);
      const inOrder = [];
      for (let page = 1; page <= 5; page++) {
        inOrder.push(...(await client().bulkTasks.list("lab", { limit: 5, page })).items.map(({ id }) => id));
      }
      return { tasks: ids.length, inOrder: ids.join() === inOrder.join() };
    },
    "one task": async () => {
      const [first] = (await client().bulkTasks.list("lab", { limit: 1 })).items;
      const task = await client().bulkTasks.get("lab", first.id);
      return task.id === first.id;
    },
    "standalone functions": async () => {
      const core = createBulkTasksCore({ apiKey, baseUrl, maxRetries: 0 });
      const [first] = (await listBulkTasks(core, "lab", { limit: 1 })).items;
      return { got: (await getBulkTask(core, "lab", first.id)).id === first.id, core: JSON.stringify(core) };
    },
    "input refused before sending": async () => {
      sent = 0;
      const error = await failure(() => client({ fetch: counting }).bulkTasks.list("lab", { limit: 0 }));
      return { error, sent };
    },
    "no key": () => failure(() => createBulkTasksClient({ baseUrl })),
    "a wrong key": () => failure(() => client({ apiKey: "wrong-key" }).bulkTasks.list("lab")),
    "an unknown organization": () => failure(() => client().bulkTasks.list("no-such-org")),
    "a 403": () => failure(() => client().bulkTasks.list("fault-403")),
    "a 418": () => failure(() => client().bulkTasks.list("fault-418")),
    "a 429 asking too long a wait": () =>
      failure(() => client({ maxRetries: 2 }).bulkTasks.list("fault-429")),
    "a 500": () => failure(() => client().bulkTasks.list("fault-500")),
    "an HTML page": () => failure(() => client().bulkTasks.list("fault-html")),
    "a dropped connection": () => failure(() => client().bulkTasks.list("fault-drop")),
    "a truncated body": () => failure(() => client().bulkTasks.list("fault-truncate")),
    "a stalled body": () => failure(() => client({ timeoutMs: 300 }).bulkTasks.list("fault-stall")),
    "a body over maxResponseBytes": () =>
      failure(() => client({ maxResponseBytes: 100 }).bulkTasks.list("lab")),
    "a retry after Retry-After": async () => {
      const retries = [];
      const page = await client({
        maxRetries: 2,
        onRetry: ({ attempt, delayMs, status }) => retries.push({ attempt, delayMs, status }),
      }).bulkTasks.list("retry-after");
      return { totalDocs: page.totalDocs, retries };
    },
    "a per-attempt timeout, retried": async () => {
      const retries = [];
      const page = await client({
        maxRetries: 1,
        timeoutMs: 300,
        onRetry: ({ attempt, error }) =>
          retries.push({ attempt, error: error?.name, timeoutMs: error?.timeoutMs }),
      }).bulkTasks.list("timeout-once");
      return { totalDocs: page.totalDocs, retries };
    },
    "an abort, with the caller's reason": async () => {
      const controller = new AbortController();
      const reason = new Error("the caller gave up");
      setTimeout(() => controller.abort(reason), 50);
      const call = client({ timeoutMs: 10_000 }).bulkTasks.list(
        "fault-stall",
        {},
        { signal: controller.signal },
      );
      return call.then(
        () => "did not throw",
        (error) => ({ sameReason: error === reason }),
      );
    },
    "an abort, with no reason": async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const call = client({ timeoutMs: 10_000 }).bulkTasks.list(
        "fault-stall",
        {},
        { signal: controller.signal },
      );
      return call.then(
        () => "did not throw",
        (error) => ({ name: error?.name, isSignalReason: error === controller.signal.reason }),
      );
    },
    "the key, quoted back, is redacted": async () => {
      let error;
      await client()
        .bulkTasks.list("echo-key")
        .catch((caught) => {
          error = caught;
        });
      const seen = {
        message: error?.message,
        stack: error?.stack,
        json: JSON.stringify(error),
        body: JSON.stringify(error?.body),
        headers: JSON.stringify(error?.headers),
      };
      return {
        error: describeError(error),
        leaks: Object.keys(seen).filter((where) => String(seen[where]).includes(apiKey)),
        redacted: String(seen.message).includes("[redacted]"),
      };
    },
    "response validation: a valid walk": async () => {
      let count = 0;
      for await (const _ of client({ validateResponse }).bulkTasks.list("lab", { limit: 10 })) count++;
      return count;
    },
    "response validation: an unknown status": () =>
      failure(() => client({ validateResponse }).bulkTasks.list("new-status")),
    "a redirect loop": () => failure(() => client({ maxRetries: 2 }).bulkTasks.list("redirect-loop")),
    "a 32 KiB response header": () => failure(() => client().bulkTasks.list("large-header")),
  };

  const results = {};
  for (const [name, check] of Object.entries(checks)) {
    try {
      results[name] = await check();
    } catch (error) {
      results[name] = { threw: explain(error) };
    }
  }
  return { runtime: runtimeName(), durationMs: Date.now() - started, results };
}

function describeError(error) {
  return {
    name: error?.name,
    instanceOf: errorClasses.filter((name) => error instanceof exported[name]),
    ...pick(error, ["status", "code", "parameter", "field", "rule", "retryAfter", "timeoutMs"]),
    // What the runtime's fetch threw, under our ConnectionError: where runtimes differ.
    ...(error instanceof exported.ConnectionError && error.cause ? { cause: String(error.cause.name) } : {}),
    // Anything but our own errors is a bug: keep its message for the test's diff.
    ...(error instanceof BulkTasksError ? {} : { message: String(error?.message ?? error) }),
  };
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
