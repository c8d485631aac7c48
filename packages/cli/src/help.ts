import type { CommandName } from "./arguments.js";
import { LIVE_TASK_IDS, LOCAL_LIVE_DURATION_MS } from "./local-api.js";

const { completes: LIVE_COMPLETES, fails: LIVE_FAILS } = LIVE_TASK_IDS;

const CONNECTION = `Connection (list, summary, get and wait)
  --api-key <key>      the Service Account token (default: APPLIVERY_API_KEY; the variable keeps it
                       out of your shell history and process list). Never printed, not even by --verbose
  --base-url <url>     where the API lives (default: APPLIVERY_BASE_URL, else https://api.applivery.io)
  --allow-insecure-http  allow a plain http --base-url on a host other than loopback: the key then
                       travels in clear (a TLS-terminating proxy on your own network, say)
  --local              use a local API started inside this command, with its sample organizations
                       lab and empty, and two live tasks in lab (see bulk-tasks wait --help);
                       nothing leaves the machine
  --timeout <ms>       time limit of each attempt (default 30000)
  --retries <n>        retries of a failed request: network errors, timeouts, 408, 429, 5xx (default 2)
  --verbose            each request (method, URL, status, time) and each retry on stderr; wait adds
                       each change of the task
  -h, --help           this help
  --version            the version of bulk-tasks`;

const QUERY = `  --status <status>    only tasks in this state: pending, created, inProgress, completed, failed
  --action <action>    only tasks of this kind: import-inventory-items, import-mdm-users
  --sort <field:dir>   such as createdAt:asc (default: newest first)
  --limit <n>          tasks per page (default: the API's, 100)`;

const WALK = `  --concurrency <n>    pages fetched at once while walking (default 4)
  --no-progress        no progress line (it is drawn on stderr only when stderr is a terminal)`;

const EXIT_CODES = `Exit codes
  0    success
  1    the API or the network failed, or wait gave up (--wait-timeout): one line on stderr says which
       error, and what to check
  2    a usage error (unknown option, missing organization id, a value the API would refuse): nothing sent
  3    wait: the task ended failed (it is printed, and one line on stderr says why)
  130  interrupted (Ctrl-C): the walk or the wait stops, and the output ends with a whole line`;

const GENERAL = `bulk-tasks: which of Applivery's bulk tasks (CSV imports) ran, which failed and why.

Usage
  bulk-tasks list <organizationId> [options]      one page of tasks, or every page with --all
  bulk-tasks summary <organizationId> [options]   counts by status and action, row totals, recent failures
  bulk-tasks get <organizationId> <bulkTaskId>    one task: status, file, report, errored lines
  bulk-tasks wait <organizationId> <bulkTaskId>   waits until the task ends, then prints it as get does
  bulk-tasks serve-local [options]                a local bulk tasks API on 127.0.0.1, to try things out

${CONNECTION}

Examples
  bulk-tasks summary lab --local
  bulk-tasks wait lab ${LIVE_COMPLETES} --local
  APPLIVERY_API_KEY=... bulk-tasks list 65a1f0c2aa00000000000001 --status failed
  bulk-tasks list lab --all --format csv > tasks.csv

${EXIT_CODES}

Run bulk-tasks <command> --help for the options of a command.
`;

const LIST = `bulk-tasks list <organizationId> [options]

Lists bulk tasks, newest first: one page, or every page with --all (printed page by page as they
come, never held all at once).

Options
${QUERY}
  --page <n>           the page to show (default 1); with --all, the page to start from
  --all                every page, from the first (or from --page: a failed walk says where to
                       go on from)
${WALK}
  --format <format>    table, json, ndjson or csv
                       (default: table on a terminal, ndjson in a pipe or a file)

${CONNECTION}

Formats
  table    fixed columns (id, status, action, created, rows, errors, file), for people
  json     one JSON array of tasks, as the API returns them
  ndjson   one task per line, as JSON. The default in a pipe: it streams, each line is a whole task
           for jq, grep, head or wc -l, and an interrupted walk leaves only whole lines
  csv      RFC 4180 (CRLF), one column per field of the spec, nested fields named with dots
           (file.originalName, report.numErrors); arrays and config as JSON text

Examples
  bulk-tasks list lab --local
  bulk-tasks list lab --local --status failed --limit 5 --format json
  bulk-tasks list lab --local --all | jq -r 'select(.status == "failed") | .id'
  bulk-tasks list lab --local --all --format csv > tasks.csv
  bulk-tasks list 65a1f0c2aa00000000000001 --all --sort createdAt:asc --concurrency 8

${EXIT_CODES}
`;

const SUMMARY = `bulk-tasks summary <organizationId> [options]

Walks every page and prints the number of tasks by status and by action, the rows read, inserted,
updated, skipped and errored in total (from the tasks' reports), and the 5 most recent failures
with their error and first errored lines.

Options
${QUERY}
${WALK}
  --format <format>    text or json
                       (default: text on a terminal, json in a pipe or a file: one object that
                       scripts read with jq, its keys always there, counts of zero included)

${CONNECTION}

Examples
  bulk-tasks summary lab --local
  bulk-tasks summary lab --local --action import-mdm-users
  bulk-tasks summary lab --local | jq '.byStatus.failed'

${EXIT_CODES}
`;

