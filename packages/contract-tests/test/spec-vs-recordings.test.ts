import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { KNOWN_FAULTS } from "../known-faults.js";
import { ContractChecker, findingKey, type OpenApiDocument } from "../src/check.js";
import { type Har, loadRecordings, type Recording } from "../src/har.js";
import { findSecrets } from "../src/secrets.js";

const specPath = createRequire(import.meta.url).resolve("@org/bulk-tasks-spec/openapi.json");
const recordings = await loadRecordings();
let checker: ContractChecker;

beforeAll(async () => {
  checker = new ContractChecker(JSON.parse(await readFile(specPath, "utf8")) as OpenApiDocument);
});

const label = ({ file, index, entry }: Recording) =>
  `${file}#${index} ${entry.request.method} ${new URL(entry.request.url).pathname} → ${entry.response.status}`;

describe("every recording agrees with the spec, but for its known faults", () => {
  it("has recordings to check", () => {
    expect(recordings.length).toBeGreaterThan(0);
  });

  it.each(recordings.map((recording) => [label(recording), recording] as const))("%s", (_, recording) => {
    const findings = checker.check(recording.entry);
    const known = KNOWN_FAULTS.filter(
      (fault) => fault.file === recording.file && fault.entry === recording.index,
    );
    const knownKeys = new Set(known.map((fault) => fault.finding));

    const unexpected = findings
      .filter((finding) => !knownKeys.has(findingKey(finding)))
      .map((f) => f.message);
    expect(unexpected, "new discrepancies between the spec and this recording").toEqual([]);

    const seen = new Set(findings.map(findingKey));
    const stale = known.filter((fault) => !seen.has(fault.finding)).map((fault) => fault.finding);
    expect(stale, "known faults that no longer occur: remove them from known-faults.ts").toEqual([]);
  });

  it("lists known faults only for recordings that exist", () => {
    const entries = new Set(recordings.map(({ file, index }) => `${file}#${index}`));
    expect(KNOWN_FAULTS.filter(({ file, entry }) => !entries.has(`${file}#${entry}`))).toEqual([]);
  });
});

describe("every recording says where it comes from", () => {
  it.each(recordings.map((recording) => [label(recording), recording] as const))("%s", (_, { entry }) => {
    expect(["recorded", "transcribed", "constructed"]).toContain(entry._provenance?.kind);
    expect(entry._provenance.source.length).toBeGreaterThan(10);
    // Only live traffic may call itself recorded.
    if (entry._provenance.kind !== "recorded") expect(entry.comment ?? "").not.toMatch(/\brecorded\b/i);
  });
});

describe("no recording holds a credential (the secret guard)", () => {
  const files = [...new Set(recordings.map(({ file }) => file))];
  it.each(files)("%s", async (file) => {
    const har = JSON.parse(await readFile(new URL(`../recordings/${file}`, import.meta.url), "utf8")) as Har;
    expect(findSecrets(har)).toEqual([]);
  });
});
