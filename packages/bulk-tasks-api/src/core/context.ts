/**
 * Which client a standalone operation function was given. A client's settings (the key among them)
 * live in a WeakMap keyed by the client object, not on it: nothing of them can be read, logged or
 * serialised from the client, and only this package's factories can make one.
 */
import { ConfigurationError } from "./errors.js";
import type { ClientContext } from "./request.js";

declare const clientBrand: unique symbol;

/**
 * A client's shared part: the key, the base URL, retries, time limits and the rate-limit gate, with
 * no operation attached. What `createBulkTasksCore()` returns; pass it to the operation functions
 * (`listBulkTasks(core, ...)`), which take a client of `createBulkTasksClient()` as well.
 */
export interface BulkTasksCore {
  /** A type brand, not a property: a plain object cannot pass for a client. */
  readonly [clientBrand]: true;
}

const contexts = new WeakMap<object, ClientContext>();

/** Makes `client` a client: the operation functions given it use `context`. */
export function attachContext<Client extends object>(
  client: Client,
  context: ClientContext,
): Client & BulkTasksCore {
  contexts.set(client, context);
  return client as Client & BulkTasksCore;
}

/**
 * The settings of a client given to an operation function.
 * @throws {ConfigurationError} when `client` was not made by this package's factories
 */
export function contextOf(client: object): ClientContext {
  const context = typeof client === "object" && client !== null ? contexts.get(client) : undefined;
  if (!context) {
    // Not the value itself: a caller who passed the options object would see its key printed.
    throw new ConfigurationError(
      `The first argument must be a client: make one with createBulkTasksCore(options) or createBulkTasksClient(options); got ${client === null ? "null" : typeof client}.`,
    );
  }
  return context;
}
