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

// The page's faults are numbered as in shared/reference/API-FACTS.md ("Faults in the docs page").
const docsPage200 = (finding: string, reason: string): KnownFault => ({
  file: "docs-page-examples.har",
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
];
