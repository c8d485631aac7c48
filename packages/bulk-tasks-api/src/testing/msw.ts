/**
 * The local API as Mock Service Worker (msw 3) handlers, for tests that intercept `fetch` rather
 * than start a server: the same dataset, pagination, filters, errors, rate limit, recordings,
 * scheduled tasks and faults as `startLocalApi`, from the same implementation. msw is an optional
 * peer dependency: install it to use this entry point.
 */
import { type HttpHandler, http } from "msw";
import { checkOptions, rules } from "./checks.js";
import { createFakeApi, FAKE_API_OPTION_RULES, type FakeApi, type FakeApiOptions } from "./fake.js";

// What a test needs beside the handlers, without the Node.js-only `testing` entry (msw runs in browsers).
export { type DatasetOptions, generateBulkTasks, objectId, seededRandom } from "./dataset.js";
export {
  type Fault,
  type FaultContext,
  type LocalApiRequest,
  paginate,
  type RateLimitOptions,
  type RecordedExchange,
} from "./fake.js";

export interface LocalApiHandlersOptions extends FakeApiOptions {
  /**
   * The origin (and path prefix, if any) the handlers answer for: the client's default base URL,
   * so that code under test needs no other configuration than its key.
   * @default "https://api.applivery.io"
   */
  baseUrl?: string;
}

export interface LocalApiHandlers extends Omit<FakeApi, "handle"> {
  /** Give them to msw: `setupServer(...api.handlers)` (Node.js) or `setupWorker(...api.handlers)`. */
  readonly handlers: HttpHandler[];
  /** The base URL the handlers answer for, without a trailing slash. */
  readonly url: string;
}

/**
 * msw handlers that answer every request under `baseUrl` as the local API does. Faults that break
 * the connection are answered as fetch sees them: `drop` is a network error (msw's
 * `HttpResponse.error()`), `truncate` a body that errors half-way, `stall` a body that sends its
 * start and then nothing (and errors after `ms`, when given).
 */
export function createLocalApiHandlers(options: LocalApiHandlersOptions = {}): LocalApiHandlers {
  checkOptions("createLocalApiHandlers", options, { ...FAKE_API_OPTION_RULES, baseUrl: rules.string });
  refuseRuntimeWithoutMsw3();
  const { baseUrl = "https://api.applivery.io", ...fakeOptions } = options;
  const url = baseUrl.replace(/\/+$/, "");
  const fake = createFakeApi(fakeOptions);
  const { handle, ...state } = fake;
  return {
    ...state,
    url,
    handlers: [http.all(`${url}/*`, ({ request }) => handle(request))],
  };
}

/**
 * msw 3 uses `Promise.withResolvers` (Node.js 22 and later, browsers since 2024): without it, every
 * request of a test would fail as a `ConnectionError` whose cause says only "Promise.withResolvers
 * is not a function". Said here instead, with the way out.
 */
function refuseRuntimeWithoutMsw3(): void {
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers === "function") return;
  const version = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  throw new Error(
    `@org/bulk-tasks-api/testing/msw needs msw 3, which needs Node.js 22.12 or later (or a browser from 2024 on)${
      version ? `; this is Node.js ${version}` : ""
    }. On Node.js 20, start the same local API on 127.0.0.1 instead: startLocalApi() from @org/bulk-tasks-api/testing.`,
  );
}
