/**
 * The Overview of an estate that has not been scanned yet (an account just onboarded) on moto's
 * DynamoDB: no pass rate, a trend of gaps, the account with no last scan, every framework control
 * not evaluated or not automatable — never a zero pass rate or a passing control made up.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAccount } from '../../../src/accounts/account.ts';
import { BUILTIN_PACK, readCatalog } from '../../../src/cli/policy-catalog.ts';
import { overviewSchema } from '../../../src/console/contract/overview.ts';
import { computeOverview } from '../../../src/console/overview.ts';
import type { ConsolePorts } from '../../../src/console/ports.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { AccountStore } from '../../../src/store/account-store.ts';
import { ComplianceStore } from '../../../src/store/compliance-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { LedgerStore } from '../../../src/store/ledger-store.ts';
import { SummaryStore } from '../../../src/store/summary-store.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';

let ports: ConsolePorts;
const accountId = '333333333333';

beforeAll(async () => {
  const clients = await accountClients(randomAccountId());
  const tables = await ensureTables(clients, 'ovw');
  const doc = documentClient(clients);
  const accounts = new AccountStore(doc, tables.Accounts);
  await accounts.put(parseAccount({ accountId, name: 'fresh', externalId: 'posture-test-ext-1' }));
  const catalog = readCatalog(BUILTIN_PACK);
  // Only the ports the overview reads.
  ports = {
    accounts,
    compliance: new ComplianceStore(doc, { compliance: tables.Compliance, alerts: tables.Alerts }),
    ledger: new LedgerStore(doc, tables.ScanLedger),
    summaries: new SummaryStore(doc, tables.DailySummary),
    catalog: async () => catalog,
    clock: { now: () => new Date('2026-03-10T08:00:00Z') },
  } as Partial<ConsolePorts> as ConsolePorts;
});

describe('computeOverview before any scan', () => {
  it('reports nothing evaluated and makes nothing up', async () => {
    const o = overviewSchema.parse(await computeOverview(ports));
    expect(o.passRate).toBeNull();
    expect(o.passRateChangePts).toBeNull();
    expect(o.results).toEqual({ pass: 0, fail: 0, error: 0, suppressed: 0 });
    expect(o.failingBySeverity.map((s) => s.severity)).toEqual(['Critical', 'High', 'Medium', 'Low', 'Info']);
    expect(o.failingBySeverity.every((s) => s.count === 0)).toBe(true);
    expect(o.accounts).toEqual([{ accountId, name: 'fresh', failing: 0, summaryDay: null, lastScan: null }]);
    expect(o.countsAsOf).toBeNull();
    expect(o.topFailingPolicies).toEqual([]);
    expect(o.trend).toHaveLength(30);
    expect(o.trend.at(-1)).toEqual({ day: '2026-03-10', passRate: null, passing: null, failing: null });
    expect(o.trend.every((p) => p.passRate === null)).toBe(true);
    const cis = o.frameworks.find((f) => f.id === 'cis-3.0')!;
    expect(cis.passing + cis.failing).toBe(0);
    expect(cis.notEvaluated + cis.notAutomatable).toBe(cis.controls);
    expect(o.generatedAt).toBe('2026-03-10T08:00:00.000Z');
  });
});
