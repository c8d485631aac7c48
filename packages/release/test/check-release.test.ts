import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkRelease } from "../src/check-release.js";

const run = promisify(execFile);
const workspace = fileURLToPath(new URL("../../../", import.meta.url));
let repo: string;

async function git(...args: string[]) {
  return run("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: repo });
}

async function edit(file: string, change: (text: string) => string) {
  const path = join(repo, file);
  const before = await readFile(path, "utf8");
  const after = change(before);
  expect(after, `the edit of ${file} changed nothing`).not.toBe(before);
  await writeFile(path, after);
}

async function changeset(bump: "patch" | "minor" | "major") {
  await writeFile(
    join(repo, ".changeset", `test-${bump}.md`),
    `---\n"@org/bulk-tasks-api": ${bump}\n---\n\nA change.\n`,
  );
}

const renameTotalDocs = (text: string) =>
  text.replace("  - totalDocs\n", "  - totalDocuments\n").replace("  totalDocs:\n", "  totalDocuments:\n");
const reworded = (text: string) =>
  text.replace("The file name as uploaded.", "The name of the file as uploaded.");
const newEnumValue = (text: string) => text.replace("  - failed\n", "  - failed\n  - cancelled\n");

// A repository holding the spec, tagged as released at 0.1.0, as `changeset publish` tags it.
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "check-release-test-"));
  for (const path of [
    "spec/openapi.yaml",
    "spec/paths",
    "spec/components",
    "redocly.yaml",
    ".changeset/config.json",
  ]) {
    await cp(join(workspace, path), join(repo, path), { recursive: true });
  }
  await mkdir(join(repo, "packages/bulk-tasks-api"), { recursive: true });
  await writeFile(
    join(repo, "packages/bulk-tasks-api/package.json"),
    JSON.stringify({ name: "@org/bulk-tasks-api", version: "0.1.0" }),
  );
  await git("init", "--quiet", "--initial-branch=main");
  await git("add", "-A");
  await git("commit", "--quiet", "-m", "release 0.1.0");
  await git("tag", "@org/bulk-tasks-api@0.1.0");
});
beforeEach(async () => {
  await git("checkout", "--quiet", "--", ".");
  await git("clean", "--quiet", "-fd");
});
afterAll(() => rm(repo, { recursive: true, force: true }));

describe("pnpm check-release", () => {
  it("passes when nothing changed", async () => {
    expect(await checkRelease(repo)).toMatchObject({
      lastRelease: "@org/bulk-tasks-api@0.1.0",
      required: "none",
      ok: true,
    });
  });

  it("fails a breaking spec change with a patch changeset, listing what needs the bigger bump", async () => {
    await edit("spec/components/schemas/BulkTaskPage.yaml", renameTotalDocs);
    await changeset("patch");
    const result = await checkRelease(repo);
    expect(result).toMatchObject({ required: "major", declared: "patch", ok: false });
    expect(result.report).toContain("need a major release; @org/bulk-tasks-api declares patch");
    expect(result.report).toMatch(/major: .*totalDocs/);
  });

  it("passes the same change with a major changeset", async () => {
    await edit("spec/components/schemas/BulkTaskPage.yaml", renameTotalDocs);
    await changeset("major");
    expect(await checkRelease(repo)).toMatchObject({ required: "major", declared: "major", ok: true });
  });

  it("passes it when `changeset version` already bumped the major version", async () => {
    await edit("spec/components/schemas/BulkTaskPage.yaml", renameTotalDocs);
    await edit("packages/bulk-tasks-api/package.json", (text) => text.replace('"0.1.0"', '"1.0.0"'));
    expect(await checkRelease(repo)).toMatchObject({ required: "major", declared: "major", ok: true });
  });

  it("needs no more than a patch for a description-only change", async () => {
    await edit("spec/components/schemas/BulkTaskFile.yaml", reworded);
    await changeset("patch");
    expect(await checkRelease(repo)).toMatchObject({ required: "patch", declared: "patch", ok: true });
  });

  it("still needs a changeset for a description-only change", async () => {
    await edit("spec/components/schemas/BulkTaskFile.yaml", reworded);
    expect(await checkRelease(repo)).toMatchObject({ required: "patch", declared: "none", ok: false });
  });

  it("rates a new status value in responses as major: exhaustive switches stop compiling", async () => {
    await edit("spec/components/schemas/BulkTaskStatus.yaml", newEnumValue);
    await changeset("minor");
    const result = await checkRelease(repo);
    expect(result).toMatchObject({ required: "major", ok: false });
    expect(result.report).toContain("cancelled");
  });
});

// The first real run of the maintainer's loop: the second operation (getBulkTask) and the field rules
// of the second rendering of the page, judged against the spec as it was before them (the bundled
// spec of that commit, kept as a fixture: YAML reads JSON, so it stands as spec/openapi.yaml).
describe("pnpm check-release on the getBulkTask release", () => {
  let before: string;

  beforeAll(async () => {
    before = await mkdtemp(join(tmpdir(), "check-release-get-"));
    await cp(join(workspace, "redocly.yaml"), join(before, "redocly.yaml"));
    await cp(join(workspace, ".changeset/config.json"), join(before, ".changeset/config.json"));
    await mkdir(join(before, "spec"), { recursive: true });
    await cp(
      new URL("./fixtures/spec-before-get-bulk-task.json", import.meta.url),
      join(before, "spec/openapi.yaml"),
    );
    await mkdir(join(before, "packages/bulk-tasks-api"), { recursive: true });
    await writeFile(
      join(before, "packages/bulk-tasks-api/package.json"),
      JSON.stringify({ name: "@org/bulk-tasks-api", version: "0.1.0" }),
    );
    const inBefore = (...args: string[]) =>
      run("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: before });
    await inBefore("init", "--quiet", "--initial-branch=main");
    await inBefore("add", "-A");
    await inBefore("commit", "--quiet", "-m", "release 0.1.0");
    await inBefore("tag", "@org/bulk-tasks-api@0.1.0");
    // Then the spec of this release, as the working tree has it.
    await rm(join(before, "spec"), { recursive: true });
    for (const path of ["spec/openapi.yaml", "spec/paths", "spec/components"]) {
      await cp(join(workspace, path), join(before, path), { recursive: true });
    }
  });
  afterAll(() => rm(before, { recursive: true, force: true }));

  const declare = (bump: "patch" | "minor") =>
    writeFile(
      join(before, ".changeset", "this-release.md"),
      `---\n"@org/bulk-tasks-api": ${bump}\n---\n\nA change.\n`,
    );

  it("refuses a patch: a new operation is a minor release at least", async () => {
    await declare("patch");
    const result = await checkRelease(before);
    expect(result).toMatchObject({ required: "minor", declared: "patch", ok: false });
    // JSON pointers: the new path, and the 403 the list gained.
    expect(result.report).toContain(
      "minor: added (#/paths/~1v1~1organizations~1{organizationId}~1bulk-tasks~1{bulkTaskId})",
    );
    expect(result.report).toContain("bulk-tasks/get/responses/403");
  });

  it("accepts the bump this release declares", async () => {
    await declare("minor");
    const result = await checkRelease(before);
    expect(result.report).toMatch(/minor|major/);
    expect(result).toMatchObject({ required: "minor", declared: "minor", ok: true });
  });
});
