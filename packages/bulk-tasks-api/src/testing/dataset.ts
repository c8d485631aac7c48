import type { BulkTask, BulkTaskAction, BulkTaskReport, BulkTaskStatus, BulkTaskUser } from "../types.js";
import { checkOptions, rules } from "./checks.js";

/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same numbers in [0, 1),
 * so that a dataset or a fault pattern can be had again.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 24-hex-digit id, as MongoDB's ObjectId, derived from a number. */
export function objectId(n: number, prefix = "65a1f0c2"): string {
  return `${prefix}${n.toString(16).padStart(16, "0")}`.slice(-24);
}

/** Options of {@link generateBulkTasks}. */
export interface DatasetOptions {
  /** The seed: the same seed and count give the same tasks. @default 1 */
  seed?: number;
  /**
   * When the newest task was created: a `Date`, an ISO 8601 string (`"2026-11-01T09:00:00Z"`) or
   * milliseconds since the epoch. The others are spread over the months before it. The same seed
   * gives the same tasks, dates moved with `newest`; their ids depend on the seed alone, so that an
   * id written down (in a README, a test) stays valid whatever `newest` is.
   * @default the current time, to the minute (so that "the last 7 days" finds tasks today)
   */
  newest?: Date | string | number | undefined;
  /** The organization the file keys name. @default "lab" */
  organizationId?: string;
}

/** The newest task's time on the timeline the ids are made on (the dates of releases before 0.4). */
const ID_TIMELINE_NEWEST = Date.UTC(2026, 10, 1, 9);

/** The range of dates a dataset may end at: from 1973 (a smaller number is seconds, not ms) to 9999. */
const EARLIEST_NEWEST = 1e11;
const LATEST_NEWEST = Date.UTC(9999, 11, 31, 23, 59, 59);
/** ISO 8601 as `newest` takes it: a date (UTC), or a date and time with `Z` or an offset. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * `newest` as `generateBulkTasks` reads it, in milliseconds since the epoch: a `Date`, an ISO 8601
 * string (a date, read as UTC, or a date and time with `Z` or an offset) or milliseconds since the
 * epoch, from 1973 to 9999; now (to the minute) when undefined.
 * @throws {TypeError} naming `newest` and saying why: not a date, a day that does not exist, a time
 * without an offset (it would be read in the machine's time zone), seconds given for milliseconds
 */
export function readNewest(newest: Date | string | number | undefined): number {
  if (newest === undefined) return Math.floor(Date.now() / 60_000) * 60_000;
  const problem = (why: string): TypeError =>
    new TypeError(
      `newest must be a Date, an ISO 8601 date string (such as "2026-11-01T09:00:00Z") or milliseconds since the epoch: ${why}.`,
    );
  let time: number;
  if (newest instanceof Date) time = newest.getTime();
  else if (typeof newest === "number") time = newest;
  else if (typeof newest === "string") {
    const parts = ISO_DATE.exec(newest);
    if (!parts) {
      throw problem(
        /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(newest)
          ? `${JSON.stringify(newest)} has no offset: add Z (UTC) or one such as +01:00`
          : `${JSON.stringify(newest.slice(0, 40))} is none of them`,
      );
    }
    const [, year, month, day, hours = "0", minutes = "0", seconds = "0"] = parts.map(Number) as number[];
    const daysInMonth = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate();
    if (
      (month as number) < 1 ||
      (month as number) > 12 ||
      (day as number) < 1 ||
      (day as number) > daysInMonth ||
      (hours as number) > 23 ||
      (minutes as number) > 59 ||
      (seconds as number) > 59
    ) {
      throw problem(`${JSON.stringify(newest)} is not a day and time that exist`);
    }
    time = Date.parse(newest);
  } else throw problem(`${newest === null ? "null" : `a value of type ${typeof newest}`} is none of them`);
  if (!Number.isFinite(time)) throw problem(`${String(newest)} is not a valid date`);
  if (typeof newest === "number" && Math.abs(newest) < EARLIEST_NEWEST && newest !== 0) {
    throw problem(`${newest} looks like seconds; in milliseconds it is ${newest * 1000}`);
  }
  if (time < EARLIEST_NEWEST || time > LATEST_NEWEST) {
    const shown = Math.abs(time) > 8.64e15 ? String(time) : new Date(time).toISOString();
    throw problem(`${shown} is out of the range it takes, 1973 to 9999`);
  }
  return time;
}

