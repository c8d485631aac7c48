import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import {
  DEFAULT_TASK_COUNT,
  type Fault,
  type RecordedExchange,
  seededRandom,
} from "@org/bulk-tasks-api/testing";
import { type ServeLocalArguments, UsageError } from "../arguments.js";
import type { Context } from "../context.js";
import { type LocalWorld, localNewest, startLocalWorld } from "../local-api.js";
import { formatDuration } from "../output/progress.js";

/**
 * `bulk-tasks serve-local`: the local API on 127.0.0.1 until Ctrl-C or SIGTERM, with seeded faults
 * and the two live tasks of `--local`, which run from the start for `--live-duration`. Stopping it
 * is its normal end: exit code 0.
 */
export async function runServeLocal(args: ServeLocalArguments, context: Context): Promise<void> {
  // Read first: the parent may end while the server starts (a test that stops it on its first line).
  const parent = process.ppid;
  const recordings = (await Promise.all(args.recordings.map(readHar))).flat();
  const faults = faultPlan(args);
  let world: LocalWorld;
  try {
    world = await startLocalWorld(
      {
        port: args.port,
        apiKeys: [args.key],
        tasks: args.tasks,
        newest: localNewest(context.env, args.newest),
        recordings,
        latencyMs: args.latencyMs,
        ...(faults && { faults }),
      },
      args.liveDurationMs,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new UsageError(
        `Port ${args.port} is in use: choose another --port (0 picks a free one).`,
        "serve-local",
      );
    }
    throw error;
  }
  world.startClock();
  const { api, liveTasks } = world;
  const key = shellWord(args.key);
  const [first] = liveTasks;
  const lines = [
    `Local bulk tasks API at ${api.url} (Ctrl-C to stop)`,
    `  key:           ${args.key}`,
    `  organizations: lab (${args.tasks ?? DEFAULT_TASK_COUNT} tasks), empty (none); any other answers 404`,
    ...liveTasks.map(
      ({ task, outcome, durationMs }, index) =>
        `  ${(index === 0 ? "live tasks:" : "").padEnd(14)} ${task.id} in lab, ${
          outcome === "failed" ? "fails" : "completes"
        } in ${formatDuration(durationMs / 1000)}`,
    ),
    ...(faults ? [`  faults:        ${describeFaults(args)}`] : []),
    ...(recordings.length
      ? [
          `  recordings:    ${recordings.length} exchanges from ${args.recordings.map((file) => basename(file)).join(", ")},`,
          "                 answered for other organizations, or with the header Prefer: example=recorded",
        ]
      : []),
    "",
    "Try:",
    `  APPLIVERY_API_KEY=${key} bulk-tasks list lab --base-url ${api.url}`,
    ...(first
      ? [`  APPLIVERY_API_KEY=${key} bulk-tasks wait lab ${first.task.id} --base-url ${api.url}`]
      : []),
    `  curl -H ${shellWord(`Authorization: Bearer ${args.key}`)} "${api.url}/v1/organizations/lab/bulk-tasks?limit=2"`,
  ];
  await context.stdout.write(`${lines.join("\n")}\n`);
  try {
    await untilStopped(context.signal, parent);
  } finally {
    await api.close();
  }
}

/** How often serve-local looks whether the process that started it is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Until the command is stopped (Ctrl-C, SIGTERM), or the process that started it ends. `npx
 * @org/bulk-tasks-cli serve-local` runs it under a shell under npm: a SIGTERM to npm ends npm and
 * the shell but reaches no further, and the server, adopted by init, would hold its port for good.
 */
async function untilStopped(signal: AbortSignal, parent: number): Promise<void> {
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
      timer = setInterval(() => {
        if (process.ppid !== parent) resolve();
      }, PARENT_CHECK_MS);
      timer.unref();
    });
  } finally {
    clearInterval(timer);
  }
}

/**
 * The fault plan of the rates, drawn from the local API's seeded generator (mulberry32): the same
 * `--seed` and the same requests give the same faults. Undefined when every rate is 0.
 */
function faultPlan(args: ServeLocalArguments): (() => Fault | undefined) | undefined {
  const rates: [number, Fault][] = [
    [args.failRate, { kind: "status", status: 503 }],
    [args.rateLimitRate, { kind: "rate-limit", retryAfter: args.retryAfterSeconds }],
    [args.htmlRate, { kind: "html" }],
    [args.dropRate, { kind: "drop" }],
  ];
  if (rates.every(([rate]) => rate === 0)) return undefined;
  const random = seededRandom(args.seed);
  return () => {
    let roll = random();
    for (const [rate, fault] of rates) {
      if (roll < rate) return fault;
      roll -= rate;
    }
    return undefined;
  };
}

function describeFaults(args: ServeLocalArguments): string {
  const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
  return [
    args.failRate && `503 ${percent(args.failRate)}`,
    args.rateLimitRate && `429 ${percent(args.rateLimitRate)} (Retry-After ${args.retryAfterSeconds} s)`,
    args.htmlRate && `HTML 502 ${percent(args.htmlRate)}`,
    args.dropRate && `dropped ${percent(args.dropRate)}`,
  ]
    .filter(Boolean)
    .concat(`seed ${args.seed}`)
    .join(", ");
}

/**
 * The entries of a HAR 1.2 file (`log.entries`), checked for the parts the local API reads.
 * @throws {UsageError} naming the file, when it cannot be read or is not HAR
 */
async function readHar(file: string): Promise<RecordedExchange[]> {
  let har: unknown;
  try {
    har = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new UsageError(`Cannot read --recordings ${file}: ${code ?? message}.`, "serve-local");
  }
  const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) {
    throw new UsageError(
      `--recordings ${file} is not a HAR file: it has no log.entries array.`,
      "serve-local",
    );
  }
  const broken = entries.findIndex((entry) => !isExchange(entry));
  if (broken !== -1) {
    throw new UsageError(
      `--recordings ${file}: log.entries[${broken}] lacks a request (method, url, headers) or a response (status, headers, content).`,
      "serve-local",
    );
  }
  return entries as RecordedExchange[];
}

function isExchange(entry: unknown): boolean {
  const { request, response } = (entry ?? {}) as {
    request?: Record<string, unknown>;
    response?: Record<string, unknown>;
  };
  return (
    typeof request?.method === "string" &&
    typeof request.url === "string" &&
    URL.canParse(request.url) &&
    Array.isArray(request.headers) &&
    typeof response?.status === "number" &&
    Array.isArray(response.headers) &&
    typeof response.content === "object" &&
    response.content !== null
  );
}

/** A word the shell reads as it is: quoted when it holds anything but letters, digits and `-._:/=`. */
function shellWord(text: string): string {
  return /^[\w.:/=-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
