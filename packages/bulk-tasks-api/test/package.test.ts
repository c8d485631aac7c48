import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EVERY_OPERATION_CONSUMER,
  LIST_ONLY_CONSUMER,
  MINIMAL_CONSUMER,
  minGzipKilobytes,
  minifiedBundle,
} from "../bench/bundle-size.mjs";

// The gates of the published package, on the tarball that `pnpm pack` makes from dist/.
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => join(packageDir, "node_modules", ".bin", name);
let work: string;
let tarball: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "bulk-tasks-api-pack-"));
  await run("pnpm", ["pack", "--pack-destination", work], { cwd: packageDir });
  const [file] = (await readdir(work)).filter((name) => name.endsWith(".tgz"));
  tarball = join(work, file ?? "missing.tgz");
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("the packed tarball", () => {
  it("holds dist/, package.json, the README and the licence, nothing else", async () => {
    const { stdout } = await run("tar", ["-tzf", tarball]);
    const files = stdout.trim().split("\n").sort();
    expect(files.filter((file) => !file.startsWith("package/dist/"))).toEqual([
      "package/LICENSE",
      "package/README.md",
      "package/package.json",
    ]);
    expect(files).toEqual(
      expect.arrayContaining([
        "package/dist/index.js",
        "package/dist/index.d.ts",
        "package/dist/testing.js",
        "package/dist/response-validation.js",
        "package/dist/openapi.json",
      ]),
    );
  });

  it("is clean for publint", async () => {
    const { stdout } = await run(bin("publint"), ["run", tarball, "--strict"]);
    expect(stdout).toContain("All good!");
  });

  it("resolves its types everywhere it is meant to (arethetypeswrong, ESM only)", async () => {
    // attw exits 1 on any problem; the profile leaves out CommonJS `require`, which this package does not offer.
    const { stdout } = await run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "json"]);
    const report = JSON.parse(stdout) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems.filter((problem) => !isCjsOnly(problem))).toEqual([]);
    // attw loads TypeScript and resolves every entry point: seconds, more beside the other packages' tests.
  }, 30_000);
});

function isCjsOnly(problem: unknown): boolean {
  const { kind, resolutionKind } = problem as { kind?: string; resolutionKind?: string };
  return kind === "CJSResolvesToESM" || resolutionKind === "node16-cjs" || resolutionKind === "node10";
}

describe("the public API", () => {
  it("matches the committed report (review every change to it)", async () => {
    const dist = join(packageDir, "dist");
    const declarations = (await readdir(dist)).filter((name) => name.endsWith(".d.ts")).sort(byStableName);
    const parts = await Promise.all(
      declarations.map(
        async (name) => `// ${stableName(name)}\n${stableNames(await readFile(join(dist, name), "utf8"))}`,
      ),
    );
    await expect(parts.join("\n")).toMatchFileSnapshot("../api-report/bulk-tasks-api.api.d.ts");
  });
});

// 6.8 kB until errors were made safe against hostile servers (the redactor of every form of the
// key, bodies read under a size limit, input copied as plain objects, the checks of headers and
// base URLs): 8.83 kB after; 9.22 kB with what an outside-in trial asked for (misspelt options
// refused by name, toJSON, vendor text made printable). Raise it only for a feature, and say what
// it cost in the commit. The second operation (getBulkTask, with waitFor) cost a list-only consumer
// 0.83 kB more, 10.05 kB: get 0.15, waitFor 0.44, the new operation's parameter rules and the
// operation-generic request core 0.24 (issue 11 asked for less than 0.6 kB; see its closing note).
// The rate-limit gate (one per client: Retry-After for every request, pacing from the server's
// quota headers, the walk's adaptive window, the wait budget) cost 1.14 kB more: 11.23 kB, 11.29
// after review mends. The standalone operation functions (the map from a client to its settings,
// the methods as calls of those functions) cost it 0.10 kB: 11.39 kB; keeping a key put in the
// wrong place out of errors (an option's or a parameter's value redacted, an unknown name's value
// not quoted, the URL in errors redacted) 0.26 kB more: 11.65 kB; ConfigurationError's `option`
// field 0.04 kB: 11.69 kB; refusing a parameter that holds the key, before it lands in a URL, and
// keeping objects out of InvalidRequestError's value 0.15 kB: 11.84 kB; the key kept out of the
// names of unknown options and query keys, and refused in the base URL, 0.16 kB: 12.00 kB; names
// that may be a key hidden when the key is unknown, allowInsecureHttp checked, 0.08 kB: 12.08 kB;
// 12.03 kB once helpers written twice were shared. Issue 17's waitFor mends cost 0.27 kB: 12.30 kB
// (UnknownTaskStatusError and its message, the task in a wait's errors redacted, onProgress raced
// against the wait's limits, instanceof that a revoked Proxy cannot break); raised for them, as the
// issue requires each of them. A walk that yields no task twice and tells when the list moved
// (onListChange) 0.15 kB: 12.46 kB. Learning the limit of a server that announces none (a rate
// paced in time and a limit of requests in flight, from the refusals; the walk's own adaptive
// window removed, the gate does it for every request) 0.38 kB: 12.84 kB; 12.89 kB once it told
// a refusal that is not about the client's rate from one that is, and a wait said to the
// millisecond from one said in seconds. Refusals that say what to do next (issue 20, measured on
// its own from 12.03 kB): "did you mean" for options, query keys and enum values 0.25 kB; rules of
// patterns in the spec's words with the pattern kept in a field, the query in failed requests'
// messages, TimeoutError's next step 0.30 kB; what its outside-in trial asked for (a setting read
// from APPLIVERY_BASE_URL or APPLIVERY_API_KEY named as such, an empty key said so, other clients'
// names for our options suggested, an HTML page in place of the API said so) 0.20 kB. Both
// together: 13.65 kB.
const SIZE_BUDGET_KB = 13.75;
// The list alone, with createBulkTasksCore and listBulkTasks: no other operation and no `raw`
// openapi-fetch client, 9.13 kB, then 9.75 kB with the key kept out of errors and URLs. An
// operation added to the spec must not grow it: it is not raised for one (the next test says why
// it would grow). Raised for a feature of the walk itself, issue 17's: no task yielded twice when
// the list moves under a walk, and onListChange, 0.15 kB (9.78 kB with waitFor's mends, 9.94 after);
// and for the rate-limit gate's learning, which every operation's requests pass: 0.38 kB, 10.32 kB,
// then 10.39 kB with the mends of its rules that the 12.89 kB above tells. Raised for a feature of
// every operation, issue 20's refusals that say what to do next (0.70 kB on its own, see above):
// 11.09 kB with both.
const LIST_ONLY_BUDGET_KB = 11.2;

