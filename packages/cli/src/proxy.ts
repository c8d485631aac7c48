import type { Fetch } from "@org/bulk-tasks-api";
import { UsageError } from "./arguments.js";

/** The proxy variables as `gh`, npm and curl read them: upper case first, then lower case. */
function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name.toUpperCase()] || env[name.toLowerCase()] || undefined;
}

/** The names of the proxy variables set (`HTTPS_PROXY`, `HTTP_PROXY`), for hints. */
export function proxyVariablesSet(env: NodeJS.ProcessEnv): string[] {
  return ["HTTPS_PROXY", "HTTP_PROXY"].filter((name) => variable(env, name));
}

/** A proxy the command's requests go through, and how `--verbose` may name it (no credentials). */
export interface Proxy {
  fetch: Fetch;
  describe: string;
}

/**
 * The proxy of `HTTPS_PROXY` (https URLs) and `HTTP_PROXY` (http URLs), minus the hosts of
 * `NO_PROXY`, or undefined when neither is set. Node.js's own fetch reads none of them (before
 * NODE_USE_ENV_PROXY, which Node.js 20 lacks): the requests go through undici's fetch with its
 * EnvHttpProxyAgent, loaded only when a proxy is set. Credentials in a proxy URL are used, never
 * printed.
 * @throws {UsageError} naming the variable (not its value) when it is not an http(s) URL
 */
export async function proxyFromEnvironment(env: NodeJS.ProcessEnv): Promise<Proxy | undefined> {
  const httpsProxy = variable(env, "https_proxy");
  const httpProxy = variable(env, "http_proxy");
  if (!httpsProxy && !httpProxy) return undefined;
  const shown: string[] = [];
  for (const [name, value] of [
    ["HTTPS_PROXY", httpsProxy],
    ["HTTP_PROXY", httpProxy],
  ] as const) {
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      url = new URL("invalid:");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new UsageError(
        `${name} (or ${name.toLowerCase()}) is not an http:// or https:// URL (it is not shown: it may hold a password). Fix it, or unset it to connect directly.`,
      );
    }
    shown.push(`${name} ${url.protocol}//${url.host}`);
  }
  const { EnvHttpProxyAgent, fetch: undiciFetch } = await import("undici");
  const noProxy = variable(env, "no_proxy");
  const dispatcher = new EnvHttpProxyAgent({
    ...(httpProxy && { httpProxy }),
    ...(httpsProxy && { httpsProxy }),
    ...(noProxy && { noProxy }),
  });
  const proxiedFetch: Fetch = (request, init) =>
    undiciFetch(request.url, {
      method: request.method,
      headers: Object.fromEntries(request.headers),
      signal: init?.signal ?? request.signal,
      dispatcher,
    }) as unknown as Promise<Response>;
  return {
    // undici's fetch with undici's dispatcher: the dispatcher of the npm package does not fit the
    // fetch inside Node.js. The client's requests are GETs without a body.
    fetch: proxiedFetch,
    describe: shown.join(", "),
  };
}
