import type { BulkTaskList, BulkTaskPage } from "@org/bulk-tasks-api";
import type { Context } from "../context.js";
import { describeWalk } from "../output/progress.js";

/**
 * Every page of a list, in order, with the progress line. `onPage` gets each page as it comes and
 * returns the text to write for it, whole lines; nothing holds more than the pages the client has in
 * flight. The progress line is taken off the screen while output goes to the same terminal, and
 * for good at the end, however the walk ends.
 */
export async function walkPages(
  list: BulkTaskList,
  context: Context,
  showProgress: boolean,
  onPage: (page: BulkTaskPage) => string,
): Promise<void> {
  const progress = context.diagnostics.startProgress(showProgress);
  let tasks = 0;
  try {
    for await (const page of list.pages()) {
      tasks += page.items.length;
      const text = onPage(page);
      if (text) {
        if (context.stdoutInfo.isTTY) progress.clear();
        // Paced by the reader: the next pages wait while a full pipe drains.
        await context.stdout.write(text, context.signal);
      }
      progress.show(describeWalk(page, tasks, progress.elapsedSeconds()));
    }
  } finally {
    progress.end();
  }
}
