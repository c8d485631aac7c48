import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidRequestError, type ListBulkTasksQuery, type ListBulkTasksSort } from "../src/index.js";
import { localClient, readBundledSpec, useLocalApi } from "./support.js";

const local = useLocalApi();
const spec = await readBundledSpec();
// The spec's own patterns, read from the bundled spec rather than from the generated checks under test.
function specPattern(name: string): RegExp {
  const parameters = spec.paths["/v1/organizations/{organizationId}/bulk-tasks"]?.get?.parameters ?? [];
  const schema = parameters.find((parameter) => parameter.name === name)?.schema as
    | { pattern?: string }
    | undefined;
  if (!schema?.pattern) throw new Error(`The spec gives ${name} no pattern.`);
  return new RegExp(schema.pattern, "u");
}
const organizationIdPattern = specPattern("organizationId");
const sortPattern = specPattern("sort");

/** Calls list() and reports the error, checking that no request reached the server. */
async function refusal(organizationId: unknown, query?: unknown): Promise<InvalidRequestError> {
  const before = local.api.requests.length;
  const error = await localClient(local.api)
    .bulkTasks.list(organizationId as string, query as ListBulkTasksQuery)
    .then(
      () => expect.unreachable("the call should have been refused"),
      (caught: unknown) => caught,
    );
  expect(local.api.requests.length, "requests sent").toBe(before);
  expect(error).toBeInstanceOf(InvalidRequestError);
  return error as InvalidRequestError;
}

async function accepted(organizationId: string, query?: ListBulkTasksQuery): Promise<void> {
  await localClient(local.api)
    .bulkTasks.list(organizationId, query)
    .catch((error: unknown) => {
      if (error instanceof InvalidRequestError) throw error;
    });
}

