/**
 * The requests bench:console times: one row per console API page the scale target names (issue
 * #16 item 6). Paths are the API's own; `{account}`, `{resourceId}`, `{policyId}` and `{resourceType}`
 * are filled, request by request, from the seeded estate (cycling, so no answer is served twice
 * in a row from one partition). A row whose route answers 404 is reported `missing` and fails the run.
 */
export interface ConsoleBenchRequest {
  /** The JSON key of its figures. */
  name: string;
  /** Path and query string under the console's origin. */
  path: string;
  /** What the page is, and the index it should read (the emulator answers an index read per partition). */
  about: string;
}

export const CONSOLE_REQUESTS: readonly ConsoleBenchRequest[] = [
  { name: 'overview', path: '/api/overview', about: 'the Overview page' },
  {
    name: 'findingsPage',
    path: '/api/findings?account={account}&status=FAIL&severity=High&limit=50',
    about: "a filtered Findings page: one account's failing High results (Compliance byAccount, statusKey FAIL#…)",
  },
  {
    name: 'resourcePage',
    path: '/api/resource?id={resourceId}',
    about: "a Cloud Resources page: the stored resource with its result per policy (Resources by key, Compliance by resourceId)",
  },
  {
    name: 'resourceHistory',
    path: '/api/resource/history?id={resourceId}',
    about: "a Cloud Resources page's History table: the newest 50 records of one resource (ResourceHistory by resourceId, newest first, no bodies)",
  },
];
