/**
 * The Cloud Resources area's reads. The list walks index partitions of the Resources table in a
 * fixed order — the byType partition of each type (an account filter on its projected accountId),
 * or with a region the byScope partition of each account#region#type — in resourceId order, so a
 * cursor is (partition, last resourceId) and no request scans a table. Each page's rows get their
 * place from a projected BatchGet and their verdicts from the Compliance table's key (its
 * resourceId partition), summed up by #core/resource-compliance.ts; the compliance filter keeps the
 * rows whose sum matches. One request reads a bounded number of IDs: a sparse filter may return a
 * short page with a cursor to go on.
 */
import { HTTPException } from 'hono/http-exception';
import { expectedResult, unitTestYaml } from '#compliance/unit-test-entry.ts';
import { resourceCompliance } from '#core/resource-compliance.ts';
import { parseSince } from '#core/since.ts';
import { scopeKey } from '#core/types.ts';
import { REGISTRY } from '#resources/index.ts';
import type { ComplianceItem } from '#compliance/model.ts';
import type { ResourcePartition } from '#store/resource-store.ts';
import type { ResourceDetail, ResourceHistory, ResourceHistoryQuery, ResourceListQuery, ResourcePage, ResourceRow, UnitTest } from './contract/resources.ts';
import type { ConsolePorts } from './ports.ts';

/** IDs one list request reads at most (a filter matching few resources returns a short page and a cursor). */
export const READ_BUDGET = 500;
/** IDs asked per index query. */
const QUERY_PAGE = 100;
/** Compliance reads in flight at once. */
const PARALLEL = 16;

export const RESOURCE_TYPES: readonly string[] = [...new Set(REGISTRY.map((t) => t.type))].sort();

type Ports = Pick<ConsolePorts, 'resources' | 'compliance' | 'accounts' | 'ledger'>;
type HistoryPorts = Pick<ConsolePorts, 'resources' | 'history' | 'clock'>;

interface Cursor {
  /** The partition's key (a type, or a scope). */
  p: string;
  /** The last resourceId read in it. */
  a?: string;
}

export class CursorError extends Error {}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof c.p === 'string' && (c.a === undefined || typeof c.a === 'string')) return c as Cursor;
  } catch {
    // fall through
  }
  throw new CursorError('cursor: not a cursor this API returned');
}