/** The default size of the `lab` organization of the local API. */
export const DEFAULT_TASK_COUNT = 300;

/** The mean time between two uploads: 300 tasks spread over about six months. */
const MEAN_GAP_MS = 14.4 * 3_600_000;

const PEOPLE: Omit<BulkTaskUser, "id" | "picture">[] = [
  { firstName: "Ana", lastName: "García", email: "ana.garcia@example.com" },
  { firstName: "Ben", lastName: "Okafor", email: "ben.okafor@example.com" },
  { firstName: "Chloé", lastName: "Lindqvist", email: "chloe.lindqvist@example.com" },
  { firstName: "Dmitri", lastName: "Tanaka", email: "dmitri.tanaka@example.com" },
  { firstName: "Eun-ji", lastName: "Moreau", email: "eunji.moreau@example.com" },
  { firstName: "Femi", lastName: "Silva", email: "femi.silva@example.com" },
];

/** Why a row was refused, by action: what an operator reads in `erroredLines[].reason`. */
const ROW_ERRORS: Record<BulkTaskAction, string[]> = {
  "import-mdm-users": [
    "Invalid email address",
    "Duplicate email: the same address is on an earlier row",
    "Unknown user group 'Sales-EMEA'",
    "Missing required value: email",
    "Unknown language code 'sp'",
  ],
  "import-inventory-items": [
    "Missing serial number",
    "Unknown device model 'iPhone 17 Pro Max'",
    "Duplicate IMEI: the device is on an earlier row",
    "Invalid purchase date '31/02/2026'",
    "Unknown location 'Madrid HQ - 4th floor'",
  ],
};

/** Why a whole file failed, before any row was imported. */
const FILE_ERRORS: Record<BulkTaskAction, string[]> = {
  "import-mdm-users": [
    "The CSV header is missing the required column 'email'",
    "The file is not valid CSV: unterminated quoted field",
  ],
  "import-inventory-items": [
    "The CSV header is missing the required column 'serialNumber'",
    "The file is empty",
  ],
};

const FILE_NAMES: Record<BulkTaskAction, string[]> = {
  "import-mdm-users": ["mdm-users", "new-joiners", "users-export", "staff-onboarding"],
  "import-inventory-items": ["inventory", "devices-q3", "warehouse-stock", "asset-register"],
};

/**
 * `count` deterministic bulk tasks shaped like real traffic, newest first, spread over months:
 * both actions; the newest tasks still `pending`, `created` or `inProgress`, the others
 * `completed` (some with errored rows) or `failed` (a whole file refused, or too many rows
 * refused); reports whose counts add up (`numItems` = inserts + updates + skips + errors, one
 * `skippedLines` / `erroredLines` entry for each skip and error, with a reason); file metadata
 * within the spec's rules; a handful of made-up people. Every task keeps the spec. Each task
 * comes from its own seeded stream, so that the first `n` tasks of a larger dataset are the `n`
 * tasks of a smaller one (a test can grow a list and know what it grew by).
 */
