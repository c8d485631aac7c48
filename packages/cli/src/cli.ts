#!/usr/bin/env node
import { Interrupted, main } from "./main.js";

const controller = new AbortController();
const interrupt = (signal: NodeJS.Signals, exitCode: number) => {
  // The first signal stops the command cleanly; a second one, if that takes too long, at once.
  if (controller.signal.aborted) process.exit(exitCode);
  controller.abort(new Interrupted(signal, exitCode));
};
process.on("SIGINT", () => interrupt("SIGINT", 130));
process.on("SIGTERM", () => interrupt("SIGTERM", 143));

// No process.exit(): stdout may still hold output for a slow pipe, and Node.js writes it out before
// the process ends with this code.
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  controller,
});
