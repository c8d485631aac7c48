import type { Writable } from "node:stream";

/** Raised (as an abort reason) when the reader of stdout went away, as `head` does. */
export class OutputClosed extends Error {
  override name = "OutputClosed";
}

/**
 * stdout for results: writes whole chunks, waits for the reader when the pipe is full (so that a
 * walk is paced by its reader, and memory stays flat), and notices a reader that went away (EPIPE)
 * instead of crashing on it.
 */
export class Output {
  readonly #stream: Writable;
  #closed: Error | undefined;
  #onClosed: ((error: Error) => void) | undefined;

  constructor(stream: Writable) {
    this.#stream = stream;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      this.#closed ??=
        error.code === "EPIPE" ? new OutputClosed("stdout was closed", { cause: error }) : error;
      this.#onClosed?.(this.#closed);
    });
  }

  /** Called once when stdout fails: with {@link OutputClosed} when its reader went away. */
  onClosed(listener: (error: Error) => void): void {
    this.#onClosed = listener;
  }

  /** Writes `text`, then waits until the stream can take more, or `signal` aborts the wait. */
  async write(text: string, signal?: AbortSignal): Promise<void> {
    if (this.#closed || text === "") return;
    if (this.#stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.#stream.off("drain", done);
        this.#stream.off("error", done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.#stream.once("drain", done);
      this.#stream.once("error", done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}