export function generateBulkTasks(count: number, options: DatasetOptions = {}): BulkTask[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new TypeError(`generateBulkTasks: count must be an integer >= 0; ${String(count)} is not.`);
  }
  checkOptions("generateBulkTasks", options, {
    seed: rules.integer(0, 2 ** 32 - 1),
    // Its own check, readNewest's, says more than a rule would.
    newest: () => undefined,
    organizationId: rules.string,
  });
  const { seed = 1, organizationId = "lab" } = options;
  const newest = readNewest(options.newest);
  const users: BulkTaskUser[] = PEOPLE.map((person, i) => ({
    id: objectId(0x1000 + i, "507f1f77"),
    ...person,
    fullName: `${person.firstName} ${person.lastName}`,
    picture: `https://www.gravatar.com/avatar/${objectId(i, "00000000")}`,
  }));

  // The ids are made on a fixed timeline (the first 8 hex digits of an ObjectId are its time), the
  // dates on the one that ends at `newest`: the same id for the same seed, whatever the date.
  const shift = newest - ID_TIMELINE_NEWEST;
  let createdAt = ID_TIMELINE_NEWEST;
  return Array.from({ length: count }, (_, i) => {
    const random = seededRandom(Math.imul(seed, 0x9e3779b1) + i);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
    // Uploads come at random: exponential gaps between them.
    if (i > 0) createdAt -= Math.round(-Math.log(1 - random()) * MEAN_GAP_MS);
    const action: BulkTaskAction = random() < 0.55 ? "import-mdm-users" : "import-inventory-items";
    // The newest few are still on their way; the rest have ended, one in eight of them failed.
    const status: BulkTaskStatus =
      i < 3
        ? ((["pending", "created", "inProgress"] as const)[i] as BulkTaskStatus)
        : i === 3 || random() < 0.125
          ? "failed"
          : "completed";
    const rows = Math.round(Math.exp(random() * Math.log(3000))) + 4;
    const id = `${Math.floor(createdAt / 1000).toString(16)}${objectId(between(0, 2 ** 30), "")}`.slice(
      0,
      24,
    );
    const created = createdAt + shift;
    const fileName = `${pick(FILE_NAMES[action])}-${new Date(created).toISOString().slice(0, 10)}.csv`;
    const key = `organizations/${organizationId}/bulk-tasks/${id}/${fileName}`;
    const task: BulkTask = {
      id,
      status,
      config: { override: random() < 0.4 },
      file: {
        originalName: fileName,
        mimetype: "text/csv",
        size: rows * (action === "import-mdm-users" ? 86 : 124) + 96,
        bucket: "applivery-bulk-tasks-eu",
        key,
        location: `https://applivery-bulk-tasks-eu.s3.eu-west-1.amazonaws.com/${key}`,
        region: "eu-west-1",
        storageProviderId: "64f1c0ffee0ddba11ad5e001",
        checksum: Array.from({ length: 4 }, () =>
          between(0, 2 ** 32 - 1)
            .toString(16)
            .padStart(8, "0"),
        ).join(""),
      },
      action,
      createdBy: pick(users),
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created).toISOString(),
    };
    if (status === "pending" || status === "created") return task;

    const fileRefused = status === "failed" && random() < 0.4;
    const report = fileRefused
      ? emptyReport()
      : fillReport(rows, status, action, task.config?.override === true, { random, between, pick });
    const seconds = status === "inProgress" ? 20 : Math.max(2, Math.round(rows / 40)) + between(0, 15);
    return {
      ...task,
      report,
      ...(status === "failed"
        ? {
            error: fileRefused
              ? pick(FILE_ERRORS[action])
              : `${report.numErrors} of ${report.numItems} rows could not be imported`,
          }
        : {}),
      updatedAt: new Date(created + seconds * 1000).toISOString(),
    };
  });
}

function emptyReport(): BulkTaskReport {
  return {
    numItems: 0,
    numInserts: 0,
    numUpdates: 0,
    numSkips: 0,
    numErrors: 0,
    skippedLines: [],
    erroredLines: [],
  };
}

/**
 * A report whose counts add up. Completed imports refuse a few rows at most; failed ones refused
 * too many (up to 60 listed). An import in progress has read part of the file.
 */
function fillReport(
  rows: number,
  status: BulkTaskStatus,
  action: BulkTaskAction,
  override: boolean,
  {
    random,
    between,
    pick,
  }: {
    random: () => number;
    between: (low: number, high: number) => number;
    pick: <T>(values: readonly T[]) => T;
  },
): BulkTaskReport {
  const read = status === "inProgress" ? Math.max(1, Math.floor(rows * (0.2 + random() * 0.6))) : rows;
  const errors =
    status === "failed"
      ? Math.min(read, between(Math.max(1, Math.ceil(read * 0.1)), Math.max(1, Math.min(60, read))))
      : random() < 0.7
        ? 0
        : Math.min(read, between(1, 5));
  const skips = Math.min(read - errors, random() < 0.6 ? 0 : between(1, 8));
  const updates = Math.floor((read - errors - skips) * (override ? 0.3 + random() * 0.5 : random() * 0.1));
  // Line 1 is the header: rows are lines 2 to rows + 1, each listed once.
  const lines = Array.from({ length: read }, (_, i) => i + 2);
  const take = (n: number) =>
    Array.from({ length: n }, () => lines.splice(between(0, lines.length - 1), 1)[0] as number).sort(
      (a, b) => a - b,
    );
  const erroredLines = take(errors).map((line) => ({ line, reason: pick(ROW_ERRORS[action]) }));
  const skippedLines = take(skips).map((line) => ({ line }));
  return {
    numItems: status === "inProgress" ? rows : read,
    numInserts: read - errors - skips - updates,
    numUpdates: updates,
    numSkips: skips,
    numErrors: errors,
    skippedLines,
    erroredLines,
  };
}