const TASK_FORMAT = `  --format <format>    text or json
                       (default: text on a terminal, json in a pipe or a file: the task as the API
                       sent it, for jq)`;

const GET = `bulk-tasks get <organizationId> <bulkTaskId> [options]

Prints one task: its status, action, file, who created it and when, the counts of its report (rows
read, inserted, updated, skipped, errored), its error, and its first errored lines with why. The
key's Service Account needs the permission base.bulk.management.get.

Options
${TASK_FORMAT}

${CONNECTION}

Examples
  bulk-tasks get lab 6ae4ecd500000000038f41ed --local
  bulk-tasks get lab 6ae4ecd500000000038f41ed --local | jq -r '.report.erroredLines[] | [.line, .reason] | @tsv'
  APPLIVERY_API_KEY=... bulk-tasks get 65a1f0c2aa00000000000001 6530f0c2a1b2c3d4e5f60718

${EXIT_CODES}
`;

const WAIT = `bulk-tasks wait <organizationId> <bulkTaskId> [options]

Polls the task until it ends completed or failed, then prints it as bulk-tasks get does. On a
terminal a progress line on stderr shows its status, the rows processed of those read, and the time.
Exit code 0 when the task completed, 3 when it failed: a script can wait for an import, then act.

Options
  --wait-timeout <ms>  how long to wait in all before giving up, with exit code 1 (default 1800000,
                       30 minutes). --timeout is the limit of each request
  --poll-interval <ms> the first delay between two polls (default 1000); while the task does not
                       change, the delay grows by half each time, up to 15 s
  --no-progress        no progress line (it is drawn on stderr only when stderr is a terminal)
${TASK_FORMAT}

${CONNECTION}

Live tasks, to try wait offline
  With --local, lab has two tasks that run: ${LIVE_COMPLETES} completes after ${LOCAL_LIVE_DURATION_MS / 1000} s,
  ${LIVE_FAILS} fails after ${(LOCAL_LIVE_DURATION_MS * 2) / 3 / 1000} s. Each command with --local starts its own local API,
  where they start with the command: list, summary and get see them pending, wait follows them to
  their end. bulk-tasks serve-local runs them too, for a minute from its start.

Examples
  bulk-tasks wait lab ${LIVE_COMPLETES} --local
  bulk-tasks wait lab ${LIVE_FAILS} --local --format json > task.json; echo "exit code $?"
  APPLIVERY_API_KEY=... bulk-tasks wait 65a1f0c2aa00000000000001 6530f0c2a1b2c3d4e5f60718 --wait-timeout 600000

${EXIT_CODES}
`;

const SERVE_LOCAL = `bulk-tasks serve-local [options]

Runs a local bulk tasks API on 127.0.0.1 until Ctrl-C (exit code 0), for trying bulk-tasks or your
own code without an account: organizations lab and empty, any other answers 404, and two live tasks
in lab that start with the server (${LIVE_COMPLETES} completes, ${LIVE_FAILS} fails). It
prints its URL, its key, and commands to paste.

Options
  --port <n>             the port (default 4010; 0 for any free port)
  --tasks <n>            tasks in lab (default: the local API's sample dataset)
  --newest <date>        when lab's newest task was created: ISO 8601 or ms since the epoch
                         (default: half an hour ago; the others are spread over the months before)
  --key <key>            the key it accepts (default local-api-key)
  --latency <ms>         delay before every answer (default 0)
  --fail-rate <r>        share of requests answered 503, from 0 to 1 (default 0)
  --rate-limit-rate <r>  share answered 429 with Retry-After (default 0)
  --retry-after <s>      the Retry-After of those 429s, in seconds (default 1)
  --html-rate <r>        share answered with a proxy's HTML 502 page (default 0)
  --drop-rate <r>        share whose connection is closed without an answer (default 0)
  --seed <n>             seed of the fault pattern: the same seed replays the same faults (default 1)
  --recordings <file>... HAR 1.2 files whose exchanges are answered as recorded: for an organization
                         the dataset does not hold, or a request with the header Prefer: example=recorded
  --live-duration <ms>   how long the live tasks run: the completing one for all of it, the failing
                         one for two thirds (default 60000)
  -h, --help             this help
  --version              the version of bulk-tasks

Examples
  bulk-tasks serve-local
  bulk-tasks serve-local --port 0 --tasks 1000 --latency 50
  bulk-tasks serve-local --fail-rate 0.2 --rate-limit-rate 0.1 --seed 7
  bulk-tasks serve-local --recordings recordings/*.har
  bulk-tasks serve-local --newest 2026-01-31T12:00:00Z
`;

const TOPICS: Record<CommandName, string> = {
  list: LIST,
  summary: SUMMARY,
  get: GET,
  wait: WAIT,
  "serve-local": SERVE_LOCAL,
};

/** The help of a command, or the general help. */
export function helpText(topic: CommandName | undefined): string {
  return topic === undefined ? GENERAL : TOPICS[topic];
}
