import type { Har } from "./har.js";

/** Where a recording holds something that looks like a credential. */
export interface SecretFinding {
  entry: number;
  where: string;
  reason: string;
}

/** Headers that carry credentials: masked by the recorder, refused unmasked by the guard. */
export const CREDENTIAL_HEADERS =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|api-key|www-authenticate)$/i;
const MASKED = /^(Bearer |Basic )?<redacted>$/;
const TOKEN_LIKE: [RegExp, string][] = [
  [/\bBearer\s+(?!<redacted>)[\w.~+/=-]{8,}/i, "a bearer token"],
  [/\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/, "a JSON Web Token"],
  [
    /[?&](api[_-]?key|access[_-]?token|token|key|secret)=(?!<redacted>)[^&\s"]{6,}/i,
    "a credential in a query string",
  ],
  [/\b(sk|pk|ghp|gho|xox[bap])[-_][A-Za-z0-9]{16,}/, "a provider API key"],
  // Long strings of letters and digits in mixed case: what generated tokens look like (hex
  // checksums and ids, all one case, do not match).
  [
    /\b(?=[A-Za-z0-9_-]{32,}\b)(?=[^\s"]*[a-z])(?=[^\s"]*[A-Z])(?=[^\s"]*\d)[A-Za-z0-9_-]{32,}\b/,
    "a long random-looking string",
  ],
];

/**
 * Everything in a HAR that looks like a secret: a credential header that is not masked, or a
 * token-like string anywhere (URLs, headers, bodies, comments).
 */
export function findSecrets(har: Har): SecretFinding[] {
  const findings: SecretFinding[] = [];
  har.log.entries.forEach((entry, index) => {
    for (const [side, headers] of [
      ["request", entry.request.headers],
      ["response", entry.response.headers],
    ] as const) {
      for (const header of headers) {
        if (CREDENTIAL_HEADERS.test(header.name) && !MASKED.test(header.value)) {
          findings.push({
            entry: index,
            where: `${side} header ${header.name}`,
            reason: "an unmasked credential header",
          });
        }
      }
    }
    const texts: [string, string][] = [
      ["request url", entry.request.url],
      ...entry.request.headers.map(({ name, value }): [string, string] => [`request header ${name}`, value]),
      ...entry.response.headers.map(({ name, value }): [string, string] => [
        `response header ${name}`,
        value,
      ]),
      ["response body", entry.response.content.text ?? ""],
      ["comment", entry.comment ?? ""],
    ];
    for (const [where, text] of texts) {
      for (const [pattern, reason] of TOKEN_LIKE) {
        if (pattern.test(text)) findings.push({ entry: index, where, reason });
      }
    }
  });
  return findings;
}
