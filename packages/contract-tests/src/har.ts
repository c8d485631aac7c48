import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The parts of a HAR 1.2 entry that the checks and the local API read. */
export interface HarHeader {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  comment?: string;
  request: {
    method: string;
    url: string;
    headers: HarHeader[];
    queryString: HarHeader[];
  };
  response: {
    status: number;
    statusText: string;
    headers: HarHeader[];
    content: { mimeType: string; text?: string; size: number };
  };
  /** Where the entry comes from: every entry says, so that nothing constructed passes as recorded. */
  _provenance: Provenance;
}

export interface Provenance {
  /** `recorded` from live traffic, `transcribed` from documentation, `constructed` by hand. */
  kind: "recorded" | "transcribed" | "constructed";
  /** The page, tool or person it comes from. */
  source: string;
  notes?: string;
  [more: string]: unknown;
}

export interface Har {
  log: { version: string; creator: { name: string; version: string }; comment?: string; entries: HarEntry[] };
}

/** One recording: an entry, and where it lives. */
export interface Recording {
  /** The HAR file's name, such as `docs-page-examples.har`. */
  file: string;
  /** The entry's index in that file. */
  index: number;
  entry: HarEntry;
}

/** The folder of the committed recordings. */
export const RECORDINGS_DIR = fileURLToPath(new URL("../recordings/", import.meta.url));

/** Reads every `.har` file of a folder (the committed recordings by default), in name order. */
export async function loadRecordings(dir: string = RECORDINGS_DIR): Promise<Recording[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".har")).sort();
  const recordings: Recording[] = [];
  for (const file of files) {
    const har = JSON.parse(await readFile(join(dir, file), "utf8")) as Har;
    har.log.entries.forEach((entry, index) => {
      recordings.push({ file, index, entry });
    });
  }
  return recordings;
}

/** The value of a header, by case-insensitive name. */
export function headerValue(headers: HarHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((header) => header.name.toLowerCase() === lower)?.value;
}
