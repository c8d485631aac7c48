import { type Fault, generateBulkTasks, type LocalApi, startLocalApi } from "../../src/testing/index.js";

// The local API that the portable suite (suite.mjs) talks to, one per runtime: its organizations
// choose the faults, so that a runtime needs nothing but the URL and the key. `counts` tells how
// many requests each organization received (a redirect loop's length, say).
const KEY = "suite-key-0123456789abcdef";

export interface SuiteApi {
  api: LocalApi;
  counts: Map<string, number>;
}

export async function startSuiteApi(cors?: string[]): Promise<SuiteApi> {
  const counts = new Map<string, number>();
  const [task] = generateBulkTasks(1);
  const plan: Record<string, (count: number) => Fault | undefined> = {
    "fault-403": () => ({ kind: "status", status: 403 }),
    "fault-418": () => ({ kind: "status", status: 418 }),
    "fault-429": () => ({ kind: "rate-limit", retryAfter: 120 }),
    "fault-500": () => ({ kind: "status", status: 500 }),
    "fault-html": () => ({ kind: "html", status: 200 }),
    "fault-drop": () => ({ kind: "drop" }),
    "fault-truncate": () => ({ kind: "truncate" }),
    // Until the client goes away (it closes the connection) or the server closes.
    "fault-stall": () => ({ kind: "stall" }),
    "retry-after": (count) => (count === 1 ? { kind: "rate-limit", retryAfter: 1 } : undefined),
    "timeout-once": (count) => (count === 1 ? { kind: "stall", ms: 2_000 } : undefined),
    "echo-key": () => ({
      kind: "status",
      status: 401,
      body: JSON.stringify({ status: false, error: { code: 4004, message: `Invalid token ${KEY}` } }),
      headers: { "x-echo": KEY },
    }),
    "redirect-loop": () => ({
      kind: "status",
      status: 302,
      headers: { location: "/v1/organizations/redirect-loop/bulk-tasks" },
    }),
    "large-header": () => ({ kind: "status", status: 418, headers: { "x-padding": "x".repeat(32 * 1024) } }),
  };
  const api = await startLocalApi({
    apiKeys: [KEY],
    ...(cors ? { cors } : {}),
    organizations: {
      lab: generateBulkTasks(25),
      "retry-after": generateBulkTasks(3),
      "timeout-once": generateBulkTasks(4),
      "new-status": task ? [{ ...task, status: "archived" as never }] : [],
    },
    faults: ({ organizationId }) => {
      const count = (counts.get(organizationId) ?? 0) + 1;
      counts.set(organizationId, count);
      return plan[organizationId]?.(count);
    },
  });
  return { api, counts };
}