describe("input validation, before any request", () => {
  it.each<
    [
      string,
      {
        organizationId: unknown;
        query?: unknown;
        want: { parameter: string; message: string; pattern?: string; suggestion?: string };
      },
    ]
  >([
    [
      "a too short slug",
      {
        organizationId: "ab",
        want: {
          parameter: "organizationId",
          message:
            'Invalid organizationId: "ab" is not an organization\'s 24-hex-digit id, or its slug of 3 or more letters, digits and hyphens (such as lab). The request was not sent.',
          // The words are for people; the pattern stays in a field, for programs.
          pattern: "^([a-fA-F0-9]{24}|[a-zA-Z0-9-]{3,})$",
        },
      },
    ],
    [
      "a backslash in a slug (the docs page's doubled backslash)",
      {
        organizationId: "la\\b",
        want: {
          parameter: "organizationId",
          message:
            'Invalid organizationId: "la\\\\b" is not an organization\'s 24-hex-digit id, or its slug of 3 or more letters, digits and hyphens (such as lab). The request was not sent.',
        },
      },
    ],
    [
      "a slash in the organization",
      {
        organizationId: "lab/../admin",
        want: { parameter: "organizationId", message: expect.stringContaining("lab/../admin") },
      },
    ],
    [
      "an organization that is not a string",
      {
        organizationId: 42,
        want: {
          parameter: "organizationId",
          message: expect.stringContaining("42 is not an organization's"),
        },
      },
    ],
    [
      "page 0",
      {
        organizationId: "lab",
        query: { page: 0 },
        want: {
          parameter: "page",
          message: "Invalid page: 0 is not an integer >= 1. The request was not sent.",
        },
      },
    ],
    [
      "a fractional page",
      {
        organizationId: "lab",
        query: { page: 1.5 },
        want: {
          parameter: "page",
          message: "Invalid page: 1.5 is not an integer >= 1. The request was not sent.",
        },
      },
    ],
    [
      "a page given as a string",
      {
        organizationId: "lab",
        query: { page: "2" },
        want: {
          parameter: "page",
          message: 'Invalid page: "2" is not an integer >= 1. The request was not sent.',
        },
      },
    ],
    [
      "a negative limit",
      {
        organizationId: "lab",
        query: { limit: -5 },
        want: {
          parameter: "limit",
          message: "Invalid limit: -5 is not an integer >= 1. The request was not sent.",
        },
      },
    ],
    [
      "NaN as limit",
      {
        organizationId: "lab",
        query: { limit: Number.NaN },
        want: {
          parameter: "limit",
          message: "Invalid limit: NaN is not an integer >= 1. The request was not sent.",
        },
      },
    ],
    [
      "a sort direction in capitals",
      {
        organizationId: "lab",
        query: { sort: "createdAt:DESC" },
        want: {
          parameter: "sort",
          message: expect.stringContaining(
            'Invalid sort: "createdAt:DESC" is not a field name (letters, digits, _ and dots), optionally followed by :asc or :desc in lower case',
          ),
        },
      },
    ],
    [
      "two sort fields",
      {
        organizationId: "lab",
        query: { sort: "status:asc,createdAt:desc" },
        want: { parameter: "sort", message: expect.stringContaining("Invalid sort") },
      },
    ],
    [
      "a status not in the spec",
      {
        organizationId: "lab",
        query: { status: "done" },
        want: {
          parameter: "status",
          message:
            'Invalid status: "done" is not one of "pending", "created", "inProgress", "completed", "failed". The request was not sent.',
        },
      },
    ],
    [
      "an action not in the spec",
      {
        organizationId: "lab",
        query: { action: "import-apps" },
        want: {
          parameter: "action",
          message:
            'Invalid action: "import-apps" is not one of "import-inventory-items", "import-mdm-users". The request was not sent.',
        },
      },
    ],
    [
      "a misspelt query key",
      {
        organizationId: "lab",
        query: { limits: 10 },
        want: {
          parameter: "limits",
          message:
            'Invalid limits: 10 is not a query parameter of this operation (page, limit, sort, status, action). Did you mean "limit"? The request was not sent.',
          suggestion: "limit",
        },
      },
    ],
    [
      "a query that is not an object",
      {
        organizationId: "lab",
        query: "page=2",
        want: { parameter: "query", message: expect.stringContaining("a plain object") },
      },
    ],
  ])("refuses %s", async (_, { organizationId, query, want }) => {
    const error = await refusal(organizationId, query);
    expect(error).toMatchObject(want);
    expect(error.rule.length).toBeGreaterThan(0);
  });

  it("refuses a bad option of a call the same way", async () => {
    const before = local.api.requests.length;
    const list = localClient(local.api).bulkTasks.list("lab", {}, { concurrency: 0 });
    await expect(list).rejects.toMatchObject({ name: "InvalidRequestError", parameter: "concurrency" });
    expect(local.api.requests.length).toBe(before);
  });

  it("refuses an iteration too, without a request", async () => {
    const before = local.api.requests.length;
    const walk = (async () => {
      for await (const _ of localClient(local.api).bulkTasks.list("lab", { limit: 0 })) {
        // never reached
      }
    })();
    await expect(walk).rejects.toMatchObject({ name: "InvalidRequestError", parameter: "limit" });
    expect(local.api.requests.length).toBe(before);
  });

  it("leaves undefined query values out", async () => {
    await localClient(local.api).bulkTasks.list("lab", { page: undefined, status: undefined });
    expect(local.api.requests.at(-1)?.url).toBe("/v1/organizations/lab/bulk-tasks");
  });
});

// Properties against the spec's own patterns: the client and a plain reading of the spec agree.
describe("validation properties", () => {
  const runs = { numRuns: 150 };

  it("accepts every organizationId the spec's pattern accepts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(organizationIdPattern), async (organizationId) => {
        await accepted(organizationId, { limit: 1 });
      }),
      runs,
    );
  });

  it("refuses exactly the organizationIds the pattern refuses", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme-ascii", maxLength: 30 }), async (organizationId) => {
        fc.pre(!organizationIdPattern.test(organizationId));
        const error = await refusal(organizationId, {});
        expect(error.parameter).toBe("organizationId");
      }),
      runs,
    );
  });

  it("accepts every sort the pattern accepts and refuses the others", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.stringMatching(sortPattern), fc.string({ unit: "grapheme-ascii", maxLength: 20 })),
        async (sort) => {
          if (sortPattern.test(sort)) await accepted("lab", { sort: sort as ListBulkTasksSort, limit: 1 });
          else expect((await refusal("lab", { sort: sort as ListBulkTasksSort })).parameter).toBe("sort");
        },
      ),
      runs,
    );
  });

  it("accepts page and limit exactly when they are integers >= 1", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("page", "limit"),
        fc.oneof(
          fc.integer({ min: -1000, max: 1000 }),
          fc.double(),
          fc.constant(Number.MAX_SAFE_INTEGER + 2),
        ),
        async (name, value) => {
          const valid = Number.isSafeInteger(value) && value >= 1;
          if (valid) await accepted("lab", { [name]: value, ...(name === "page" ? { limit: 1 } : {}) });
          else expect((await refusal("lab", { [name]: value })).parameter).toBe(name);
        },
      ),
      runs,
    );
  });
});
