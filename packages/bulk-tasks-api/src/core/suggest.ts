// "Did you mean": the known name closest to one given, when it is near enough to be a slip of the
// keyboard (as Rust's compiler and git suggest). Distances are counted in edits, a swap of two
// neighbours being one (optimal string alignment), after folding case: `timeoutms` and `timoutMs`
// both find `timeoutMs`.

/**
 * "Did you mean": the closest of `known` to `given`, when it is near enough to be a slip of the
 * keyboard, or undefined (also when `given` is known, or longer than 64 characters).
 */
export function closestName(given: string, known: readonly string[]): string | undefined {
  // A long string is no slip of the keyboard (and may be a key put where a name goes): not compared.
  if (given.length === 0 || given.length > 64 || known.includes(given)) return undefined;
  // Words other clients use for the same thing, which no edit distance finds.
  const synonym = SYNONYMS[given.toLowerCase()];
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  // One edit for a short word, two from 4 characters, three from 9: looser, and any word matches.
  const allowed = given.length < 4 ? 1 : given.length < 9 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const name of known) {
    const distance = editDistance(given.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table = new Array<number>(rows * columns);
  for (let i = 0; i < rows; i++) table[i * columns] = i;
  for (let j = 0; j < columns; j++) table[j] = j;
  const at = (i: number, j: number) => table[i * columns + j] as number;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      }
      table[i * columns + j] = distance;
    }
  }
  return at(rows - 1, columns - 1);
}

/** Other clients' names for our options (lower case): `retries` in many, `url` and `token` in others. */
const SYNONYMS: Readonly<Record<string, string>> = {
  retries: "maxRetries",
  timeout: "timeoutMs",
  url: "baseUrl",
  endpoint: "baseUrl",
  key: "apiKey",
  token: "apiKey",
};