/** The partitions a filter reads, in a fixed order (sorted by key). */
function partitions(q: ResourceListQuery, onboarded: readonly string[]): ResourcePartition[] {
  const types = q.type ? [q.type] : RESOURCE_TYPES;
  if (!q.region) return types.map((t) => ({ index: 'byType', key: t, ...(q.account ? { accountId: q.account } : {}) }));
  const accounts = q.account ? [q.account] : onboarded;
  return accounts
    .flatMap((accountId) => types.map((resourceType): ResourcePartition => ({ index: 'byScope', key: scopeKey({ accountId, region: q.region!, resourceType }) })))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function inParallel<T, R>(items: readonly T[], fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return out;
}

/** The rows of `ids` (in order), each with its verdicts summed up; IDs gone meanwhile are left out. */
async function rowsOf(ports: Ports, ids: readonly string[]): Promise<ResourceRow[]> {
  const [headers, verdicts] = await Promise.all([ports.resources.headers(ids), inParallel(ids, (id) => ports.compliance.forResource(id))]);
  return ids.flatMap((id, i) => {
    const h = headers.get(id);
    if (!h || h.deleted) return [];
    const { compliance, ...counts } = resourceCompliance(verdicts[i]!.values());
    return [{ resourceId: id, resourceType: h.resourceType, accountId: h.accountId, region: h.region, lastChanged: h.lastChanged, compliance, counts }];
  });
}

/** One page of the filtered list. */
export async function listResources(ports: Ports, q: ResourceListQuery): Promise<ResourcePage> {
  if (q.type && !RESOURCE_TYPES.includes(q.type)) throw new HTTPException(400, { message: `type: unknown resource type ${q.type}` });
  // The Accounts table is small configuration, read whole by design: the account filter's values, and the scopes of a region.
  const accounts = (await ports.accounts.list()).map((a) => ({ accountId: a.accountId, name: a.name })).sort((a, b) => a.accountId.localeCompare(b.accountId));
  const parts = partitions(q, accounts.map((a) => a.accountId));
  const facets = { resourceTypes: [...RESOURCE_TYPES], accounts };
  const start = q.cursor ? decodeCursor(q.cursor) : undefined;
  let pi = start ? parts.findIndex((p) => p.key >= start.p) : 0;
  let after = start && pi >= 0 && parts[pi]!.key === start.p ? start.a : undefined;
  const rows: ResourceRow[] = [];
  let read = 0;
  for (; pi >= 0 && pi < parts.length; pi++, after = undefined) {
    const part = parts[pi]!;
    for (;;) {
      if (read >= READ_BUDGET) return { resources: rows, next: encodeCursor({ p: part.key, ...(after !== undefined ? { a: after } : {}) }), ...facets };
      // Without a compliance filter every live ID read is a row: read no more than the page still needs.
      const limit = q.compliance ? QUERY_PAGE : Math.min(QUERY_PAGE, q.limit - rows.length);
      const page = await ports.resources.idPage(part, { limit, ...(after !== undefined ? { after } : {}) });
      read += Math.max(page.ids.length, 1);
      for (const row of await rowsOf(ports, page.ids)) {
        if (q.compliance && row.compliance !== q.compliance) continue;
        rows.push(row);
        if (rows.length === q.limit) {
          const more = row.resourceId !== page.ids.at(-1) || page.next !== undefined || pi + 1 < parts.length;
          return { resources: rows, ...(more ? { next: encodeCursor({ p: part.key, a: row.resourceId }) } : {}), ...facets };
        }
      }
      if (page.next === undefined) break;
      after = page.next;
    }
  }
  return { resources: rows, ...facets };
}

const STATUS_ORDER = { FAIL: 0, ERROR: 1, PASS: 2 } as const;

/** One stored resource (offloaded bodies read back whole), its verdict per policy and when its scope was last verified. */
export async function resourceDetail(ports: Ports, id: string): Promise<ResourceDetail> {
  const r = await ports.resources.get(id);
  if (!r) throw new HTTPException(404, { message: `id: no stored resource ${id}` });
  const [verdicts, verified] = await Promise.all([ports.compliance.forResource(id), ports.ledger.lastVerified(r.scope)]);
  const items = [...verdicts.values()].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || Number(a.suppressed) - Number(b.suppressed) || a.policyId.localeCompare(b.policyId));
  const { compliance, ...counts } = resourceCompliance(items);
  return {
    resourceId: r.resourceId,
    resourceType: r.resourceType,
    accountId: r.accountId,
    region: r.region,
    firstSeen: r.firstSeen,
    lastChanged: r.lastChanged,
    observedAt: r.observedAt ?? null,
    deleted: r.deleted,
    attributes: r.attributes as unknown as Record<string, unknown>,
    compliance,
    counts,
    results: items.map((i: ComplianceItem) => ({
      policyId: i.policyId,
      title: i.title,
      severity: i.severity,
      status: i.status,
      suppressed: i.suppressed,
      errorMessage: i.errorMessage,
      lastChanged: i.lastChanged,
      observedAt: i.observedAt ?? null,
    })),
    lastVerified: verified ? { finishedAt: verified.finishedAt, trigger: verified.trigger } : null,
  };
}

/** The resource as a unit test of `policyId`, expecting its current verdict (the CLI's `resources get --as-test` entry). */
export async function resourceUnitTest(ports: Ports, id: string, policyId: string, name?: string): Promise<UnitTest> {
  const r = await ports.resources.get(id);
  if (!r) throw new HTTPException(404, { message: `id: no stored resource ${id}` });
  const verdict = (await ports.compliance.forResource(id)).get(policyId);
  if (!verdict) throw new HTTPException(404, { message: `policyId: ${policyId} has no stored result for ${id}` });
  const expected = expectedResult(verdict);
  if (expected === null) throw new HTTPException(409, { message: `policyId: the evaluation of ${policyId} errored (${verdict.errorMessage ?? 'no message'}); there is no result to expect` });
  return { policyId, expectedResult: expected, yaml: unitTestYaml(name ?? `${r.resourceId} (${verdict.status} in the account)`, expected, r.attributes) };
}

const HISTORY_KEY = /^\d{4}-\d{2}-\d{2}T[^#]+#(v|f#.+)$/;

/**
 * One page of a resource's history, newest first, without bodies (the resource page stays fast
 * however long the timeline). The cursor is the last record's sort key. A resource with neither a
 * stored item nor a record is a 404.
 */
export async function resourceHistory(ports: HistoryPorts, q: ResourceHistoryQuery): Promise<ResourceHistory> {
  let after: string | undefined;
  if (q.cursor) {
    after = Buffer.from(q.cursor, 'base64url').toString('utf8');
    if (!HISTORY_KEY.test(after)) throw new CursorError('cursor: not a cursor this API returned');
  }
  const since = q.since ? parseSince(q.since, ports.clock.now()) : undefined;
  const page = await ports.history.resourcePage(q.id, { limit: q.limit, ...(since ? { since } : {}), ...(after ? { after } : {}) });
  if (page.records.length === 0 && !after && !(await ports.resources.headers([q.id])).has(q.id)) throw new HTTPException(404, { message: `id: no stored resource ${q.id}` });
  return { records: page.records, ...(page.next ? { next: Buffer.from(page.next, 'utf8').toString('base64url') } : {}) };
}
