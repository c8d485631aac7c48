import type { BulkTaskPage, ListBulkTasksQuery } from "@org/bulk-tasks-api";
import type { ConnectionArguments, WalkArguments } from "../arguments.js";
import { connect } from "../connection.js";
import type { Context } from "../context.js";
import { WalkStopped } from "../failure.js";
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
      // Past the end is no error (the API answers an empty page, exit code 0), but say so.
      if (isPastTheEnd(page)) context.diagnostics.line(describePastTheEnd(page));
      else if (format === "table") context.diagnostics.line(describePage(page));
      return;
    }
    let header = formatter.header();
    let firstPageWritten: number | undefined;
    let lastPageWritten: number | undefined;
    let pastTheEnd: BulkTaskPage | undefined;
    try {
      await walkPages(list, context, walk.progress, (page) => {
        const text = header + formatter.page(page.items);
        header = "";
        firstPageWritten ??= page.page;
        lastPageWritten = page.page;
        if (isPastTheEnd(page)) pastTheEnd = page;
        return text;
      });
    } catch (error) {
      // The pages before the one that failed are out: the user can go on from there.
      throw firstPageWritten === undefined || lastPageWritten === undefined
        ? error
        : new WalkStopped(error, firstPageWritten, lastPageWritten);
    }
    await context.stdout.write(formatter.footer());
    if (pastTheEnd) context.diagnostics.line(describePastTheEnd(pastTheEnd));
  } finally {
    await connection.close();
  }
}

function isPastTheEnd(page: BulkTaskPage): boolean {
  return page.items.length === 0 && page.page > 1 && !page.hasNextPage;
}

/** `Page 999 is past the end: the list has 4 pages (302 tasks). Try --page 4.` */
function describePastTheEnd(page: BulkTaskPage): string {
  return page.totalDocs === 0
    ? `Page ${page.page} is past the end: the list is empty.`
    : `Page ${page.page} is past the end: the list has ${page.totalPages} page${page.totalPages === 1 ? "" : "s"} (${page.totalDocs} tasks). Try --page ${page.totalPages}.`;
}

/** `Page 1 of 3, 100 of 250 tasks. Next: --page 2, or --all for every page.` */
function describePage(page: BulkTaskPage): string {
  const where = `Page ${page.page} of ${page.totalPages}, ${page.items.length} of ${page.totalDocs} tasks.`;
  return page.hasNextPage ? `${where} Next: --page ${page.page + 1}, or --all for every page.` : where;
}
