/** What a report is made of, read from the stores: findings, the scopes not evaluated now, resource JSON. */
import { mapLimit } from '#core/errors.ts';
import type { ScanDeps } from '#scan/deps.ts';
import type { ResourceStore } from '#store/resource-store.ts';
import { collectFindings, type Finding } from '#compliance/findings.ts';
import type { NotEvaluatedScope } from './report-data.ts';

const GET_CONCURRENCY = 8;

/** The store classes themselves: collectFindings takes them as ScanDeps declares them. */
export type ReportStores = Pick<ScanDeps, 'accounts' | 'compliance' | 'ledger' | 'resources'>;

/** The stored attributes of the resources of failing and errored findings (passing rows show none). */
export async function failingResources(resources: Pick<ResourceStore, 'get'>, findings: readonly Finding[]): Promise<Map<string, unknown>> {
  const ids = [...new Set(findings.filter((f) => f.status !== 'PASS').map((f) => f.resourceId))];
  const got = await mapLimit(ids, GET_CONCURRENCY, (id) => resources.get(id));
  return new Map(got.flatMap((r) => (r && !r.deleted ? [[r.resourceId, r.attributes] as const] : [])));
}

/** Every live stored resource's attributes (the local runtime, where the store is small). */
export async function resourceAttributes(resources: Pick<ResourceStore, 'all'>): Promise<Map<string, unknown>> {
  return new Map((await resources.all()).filter((r) => !r.deleted).map((r) => [r.resourceId, r.attributes]));
}

export const toNotEvaluated = (e: NotEvaluatedScope): NotEvaluatedScope => ({
  accountId: e.accountId,
  region: e.region,
  resourceType: e.resourceType,
  outcome: e.outcome,
  message: e.message ?? null,
});

export interface ReportSources {
  /** The accounts reported on. */
  accounts: string[];
  findings: Finding[];
  notEvaluated: NotEvaluatedScope[];
  resources: Map<string, unknown>;
  accountNames: Map<string, string>;
}

/** The accounts' (default: every onboarded one) findings, current not-evaluated scopes and failing resources. */
export async function loadReportSources(stores: ReportStores, accountIds?: readonly string[]): Promise<ReportSources> {
  const accounts = await stores.accounts.list();
  const ids = accountIds ?? accounts.map((a) => a.accountId);
  const findings = await collectFindings(stores, ids);
  const notEvaluated = (await stores.ledger.currentlyNotEvaluated(ids)).map(toNotEvaluated);
  return {
    accounts: [...ids],
    findings,
    notEvaluated,
    resources: await failingResources(stores.resources, findings),
    accountNames: new Map(accounts.flatMap((a) => (a.name ? [[a.accountId, a.name] as const] : []))),
  };
}
