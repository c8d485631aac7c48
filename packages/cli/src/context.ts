import type { Diagnostics } from "./output/diagnostics.js";
import type { Output } from "./output/output.js";
import type { StreamInfo } from "./output/style.js";

/** What a command runs with: its streams, its environment and the signal that stops it. */
export interface Context {
  env: NodeJS.ProcessEnv;
  /** Results. */
  stdout: Output;
  /** Whether stdout is a terminal, and how wide: the default format and the colours follow it. */
  stdoutInfo: StreamInfo;
  /** Whether stderr is a terminal: the progress line and the notes' colours follow it. */
  stderrInfo: StreamInfo;
  /** Diagnostics and progress, on stderr. */
  diagnostics: Diagnostics;
  /** Aborted on Ctrl-C (SIGINT), SIGTERM, or when the reader of stdout goes away. */
  signal: AbortSignal;
}
