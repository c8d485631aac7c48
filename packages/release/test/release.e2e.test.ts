import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The release flow for real: a copy of this workspace versions and publishes @org/bulk-tasks-api
// and @org/bulk-tasks-cli (its pending changeset) with changesets to a Verdaccio registry on
// 127.0.0.1 (throwaway storage), and a fresh consumer project installs them from there, type-checks
// against the client, runs it, and runs the CLI's bin. Then a spec change, a second release, and the
// consumer sees the new types.
const execFileAsync = promisify(execFile);
const workspace = fileURLToPath(new URL("../../../", import.meta.url));
const releaseDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(workspace, "node_modules", "typescript", "bin", "tsc");

let work: string;
let repo: string;
let consumer: string;
let registryUrl: string;
let registry: ChildProcess | undefined;
let env: NodeJS.ProcessEnv;

async function sh(command: string, args: string[], cwd: string) {
  try {
    return await execFileAsync(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function startRegistry(): Promise<void> {
  const port = await freePort();
  registryUrl = `http://127.0.0.1:${port}/`;
  const config = join(work, "verdaccio.yaml");
  await writeFile(
    config,
    [
      `storage: ${join(work, "storage")}`,
      // The @org scope only, as a company registry holds it; everything else comes from the
      // machine's usual registry, as it does for a real consumer. No uplink to fail.
      "packages:",
      "  '@org/*':",
      "    access: $all",
      "    publish: $all",
      "log: { type: stdout, format: pretty, level: warn }",
    ].join("\n"),
  );
  registry = spawn(
    join(releaseDir, "node_modules", ".bin", "verdaccio"),
    ["--config", config, "--listen", `127.0.0.1:${port}`],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  let exited = false;
  const keep = (chunk: Buffer) => {
    output += chunk;
  };
  registry.stdout?.on("data", keep);
  registry.stderr?.on("data", keep);
  registry.on("exit", () => {
    exited = true;
  });
  // Verdaccio starts in a second or two alone, but took over 10 s with the rest of pnpm test and
  // other work on the two cores: up to 60 s, unless it exits first (its output says why).
  for (let i = 0; i < 600 && !exited && !output.includes("http address"); i++)
    await new Promise((r) => setTimeout(r, 100));
  const ping = await fetch(`${registryUrl}-/ping`);
  expect(ping.ok, `verdaccio did not start:\n${output}`).toBe(true);
}

/** Copies the workspace as it stands (tracked and untracked files, not ignored ones) into a new git repository. */
async function copyWorkspace(): Promise<void> {
  const { stdout } = await sh(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    workspace,
  );
  for (const file of stdout.split("\0").filter(Boolean)) {
    await mkdir(dirname(join(repo, file)), { recursive: true });
    await copyFile(join(workspace, file), join(repo, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error; // deleted but not yet committed
    });
  }
  // The registry and a dummy token (Verdaccio takes anonymous publishes, npm wants a token line).
  const host = registryUrl.replace(/^http:/, "");
  await writeFile(join(repo, ".npmrc"), `@org:registry=${registryUrl}\n${host}:_authToken=dummy-token\n`);
  await sh("git", ["init", "--quiet", "--initial-branch=main"], repo);
  await sh("git", ["add", "-A"], repo);
  await sh("git", ["commit", "--quiet", "-m", "workspace under test"], repo);
  await sh("pnpm", ["install", "--frozen-lockfile", "--offline"], repo);
}

async function release(bump: "minor" | "major" | "patch", summary: string): Promise<string> {
  await writeFile(
    join(repo, ".changeset", `release-${Date.now()}.md`),
    `---\n"@org/bulk-tasks-api": ${bump}\n---\n\n${summary}\n`,
  );
  await sh("pnpm", ["version-packages"], repo);
  await sh("git", ["add", "-A"], repo);
  await sh("git", ["commit", "--quiet", "-m", `version: ${summary}`], repo);
  const { stdout, stderr } = await sh("pnpm", ["release"], repo);
  published = `${stdout}\n${stderr}`;
  const version = await versionOf("packages/bulk-tasks-api");
  expect(published).toContain(`@org/bulk-tasks-api@${version}`);
  return version;
}

/** What the last `pnpm release` printed. */
let published = "";

async function install(version: string, name = "@org/bulk-tasks-api"): Promise<void> {
  await sh("npm", ["install", "--no-audit", "--no-fund", `${name}@${version}`], consumer);
}

/** The version a minor bump gives: 0.3.0 → 0.4.0. */
function nextMinor(version: string): string {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return `${major}.${minor + 1}.0`;
}

async function versionOf(directory: string): Promise<string> {
  return JSON.parse(await readFile(join(repo, directory, "package.json"), "utf8")).version;
}

/** Compiles one file of the consumer with its tsconfig (and emits it to out/ unless `noEmit`). */
async function compile(file: string, { noEmit = true } = {}) {
  const config = `tsconfig.${file.replace(/\.ts$/, "")}.json`;
  await writeFile(join(consumer, config), JSON.stringify({ extends: "./tsconfig.json", files: [file] }));
  return sh(process.execPath, [tsc, "-p", config, ...(noEmit ? ["--noEmit"] : [])], consumer);
}

const CONSUMER_V1 = `import { type BulkTask, type BulkTaskStatus, createBulkTasksClient, NotFoundError } from "@org/bulk-tasks-api";
import { generateBulkTasks, startLocalApi } from "@org/bulk-tasks-api/testing";

const api = await startLocalApi({ organizations: { lab: generateBulkTasks(42) } });
try {
  const client = createBulkTasksClient({ apiKey: api.apiKey, baseUrl: api.url });
  const statuses: BulkTaskStatus[] = [];
  for await (const task of client.bulkTasks.list("lab", { limit: 10 })) statuses.push((task satisfies BulkTask).status);
  const missing = await client.bulkTasks.list("acme").catch((error: unknown) => error);
  console.log(JSON.stringify({ tasks: statuses.length, notFound: missing instanceof NotFoundError }));
} finally {
  await api.close();
}
`;

// Uses what the second release adds to the spec: a task's priority.
const CONSUMER_V2 = `import type { BulkTask } from "@org/bulk-tasks-api";

export function priorityOf(task: BulkTask): number {
  return task.priority ?? 0;
}
`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "release-e2e-"));
  repo = join(work, "repo");
  consumer = join(work, "consumer");
  await mkdir(consumer, { recursive: true });
  env = {
    ...process.env,
    // Provenance needs a CI provider's OIDC token; a local registry has no use for it.
    npm_config_provenance: "false",
    TURBO_TELEMETRY_DISABLED: "1",
  };
  await startRegistry();
  // changesets reads the scope's registry from here (and would fall back to the public one).
  env["npm_config_@org:registry"] = registryUrl;
  await copyWorkspace();
  await writeFile(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  await writeFile(join(consumer, ".npmrc"), `@org:registry=${registryUrl}\n`);
  await writeFile(
    join(consumer, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        skipLibCheck: false,
        types: [],
        lib: ["ES2023", "DOM"],
        outDir: "out",
        rootDir: ".",
      },
    }),
  );
  await writeFile(join(consumer, "consumer-v1.ts"), CONSUMER_V1);
  await writeFile(join(consumer, "consumer-v2.ts"), CONSUMER_V2);
});