describe("the size budget", () => {
  it(`keeps a minimal consumer's min+gzip bundle within ${SIZE_BUDGET_KB} kB`, async () => {
    const kilobytes = await minGzipKilobytes(MINIMAL_CONSUMER);
    expect(kilobytes).toBeGreaterThan(2);
    expect(kilobytes).toBeLessThanOrEqual(SIZE_BUDGET_KB);
  });

  it(`keeps a list-only consumer of the standalone functions within ${LIST_ONLY_BUDGET_KB} kB`, async () => {
    const kilobytes = await minGzipKilobytes(LIST_ONLY_CONSUMER);
    expect(kilobytes).toBeGreaterThan(2);
    expect(kilobytes).toBeLessThanOrEqual(LIST_ONLY_BUDGET_KB);
    // Calling the other operations too adds their code: the functions are what a bundle keeps.
    expect(await minGzipKilobytes(EVERY_OPERATION_CONSUMER)).toBeGreaterThan(kilobytes + 0.3);
  });

  it("leaves every other operation out of a list-only consumer's bundle", async () => {
    // What marks an operation's code in a minified bundle: its path template, the names of the
    // parameters the list does not have (keys of its generated rules), and waitFor's own names.
    const spec = JSON.parse(await readFile(join(packageDir, "dist", "openapi.json"), "utf8"));
    const operations = Object.entries(spec.paths as Record<string, Record<string, OperationObject>>).flatMap(
      ([path, item]) =>
        Object.values(item)
          .filter((operation) => typeof operation === "object" && "operationId" in operation)
          .map((operation) => ({ path, ...operation })),
    );
    const list = operations.find((operation) => operation.operationId === "listBulkTasks");
    const listParameters = new Set(list?.parameters?.map((parameter) => parameter.name));
    const others = operations.filter((operation) => operation !== list);
    expect(others.length).toBeGreaterThan(0);
    const markers = [
      ...others.flatMap((operation) => [
        operation.path,
        ...(operation.parameters ?? [])
          .map((parameter) => parameter.name)
          .filter((name) => !listParameters.has(name)),
      ]),
      "WaitTimeoutError",
      "pollIntervalMs",
    ];
    const decoder = new TextDecoder();
    const listOnly = decoder.decode(await minifiedBundle(LIST_ONLY_CONSUMER));
    const everyOperation = decoder.decode(await minifiedBundle(EVERY_OPERATION_CONSUMER));
    for (const marker of markers) {
      // Each marker is there when the operation is called, so its absence means something.
      expect(everyOperation, marker).toContain(marker);
      expect(listOnly, marker).not.toContain(marker);
    }
  });
});

interface OperationObject {
  operationId: string;
  parameters?: { name: string }[];
}

// Chunk names carry a content hash of 8 base64url characters, "-" and "_" among them
// (types-DWxS0zeZ.d.ts, fake--GRS2h8U.d.ts): the report names them without it.
function stableName(name: string): string {
  return name.replace(/-[\w-]{8}(\.d\.ts|\.js)$/, "$1");
}
function stableNames(text: string): string {
  return text.replace(/(["'./\w]+)-[\w-]{8}(\.js|\.d\.ts)/g, "$1$2");
}
function byStableName(a: string, b: string): number {
  return stableName(a).localeCompare(stableName(b));
}
