import { describe, expect, it } from "vitest";
import { type BulkTask, BulkTaskList, UnexpectedResponseError } from "../src/index.js";
import { generateBulkTasks, startLocalApi } from "../src/testing/index.js";
import { API_KEY, localClient, useLocalApi } from "./support.js";

const tasks = generateBulkTasks(95);
const local = useLocalApi({ organizations: { lab: tasks, empty: [] } });
const ids = (list: BulkTask[]) => list.map((task) => task.id);

/** A fetch that passes each request to the local API and lets `edit` change the page it answers. */
function editingPages(edit: (page: Record<string, unknown>, request: Request) => void) {
  return async (request: Request, init?: { signal: AbortSignal }): Promise<Response> => {
    const response = await fetch(request, init);
    const body = await response.json();
    edit(body.data, request);
    return Response.json(body, { status: response.status });
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe("list() is awaitable as one page", () => {
  it("resolves to the requested page", async () => {
    const page = await localClient(local.api).bulkTasks.list("lab", { page: 2, limit: 10 });
    expect(page).toMatchObject({
      page: 2,
      limit: 10,
      totalDocs: 95,
      totalPages: 10,
      prevPage: 1,
      nextPage: 3,
    });
    expect(ids(page.items)).toEqual(ids(tasks.slice(10, 20)));
  });

  it("sends nothing until awaited or iterated", async () => {
    const before = local.api.requests.length;
    const list = localClient(local.api).bulkTasks.list("lab");
    expect(list).toBeInstanceOf(BulkTaskList);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(local.api.requests.length).toBe(before);
  });

  it("fetches the first page once, however often it is awaited and then iterated", async () => {
    const before = local.api.requests.length;
    const list = localClient(local.api).bulkTasks.list("lab", { limit: 50 });
    await list;
    await list;
    expect(await collect(list)).toHaveLength(95);
    expect(local.api.requests.length - before).toBe(2);
  });
});

describe("for await over list() walks every task of every page", () => {
  it.each([
    ["pages of 10, default concurrency", { limit: 10 }, {}],
    ["pages of 7, concurrency 1", { limit: 7 }, { concurrency: 1 }],
    ["pages of 3, concurrency 16", { limit: 3 }, { concurrency: 16 }],
    ["one page holding everything", { limit: 100 }, {}],
  ] as const)("%s", async (_, query, options) => {
    const walked = await collect(localClient(local.api).bulkTasks.list("lab", query, options));
    expect(ids(walked)).toEqual(ids(tasks));
  });

  it("applies the filters to every page", async () => {
    const walked = await collect(
      localClient(local.api).bulkTasks.list("lab", { status: "failed", limit: 4 }),
    );
    expect(ids(walked)).toEqual(ids(tasks.filter((task) => task.status === "failed")));
  });

  it("starts from the query's page", async () => {
    const walked = await collect(localClient(local.api).bulkTasks.list("lab", { page: 9, limit: 10 }));
    expect(ids(walked)).toEqual(ids(tasks.slice(80)));
  });

  it("ends at once on an empty organization", async () => {
    const before = local.api.requests.length;
    expect(await collect(localClient(local.api).bulkTasks.list("empty"))).toEqual([]);
    expect(local.api.requests.length - before).toBe(1);
  });

  it("ends at once on a page past the end", async () => {
    const before = local.api.requests.length;
    expect(await collect(localClient(local.api).bulkTasks.list("lab", { page: 50, limit: 10 }))).toEqual([]);
    expect(local.api.requests.length - before).toBe(1);
  });

  it("yields the pages in order with .pages()", async () => {
    const pages = await collect(localClient(local.api).bulkTasks.list("lab", { limit: 20 }).pages());
    expect(pages.map((page) => page.page)).toEqual([1, 2, 3, 4, 5]);
    expect(pages.map((page) => page.items.length)).toEqual([20, 20, 20, 20, 15]);
  });

  it("rejects iteration with the error of a failing page", async () => {
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: tasks },
      faults: ({ query }) => (query.page === "3" ? { kind: "status", status: 404 } : undefined),
    });
    try {
      const walk = collect(localClient(api, { maxRetries: 0 }).bulkTasks.list("lab", { limit: 10 }));
      await expect(walk).rejects.toMatchObject({ name: "NotFoundError", status: 404 });
    } finally {
      await api.close();
    }
  });
});

