import { describe, expect, it } from "vitest";
import { type Fault, generateBulkTasks, startLocalApi } from "../src/testing/index.js";
import { API_KEY, useLocalApi } from "./support.js";

// The local API is published (`@org/bulk-tasks-api/testing`): its answers are checked with plain
// fetch, so that a client bug cannot hide one of its own.
const tasks = generateBulkTasks(12);
const local = useLocalApi({ organizations: { lab: tasks, empty: [] }, defaultLimit: 5 });

async function get(path: string, authorization: string | null = `Bearer ${API_KEY}`) {
  const response = await fetch(`${local.api.url}${path}`, {
    headers: authorization === null ? {} : { authorization },
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: await response.json(),
  };
}

describe("the local API", () => {
  it.each<[string, { path: string; want: Record<string, unknown> }]>([
    [
      "the first page, default limit",
      {
        path: "/v1/organizations/lab/bulk-tasks",
        want: {
          page: 1,
          limit: 5,
          totalDocs: 12,
          totalPages: 3,
          pagingCounter: 1,
          hasPrevPage: false,
          hasNextPage: true,
          prevPage: null,
          nextPage: 2,
        },
      },
    ],
    [
      "the last page",
      {
        path: "/v1/organizations/lab/bulk-tasks?page=3",
        want: {
          page: 3,
          pagingCounter: 11,
          hasPrevPage: true,
          hasNextPage: false,
          prevPage: 2,
          nextPage: null,
        },
      },
    ],
    [
      "a page past the end",
      {
        path: "/v1/organizations/lab/bulk-tasks?page=7",
        want: { page: 7, items: [], hasNextPage: false, nextPage: null, prevPage: 6, totalPages: 3 },
      },
    ],
    [
      "an empty organization",
      {
        path: "/v1/organizations/empty/bulk-tasks",
        want: { items: [], totalDocs: 0, totalPages: 1, hasNextPage: false, hasPrevPage: false },
      },
    ],
  ])("paginates like mongoose-paginate-v2: %s", async (_, { path, want }) => {
    const { status, contentType, body } = await get(path);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^application\/json/);
    expect(body.status).toBe(true);
    expect(body.data).toMatchObject(want);
  });

  it("filters by status and action", async () => {
    const { body } = await get(
      "/v1/organizations/lab/bulk-tasks?status=failed&action=import-mdm-users&limit=50",
    );
    const want = tasks.filter((task) => task.status === "failed" && task.action === "import-mdm-users");
    expect(body.data.items.map((task: { id: string }) => task.id)).toEqual(want.map((task) => task.id));
    expect(body.data.totalDocs).toBe(want.length);
  });

  it.each([
    ["createdAt:asc", [...tasks].reverse()],
    ["createdAt:desc", tasks],
    ["createdAt", [...tasks].reverse()],
  ])("sorts by %s", async (sort, want) => {
    const { body } = await get(`/v1/organizations/lab/bulk-tasks?sort=${sort}&limit=50`);
    expect(body.data.items.map((task: { id: string }) => task.id)).toEqual(want.map((task) => task.id));
  });

  it.each<[string, { path: string; authorization?: string | null; want: { status: number; code: number } }]>([
    [
      "no key: 401, 4002",
      { path: "/v1/organizations/lab/bulk-tasks", authorization: null, want: { status: 401, code: 4002 } },
    ],
    [
      "a wrong key: 401, 4004",
      {
        path: "/v1/organizations/lab/bulk-tasks",
        authorization: "Bearer nope",
        want: { status: 401, code: 4004 },
      },
    ],
    [
      "an unknown organization: 404, 3001",
      { path: "/v1/organizations/acme/bulk-tasks", want: { status: 404, code: 3001 } },
    ],
    [
      "an organization named like an Object property: 404",
      { path: "/v1/organizations/constructor/bulk-tasks", want: { status: 404, code: 3001 } },
    ],
    ["__proto__: 404", { path: "/v1/organizations/__proto__/bulk-tasks", want: { status: 404, code: 3001 } }],
    ["another path: 404", { path: "/v1/organizations/lab/tasks", want: { status: 404, code: 3001 } }],
    [
      "limit=0: 400, 3000",
      { path: "/v1/organizations/lab/bulk-tasks?limit=0", want: { status: 400, code: 3000 } },
    ],
    [
      "an unknown status: 400",
      { path: "/v1/organizations/lab/bulk-tasks?status=done", want: { status: 400, code: 3000 } },
    ],
    [
      "an unknown parameter: 400",
      { path: "/v1/organizations/lab/bulk-tasks?per_page=5", want: { status: 400, code: 3000 } },
    ],
  ])("answers %s with the error envelope", async (_, { path, authorization, want }) => {
    const { status, body } = await get(path, authorization);
    expect(status).toBe(want.status);
    expect(body).toEqual({ status: false, error: { code: want.code, message: expect.any(String) } });
  });

  it("says which rule a bad query broke", async () => {
    const { body } = await get("/v1/organizations/lab/bulk-tasks?limit=0");
    expect(body.error.message).toBe("Invalid limit: 0 is not an integer >= 1.");
  });
});

