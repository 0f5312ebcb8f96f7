/**
 * The Findings area: a filtered page of findings read through the Compliance table's indexes (one
 * index partition after another, never a Scan), the detail of one, and the export of the filtered
 * view. Every row is the Finding `posture findings` builds (toFinding, joinCatalog) and every filter
 * rule is src/compliance/finding-filter.ts; this module only chooses the partitions and pages.
 */
import { HTTPException } from 'hono/http-exception';
import { catalogIndex, joinCatalog, requirementsOf, type PolicyCatalog } from '#compliance/catalog.ts';
import { matchesFinding, type FindingsFilter } from '#compliance/finding-filter.ts';
import { toAsffList, toCsv, toOcsfLines } from '#compliance/finding-formats.ts';
import { toFinding, type Finding } from '#compliance/findings.ts';
import { FRAMEWORKS } from '#compliance/frameworks/index.ts';
import type { ComplianceItem } from '#compliance/model.ts';
import { pageKey, type CompliancePartition } from '#store/compliance-store.ts';
import type { FindingDetail, FindingsFilterQuery, FindingsPage } from './contract/findings.ts';
import type { ConsolePorts } from './ports.ts';

/** Items read per DynamoDB query (more than a page, so a selective filter needs few round trips). */
const QUERY_PAGE = 200;
/** Queries one request makes at most; a page cut short by it still carries the cursor onward. */
const MAX_QUERIES = 25;
/** The most rows one export holds. */
export const EXPORT_MAX_ROWS = 10_000;

type Ports = Pick<ConsolePorts, 'accounts' | 'compliance' | 'ledger' | 'catalog'>;

interface Cursor {
  /** Index into the partitions the filter reads. */
  p: number;
  /** Where to resume in that partition. */
  k?: Record<string, unknown>;
}

const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(cursor: string | undefined): Cursor {
  if (!cursor) return { p: 0 };
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Cursor;
    if (Number.isInteger(c.p) && c.p >= 0 && (c.k === undefined || (typeof c.k === 'object' && c.k !== null))) return c;
  } catch {
    // reported below
  }
  throw new HTTPException(400, { message: 'cursor: not a cursor this API returned' });
}

/** The framework's policies in the active pack (400 for a framework Posture does not know). */
function frameworkPolicies(framework: string, catalog: PolicyCatalog): Set<string> {
  if (!FRAMEWORKS.some((f) => f.id === framework)) throw new HTTPException(400, { message: `framework: '${framework}' is not one of ${FRAMEWORKS.map((f) => f.id).join(', ')}` });
  return new Set(catalog.policies.filter((p) => requirementsOf(p).some((r) => r.frameworkId === framework)).map((p) => p.policyId));
}

const STATUS_PREFIX: Record<string, string> = { FAIL: 'FAIL#', SUPPRESSED: 'FAIL#', ERROR: 'ERROR#', PASS: 'PASS#' };

/**
 * The index partitions that hold every finding the filter can keep, narrowest first: one policy
 * (byPolicy), one scope (byScope), one account's statuses (byAccount), the framework's policies,
 * else every onboarded account (the Accounts table, read whole by design: it is small).
 */
async function partitions(q: FindingsFilterQuery, ports: Ports, frameworkSet: Set<string> | undefined): Promise<CompliancePartition[]> {
  const statusPrefix = q.status ? STATUS_PREFIX[q.status] : undefined;
  if (q.policy) return frameworkSet && !frameworkSet.has(q.policy) ? [] : [{ index: 'byPolicy', value: q.policy }];
  if (q.account && q.region && q.resourceType) return [{ index: 'byScope', value: `${q.account}#${q.region}#${q.resourceType}` }];
  if (q.account) return [{ index: 'byAccount', value: q.account, ...(statusPrefix ? { statusPrefix } : {}) }];
  if (frameworkSet) return [...frameworkSet].sort().map((value) => ({ index: 'byPolicy', value }));
  const accounts = (await ports.accounts.list()).map((a) => a.accountId).sort();
  return accounts.map((value) => ({ index: 'byAccount', value, ...(statusPrefix ? { statusPrefix } : {}) }));
}

const toFilter = (q: FindingsFilterQuery, frameworkSet: Set<string> | undefined): FindingsFilter => ({
  ...(q.policy ? { policy: [q.policy] } : {}),
  ...(q.severity ? { severity: q.severity } : {}),
  ...(q.status ? { status: [q.status] } : {}),
  ...(q.account ? { account: [q.account] } : {}),
  ...(q.region ? { region: [q.region] } : {}),
  ...(q.resourceType ? { resourceType: [q.resourceType] } : {}),
  ...(frameworkSet ? { frameworkPolicies: frameworkSet } : {}),
  ...(q.text ? { text: q.text } : {}),
});

