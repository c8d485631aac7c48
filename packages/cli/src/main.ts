import { readFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { type CommandName, parseCommandLine } from "./arguments.js";
import { runGet } from "./commands/get.js";
import { runList } from "./commands/list.js";
import { runServeLocal } from "./commands/serve-local.js";
import { runSummary } from "./commands/summary.js";
import { runWait } from "./commands/wait.js";
import type { Context } from "./context.js";
import { describeFailure, EXIT_OK, EXIT_USAGE } from "./failure.js";
import { helpText } from "./help.js";
import { Diagnostics } from "./output/diagnostics.js";
import { Output, OutputClosed } from "./output/output.js";
import type { ProgressStream } from "./output/progress.js";
import type { StreamInfo } from "./output/style.js";

/** Ctrl-C or SIGTERM: the reason the command's signal carries, and the exit code it ends with. */
export class Interrupted extends Error {
  override name = "Interrupted";
  readonly exitCode: number;

  constructor(signal: NodeJS.Signals, exitCode: number) {
    super(`Interrupted by ${signal}`);
    this.exitCode = exitCode;
  }
}

export interface Io {
  stdout: Writable & StreamInfo;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  /** Aborted by the caller on a signal (with {@link Interrupted}); aborted here if stdout goes away. */
  controller: AbortController;
}

/** Runs one command line and resolves to the exit code; never exits the process itself. */
export async function main(args: readonly string[], io: Io): Promise<number> {
  const { controller, env } = io;
  const stdout = new Output(io.stdout);
  stdout.onClosed((error) => controller.abort(error));
  // What may be the key is known before the command line is read (the value of every --api-key
  // among them): a mistake in it (a space after `--api-key=`, the key where a value goes) is told
  // without printing the key.
  const diagnostics = new Diagnostics(io.stderr, possibleApiKeys(args, env));
  let command: CommandName | undefined;
  try {
    const invocation = parseCommandLine(args);
    if (invocation.command !== "help" && invocation.command !== "version") command = invocation.command;
    const context: Context = {
      env,
      stdout,
      stdoutInfo: io.stdout,
      stderrInfo: io.stderr,
      diagnostics,
      signal: controller.signal,
    };
    switch (invocation.command) {
      case "help":
        // Without any argument, help is the answer to a mistake: on stderr, exit code 2.
        if (args.length === 0) {
          io.stderr.write(helpText(undefined));
          return EXIT_USAGE;
        }
        await stdout.write(helpText(invocation.topic));
        break;
      case "version":
        await stdout.write(`${readVersion()}\n`);
        break;
      case "list":
        await runList(invocation, context);
        break;
      case "summary":
        await runSummary(invocation, context);
        break;
      case "get":
        await runGet(invocation, context);
        break;
      case "wait":
        await runWait(invocation, context);
        break;
      case "serve-local":
        await runServeLocal(invocation.serve, context);
        break;
    }
    return EXIT_OK;
  } catch (error) {
    if (controller.signal.aborted) {
      const reason: unknown = controller.signal.reason;
      if (reason instanceof Interrupted) return reason.exitCode;
      // The reader of stdout went away (`| head`): it has what it wanted.
      if (reason instanceof OutputClosed) return EXIT_OK;
    }
    const { exitCode, line } = describeFailure(error, command, env);
    diagnostics.line(`bulk-tasks: ${line}`);
    return exitCode;
  }
}

/**
 * Every argument that may be the key, read before the command line is checked: APPLIVERY_API_KEY,
 * the value of each `--api-key`, and the argument after an empty `--api-key=` or a lone `=`.
 */
function possibleApiKeys(args: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const keys = [env.APPLIVERY_API_KEY];
  args.forEach((arg, index) => {
    if (arg === "--api-key" || arg === "--api-key=") keys.push(args[index + 1]);
    else if (arg.startsWith("--api-key=")) keys.push(arg.slice("--api-key=".length));
    // `--api-key = KEY`: the key is two arguments further.
    if (arg === "--api-key" && args[index + 1] === "=") keys.push(args[index + 2]);
  });
  return keys.filter((key): key is string => typeof key === "string");
}

function readVersion(): string {
  // dist/cli.js sits one folder below the package's package.json, installed or in the workspace.
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return String(manifest.version);
}
