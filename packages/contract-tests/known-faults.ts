/**
 * The findings the committed recordings are known to produce, each with the reason it is accepted.
 * The contract test fails on any finding not listed here (a new discrepancy) and on any listed one
 * that no longer occurs (a stale entry). Keys are `location path rule` (see `findingKey`).
 */
export interface KnownFault {
  file: string;
  entry: number;
  finding: string;
  reason: string;
}

// The page's faults are numbered as in docs/api-facts.md ("Faults in the docs page").
const docsPage200 = (finding: string, reason: string): KnownFault => ({
  file: "docs-page-examples.har",
  entry: 0,
  finding,
  reason,
});

const getPage200 = (finding: string, reason: string): KnownFault => ({
  file: "docs-page-get-bulk-task.har",
  entry: 0,
  finding,
  reason,
});

export const KNOWN_FAULTS: KnownFault[] = [
  docsPage200(
    "response.body /data/items/0/id pattern",
    'Fault 4: the example id "string" does not match its own pattern.',
  ),
  docsPage200(
    "response.body /data/items/0/createdBy/email format",
    "Fault 2: the email is the page's obfuscation artefact.",
  ),
  docsPage200(
    "response.body /data/items/0/updatedAt format",
    'Fault 1: "2024-01-01T00: 00:00Z" has a space.',
  ),
  docsPage200(
    "response.body /data/items/0/createdAt format",
    'Fault 1: "2024-01-01T00: 00:00Z" has a space.',
  ),
  docsPage200(
    "response.body /data/pagingCounter required",
    "Fault 9: the page omits pagingCounter, which real responses always send.",
  ),
  docsPage200("response.body /data/page minimum", "Placeholder 0: pages are 1-based."),
  docsPage200("response.body /data/totalPages minimum", "Placeholder 0: totalPages is at least 1."),
  docsPage200(
    "response.body /data/prevPage minimum",
    "Placeholder 0: a previous page is at least 1, else null.",
  ),
  docsPage200("response.body /data/nextPage minimum", "Placeholder 0: a next page is at least 2, else null."),
  docsPage200(
    "response.body /data/items/0/file/storageProviderId pattern",
    'Placeholder "string": the second rendering of the page and the get-by-ID page give storageProviderId the 24-hex-digit id pattern, which the spec now holds.',
  ),
  // The get-by-ID page shows the list page's placeholder task: the same faults, one level up.
  getPage200(
    "response.body /data/id pattern",
    'Fault 4 again: the example id "string" does not match its own pattern.',
  ),
  getPage200(
    "response.body /data/file/storageProviderId pattern",
    'Placeholder "string" again, for a field whose pattern both of its source pages give.',
  ),
  getPage200("response.body /data/createdBy/email format", "Fault 2 again: the page's obfuscation artefact."),
  getPage200("response.body /data/updatedAt format", 'Fault 1 again: "2024-01-01T00: 00:00Z" has a space.'),
  getPage200("response.body /data/createdAt format", 'Fault 1 again: "2024-01-01T00: 00:00Z" has a space.'),
];
