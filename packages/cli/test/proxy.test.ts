import { createServer, request as httpRequest, type Server } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, runCli, target, useLocalApi } from "./support.js";

// HTTPS_PROXY, HTTP_PROXY and NO_PROXY, as gh, npm and curl honour them, through a forward proxy on
// 127.0.0.1 that this file starts: what goes through it is counted, with the credentials it got.
const local = useLocalApi();

interface Seen {
  /**
   * `CONNECT host:port` (undici tunnels http requests too, as it does https ones), or
   * `GET http://127.0.0.1:…/…` (absolute form), each as the proxy received it.
   */
  requests: string[];
  proxyAuthorization: (string | undefined)[];
}
const seen: Seen = { requests: [], proxyAuthorization: [] };
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  proxy = createServer((request, response) => {
    seen.requests.push(`${request.method} ${request.url}`);
    seen.proxyAuthorization.push(request.headers["proxy-authorization"]);
    const { "proxy-authorization": _, ...headers } = request.headers;
    const upstream = httpRequest(request.url ?? "", { method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  proxy.on("connect", (request, socket, head) => {
    seen.requests.push(`CONNECT ${request.url}`);
    seen.proxyAuthorization.push(request.headers["proxy-authorization"]);
    const [host = "", port = ""] = (request.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});
afterAll(() => {
  proxy.closeAllConnections();
  proxy.close();
});
beforeEach(() => {
  seen.requests.length = 0;
  seen.proxyAuthorization.length = 0;
});

const list = (env: Record<string, string>, ...extra: string[]) =>
  runCli(["list", "lab", "--limit", "3", "--format", "ndjson", ...extra, ...target(local.api)], env);

describe("a proxy from the environment", () => {
  it.each([["HTTP_PROXY"], ["http_proxy"]])("sends every request through %s", async (name) => {
    const run = await list({ [name]: proxyUrl });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(3);
    expect(seen.requests).toEqual([`CONNECT ${new URL(local.api.url).host}`]);
  });

  it("takes the upper-case variable before the lower-case one", async () => {
    const run = await list({ HTTP_PROXY: proxyUrl, http_proxy: "http://127.0.0.1:9" });
    expect(run.code).toBe(0);
    expect(seen.requests).toHaveLength(1);
  });

  it("leaves out the hosts of NO_PROXY (and no_proxy)", async () => {
    for (const name of ["NO_PROXY", "no_proxy"]) {
      const run = await list({ HTTP_PROXY: proxyUrl, [name]: "127.0.0.1" });
      expect(run.code).toBe(0);
    }
    expect(seen.requests).toEqual([]);
  });

  it("walks every page through it, and --local never goes through it", async () => {
    const all = await runCli(["list", "lab", "--all", "--limit", "100", ...target(local.api)], {
      HTTP_PROXY: proxyUrl,
    });
    expect(all.code).toBe(0);
    expect(all.stdout.trimEnd().split("\n")).toHaveLength(300);
    // Every page through the proxy's tunnels (one tunnel carries several requests).
    const tunnels = seen.requests.length;
    expect(tunnels).toBeGreaterThan(0);
    expect(seen.requests.every((line) => line === `CONNECT ${new URL(local.api.url).host}`)).toBe(true);
    const embedded = await runCli(["list", "lab", "--local", "--limit", "1"], { HTTP_PROXY: proxyUrl });
    expect(embedded.code).toBe(0);
    expect(seen.requests).toHaveLength(tunnels);
  });

  it("sends the proxy's credentials to the proxy only, and never prints them", async () => {
    const withCredentials = proxyUrl.replace("http://", "http://proxy-user:proxy-s3cret@");
    const run = await list({ HTTP_PROXY: withCredentials }, "--verbose");
    expect(run.code).toBe(0);
    expect(seen.proxyAuthorization).toEqual([`Basic ${btoa("proxy-user:proxy-s3cret")}`]);
    expect(run.stderr).toContain(`through the proxy of HTTP_PROXY ${proxyUrl}`);
    expect(`${run.stdout}${run.stderr}`).not.toContain("proxy-s3cret");
    expect(`${run.stdout}${run.stderr}`).not.toContain(API_KEY);
  });

  it.each([["not a url"], ["ftp://127.0.0.1:21"], ["socks5://user:pass@127.0.0.1:1080"]])(
    "refuses %s with exit code 2, naming the variable and not its value",
    async (value) => {
      const run = await list({ HTTPS_PROXY: value });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^bulk-tasks: HTTPS_PROXY \(or https_proxy\) is not an http:\/\/ or https:\/\/ URL/,
      );
      expect(run.stderr).not.toContain(value);
      expect(seen.requests).toEqual([]);
    },
  );

  it("fails as the network does when the proxy is not there: exit code 1, the variable to check", async () => {
    const run = await list({ HTTP_PROXY: "http://127.0.0.1:9" }, "--retries", "0");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^bulk-tasks: ConnectionError: .*HTTP_PROXY/);
  });
});
