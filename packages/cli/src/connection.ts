import {
  type BulkTasksClient,
  ConfigurationError,
  createBulkTasksClient,
  type Fetch,
} from "@org/bulk-tasks-api";
import { type ConnectionArguments, UsageError } from "./arguments.js";
import { localNewest, startLocalWorld } from "./local-api.js";
import { proxyFromEnvironment } from "./proxy.js";

/** A client ready to use, and what closes what it opened (the embedded local API of `--local`). */
export interface Connection {
  client: BulkTasksClient;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /**
   * With `--local`, whether the live tasks of the embedded local API run (for `wait`). Otherwise its
   * clock stands still and they stay pending, so that the output is the same on every run.
   * @default false
   */
  liveTasksRun?: boolean;
}

/** Where the CLI writes its diagnostics: stderr, through the progress line and the key's redaction. */
export type Log = (line: string) => void;

/**
 * Creates the client from the command line and the environment. With `--local`, starts the local
 * API in this process first (the sample dataset and the two live tasks) and uses its URL and key,
 * whatever the environment says.
 * @throws {UsageError} when no key is given or found
 * @throws {ConfigurationError} from the client, for a key, a base URL, `--timeout` or `--retries`
 * that it refuses
 */
export async function connect(
  options: ConnectionArguments,
  env: NodeJS.ProcessEnv,
  log: Log,
  { liveTasksRun = false }: ConnectOptions = {},
): Promise<Connection> {
  let apiKey = options.apiKey ?? env.APPLIVERY_API_KEY;
  let baseUrl = options.baseUrl ?? env.APPLIVERY_BASE_URL;
  let close = async () => {};
  if (options.local) {
    const world = await startLocalWorld({ newest: localNewest(env) });
    if (liveTasksRun) world.startClock();
    const { api } = world;
    ({ apiKey, url: baseUrl } = api);
    close = () => api.close();
    if (options.verbose) log(`local API at ${api.url}`);
  } else if (!apiKey) {
    throw new UsageError(
      "No API key: pass --api-key or set APPLIVERY_API_KEY (or try --local, the local API with sample data).",
    );
  }
  // The embedded local API of --local is reached directly; anything else through the proxy the
  // environment names, if it names one.
  const proxy = options.local ? undefined : await proxyFromEnvironment(env);
  if (proxy && options.verbose) log(`through the proxy of ${proxy.describe}`);
  const baseFetch = proxy?.fetch ?? fetch;
  try {
    const client = createBulkTasksClient({
      apiKey,
      baseUrl,
      allowInsecureHttp: options.allowInsecureHttp,
      // As typed, text included: the client refuses a value that breaks the option's rule, naming
      // it. On the client rather than on each call: waitFor's polls take the client's.
      timeoutMs: options.timeoutMs as number | undefined,
      maxRetries: options.maxRetries as number | undefined,
      ...(proxy && { fetch: baseFetch }),
      ...(options.verbose && {
        fetch: loggingFetch(log, baseFetch),
        onRetry: ({ method, url, attempt, delayMs, status, error }) =>
          log(
            `retry ${attempt} of ${method} ${url} in ${Math.round(delayMs)} ms (after ${status ?? error?.name})`,
          ),
        // The client's gate: every request of the command waits, not only the one refused.
        onRateLimit: ({ cause, status, waitMs }) =>
          log(
            cause === "quota"
              ? `rate limit: the server's quota is spent (${status}), every request waits ${Math.round(waitMs)} ms`
              : `rate limit: ${status} (${cause}), every request waits ${Math.round(waitMs)} ms`,
          ),
      }),
    });
    return { client, close };
  } catch (error) {
    await close();
    throw fromEnvironment(error, {
      baseUrl: !options.local && options.baseUrl === undefined && baseUrl !== undefined,
      apiKey: !options.local && options.apiKey === undefined,
    });
  }
}

/**
 * The client's refusal of a base URL or a key that came from APPLIVERY_BASE_URL or
 * APPLIVERY_API_KEY, naming the variable: the user gave no --base-url or --api-key to fix.
 */
function fromEnvironment(error: unknown, from: { baseUrl: boolean; apiKey: boolean }): unknown {
  if (!(error instanceof ConfigurationError)) return error;
  if (error.option === "baseUrl" && from.baseUrl) {
    return new ConfigurationError(error.message.replace(/^baseUrl\b/, "APPLIVERY_BASE_URL"), "baseUrl");
  }
  if (error.option === "apiKey" && from.apiKey) {
    return new ConfigurationError(
      error.message.replace(/^The API key\b/, "The API key (from APPLIVERY_API_KEY)"),
      "apiKey",
    );
  }
  return error;
}

/**
 * fetch, logging each request: method, URL (the key is never in it: it travels in a header), status
 * and time to the response's headers. A failure is named by the error's class and code only: the
 * messages of HTTP parser errors can quote what the server sent, and a hostile server can send the key back.
 */
function loggingFetch(log: Log, baseFetch: Fetch): Fetch {
  return async (request, init) => {
    const started = performance.now();
    const elapsed = () => `${Math.round(performance.now() - started)} ms`;
    try {
      const response = await baseFetch(request, init);
      log(`${request.method} ${request.url} ${response.status} ${elapsed()}`);
      return response;
    } catch (error) {
      log(`${request.method} ${request.url} failed after ${elapsed()}: ${describeFetchError(error)}`);
      throw error;
    }
  };
}

function describeFetchError(error: unknown): string {
  const { name, cause } = error as { name?: unknown; cause?: { code?: unknown } };
  const code = typeof cause?.code === "string" ? ` (${cause.code})` : "";
  return `${typeof name === "string" ? name : "Error"}${code}`;
}
