/**
 * The DynamoDB tables, declared once: the CDK storage construct and the local runtime (which
 * creates them on the emulator) both read these definitions, so keys and indexes cannot drift.
 */
export interface KeyDef {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDef {
  indexName: string;
  partitionKey: KeyDef;
  sortKey?: KeyDef;
  /** Non-key attributes projected into the index (INCLUDE); undefined = ALL. */
  include?: string[];
}

export interface TableDef {
  /** Logical id (CDK) and suffix of the local table name. */
  id: TableId;
  partitionKey: KeyDef;
  sortKey?: KeyDef;
  indexes: IndexDef[];
  ttlAttribute?: string;
  stream?: boolean;
}

export type TableId = 'Resources' | 'ResourceHistory' | 'Compliance' | 'Accounts' | 'ScanLedger' | 'Alerts' | 'Idempotency' | 'Exceptions' | 'Destinations' | 'DailySummary' | 'ConsoleAudit';

const S = (name: string): KeyDef => ({ name, type: 'S' });

export const TABLES: Record<TableId, TableDef> = {
  Resources: {
    id: 'Resources',
    partitionKey: S('resourceId'),
    indexes: [
      // Reconciliation: every stored ID of one account#region#type scope, with its hash.
      { indexName: 'byScope', partitionKey: S('scope'), sortKey: S('resourceId'), include: ['attributesHash', 'deleted'] },
      // Re-evaluation of one type when its policies change.
      { indexName: 'byType', partitionKey: S('resourceType'), sortKey: S('resourceId'), include: ['accountId', 'deleted'] },
    ],
  },
  // The resources' history (src/store/history-store.ts): a version per changed write (diff, trigger,
  // provenance, full attributes) and a record per compliance transition, newest last under each
  // resource; the byAccount index is the estate's change feed (`posture changes`), without bodies.
  ResourceHistory: {
    id: 'ResourceHistory',
    partitionKey: S('resourceId'),
    sortKey: S('at'),
    indexes: [
      {
        indexName: 'byAccount',
        partitionKey: S('accountId'),
        sortKey: S('feedKey'),
        include: ['resourceType', 'region', 'kind', 'change', 'diff', 'trigger', 'provenance', 'observedAt', 'recordedAt', 'policyId', 'fromStatus', 'toStatus', 'severity', 'title', 'alert'],
      },
    ],
    ttlAttribute: 'expiresAt',
  },
  Compliance: {
    id: 'Compliance',
    partitionKey: S('resourceId'),
    sortKey: S('policyId'),
    indexes: [
      { indexName: 'byPolicy', partitionKey: S('policyId'), sortKey: S('resourceId') },
      { indexName: 'byAccount', partitionKey: S('accountId'), sortKey: S('statusKey') },
      // A scan page reads the compliance of its whole scope in one query, not one per resource.
      { indexName: 'byScope', partitionKey: S('scope'), sortKey: S('resourceId') },
    ],
  },
  Accounts: { id: 'Accounts', partitionKey: S('accountId'), indexes: [] },
  ScanLedger: {
    id: 'ScanLedger',
    partitionKey: S('scanId'),
    sortKey: S('scope'),
    indexes: [
      // Freshness: the newest entries of one scope first (last verified, `posture findings --stale`).
      { indexName: 'byScope', partitionKey: S('scope'), sortKey: S('finishedAt'), include: ['outcome', 'trigger', 'accountId', 'region', 'resourceType'] },
      // Scan history: an account's entries newest first, one page per Query (the console's Scans page).
      { indexName: 'byAccount', partitionKey: S('accountId'), sortKey: S('finishedAt'), include: ['outcome', 'trigger'] },
    ],
    ttlAttribute: 'expiresAt',
  },
  // The ledger's daily compliance summary (src/store/summary-store.ts): an item per account × day ×
  // policy × severity (small, bounded), so an account's last N days are one Query on a sort-key
  // range; its own table because the ledger is keyed by scan, not by account and day.
  DailySummary: { id: 'DailySummary', partitionKey: S('accountId'), sortKey: S('dayKey'), indexes: [], ttlAttribute: 'expiresAt' },
  Alerts: {
    id: 'Alerts',
    partitionKey: S('alertKey'),
    sortKey: S('openedAt'),
    indexes: [{ indexName: 'byStatus', partitionKey: S('status'), sortKey: S('openedAt') }],
    stream: true,
  },
  // Accepted risks: a policy ID and a resource-ID glob, with reason, owner and expiry (few items, read whole per batch).
  Exceptions: { id: 'Exceptions', partitionKey: S('exceptionId'), indexes: [] },
  // Alert destinations (Slack, webhook, extra SNS topics): operator configuration, read whole and cached briefly.
  Destinations: { id: 'Destinations', partitionKey: S('destinationId'), indexes: [] },
  // The console's audit log (src/store/audit-store.ts): one partition, sorted by time, so the
  // newest page is one Query read backwards; the log is small (people's changes, not scan results).
  ConsoleAudit: { id: 'ConsoleAudit', partitionKey: S('log'), sortKey: S('atKey'), indexes: [] },
  // Powertools idempotency layout (id + expiration).
  Idempotency: { id: 'Idempotency', partitionKey: S('id'), indexes: [], ttlAttribute: 'expiration' },
};

/** Environment variable that carries each table's name into a Lambda function. */
export const tableEnvVar = (id: TableId): string => `TABLE_${id.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;

export type TableNames = Record<TableId, string>;
