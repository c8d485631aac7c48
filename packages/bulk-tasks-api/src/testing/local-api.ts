import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { checkOptions, rules } from "./checks.js";
import { createFakeApi, FAKE_API_OPTION_RULES, type FakeApi, type FakeApiOptions } from "./fake.js";

export {
  type Fault,
  type FaultContext,
  type LocalApiRequest,
  paginate,
  type RateLimitOptions,
  type RecordedExchange,
} from "./fake.js";

export interface LocalApiOptions extends FakeApiOptions {
  /** @default 0 (any free port) */
  port?: number;
}

export interface LocalApi extends Omit<FakeApi, "handle"> {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the bulk tasks API on 127.0.0.1, offline: both operations of the spec (the list and one
 * task), mongoose-paginate-v2 pagination over a dataset (a page past the end included), the `status`
 * and `action` filters, `sort`, 401 with code 4002 (no key) or 4004 (wrong key), 404 with code 3001
 * for an unknown organization or task, 400 with code 3000 for a parameter the spec refuses, tasks
 * that run on a schedule (`startTask`), CORS on demand, and faults on demand.
 */
export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  checkOptions("startLocalApi", options, { ...FAKE_API_OPTION_RULES, port: rules.integer(0, 65535) });
  const { port: wantedPort, ...fakeOptions } = options;
  const fake = createFakeApi(fakeOptions);
  const sockets = new Set<Socket>();
  let origin = "http://127.0.0.1";

  const server = createServer((request, response) => {
    answer(request, response).catch(() => {
      // What the fake answers cannot fail; writing it can (the client went away): end the exchange.
      response.destroy();
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = new Headers();
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      headers.append(request.rawHeaders[i] ?? "", request.rawHeaders[i + 1] ?? "");
    }
    const answered = await fake.handle(
      // Methods fetch refuses to construct (CONNECT, TRACE) are not the API's: the fake answers 404.
      new Request(`${origin}${request.url ?? "/"}`, { method: requestMethod(request.method), headers }),
    );
    if (answered.type === "error") {
      // A network error, as the `drop` fault: the connection closes with no response.
      response.socket?.destroy();
      return;
    }
    response.writeHead(answered.status, answered.statusText, headerList(answered.headers));
    if (!answered.body) {
      response.end();
      return;
    }
    const reader = answered.body.getReader();
    // The client closing the connection cancels the body (a stall that would otherwise wait on).
    response.once("close", () => reader.cancel().catch(() => {}));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!response.write(value)) await new Promise((resolve) => response.once("drain", resolve));
      }
    } catch {
      // A body that errors is a connection closed mid-body (the `truncate` and `stall` faults): what
      // was written goes out first, then the socket closes, with no end of chunked encoding.
      await new Promise<void>((resolve) => response.write("", () => resolve()));
      response.socket?.destroy();
      return;
    }
    response.end();
  }

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(wantedPort ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  const { handle: _, ...state } = fake;
  return {
    // `requests` is the fake's own array (reset() empties it in place): the spread keeps it.
    ...state,
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function requestMethod(method: string | undefined): string {
  return method === undefined || /^(CONNECT|TRACE|TRACK)$/i.test(method) ? "PATCH" : method;
}

/** The answer's headers, each value of Set-Cookie on its own. */
function headerList(headers: Headers): string[] {
  const list: string[] = [];
  for (const [name, value] of headers) {
    if (name === "set-cookie") continue;
    list.push(name, value);
  }
  for (const cookie of headers.getSetCookie()) list.push("set-cookie", cookie);
  return list;
}
