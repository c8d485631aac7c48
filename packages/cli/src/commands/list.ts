import type { BulkTaskPage, ListBulkTasksQuery } from "@org/bulk-tasks-api";
import type { ConnectionArguments, WalkArguments } from "../arguments.js";
import { connect } from "../connection.js";
import type { Context } from "../context.js";
import { createTaskFormatter, type ListFormat } from "../output/formats.js";
import { styleFor } from "../output/style.js";
import { walkPages } from "./walk.js";

export interface ListArguments {
  connection: ConnectionArguments;
  walk: WalkArguments;
  page: number | string | undefined;
  all: boolean;
  format: ListFormat | undefined;
}

/**
 * `bulk-tasks list`: one page, or every page with `--all`, written page by page as they come. The
 * header (and a JSON array's `[`) waits for the first page, so that a failed request prints nothing.
 */
export async function runList(args: ListArguments, context: Context): Promise<void> {
  const format = args.format ?? (context.stdoutInfo.isTTY ? "table" : "ndjson");
  const formatter = createTaskFormatter(
    format,
    context.stdoutInfo,
    styleFor(context.stdoutInfo, context.env),
  );
  const { walk } = args;
  const connection = await connect(args.connection, context.env, (line) => context.diagnostics.line(line));
  try {
    // The values are as typed: the client checks them against the spec before sending anything.
    const query = {
      ...walk.query,
      ...(args.page !== undefined && { page: args.page }),
    } as ListBulkTasksQuery;
    const list = connection.client.bulkTasks.list(walk.organizationId, query, {
      concurrency: walk.concurrency as number | undefined,
      signal: context.signal,
    });
    if (!args.all) {
      const page = await list;
      await context.stdout.write(formatter.header() + formatter.page(page.items) + formatter.footer());
      if (format === "table") context.diagnostics.line(describePage(page));
      return;
    }
    let header = formatter.header();
    await walkPages(list, context, walk.progress, (page) => {
      const text = header + formatter.page(page.items);
      header = "";
      return text;
    });
    await context.stdout.write(formatter.footer());
  } finally {
    await connection.close();
  }
}

/** `Page 1 of 3, 100 of 250 tasks. Next: --page 2, or --all for every page.` */
function describePage(page: BulkTaskPage): string {
  const where = `Page ${page.page} of ${page.totalPages}, ${page.items.length} of ${page.totalDocs} tasks.`;
  return page.hasNextPage ? `${where} Next: --page ${page.page + 1}, or --all for every page.` : where;
}
