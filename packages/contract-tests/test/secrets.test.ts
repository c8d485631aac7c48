import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Har } from "../src/har.js";
import { findSecrets } from "../src/secrets.js";

// The guard must catch a token put into a committed recording, wherever it is put.
const har = JSON.parse(
  await readFile(new URL("../recordings/docs-page-examples.har", import.meta.url), "utf8"),
) as Har;
const copy = (): Har => structuredClone(har);
const TOKEN = "sa_Zk4Qm9XvB2nT7wLp3Rj8Hc6Ys1Fd5Ge0Ua";

function entry(h: Har, index: number) {
  const found = h.log.entries[index];
  if (!found) throw new Error(`the recording has no entry ${index}`);
  return found;
}

describe("the secret guard", () => {
  it("passes the committed recording", () => {
    expect(findSecrets(har)).toEqual([]);
  });

  it.each<[string, (har: Har) => void, string]>([
    [
      "an unmasked Authorization header",
      (h) => {
        (entry(h, 0).request.headers[0] ?? { value: "" }).value = `Bearer ${TOKEN}`;
      },
      "request header Authorization",
    ],
    [
      "a lower-case authorization header",
      (h) => {
        entry(h, 1).request.headers.push({ name: "authorization", value: "Bearer abcdefgh12345678" });
      },
      "request header authorization",
    ],
    [
      "a cookie",
      (h) => {
        entry(h, 0).request.headers.push({ name: "Cookie", value: "session=abc" });
      },
      "request header Cookie",
    ],
    [
      "a Set-Cookie answer",
      (h) => {
        entry(h, 0).response.headers.push({ name: "Set-Cookie", value: "sid=1" });
      },
      "response header Set-Cookie",
    ],
    [
      "a token in the body",
      (h) => {
        entry(h, 0).response.content.text = (entry(h, 0).response.content.text ?? "").replace(
          '"error": "string"',
          `"error": "${TOKEN}"`,
        );
      },
      "response body",
    ],
    [
      "a JWT in the body",
      (h) => {
        entry(h, 0).response.content.text +=
          " eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
      },
      "response body",
    ],
    [
      "a key in the URL",
      (h) => {
        entry(h, 0).request.url += "?api_key=abcdef123456";
      },
      "request url",
    ],
  ])("catches %s", (_, inject, where) => {
    const tampered = copy();
    inject(tampered);
    expect(findSecrets(tampered).map((finding) => finding.where)).toContain(where);
  });

  it("lets hex checksums and ids through", () => {
    const tampered = copy();
    entry(tampered, 0).response.content.text +=
      ' "checksum": "9e107d9d372bb6826bd81d3542a419d6", "id": "65a1f0c2e4b0a1b2c3d4e5f6"';
    expect(findSecrets(tampered)).toEqual([]);
  });
});