describe("inject()", () => {
  // What the types refuse, refused at run time too, for tests in plain JavaScript.
  it.each<[string, unknown, number | undefined, RegExp]>([
    [
      "a body that is not a string",
      { kind: "status", status: 401, body: { status: false } },
      undefined,
      /body must be a string/,
    ],
    ["an unknown kind", { kind: "timeout" }, undefined, /kind must be one of status, rate-limit/],
    [
      "a status out of range",
      { kind: "status", status: 99 },
      undefined,
      /status must be an integer from 200 to 599/,
    ],
    ["a status fault without status", { kind: "status" }, undefined, /status is required/],
    [
      "headers that are not strings",
      { kind: "status", status: 500, headers: { "retry-after": 1 } },
      undefined,
      /headers must be an object of strings/,
    ],
    ["a rate limit without retryAfter", { kind: "rate-limit" }, undefined, /retryAfter must be a number/],
    ["a count that is not an integer", { kind: "drop" }, 1.5, /times must be an integer >= 0/],
    ["null", null, undefined, /kind must be one of/],
    [
      "a misspelt field",
      { kind: "status", status: 500, bdy: "x" },
      undefined,
      /a status fault takes status, body, headers, code, message, not bdy/,
    ],
  ])("refuses %s, with nothing queued", async (_, fault, times, message) => {
    expect(() => local.api.inject(fault as Fault, times)).toThrow(message);
    expect((await get("/v1/organizations/lab/bulk-tasks")).status).toBe(200);
  });

  it("holds the faults option to the same rules: a wrong fault is a 500 saying why", async () => {
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: tasks },
      faults: () => ({ kind: "status", status: 401, body: { status: false } }) as unknown as Fault,
    });
    try {
      const response = await fetch(`${api.url}/v1/organizations/lab/bulk-tasks`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      expect(response.status).toBe(500);
      expect((await response.json()).error.message).toBe(
        "Local API error: faults: body must be a string (JSON.stringify it).",
      );
    } finally {
      await api.close();
    }
  });
});

describe("reset()", () => {
  it("forgets queued faults and the requests seen, and keeps the dataset", async () => {
    local.api.inject({ kind: "status", status: 503 }, 3);
    expect((await get("/v1/organizations/lab/bulk-tasks")).status).toBe(503);
    local.api.reset();
    expect(local.api.requests).toHaveLength(0);
    // The two faults left in the queue no longer break a later call.
    const after = await get("/v1/organizations/lab/bulk-tasks");
    expect(after.status).toBe(200);
    expect(after.body.data.totalDocs).toBe(tasks.length);
    expect(local.api.requests).toHaveLength(1);
  });

  it("restarts the count a fault plan is told", async () => {
    const counts: number[] = [];
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      faults: ({ count }) => {
        counts.push(count);
        return undefined;
      },
    });
    try {
      const call = () =>
        fetch(`${api.url}/v1/organizations/lab/bulk-tasks?limit=1`, {
          headers: { authorization: `Bearer ${API_KEY}` },
        });
      await call();
      await call();
      api.reset();
      await call();
      expect(counts).toEqual([1, 2, 1]);
    } finally {
      await api.close();
    }
  });
});

