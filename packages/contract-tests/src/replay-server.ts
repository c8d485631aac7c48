import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { headerValue, type Recording } from "./har.js";

/** What the replay server saw of one request (the Authorization value included: tests assert on it). */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent on the wire. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>`: the base URL to give the client. */
  url: string;
  /** Every request received, in order. */
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export interface ReplayServerOptions {
  recordings: Recording[];
  /** The key that counts as valid; any other bearer token counts as invalid. */
  apiKey: string;
}

type CredentialClass = "none" | "valid" | "invalid";

/**
 * Serves recorded responses on 127.0.0.1, byte for byte.
 *
 * A request is answered with the recording of the same method and path whose credentials are of
 * the same class: no Authorization header, the valid key, or another key (a 401 recorded with a
 * token stands for "invalid"). A recording with the same query wins; a recording without a query
 * stands for any query. When nothing matches, the answer is a 501 that says so.
 */
export async function startReplayServer({ recordings, apiKey }: ReplayServerOptions): Promise<ReplayServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    received.push({ method: request.method ?? "", url: request.url ?? "", headers: { ...request.headers } });
    const recording = findRecording(recordings, request, apiKey);
    if (!recording) {
      response.writeHead(501, { "content-type": "text/plain" });
      response.end(`No recording matches ${request.method} ${request.url}`);
      return;
    }
    const { status, statusText, headers, content } = recording.entry.response;
    const body = content.text ?? "";
    response.writeHead(status, statusText, [
      ...headers
        .filter((header) => !/^(content-length|transfer-encoding|connection)$/i.test(header.name))
        .flatMap((h) => [h.name, h.value]),
      "content-length",
      String(Buffer.byteLength(body)),
    ]);
    response.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function findRecording(
  recordings: Recording[],
  request: IncomingMessage,
  apiKey: string,
): Recording | undefined {
  const url = new URL(request.url ?? "/", "http://replay");
  const credentials = classifyCredentials(request.headers.authorization, apiKey);
  const candidates = recordings.filter(({ entry }) => {
    const recorded = new URL(entry.request.url);
    return (
      entry.request.method === request.method &&
      recorded.pathname === url.pathname &&
      recordedCredentialClass(entry.request.headers, entry.response.status) === credentials
    );
  });
  const sameQuery = candidates.find(
    ({ entry }) => sortedQuery(new URL(entry.request.url)) === sortedQuery(url),
  );
  return sameQuery ?? candidates.find(({ entry }) => new URL(entry.request.url).search === "");
}

function classifyCredentials(authorization: string | undefined, apiKey: string): CredentialClass {
  if (!authorization) return "none";
  return authorization === `Bearer ${apiKey}` ? "valid" : "invalid";
}

function recordedCredentialClass(
  headers: Recording["entry"]["request"]["headers"],
  status: number,
): CredentialClass {
  if (!headerValue(headers, "authorization")) return "none";
  return status === 401 ? "invalid" : "valid";
}

function sortedQuery(url: URL): string {
  return [...url.searchParams]
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join("&");
}