/** Up to `limit` matching stored verdicts from the cursor on, and the cursor after them. */
async function readMatching(ports: Ports, q: FindingsFilterQuery, catalog: PolicyCatalog, limit: number, cursor: string | undefined, maxQueries: number): Promise<{ items: ComplianceItem[]; next?: string }> {
  const frameworkSet = q.framework ? frameworkPolicies(q.framework, catalog) : undefined;
  const filter = toFilter(q, frameworkSet);
  const parts = await partitions(q, ports, frameworkSet);
  let { p, k } = decode(cursor);
  const items: ComplianceItem[] = [];
  for (let queries = 0; p < parts.length && queries < maxQueries; queries++) {
    const part = parts[p]!;
    const page = await ports.compliance.page(part, QUERY_PAGE, k);
    for (const [i, item] of page.items.entries()) {
      if (!matchesFinding(toFinding(item), filter)) continue;
      items.push(item);
      if (items.length < limit) continue;
      const partitionDone = i === page.items.length - 1 && !page.next;
      if (!partitionDone) return { items, next: encode({ p, k: pageKey(part.index, item) }) };
      return { items, ...(p + 1 < parts.length ? { next: encode({ p: p + 1 }) } : {}) };
    }
    if (page.next) k = page.next;
    else {
      p++;
      k = undefined;
    }
  }
  return { items, ...(p < parts.length ? { next: encode({ p, ...(k ? { k } : {}) }) } : {}) };
}

/** Stored verdicts as the CLI's findings: last verified from the ledger, texts and frameworks from the catalog. */
async function asFindings(ports: Ports, items: readonly ComplianceItem[], catalog: PolicyCatalog): Promise<Finding[]> {
  const verified = await ports.ledger.lastVerifiedMany([...new Set(items.map((c) => c.scope))]);
  return joinCatalog(
    items.map((c) => toFinding(c, verified.get(c.scope))),
    catalog,
  );
}

export async function findingsPage(ports: Ports, q: FindingsFilterQuery, limit: number, cursor?: string): Promise<FindingsPage> {
  const catalog = await ports.catalog();
  const { items, next } = await readMatching(ports, q, catalog, limit, cursor, MAX_QUERIES);
  return { findings: await asFindings(ports, items, catalog), ...(next ? { next } : {}) };
}

/** The filtered view, whole (at most EXPORT_MAX_ROWS), in an exchange format. */
export async function exportFindings(ports: Ports & Pick<ConsolePorts, 'clock' | 'partition' | 'region' | 'securityAccountId'>, q: FindingsFilterQuery, format: 'csv' | 'asff' | 'ocsf'): Promise<{ body: string; rows: number; truncated: boolean }> {
  const catalog = await ports.catalog();
  const { items, next } = await readMatching(ports, q, catalog, EXPORT_MAX_ROWS, undefined, Number.POSITIVE_INFINITY);
  const findings = await asFindings(ports, items, catalog);
  const body =
    format === 'csv'
      ? toCsv(findings)
      : format === 'ocsf'
        ? toOcsfLines(findings, { partition: ports.partition, now: ports.clock.now() })
        : JSON.stringify(toAsffList(findings, { partition: ports.partition, region: ports.region, securityAccountId: ports.securityAccountId }), null, 2) + '\n';
  return { body, rows: findings.length, truncated: next !== undefined };
}

/** What the filters offer: the onboarded accounts, the active pack's policies, the frameworks Posture models. */
export async function findingsFacets(ports: Ports) {
  const [accounts, catalog] = await Promise.all([ports.accounts.list(), ports.catalog()]);
  return {
    accounts: accounts.map((a) => ({ accountId: a.accountId, name: a.name })).sort((a, b) => a.accountId.localeCompare(b.accountId)),
    policies: catalog.policies.map((p) => ({ policyId: p.policyId, title: p.displayName })).sort((a, b) => a.policyId.localeCompare(b.policyId)),
    frameworks: FRAMEWORKS.map((f) => ({ id: f.id, name: f.name })),
  };
}

/** One finding with its resource, its policy's texts and its history of transitions; undefined when no such verdict is stored. */
export async function findingDetail(ports: Ports & Pick<ConsolePorts, 'resources'>, resourceId: string, policyId: string): Promise<FindingDetail | undefined> {
  const item = await ports.compliance.get(resourceId, policyId);
  if (!item) return undefined;
  const [catalog, stored, verified] = await Promise.all([ports.catalog(), ports.resources.get(resourceId), ports.ledger.lastVerified(item.scope)]);
  const [finding] = joinCatalog([toFinding(item, verified)], catalog);
  // An open alert's key is on the verdict; a closed one's is the pair's own key (a dedup key groups resources: keep this one's).
  const alerts = await ports.compliance.alertHistory(item.alertKey ?? `${policyId}#${resourceId}`);
  const entry = catalogIndex(catalog).get(policyId);
  return {
    finding: { ...finding!, title: finding!.title ?? entry?.displayName ?? null },
    resource: stored && !stored.deleted ? stored.attributes : null,
    history: alerts
      .filter((a) => a.resourceId === resourceId)
      .map((a) => ({ openedAt: a.openedAt.split('#')[0]!, trigger: a.trigger, status: a.status, resolvedAt: a.resolvedAt ?? null, resolvedBy: a.resolvedBy ?? null })),
  };
}
