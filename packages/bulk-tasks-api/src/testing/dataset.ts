import type { BulkTask, BulkTaskAction, BulkTaskStatus } from "../types.js";

const STATUSES: BulkTaskStatus[] = ["completed", "failed", "inProgress", "pending", "created"];
const ACTIONS: BulkTaskAction[] = ["import-inventory-items", "import-mdm-users"];
const FIRST_NAMES = ["Ana", "Ben", "Chloé", "Dmitri", "Eun-ji", "Femi"];
const LAST_NAMES = ["García", "Okafor", "Lindqvist", "Tanaka", "Moreau", "Silva"];

/** A 24-hex-digit id, as MongoDB's ObjectId, derived from a number. */
export function objectId(n: number, prefix = "65a1f0c2"): string {
  return `${prefix}${n.toString(16).padStart(16, "0")}`.slice(-24);
}

/**
 * `count` realistic, deterministic bulk tasks, newest first: task `i` was created `i` minutes before
 * `newest`. Every field the spec describes is filled in, as a processed task has it; a failed task
 * has an `error` and errored lines. The people are made up.
 */
export function generateBulkTasks(count: number, newest = Date.UTC(2026, 10, 1)): BulkTask[] {
  return Array.from({ length: count }, (_, i) => generateBulkTask(i, newest));
}

function generateBulkTask(i: number, newest: number): BulkTask {
  const status = STATUSES[i % STATUSES.length] as BulkTaskStatus;
  const action = ACTIONS[i % ACTIONS.length] as BulkTaskAction;
  const createdAt = new Date(newest - i * 60_000);
  const firstName = FIRST_NAMES[i % FIRST_NAMES.length] as string;
  const lastName = LAST_NAMES[(i >> 1) % LAST_NAMES.length] as string;
  const numItems = 10 + (i % 90);
  const numErrors = status === "failed" ? 1 + (i % 3) : 0;
  const fileName = `${action === "import-mdm-users" ? "users" : "inventory"}-${i}.csv`;
  return {
    id: objectId(i),
    status,
    config: { override: i % 2 === 0 },
    file: {
      originalName: fileName,
      mimetype: "text/csv",
      size: 512 + numItems * 64,
      bucket: "applivery-bulk-tasks",
      key: `bulk-tasks/${objectId(i)}/${fileName}`,
      location: `https://storage.example.com/applivery-bulk-tasks/bulk-tasks/${objectId(i)}/${fileName}`,
      region: "eu-west-1",
      storageProviderId: objectId(1, "65a1f0c3"),
      checksum: (i * 2654435761).toString(16).padStart(32, "0").slice(-32),
    },
    action,
    report: {
      numItems,
      numInserts: numItems - numErrors - (i % 4),
      numUpdates: i % 4,
      numSkips: 0,
      numErrors,
      skippedLines: [],
      erroredLines: Array.from({ length: numErrors }, (_, line) => ({
        line: line + 2,
        reason: "Missing serial number",
      })),
    },
    ...(status === "failed" ? { error: `${numErrors} rows could not be imported` } : {}),
    createdBy: {
      id: objectId(i % 7, "507f1f77"),
      email: `${firstName.toLowerCase().replace(/[^a-z]/g, "")}.${lastName.toLowerCase().replace(/[^a-z]/g, "")}@example.com`,
      firstName,
      lastName,
      fullName: `${firstName} ${lastName}`,
      picture: `https://example.com/avatars/${i % 7}.png`,
    },
    updatedAt: new Date(createdAt.getTime() + 30_000).toISOString(),
    createdAt: createdAt.toISOString(),
  };
}