afterAll(async () => {
  registry?.kill();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("releasing @org/bulk-tasks-api", () => {
  let first: string;

  it("publishes a first version with changesets, with its changelog and tag", async () => {
    // The workspace holds its last `pnpm version-packages`: a minor changeset goes one minor further.
    const versioned = await versionOf("packages/bulk-tasks-api");
    first = await release("minor", "First release through the local registry.");
    expect(first).toBe(nextMinor(versioned));
    const changelog = await readFile(join(repo, "packages/bulk-tasks-api/CHANGELOG.md"), "utf8");
    expect(changelog).toContain(`## ${first}`);
    expect(changelog).toContain("First release through the local registry.");
    const { stdout: tags } = await sh("git", ["tag", "--list"], repo);
    expect(tags).toContain(`@org/bulk-tasks-api@${first}`);
    const { stdout: view } = await sh("npm", ["view", "@org/bulk-tasks-api", "versions", "--json"], consumer);
    expect(JSON.parse(view)).toEqual(expect.arrayContaining([first]));
  });

  it("installs in a fresh project, type-checks and runs against a local server", async () => {
    await install(first);
    await compile("consumer-v1.ts", { noEmit: false });
    const { stdout } = await sh(process.execPath, ["out/consumer-v1.js"], consumer);
    expect(JSON.parse(stdout)).toEqual({ tasks: 42, notFound: true });
    const shipped = JSON.parse(
      await readFile(join(consumer, "node_modules/@org/bulk-tasks-api/dist/openapi.json"), "utf8"),
    );
    expect(shipped.paths).toHaveProperty(["/v1/organizations/{organizationId}/bulk-tasks"]);
  });

  it("publishes the CLI at the version its changesets gave it, the client's version in place of workspace:*", async () => {
    // Not yet on the registry, so `changeset publish` publishes it, though no changeset is pending.
    const cli = await versionOf("packages/cli");
    expect(cli).toMatch(/^\d+\.\d+\.\d+$/);
    expect(published).toContain(`@org/bulk-tasks-cli@${cli}`);
    const changelog = await readFile(join(repo, "packages/cli/CHANGELOG.md"), "utf8");
    expect(changelog).toContain(`## ${cli}`);
    expect(changelog).toContain("First release of `bulk-tasks`");
    const { stdout: tags } = await sh("git", ["tag", "--list"], repo);
    expect(tags).toContain(`@org/bulk-tasks-cli@${cli}`);
    const { stdout: view } = await sh(
      "npm",
      ["view", `@org/bulk-tasks-cli@${cli}`, "dependencies", "bin", "--json"],
      consumer,
    );
    expect(JSON.parse(view)).toEqual({
      // The client at its released version, and undici (HTTPS_PROXY) from the registry's range.
      dependencies: { "@org/bulk-tasks-api": first, undici: "^7.30.2" },
      bin: { "bulk-tasks": "dist/cli.js" },
    });
  });

  it("installs the CLI in the consumer project, where `npx bulk-tasks` runs", async () => {
    const cli = await versionOf("packages/cli");
    await install(cli, "@org/bulk-tasks-cli");
    const { stdout: version } = await sh("npx", ["--no-install", "bulk-tasks", "--version"], consumer);
    expect(version).toBe(`${cli}\n`);
    const { stdout: summary } = await sh(
      "npx",
      ["--no-install", "bulk-tasks", "summary", "lab", "--local"],
      consumer,
    );
    expect(JSON.parse(summary).tasks).toBeGreaterThan(0);
  });

  it("does not know a field the spec does not have yet", async () => {
    await expect(compile("consumer-v2.ts")).rejects.toThrow(/Property 'priority' does not exist on type/);
  });

  it("publishes a second version after a spec change, and the consumer sees the new types", async () => {
    const schema = join(repo, "spec/components/schemas/BulkTask.yaml");
    const text = await readFile(schema, "utf8");
    await writeFile(
      schema,
      text.replace(
        "  error:\n",
        "  priority:\n    type: integer\n    minimum: 0\n    description: How soon the task runs; higher first.\n  error:\n",
      ),
    );
    await sh("pnpm", ["generate"], repo);
    await sh("git", ["add", "-A"], repo);
    await sh("git", ["commit", "--quiet", "-m", "spec: a task's priority"], repo);
    const second = await release("minor", "Tasks have a `priority`.");
    expect(second).toBe(nextMinor(first));
    await install(second);
    await compile("consumer-v2.ts");
  });
});
