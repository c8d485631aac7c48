import { Progress, type ProgressStream } from "./progress.js";

/** Keys shorter than this are not searched for: they would garble every line, and are no secret. */
const MIN_SECRET_LENGTH = 8;

/**
 * stderr for people: verbose lines, notes, the error line, and the progress line, which it takes off
 * the screen before writing a line and draws again after. Every line has the API key taken out, in
 * case anything ever quotes it (the client already keeps it out of its errors; this is the last
 * guard before the terminal or a log file).
 */
export class Diagnostics {
  readonly #stream: ProgressStream;
  readonly #secrets: string[];
  #progress: Progress | undefined;

  /** @param apiKeys every string that may be the key: each is written `[redacted]` */
  constructor(stream: ProgressStream, apiKeys: readonly (string | undefined)[]) {
    this.#stream = stream;
    const keys = apiKeys.map((key) => key?.trim() ?? "").filter((key) => key.length >= MIN_SECRET_LENGTH);
    // The longest first: a key that holds another is redacted whole.
    this.#secrets = [...new Set(keys.flatMap((key) => [key, encodeURIComponent(key)]))].sort(
      (a, b) => b.length - a.length,
    );
  }

  /** Writes one line: line breaks in `text` become spaces, so that each message is one line. */
  line(text: string): void {
    let safe = text.replace(/\s*[\r\n]+\s*/g, " ");
    for (const secret of this.#secrets) safe = safe.replaceAll(secret, "[redacted]");
    this.#progress?.clear();
    this.#stream.write(`${safe}\n`);
    this.#progress?.restore();
  }

  /** A progress line for a walk: drawn only when stderr is a terminal and `enabled`. */
  startProgress(enabled: boolean): Progress {
    this.#progress = new Progress(this.#stream, enabled);
    this.#progress.start();
    return this.#progress;
  }
}
