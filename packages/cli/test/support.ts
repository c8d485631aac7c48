import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type BulkTask, createBulkTasksClient, type ListBulkTasksQuery } from "@org/bulk-tasks-api";
import {
  DEFAULT_TASK_COUNT,
  generateBulkTasks,
  type LocalApi,
  type LocalApiOptions,
  startLocalApi,
} from "@org/bulk-tasks-api/testing";
import { afterAll, beforeAll } from "vitest";

/** The built bin: the tests run what users run (`pnpm build` first; turbo does it for `pnpm test`). */
export const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
export const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** A fake key: tests search the output for it. */
export const API_KEY = "test-key-0123456789abcdef";

/**
 * The environment of a run: this process's, without what would change the CLI's behaviour (a key or
 * base URL of the developer's, NO_COLOR, FORCE_COLOR), with the local dataset's time pinned, plus
 * `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(APPLIVERY_|NO_COLOR$|FORCE_COLOR$|NODE_OPTIONS$)/.test(name),
    ),
  );
  // The local dataset ends half an hour before "now": SOURCE_DATE_EPOCH pins now to the time the
  // README's outputs and the tests' expected dates were made at (2026-11-01T09:30:00Z).
  return { ...env, SOURCE_DATE_EPOCH: String((LOCAL_NEWEST + 30 * 60_000) / 1000), ...extra };
}

/** When the newest task of `--local`'s dataset was created, in the CLI's runs of these tests. */
export const LOCAL_NEWEST = Date.UTC(2026, 10, 1, 9);

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin with stdout and stderr on pipes (not terminals), and resolves when it exits. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = startCli(args, env);
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout: child.output.stdout, stderr: child.output.stderr };
}

export type RunningCli = ChildProcessWithoutNullStreams & { output: { stdout: string; stderr: string } };

/** Starts the bin with piped streams; `output` fills as it writes. */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env) }) as RunningCli;
  child.output = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    child.output.stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    child.output.stderr += chunk;
  });
  return child;
}

/** Resolves once `output` of the child (stdout or stderr) matches. */
export async function waitForOutput(
  child: RunningCli,
  stream: "stdout" | "stderr",
  pattern: RegExp,
): Promise<void> {
  while (!pattern.test(child.output[stream])) {
    if (child.exitCode !== null)
      throw new Error(`exited (${child.exitCode}) before ${pattern}:\n${child.output.stderr}`);
    await once(child[stream], "data");
  }
}

/** util-linux's `script`, which gives the bin a pseudo-terminal: part of Debian's base system. */
const SCRIPT = "/usr/bin/script";

/**
 * Runs the bin in a pseudo-terminal (stdout and stderr both terminals) and returns what the
 * terminal received, both streams mixed, line ends as the terminal sends them (CRLF).
 */
export async function runInTerminal(args: string[], env: Record<string, string> = {}): Promise<Run> {
  if (!existsSync(SCRIPT)) {
    throw new Error(`${SCRIPT} (util-linux) is missing: the terminal tests need it. Install util-linux.`);
  }
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(" ");
  // -q: no banner; -f: flush as written; -e: its exit code is the command's; -c: the command.
  const child = spawn(SCRIPT, ["-qfec", command, "/dev/null"], {
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Starts a local API for the file's tests, with the test key; `options` may be a function, read when it starts. */
export function useLocalApi(options: LocalApiOptions | (() => LocalApiOptions) = {}): {
  readonly api: LocalApi;
} {
  const handle = {} as { api: LocalApi };
  beforeAll(async () => {
    handle.api = await startLocalApi({
      apiKeys: [API_KEY],
      // The default dataset as --local has it in these tests' runs (see cleanEnv).
      organizations: { lab: generateBulkTasks(DEFAULT_TASK_COUNT, { newest: LOCAL_NEWEST }), empty: [] },
      ...(typeof options === "function" ? options() : options),
    });
  });
  afterAll(() => handle.api.close());
  return handle;
}

/** Every task the local API serves for a query, fetched with the client: what the CLI must show. */
export async function tasksServed(
  api: LocalApi,
  organizationId: string,
  query: ListBulkTasksQuery = {},
): Promise<BulkTask[]> {
  const client = createBulkTasksClient({ apiKey: API_KEY, baseUrl: api.url });
  const tasks: BulkTask[] = [];
  for await (const task of client.bulkTasks.list(organizationId, query)) tasks.push(task);
  return tasks;
}

/** The ids of the two live tasks of `--local` and `serve-local`, as the README documents them. */
export const LIVE_TASK_IDS = ["6f00d5ee00000000face0001", "6f00d5ee00000000face0002"] as const;

/** The live tasks of `--local`, as `get --local` prints them: pending, since its clock stands still. */
export async function localLiveTasks(): Promise<BulkTask[]> {
  return Promise.all(
    LIVE_TASK_IDS.map(async (id) => {
      const { code, stdout, stderr } = await runCli(["get", "lab", id, "--local"]);
      if (code !== 0) throw new Error(`get ${id} --local exited ${code}: ${stderr}`);
      return JSON.parse(stdout) as BulkTask;
    }),
  );
}

/** The arguments that point the bin at a local API. */
export function target(api: LocalApi): string[] {
  return ["--base-url", api.url, "--api-key", API_KEY];
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF records) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += char;
  }
  if (field !== "" || row.length > 0) throw new Error("the CSV does not end with CRLF");
  return rows;
}

/** The value at a dotted path of an object (`file.originalName`). */
export function valueAt(object: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], object);
}

/** The version in package.json. */
export function packageVersion(): string {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
}
