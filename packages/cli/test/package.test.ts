import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_DIR } from "./support.js";

// The gates of the published package, on the tarball that `pnpm pack` makes from dist/.
// arethetypeswrong is left out on purpose: the package is a command with no library API, so it has
// no `exports` and no types for attw to resolve (it would only report that there is nothing).
const run = promisify(execFile);
let work: string;
let tarball: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "bulk-tasks-cli-pack-"));
  await run("pnpm", ["pack", "--pack-destination", work], { cwd: PACKAGE_DIR });
  const [file = "missing.tgz"] = (await readdir(work)).filter((name) => name.endsWith(".tgz"));
  tarball = join(work, file);
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("the packed tarball", () => {
  it("holds the bin, package.json, the README and the licence, nothing else", async () => {
    const { stdout } = await run("tar", ["-tzf", tarball]);
    expect(stdout.trim().split("\n").sort()).toEqual([
      "package/LICENSE",
      "package/README.md",
      "package/dist/cli.js",
      "package/package.json",
    ]);
  });

  it("is clean for publint --strict", async () => {
    const { stdout } = await run(join(PACKAGE_DIR, "node_modules", ".bin", "publint"), [
      "run",
      tarball,
      "--strict",
    ]);
    expect(stdout).toContain("All good!");
  });

  it("declares the bin, an executable script with a node shebang, and the client at the version packed beside it", async () => {
    const { stdout: manifestText } = await run("tar", ["-xOzf", tarball, "package/package.json"]);
    const manifest = JSON.parse(manifestText);
    expect(manifest.bin).toEqual({ "bulk-tasks": "dist/cli.js" });
    expect(manifest.exports).toBeUndefined();
    const client = JSON.parse(await readFile(join(PACKAGE_DIR, "../bulk-tasks-api/package.json"), "utf8"));
    // The client, and undici for HTTPS_PROXY (undici 7: it runs on every Node.js the CLI claims).
    expect(manifest.dependencies).toEqual({ "@org/bulk-tasks-api": client.version, undici: "^7.30.2" });
    const { stdout: script } = await run("tar", ["-xOzf", tarball, "package/dist/cli.js"]);
    expect(script.startsWith("#!/usr/bin/env node\n")).toBe(true);
    const { stdout: listing } = await run("tar", ["-tvzf", tarball, "package/dist/cli.js"]);
    expect(listing).toMatch(/^-rwxr-xr-x /);
  });
});