describe("the concurrent walk", () => {
  it("keeps at most `concurrency` requests open, and stops at hasNextPage: false", async () => {
    let open = 0;
    let mostOpen = 0;
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: tasks },
      latencyMs: () => {
        open++;
        mostOpen = Math.max(mostOpen, open);
        setTimeout(() => open--, 15);
        return 15;
      },
    });
    try {
      const walked = await collect(localClient(api).bulkTasks.list("lab", { limit: 5 }, { concurrency: 3 }));
      expect(ids(walked)).toEqual(ids(tasks));
      // Never more than 3; at least 2 at once (how many overlap at the server depends on the load).
      expect(mostOpen).toBeLessThanOrEqual(3);
      expect(mostOpen).toBeGreaterThan(1);
      expect(api.requests).toHaveLength(19);
    } finally {
      await api.close();
    }
  });

  it("holds at most `concurrency` pages: the one being read and the ones in flight", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks } });
    try {
      const list = localClient(api).bulkTasks.list("lab", { limit: 5 }, { concurrency: 4 });
      for await (const page of list.pages()) {
        // Give every prefetch time to finish: none may start beyond the bound while this page is held.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const requested = api.requests.length;
        expect(requested - page.page).toBeLessThanOrEqual(3);
      }
    } finally {
      await api.close();
    }
  });

  it("cancels what is in flight on break", async () => {
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: tasks }, latencyMs: 30 });
    // What the client started, seen from its fetch: what reaches the server depends on the load.
    const started: AbortSignal[] = [];
    const client = localClient(api, {
      fetch: (request, init) => {
        if (init) started.push(init.signal);
        return fetch(request, init);
      },
    });
    try {
      const seen: BulkTask[] = [];
      for await (const task of client.bulkTasks.list("lab", { limit: 5 }, { concurrency: 4 })) {
        seen.push(task);
        if (seen.length === 7) break;
      }
      expect(ids(seen)).toEqual(ids(tasks.slice(0, 7)));
      // Page 1, then pages 2-5 at once; page 2 read when the loop broke: pages 3-5 aborted.
      expect(started.map((signal) => signal.aborted)).toEqual([false, false, true, true, true]);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(started).toHaveLength(5);
    } finally {
      await api.close();
    }
  });

  it("goes on past the first totalPages while pages say hasNextPage (tasks added during the walk)", async () => {
    const growing = generateBulkTasks(10);
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: growing },
      faults: ({ query }) => {
        // Once page 2 is asked for, five more tasks exist (appended: the oldest end of the list).
        if (query.page === "2" && growing.length === 10) growing.push(...generateBulkTasks(15).slice(10));
        return undefined;
      },
    });
    try {
      const walked = await collect(localClient(api).bulkTasks.list("lab", { limit: 5 }, { concurrency: 1 }));
      expect(ids(walked)).toEqual(ids(generateBulkTasks(15)));
    } finally {
      await api.close();
    }
  });

  it("stops early when tasks are removed during the walk", async () => {
    const shrinking = generateBulkTasks(20);
    const api = await startLocalApi({
      apiKeys: [API_KEY],
      organizations: { lab: shrinking },
      faults: ({ query }) => {
        if (query.page === "2" && shrinking.length === 20) shrinking.splice(10);
        return undefined;
      },
    });
    try {
      const pages = await collect(
        localClient(api).bulkTasks.list("lab", { limit: 5 }, { concurrency: 1 }).pages(),
      );
      expect(pages.map((page) => [page.page, page.items.length, page.hasNextPage])).toEqual([
        [1, 5, true],
        [2, 5, false],
      ]);
    } finally {
      await api.close();
    }
  });

  it.each([1, 4])(
    "ends at an empty page even if it says hasNextPage (concurrency %i)",
    async (concurrency) => {
      const requests: string[] = [];
      // A proxy in the client's fetch that claims there is always a next page.
      const claimingMore = localClient(local.api, {
        fetch: editingPages((page, request) => {
          requests.push(request.url);
          page.hasNextPage = true;
        }),
      });
      const walked = await Promise.race([
        collect(claimingMore.bulkTasks.list("lab", { limit: 40 }, { concurrency })),
        new Promise((_, reject) => setTimeout(() => reject(new Error("the walk did not end")), 3_000)),
      ]);
      expect(ids(walked as BulkTask[])).toEqual(ids(tasks));
      // Pages 1 to 3 hold the 95 tasks; page 4 is empty and ends the walk.
      const pagesAsked = requests.map((url) => new URL(url).searchParams.get("page"));
      expect(pagesAsked.sort()).toEqual(["2", "3", "4", null]);
    },
  );

  it.each(["hasNextPage", "totalPages", "page"])(
    "rejects a page without %s instead of ending the walk early",
    async (field) => {
      const missingField = localClient(local.api, {
        fetch: editingPages((page) => {
          delete page[field];
        }),
      });
      const walked: BulkTask[] = [];
      const walk = (async () => {
        for await (const task of missingField.bulkTasks.list("lab", { limit: 40 })) walked.push(task);
      })();
      await expect(walk).rejects.toThrow(UnexpectedResponseError);
      await expect(walk).rejects.toThrow(new RegExp(field));
      expect(walked).toHaveLength(0);
    },
  );

  it("rejects a page other than the one asked for (a cache that ignores the query string)", async () => {
    const ignoringPage = localClient(local.api, {
      fetch: (request, init) => {
        const url = new URL(request.url);
        url.searchParams.delete("page");
        return fetch(new Request(url, request), init);
      },
    });
    await expect(ignoringPage.bulkTasks.list("lab", { page: 2, limit: 40 })).rejects.toThrow(
      /data.page is not 2, the page asked for/,
    );
    const walked: BulkTask[] = [];
    const walk = (async () => {
      for await (const task of ignoringPage.bulkTasks.list("lab", { limit: 40 })) walked.push(task);
    })();
    await expect(walk).rejects.toThrow(UnexpectedResponseError);
    // The first page, asked for without a number, is the server's to choose; the second is not.
    expect(ids(walked)).toEqual(ids(tasks.slice(0, 40)));
  });

  it("aborts the walk with the caller's signal", async () => {
    const controller = new AbortController();
    const reason = new Error("enough");
    const walk = (async () => {
      for await (const task of localClient(local.api).bulkTasks.list(
        "lab",
        { limit: 5 },
        { signal: controller.signal },
      )) {
        if (task.id === tasks[12]?.id) controller.abort(reason);
      }
    })();
    await expect(walk).rejects.toBe(reason);
  });
});

