import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { ContractChecker, findingKey, type OpenApiDocument } from "../src/check.js";
import type { HarEntry } from "../src/har.js";

// The checks must be able to fail: each case breaks one rule of the spec in an otherwise valid exchange.
const specPath = createRequire(import.meta.url).resolve("@org/bulk-tasks-spec/openapi.json");
const spec = JSON.parse(await readFile(specPath, "utf8")) as OpenApiDocument & {
  paths: Record<
    string,
    {
      get: {
        responses: Record<
          string,
          { content: Record<string, { examples: Record<string, { value: unknown }> }> }
        >;
      };
    }
  >;
};
const operation = spec.paths["/v1/organizations/{organizationId}/bulk-tasks"]?.get;
const validBody = operation?.responses["200"]?.content["application/json"]?.examples.onePage?.value as {
  data: Record<string, unknown> & { items: Record<string, unknown>[] };
};
const checker = new ContractChecker(spec);

interface Exchange {
  url?: string;
  authorization?: string | null;
  status?: number;
  contentType?: string;
  body?: unknown;
}

function exchange({
  url = "https://api.applivery.io/v1/organizations/lab/bulk-tasks",
  authorization = "Bearer <redacted>",
  status = 200,
  contentType = "application/json",
  body = validBody,
}: Exchange): HarEntry {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    startedDateTime: "2026-11-28T00:00:00.000Z",
    request: {
      method: "GET",
      url,
      headers: authorization === null ? [] : [{ name: "Authorization", value: authorization }],
      queryString: [],
    },
    response: {
      status,
      statusText: "",
      headers: [{ name: "Content-Type", value: contentType }],
      content: { mimeType: contentType, text, size: text.length },
    },
    _provenance: { kind: "constructed", source: "checker.test.ts" },
  };
}

const withItem = (change: Record<string, unknown>) => ({
  ...validBody,
  data: { ...validBody.data, items: [{ ...validBody.data.items[0], ...change }] },
});
const withPage = (change: Record<string, unknown>) => ({
  ...validBody,
  data: { ...validBody.data, ...change },
});

describe("ContractChecker", () => {
  it("accepts the spec's own corrected example", () => {
    expect(checker.check(exchange({}))).toEqual([]);
  });

  it.each<[string, { given: Exchange; want: string[] }]>([
    [
      "an undocumented field",
      {
        given: { body: withItem({ priority: 1 }) },
        want: ["response.body /data/items/0/priority undocumented-field"],
      },
    ],
    [
      "a missing required field",
      {
        given: { body: withPage({ totalDocs: undefined }) },
        want: ["response.body /data/totalDocs required"],
      },
    ],
    [
      "a status outside the enum",
      {
        given: { body: withItem({ status: "archived" }) },
        want: ["response.body /data/items/0/status enum"],
      },
    ],
    [
      "a bad date-time",
      {
        given: { body: withItem({ createdAt: "yesterday" }) },
        want: ["response.body /data/items/0/createdAt format"],
      },
    ],
    [
      "nextPage of the wrong type",
      { given: { body: withPage({ nextPage: "2" }) }, want: ["response.body /data/nextPage type"] },
    ],
    ["an undocumented status", { given: { status: 502 }, want: ["response.status 502 undocumented-status"] }],
    [
      "HTML from a proxy",
      {
        given: { contentType: "text/html", body: "<html></html>" },
        want: ["response.content-type undocumented-content-type"],
      },
    ],
    [
      "truncated JSON",
      { given: { body: '{"status":true,"data":{"ite' }, want: ["response.body invalid-json"] },
    ],
    [
      "an undocumented query parameter",
      {
        given: { url: "https://api.applivery.io/v1/organizations/lab/bulk-tasks?per_page=5" },
        want: ["request.query per_page undocumented-parameter"],
      },
    ],
    [
      "a query value below its minimum",
      {
        given: { url: "https://api.applivery.io/v1/organizations/lab/bulk-tasks?limit=0" },
        want: ["request.query limit minimum"],
      },
    ],
    [
      "a query value outside its enum",
      {
        given: { url: "https://api.applivery.io/v1/organizations/lab/bulk-tasks?status=done" },
        want: ["request.query status enum"],
      },
    ],
    [
      "a path parameter breaking its pattern",
      {
        given: { url: "https://api.applivery.io/v1/organizations/a%5Cb/bulk-tasks" },
        want: ["request.path organizationId pattern"],
      },
    ],
    [
      "an undocumented endpoint",
      {
        given: { url: "https://api.applivery.io/v1/organizations/lab/tasks" },
        want: ["request.path /v1/organizations/lab/tasks undocumented-endpoint"],
      },
    ],
    [
      "a success without credentials",
      { given: { authorization: null }, want: ["request.headers authorization missing-credentials"] },
    ],
  ])("reports %s", (_, { given, want }) => {
    expect(checker.check(exchange(given)).map(findingKey)).toEqual(want);
  });
});
