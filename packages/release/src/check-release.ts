import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import readChangesets from "@changesets/read";
import semver from "semver";

const run = promisify(execFile);

export const PACKAGE = "@org/bulk-tasks-api";
const PACKAGE_DIR = "packages/bulk-tasks-api";
const API = "bulk-tasks@v1";
const BUMPS = ["none", "patch", "minor", "major"] as const;
export type Bump = (typeof BUMPS)[number];

/** One change of the spec, as `redocly diff` rates it. */
export interface SpecChange {
  impact: Exclude<Bump, "none">;
  /** Where in the bundled spec, a JSON pointer. */
  path: string;
  /** Why it has that impact (redocly's verdicts), or what changed. */
  message: string;
}

export interface ReleaseCheck {
  /** The last release's tag, or undefined when there is none yet. */
  lastRelease: string | undefined;
  /** The bump the spec diff requires. */
  required: Bump;
  /** The bump declared: pending changesets, and any version already bumped since the tag. */
  declared: Bump;
  changes: SpecChange[];
  ok: boolean;
  /** What to tell the maintainer. */
  report: string;
}

/**
 * The semver guard: compares the spec of the last release (its git tag, as `changeset publish`
 * makes it) with the current one using `redocly diff`, and fails when what is declared for
 * @org/bulk-tasks-api (pending changesets, or a version already bumped by `changeset version`) is
 * a smaller bump than the diff requires.
 */
export async function checkRelease(root: string): Promise<ReleaseCheck> {
  const lastRelease = await lastReleaseTag(root);
  if (!lastRelease) {
    return {
      lastRelease,
      required: "none",
      declared: "none",
      changes: [],
      ok: true,
      report: `No release of ${PACKAGE} is tagged yet: there is no earlier spec to compare with.`,
    };
  }
  const work = await mkdtemp(join(tmpdir(), "check-release-"));
  try {
    await run("sh", ["-c", `git archive "${lastRelease}" spec redocly.yaml | tar -x -C "${work}"`], {
      cwd: root,
    });
    const base = await bundle(join(work, "redocly.yaml"), join(work, "base.json"));
    const current = await bundle(join(root, "redocly.yaml"), join(work, "current.json"));
    const { required, changes } = await diff(base, current, work);
    const declared = await declaredBump(root, lastRelease);
    const ok = rank(declared) >= rank(required);
    return {
      lastRelease,
      required,
      declared,
      changes,
      ok,
      report: describe(lastRelease, required, declared, changes, ok),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function lastReleaseTag(root: string): Promise<string | undefined> {
  const { stdout } = await run(
    "git",
    ["tag", "--list", `${PACKAGE}@*`, "--sort=-v:refname", "--merged", "HEAD"],
    {
      cwd: root,
    },
  );
  return stdout
    .split("\n")
    .find((tag) => tag.trim() !== "")
    ?.trim();
}

const redocly = join(
  dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")),
  "bin",
  "cli.js",
);

async function bundle(config: string, output: string): Promise<string> {
  await run(
    process.execPath,
    [redocly, "bundle", API, "--config", config, "--dereferenced", "--output", output],
    {
      cwd: dirname(config),
    },
  );
  return output;
}

interface RedoclyDiff {
  bump: Bump;
  changes: {
    path: string;
    impact: SpecChange["impact"];
    kind: string;
    property?: string;
    verdicts: { message: string }[];
  }[];
}

async function diff(
  base: string,
  current: string,
  work: string,
): Promise<{ required: Bump; changes: SpecChange[] }> {
  // In a folder of its own: redocly reads a redocly.yaml from its working folder, and the project's
  // (lint rules, no diff rules) makes `diff` rate a renamed property or a new response enum value as
  // a mere patch, where its defaults rightly say major.
  const folder = join(work, "diff");
  await mkdir(folder);
  const output = join(folder, "diff.json");
  await run(
    process.execPath,
    [redocly, "diff", base, current, "--format", "json", "--fail-on", "none", "--output", output],
    {
      cwd: folder,
    },
  );
  const report = JSON.parse(await readFile(output, "utf8")) as RedoclyDiff;
  const changes = report.changes.map((change) => ({
    impact: change.impact,
    path: change.path,
    message:
      change.verdicts.map((verdict) => verdict.message).join(" ") ||
      `${change.kind} ${change.property ?? ""}`.trim(),
  }));
  const required = changes.reduce<Bump>(
    (max, change) => (rank(change.impact) > rank(max) ? change.impact : max),
    "none",
  );
  return { required, changes };
}

async function declaredBump(root: string, lastRelease: string): Promise<Bump> {
  const pending = (await readChangesets(root))
    .flatMap((changeset) => changeset.releases)
    .filter((release) => release.name === PACKAGE)
    .map((release) => release.type as Bump);
  const released = lastRelease.slice(PACKAGE.length + 1);
  const { version } = JSON.parse(await readFile(join(root, PACKAGE_DIR, "package.json"), "utf8")) as {
    version: string;
  };
  const alreadyBumped = semver.gt(version, released) ? bumpBetween(released, version) : "none";
  return [...pending, alreadyBumped].reduce<Bump>(
    (max, bump) => (rank(bump) > rank(max) ? bump : max),
    "none",
  );
}

function bumpBetween(from: string, to: string): Bump {
  const difference = semver.diff(from, to);
  if (difference === "major" || difference === "premajor") return "major";
  if (difference === "minor" || difference === "preminor") return "minor";
  return "patch";
}

function rank(bump: Bump): number {
  return BUMPS.indexOf(bump);
}

function describe(
  lastRelease: string,
  required: Bump,
  declared: Bump,
  changes: SpecChange[],
  ok: boolean,
): string {
  const header = `Spec changes since ${lastRelease} need a ${required} release; ${PACKAGE} declares ${declared}.`;
  if (ok) return `${header} OK.`;
  const needing = changes
    .filter((change) => rank(change.impact) > rank(declared))
    .map((change) => `  - ${change.impact}: ${change.message} (${change.path})`);
  return [
    `${header}`,
    `These changes need more than ${declared}:`,
    ...needing,
    `Add a changeset with "pnpm changeset" that declares a ${required} bump for ${PACKAGE}.`,
  ].join("\n");
}