describe("recordings and the dataset", () => {
  const recorded = {
    request: {
      method: "GET",
      url: "https://api.applivery.io/v1/organizations/lab/bulk-tasks",
      headers: [{ name: "Authorization", value: "Bearer <redacted>" }],
    },
    response: {
      status: 200,
      headers: [{ name: "Content-Type", value: "application/json" }],
      content: { text: '{"recorded":true}' },
    },
  };

  it.each([
    ["the dataset answers for an organization it holds", "lab", undefined, "dataset"],
    [
      "a recording answers when the request asks for it (Prefer: example=recorded)",
      "lab",
      "example=recorded",
      "recording",
    ],
    ["a recording answers for an organization the dataset does not hold", "docs", undefined, "recording"],
  ])("%s", async (_, organizationId, prefer, want) => {
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: tasks },
      recordings: [
        {
          ...recorded,
          request: { ...recorded.request, url: recorded.request.url.replace("/lab/", `/${organizationId}/`) },
        },
      ],
    });
    try {
      const response = await fetch(`${api.url}/v1/organizations/${organizationId}/bulk-tasks`, {
        headers: { authorization: `Bearer ${API_KEY}`, ...(prefer ? { prefer } : {}) },
      });
      const body = await response.text();
      expect(body === '{"recorded":true}' ? "recording" : "dataset").toBe(want);
    } finally {
      await api.close();
    }
  });
});

describe("CORS (the cors option)", () => {
  const page = "http://127.0.0.1:5173";
  const cors = useLocalApi({ organizations: { lab: tasks }, cors: [page] });
  const list = () => `${cors.api.url}/v1/organizations/lab/bulk-tasks`;

  it("answers a preflight from an allowed origin, before the key and without counting it", async () => {
    cors.api.reset();
    const response = await fetch(list(), {
      method: "OPTIONS",
      headers: {
        origin: page,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization, prefer",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(page);
    expect(response.headers.get("access-control-allow-methods")).toContain("GET");
    expect(response.headers.get("access-control-allow-headers")).toBe("authorization, content-type, prefer");
    expect(cors.api.requests).toEqual([]);
  });

  it.each<[string, { path: string; origin: string; fault?: boolean; want: string | null }]>([
    ["a page", { path: "", origin: page, want: page }],
    ["an error (a 401)", { path: "", origin: page, want: page }],
    ["a fault", { path: "", origin: page, fault: true, want: page }],
    ["another origin", { path: "", origin: "http://127.0.0.1:9999", want: null }],
  ])("adds the CORS headers to %s for an allowed origin only", async (title, { origin, fault, want }) => {
    if (fault) cors.api.inject({ kind: "rate-limit", retryAfter: 3 });
    const response = await fetch(list(), {
      headers: { origin, ...(title.includes("401") ? {} : { authorization: `Bearer ${API_KEY}` }) },
    });
    expect(response.headers.get("access-control-allow-origin")).toBe(want);
    // Every answer depends on the origin, the refused one's too: a cache must keep them apart.
    expect(response.headers.get("vary")).toBe("Origin");
    if (want) {
      const exposed = response.headers.get("access-control-expose-headers")?.split(", ");
      expect(exposed).toEqual(
        expect.arrayContaining([
          "retry-after",
          "retry-after-ms",
          "ratelimit",
          "x-ratelimit-remaining",
          "x-request-id",
        ]),
      );
    }
  });

  it("answers no preflight without the option", async () => {
    const response = await fetch(`${local.api.url}/v1/organizations/lab/bulk-tasks`, {
      method: "OPTIONS",
      headers: { origin: page, "access-control-request-method": "GET" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.status).toBe(401);
  });

  it("allows any origin with cors: true", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks }, cors: true });
    try {
      const response = await fetch(`${api.url}/v1/organizations/lab/bulk-tasks`, {
        headers: { origin: "https://anywhere.example", authorization: `Bearer ${API_KEY}` },
      });
      expect(response.headers.get("access-control-allow-origin")).toBe("https://anywhere.example");
      expect(response.headers.get("vary")).toBe("Origin");
      const withoutOrigin = await fetch(`${api.url}/v1/organizations/lab/bulk-tasks`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      expect(withoutOrigin.headers.get("access-control-allow-origin")).toBeNull();
      expect(withoutOrigin.headers.get("vary")).toBe("Origin");
    } finally {
      await api.close();
    }
  });
});