/** Options of a task that runs on a schedule (`LocalApi.startTask`). */
export interface LiveTaskOptions {
  /** How it ends. @default "completed" */
  outcome?: "completed" | "failed";
  /** From its start to its end, in ms. @default 8000 */
  durationMs?: number;
  /** The rows of its file. @default 400 */
  rows?: number;
  /** @default "import-mdm-users" */
  action?: BulkTaskAction;
  /** Its id, the rows it refuses and its people come from the seed. @default 1 */
  seed?: number;
}

/** A task that runs on a schedule: what it is at a given time. */
export interface LiveTask {
  readonly id: string;
  at(now: number): BulkTask;
}

/** The id of the live task of `seed`: `6f00d5ee00000000face0001` for seed 1. */
export function liveTaskId(seed: number): string {
  return objectId(0xface0000 + seed, "6f00d5ee");
}

/**
 * A task started at `startedAt` that runs as a real import does: `pending` for the first tenth of
 * its duration, `created` for the next, then `inProgress` with its report filling in row by row,
 * then `completed` (a few rows refused) or `failed` (a third of them refused) at the end. Its final
 * form is a task of {@link generateBulkTasks}'s shape; its id comes from the seed, so that a demo or a
 * test can name it before it starts.
 */
export function liveTask(organizationId: string, startedAt: number, options: LiveTaskOptions = {}): LiveTask {
  const {
    outcome = "completed",
    durationMs = 8000,
    rows = 400,
    action = "import-mdm-users",
    seed = 1,
  } = options;
  const random = seededRandom(seed * 7919);
  const id = liveTaskId(seed);
  const [template] = generateBulkTasks(1, { seed, newest: startedAt, organizationId });
  // The template's file is stored under the template's id: it is this task's file. (Every generated
  // task has a file with a key and a location.)
  const base = JSON.parse(JSON.stringify(template).replaceAll((template as BulkTask).id, id)) as BulkTask;
  const refused = outcome === "failed" ? Math.ceil(rows / 3) : Math.floor(random() * 4);
  const erroredAt = new Set<number>();
  while (erroredAt.size < refused) erroredAt.add(2 + Math.floor(random() * rows));
  const reasons = ROW_ERRORS[action];
  return {
    id,
    at(now) {
      const progress = Math.max(0, Math.min(1, (now - startedAt) / Math.max(1, durationMs)));
      const task: BulkTask = { ...base, id, action, createdAt: new Date(startedAt).toISOString() };
      if (progress < 0.1) return { ...task, status: "pending", updatedAt: task.createdAt };
      if (progress < 0.2) {
        return {
          ...task,
          status: "created",
          updatedAt: new Date(startedAt + durationMs * 0.1).toISOString(),
        };
      }
      // Rows are read at an even pace over the rest of the duration.
      const read = progress >= 1 ? rows : Math.floor((rows * (progress - 0.2)) / 0.8);
      const erroredLines = [...erroredAt]
        .filter((line) => line - 2 < read)
        .sort((a, b) => a - b)
        .map((line) => ({ line, reason: reasons[line % reasons.length] as string }));
      const report: BulkTaskReport = {
        numItems: rows,
        numInserts: read - erroredLines.length,
        numUpdates: 0,
        numSkips: 0,
        numErrors: erroredLines.length,
        skippedLines: [],
        erroredLines,
      };
      const readAt = startedAt + durationMs * (0.2 + (0.8 * read) / rows);
      if (progress < 1) {
        return {
          ...task,
          status: "inProgress",
          report,
          updatedAt: new Date(Math.floor(readAt)).toISOString(),
        };
      }
      const ended = { ...task, report, updatedAt: new Date(startedAt + durationMs).toISOString() };
      return outcome === "failed"
        ? {
            ...ended,
            status: "failed",
            error: `${erroredLines.length} of ${rows} rows could not be imported`,
          }
        : { ...ended, status: "completed" };
    },
  };
}
