import type { BulkTask, BulkTaskPage } from "../types.js";
import { ignore, linkAbort } from "./signals.js";

/** Loads one page: the page number (undefined: the caller's own query, as given) and a signal. */
export type PageLoader = (page: number | undefined, signal: AbortSignal | undefined) => Promise<BulkTaskPage>;

export interface BulkTaskListOptions {
  load: PageLoader;
  /** The page the walk starts from: the query's `page`, else the server's default (1). */
  startPage: number | undefined;
  /** Pages fetched at once after the first; also the most pages held in memory. */
  concurrency: number;
  /** The caller's signal: aborts the first page and the walk. */
  signal: AbortSignal | undefined;
  /** Told when a page's `totalDocs` differs from the page before it: the list moved during the walk. */
  onListChange?: ((event: ListChangeEvent) => unknown) | undefined;
}

/** What `onListChange` is told: the list changed under a walk, which may then have missed tasks. */
export interface ListChangeEvent {
  /** The page that told the new count. */
  page: number;
  /** `totalDocs` as the page before it told it. */
  previousTotalDocs: number;
  /** `totalDocs` as this page tells it. */
  totalDocs: number;
}

/** A list refused before anything was sent: awaiting or iterating it rejects with `error`. */
export function refusedList(error: Error): BulkTaskList {
  return new BulkTaskList({
    load: () => Promise.reject(error),
    startPage: undefined,
    concurrency: 1,
    signal: undefined,
  });
}

/**
 * What `bulkTasks.list()` returns: awaitable as the first page, and async-iterable over every task of
 * every page from it (`for await (const task of list)`), or over the pages (`list.pages()`).
 *
 * Nothing is sent until it is awaited or iterated. The first page is fetched once and shared.
 *
 * The walk: after the first page, the next pages up to its `totalPages` are fetched `concurrency` at a
 * time, and yielded in order; it ends at the first page that says `hasNextPage: false` or holds no
 * task, and goes on past `totalPages` while pages say `hasNextPage: true` (tasks added during the
 * walk). No task is yielded twice in one walk (offset pages over a live list repeat tasks that
 * newer ones pushed over a page boundary), and `onListChange` is told when `totalDocs` moves.
 * Leaving the loop (`break`, `return`, an exception) aborts the requests still in flight.
 */
export class BulkTaskList implements PromiseLike<BulkTaskPage>, AsyncIterable<BulkTask> {
  readonly #options: BulkTaskListOptions;
  #first: Promise<BulkTaskPage> | undefined;

  constructor(options: BulkTaskListOptions) {
    this.#options = options;
  }

  get [Symbol.toStringTag](): string {
    return "BulkTaskList";
  }

  // biome-ignore lint/suspicious/noThenProperty: being awaitable as the first page is the point of this class.
  then<TResult1 = BulkTaskPage, TResult2 = never>(
    onfulfilled?: ((page: BulkTaskPage) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  catch<TResult = never>(
    onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<BulkTaskPage | TResult> {
    return this.#firstPage().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<BulkTaskPage> {
    return this.#firstPage().finally(onfinally);
  }

  /** Every task of every page, in order. */
  async *[Symbol.asyncIterator](): AsyncGenerator<BulkTask, void, undefined> {
    const { signal } = this.#options;
    for await (const page of this.pages()) {
      for (const task of page.items) {
        // The caller's abort ends the walk at once, not after the rest of a page already fetched.
        signal?.throwIfAborted();
        yield task;
      }
    }
  }

  /**
   * Every page, in order, from the first. A task a page holds that an earlier page of the same walk
   * held already (the list moved under it) is left out of that page's `items`.
   */
  async *pages(): AsyncGenerator<BulkTaskPage, void, undefined> {
    const { onListChange } = this.#options;
    // The ids yielded so far: offset pages over a live list repeat a task that a newer one pushed
    // over a page boundary.
    const seen = new Set<string>();
    let totalDocs: number | undefined;
    for await (const page of this.#rawPages()) {
      // Only a count the server gave is compared: the walk does not need one.
      if (typeof page.totalDocs === "number") {
        if (totalDocs !== undefined && page.totalDocs !== totalDocs) {
          onListChange?.({ page: page.page, previousTotalDocs: totalDocs, totalDocs: page.totalDocs });
        }
        totalDocs = page.totalDocs;
      }
      const items = page.items.filter(({ id }) => {
        if (typeof id !== "string") return true;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      yield items.length === page.items.length ? page : { ...page, items };
    }
  }

  /** The pages as the server gives them. */
  async *#rawPages(): AsyncGenerator<BulkTaskPage, void, undefined> {
    const { load, concurrency, signal: callerSignal } = this.#options;
    // Leaving the loop aborts the pages in flight. Each page gets a controller of its own, linked to
    // the walk for as long as it is loading, so that a walk of a thousand pages does not pile a
    // thousand listeners onto one long-lived signal.
    const walk = new AbortController();
    const unlinkWalk = linkAbort(callerSignal, walk);
    const loadLinked = (page: number): Promise<BulkTaskPage> => {
      const controller = new AbortController();
      const unlink = linkAbort(walk.signal, controller);
      return load(page, controller.signal).finally(unlink);
    };
    const inFlight: Promise<BulkTaskPage>[] = [];
    try {
      let page = await this.#firstPage();
      yield page;
      let next = page.page + 1;
      let lastKnownPage = page.totalPages;
      // An empty page ends the walk whatever it says: with offset pagination nothing follows it,
      // and a server that always says hasNextPage would otherwise be walked forever.
      while (page.hasNextPage && page.items.length > 0) {
        lastKnownPage = Math.max(lastKnownPage, page.totalPages);
        // At least the next page, whatever totalPages says: hasNextPage is the signal that counts.
        const horizon = Math.max(lastKnownPage, page.page + 1);
        // As many pages as `concurrency` are asked for; how many of them are in flight at once,
        // and how fast they are sent, the client's gate decides (it learns the server's limits).
        while (inFlight.length < concurrency && next <= horizon) {
          const request = loadLinked(next++);
          // Awaited below, in order; this only keeps an aborted prefetch from being unhandled.
          request.catch(ignore);
          inFlight.push(request);
        }
        const head = inFlight.shift();
        if (!head) return;
        page = await head;
        yield page;
      }
    } finally {
      unlinkWalk();
      walk.abort();
    }
  }

  #firstPage(): Promise<BulkTaskPage> {
    if (!this.#first) {
      const { load, startPage, signal } = this.#options;
      this.#first = load(startPage, signal);
    }
    return this.#first;
  }
}
