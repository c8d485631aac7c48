import { execFile } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { startSuiteApi } from "./suite-api.js";

// One small runner per runtime for the portable suite (suite.mjs), which each runs from the project
// where the packed tarball is installed (test/tarball.test.ts). Every runtime comes from a package
// pinned in the lockfile: node@<line> through npx (as the Node.js lines of the tarball test), bun
// and deno from their platform packages, workerd through miniflare, Chromium from
// @sparticuz/chromium through playwright-core.
const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));

/** What a runner hands back: the suite's results, and how long the runtime took, start to end. */
export interface SuiteRun {
  runtime: string;
  durationMs: number;
  wallMs: number;
  results: Record<string, unknown>;
  counts: Record<string, number>;
}

export interface Runtime {
  /** The name in the test's title and the summary, e.g. "Bun 1.4.4". */
  name: string;
  kind: "node" | "bun" | "deno" | "workerd" | "chromium";
  /** What the suite, run there, says the runtime is. */
  says: RegExp;
  /** The Node.js line, for Node.js. */
  nodeLine?: string;
  run(project: string, nodeBinary: (line: string) => string): Promise<SuiteRun>;
}

/** The binary a platform package of `pkg` holds: the install script that copies it is not run. */
function platformBinary(pkg: string, platformPackage: string, file: string): string {
  // From the package's real folder in pnpm's store, where its optional dependencies are linked.
  const from = createRequire(realpathSync(manifestOf(pkg)));
  return join(dirname(from.resolve(`${platformPackage}/package.json`)), file);
}

/** The package.json of a dev dependency (some packages' `exports` do not list it). */
function manifestOf(pkg: string): string {
  return join(here, "..", "..", "node_modules", pkg, "package.json");
}

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(manifestOf(pkg), "utf8")) as { version: string }).version;
}

function linuxX64(what: string): void {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `The ${what} runner picks the Linux x64 binary; add ${process.platform} ${process.arch}.`,
    );
  }
}

/** Runs a command that prints the suite's results as its last line of JSON. */
async function runJson(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const env = Object.fromEntries(
    Object.entries(options.env ?? process.env).filter(([name]) => !/^(APPLIVERY_|NODE_OPTIONS$)/.test(name)),
  );
  // A runtime that hangs (a timer or socket left behind) is killed, and fails with what it printed.
  const { stdout } = await run(command, args, { cwd: options.cwd, env, timeout: 60_000, maxBuffer: 1 << 24 });
  const last = stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last) as Omit<SuiteRun, "wallMs" | "counts">;
  } catch {
    throw new Error(`${command} printed no results:\n${stdout}`);
  }
}

async function withSuiteApi(
  cors: string[] | undefined,
  body: (baseUrl: string, apiKey: string) => Promise<Omit<SuiteRun, "wallMs" | "counts">>,
): Promise<SuiteRun> {
  const { api, counts } = await startSuiteApi(cors);
  const started = performance.now();
  try {
    const outcome = await body(api.url, api.apiKey);
    return {
      ...outcome,
      wallMs: Math.round(performance.now() - started),
      counts: Object.fromEntries(counts),
    };
  } finally {
    await api.close();
  }
}

/** Bundles the suite with the installed package, for runtimes that load one module (workerd, a page). */
async function bundle(project: string, name: string, platform: "browser" | "neutral", contents: string) {
  const outfile = join(project, name);
  await build({
    stdin: { contents, resolveDir: project, sourcefile: `${name}-entry.mjs` },
    bundle: true,
    format: "esm",
    platform,
    // workerd's conditions as wrangler sets them; a browser's as bundlers do.
    ...(platform === "neutral"
      ? { conditions: ["workerd", "worker", "browser"], mainFields: ["browser", "module", "main"] }
      : {}),
    target: "es2022",
    outfile,
    logLevel: "silent",
  });
  return outfile;
}

export const nodeRuntime = (line: string): Runtime => ({
  name: `Node.js ${line}`,
  kind: "node",
  says: new RegExp(`^Node\\.js ${line}\\.`),
  nodeLine: line,
  run: (project, nodeBinary) =>
    withSuiteApi(undefined, (baseUrl, apiKey) =>
      runJson(nodeBinary(line), ["main.mjs", baseUrl, apiKey], { cwd: project }),
    ),
});

export const bunRuntime: Runtime = {
  name: `Bun ${versionOf("bun")}`,
  kind: "bun",
  says: new RegExp(`^Bun ${versionOf("bun").replaceAll(".", "\\.")}$`),
  run: (project) => {
    linuxX64("Bun");
    const bun = platformBinary("bun", "@oven/bun-linux-x64", "bin/bun");
    return withSuiteApi(undefined, (baseUrl, apiKey) =>
      runJson(bun, ["main.mjs", baseUrl, apiKey], { cwd: project }),
    );
  },
};

export const denoRuntime: Runtime = {
  name: `Deno ${versionOf("deno")}`,
  kind: "deno",
  says: new RegExp(`^Deno ${versionOf("deno").replaceAll(".", "\\.")}$`),
  run: (project) => {
    linuxX64("Deno");
    const deno = platformBinary("deno", "@deno/linux-x64-glibc", "deno");
    // As a cautious user runs it: network to the local API only, no other permission. node_modules
    // beside package.json is read as npm's (Deno's default for a project with a package.json).
    return withSuiteApi(undefined, (baseUrl, apiKey) =>
      runJson(deno, ["run", "--allow-net=127.0.0.1", "--allow-read=.", "main.mjs", baseUrl, apiKey], {
        cwd: project,
        env: { ...process.env, DENO_DIR: join(tmpdir(), "bulk-tasks-api-deno"), NO_COLOR: "1" },
      }),
    );
  },
};

export const workerdRuntime: Runtime = {
  name: `workerd (miniflare ${versionOf("miniflare")})`,
  kind: "workerd",
  says: /^workerd$/,
  run: async (project, nodeBinary) => {
    const worker = await bundle(project, "worker.mjs", "neutral", 'export { runSuite } from "./suite.mjs";');
    // miniflare needs Node.js 22 or later; its module resolves from this folder's node_modules.
    return withSuiteApi(undefined, (baseUrl, apiKey) =>
      runJson(nodeBinary("22"), [join(here, "workerd.mjs"), worker, baseUrl, apiKey], { cwd: here }),
    );
  },
};

export const chromiumRuntime: Runtime = {
  name: `Chromium (@sparticuz/chromium ${versionOf("@sparticuz/chromium")})`,
  kind: "chromium",
  says: new RegExp(`^Chromium ${versionOf("@sparticuz/chromium").split(".")[0]}\\.`),
  run: async (project) => {
    const script = await bundle(
      project,
      "page.mjs",
      "browser",
      'import { runSuite } from "./suite.mjs";\nglobalThis.runSuite = runSuite;',
    );
    const code = await readFile(script);
    const page = createServer((request, response) => {
      if (request.url === "/suite.mjs")
        response.writeHead(200, { "content-type": "text/javascript" }).end(code);
      else
        response
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end('<!doctype html><title>suite</title><script type="module" src="/suite.mjs"></script>');
    });
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    const scratch = join(tmpdir(), "bulk-tasks-api-chromium");
    await mkdir(scratch, { recursive: true });
    try {
      return await withSuiteApi([origin], (baseUrl, apiKey) =>
        runJson(process.execPath, [join(here, "chromium.mjs"), `${origin}/`, baseUrl, apiKey], {
          cwd: here,
          env: { ...process.env, TMPDIR: scratch },
        }),
      );
    } finally {
      page.closeAllConnections();
      await new Promise((resolve) => page.close(resolve));
    }
  },
};