describe("a list that changes during a walk", () => {
  /**
   * A walk of 20 tasks, 5 a page, over a local API whose list `change` edits once page 1 has come
   * back (before any other page is asked for, whatever the concurrency).
   */
  async function walkChanging(concurrency: number, change: (list: BulkTask[]) => void) {
    const list = generateBulkTasks(20);
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: list } });
    const events: unknown[] = [];
    try {
      const client = localClient(api, {
        fetch: async (request, init) => {
          const response = await fetch(request, init);
          if (new URL(request.url).searchParams.get("page") === null) change(list);
          return response;
        },
      });
      const walk = client.bulkTasks.list(
        "lab",
        { limit: 5 },
        { concurrency, onListChange: (event) => events.push(event) },
      );
      return { walked: ids(await collect(walk)), events, original: ids(generateBulkTasks(20)) };
    } finally {
      await api.close();
    }
  }

  it.each([1, 4])(
    "yields no task twice when tasks created at the front push others over page boundaries (concurrency %i)",
    async (concurrency) => {
      // Seven new tasks, newest first: page 2 then repeats three tasks of page 1, page 3 two more.
      const created = generateBulkTasks(27).slice(20);
      const { walked, events, original } = await walkChanging(concurrency, (list) =>
        list.unshift(...created),
      );
      // The code this replaced yielded 5 tasks twice.
      expect(new Set(walked).size).toBe(walked.length);
      expect(walked).toEqual(expect.arrayContaining(original));
      expect(events).toEqual([{ page: 2, previousTotalDocs: 20, totalDocs: 27 }]);
    },
  );

  it("tells when tasks were deleted under it: those it may have missed are the caller's to walk again for", async () => {
    const { walked, events, original } = await walkChanging(4, (list) => list.splice(0, 3));
    expect(new Set(walked).size).toBe(walked.length);
    // The first three went once page 1 was read: the next three moved up onto page 1, and the
    // walk, asking for page 2 next, never saw them. That is what onListChange is there to say.
    expect(walked).toEqual([...original.slice(0, 5), ...original.slice(8)]);
    expect(events).toEqual([{ page: 2, previousTotalDocs: 20, totalDocs: 17 }]);
  });

  it("pages() leaves a repeated task out of its page's items, and keeps the page's other fields", async () => {
    const list = generateBulkTasks(10);
    const api = await startLocalApi({ apiKeys: [API_KEY], organizations: { lab: list } });
    try {
      const client = localClient(api, {
        fetch: async (request, init) => {
          const response = await fetch(request, init);
          if (list.length === 10) list.unshift(...generateBulkTasks(12).slice(10));
          return response;
        },
      });
      const pages = await collect(client.bulkTasks.list("lab", { limit: 5 }, { concurrency: 1 }).pages());
      expect(pages.map((page) => [page.page, page.items.length, page.totalDocs])).toEqual([
        [1, 5, 10],
        [2, 3, 12],
        [3, 2, 12],
      ]);
      expect(ids(pages.flatMap((page) => page.items))).toEqual(ids(generateBulkTasks(10)));
    } finally {
      await api.close();
    }
  });

  it("refuses an onListChange that is not a function, before sending", async () => {
    const sent = local.api.requests.length;
    const error = await collect(
      localClient(local.api).bulkTasks.list("lab", {}, { onListChange: 5 as never }),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "InvalidRequestError", parameter: "onListChange" });
    expect(local.api.requests.length).toBe(sent);
  });
});
