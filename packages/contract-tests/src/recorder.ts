import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Har, HarEntry, HarHeader } from "./har.js";
import { CREDENTIAL_HEADERS } from "./secrets.js";

export interface RecordOptions {
  /** The organization to list, its id or slug. */
  organizationId: string;
  /** Query parameters, as sent. */
  query?: Record<string, string>;
  /** The key; sent as a bearer token, never written. */
  apiKey: string;
  /** @default "https://api.applivery.io" */
  baseUrl?: string | undefined;
  /** Also record the error answers: no key (401), a wrong key (401), an unknown organization (404). */
  errors?: boolean;
  /** Keep names, emails and pictures as they came. @default false: stable fakes replace them */
  keepPersonalData?: boolean;
  /** Where to write the HAR file. */
  output: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

const RECORDER = { name: "bulk-tasks recorder", version: "1.0.0" };
const PERSONAL_FIELDS = ["email", "firstName", "lastName", "fullName", "picture"] as const;

/**
 * Records the endpoint's real answers into a HAR file, redacted by construction: the request
 * headers written are built here (the key never reaches the file, only `Bearer <redacted>`),
 * credential headers of responses are masked, the key is scrubbed from any text that echoes it, and
 * personal data in bodies is replaced by stable fakes unless asked otherwise.
 */
export async function record(options: RecordOptions): Promise<Har> {
  const baseUrl = (options.baseUrl ?? "https://api.applivery.io").replace(/\/+$/, "");
  const query = new URLSearchParams(options.query ?? {}).toString();
  const path = (organizationId: string) =>
    `${baseUrl}/v1/organizations/${encodeURIComponent(organizationId)}/bulk-tasks${query ? `?${query}` : ""}`;
  const exchanges: { url: string; key: string | undefined; comment: string }[] = [
    { url: path(options.organizationId), key: options.apiKey, comment: "the list, with the key" },
  ];
  if (options.errors) {
    exchanges.push(
      { url: path(options.organizationId), key: undefined, comment: "no key (401, 4002 expected)" },
      {
        url: path(options.organizationId),
        key: "not-a-valid-key",
        comment: "a wrong key (401, 4004 expected)",
      },
      {
        url: path(`no-such-org-${Date.now().toString(36)}`),
        key: options.apiKey,
        comment: "an unknown organization (404, 3001 expected)",
      },
    );
  }
  const entries: HarEntry[] = [];
  for (const exchange of exchanges) entries.push(await capture(exchange, options));
  const har: Har = {
    log: {
      version: "1.2",
      creator: RECORDER,
      comment: `Recorded from ${baseUrl} by ${RECORDER.name} ${RECORDER.version}; credentials masked${options.keepPersonalData ? "" : ", personal data replaced by stable fakes"}.`,
      entries,
    },
  };
  await mkdir(dirname(options.output), { recursive: true });
  await writeFile(options.output, `${JSON.stringify(har, null, 2)}\n`);
  return har;
}

async function capture(
  { url, key, comment }: { url: string; key: string | undefined; comment: string },
  options: RecordOptions,
): Promise<HarEntry> {
  const sent: HarHeader[] = [{ name: "Accept", value: "application/json" }];
  const startedDateTime = new Date().toISOString();
  const started = performance.now();
  const response = await (options.fetch ?? fetch)(url, {
    headers: {
      accept: "application/json",
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    },
  });
  const text = await response.text();
  const time = performance.now() - started;
  if (key !== undefined) sent.push({ name: "Authorization", value: "Bearer <redacted>" });
  const body = redactBody(scrub(text, options.apiKey), options.keepPersonalData ?? false);
  const headers: HarHeader[] = [];
  response.headers.forEach((value, name) => {
    headers.push({
      name,
      value: CREDENTIAL_HEADERS.test(name) ? "<redacted>" : scrub(value, options.apiKey),
    });
  });
  const mimeType = response.headers.get("content-type") ?? "";
  const parsed = new URL(url);
  return {
    startedDateTime,
    time,
    request: {
      method: "GET",
      url,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: sent,
      queryString: [...parsed.searchParams].map(([name, value]) => ({ name, value })),
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: response.status,
      statusText: response.statusText,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers,
      content: { size: Buffer.byteLength(body), mimeType, text: body },
      redirectURL: "",
      headersSize: -1,
      bodySize: Buffer.byteLength(body),
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
    comment: `Recorded: ${comment}`,
    _provenance: {
      kind: "recorded",
      source: `${parsed.origin}, live`,
      recordedAt: startedDateTime,
      tool: `${RECORDER.name} ${RECORDER.version}`,
      node: process.version,
      personalData: options.keepPersonalData ? "kept" : "replaced by stable fakes",
    },
  } as HarEntry;
}

function scrub(text: string, apiKey: string): string {
  return apiKey ? text.split(apiKey).join("<redacted>") : text;
}

/** Replaces the people in a list body by stable fakes: the same person gets the same fake every time. */
export function redactBody(text: string, keepPersonalData: boolean): string {
  if (keepPersonalData) return text;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text; // not JSON: recorded as it came, for the contract tests to judge
  }
  const items = (body as { data?: { items?: unknown } })?.data?.items;
  if (!Array.isArray(items)) return text;
  for (const item of items) {
    const person = (item as { createdBy?: Record<string, unknown> })?.createdBy;
    if (typeof person === "object" && person !== null) fakePerson(person);
  }
  return JSON.stringify(body, null, 2);
}

function fakePerson(person: Record<string, unknown>): void {
  const seed = stableHash(String(person.id ?? person.email ?? JSON.stringify(person)));
  const fakes: Record<(typeof PERSONAL_FIELDS)[number], string> = {
    email: `person-${seed}@example.com`,
    firstName: "Person",
    lastName: seed,
    fullName: `Person ${seed}`,
    picture: `https://example.com/avatars/${seed}.png`,
  };
  for (const field of PERSONAL_FIELDS) if (field in person) person[field] = fakes[field];
}

function stableHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 8);
}
