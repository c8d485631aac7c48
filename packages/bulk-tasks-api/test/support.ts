import {
  type HarEntry,
  loadRecordings,
  type Recording,
  type ReplayServer,
  startReplayServer,
} from "@org/bulk-tasks-contract-tests";
import { afterAll, beforeAll } from "vitest";

/** A fake key: tests search errors and logs for it. */
export const API_KEY = "test-key-0123456789abcdef";

/** Starts a replay server over the committed recordings (plus any extra) for the file's tests. */
export function useReplayServer(extra: Recording[] = []): { readonly server: ReplayServer } {
  const handle = {} as { server: ReplayServer };
  beforeAll(async () => {
    handle.server = await startReplayServer({
      recordings: [...(await loadRecordings()), ...extra],
      apiKey: API_KEY,
    });
  });
  afterAll(() => handle.server.close());
  return handle;
}

/** An in-memory recording, constructed by a test (never committed). */
export function constructedRecording(
  path: string,
  response: { status: number; contentType?: string; body: string },
): Recording {
  const entry: HarEntry = {
    startedDateTime: new Date(0).toISOString(),
    comment: "constructed by a test",
    request: {
      method: "GET",
      url: `https://api.applivery.io${path}`,
      headers: [{ name: "Authorization", value: "Bearer <redacted>" }],
      queryString: [],
    },
    response: {
      status: response.status,
      statusText: "",
      headers: response.contentType ? [{ name: "Content-Type", value: response.contentType }] : [],
      content: { mimeType: response.contentType ?? "", text: response.body, size: response.body.length },
    },
    _provenance: { kind: "constructed", source: "bulk-tasks-api test support" },
  };
  return { file: "constructed", index: 0, entry };
}
