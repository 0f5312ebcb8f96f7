/**
 * The daily compliance summary and its trend as pure code: counts by category (suppressed and
 * error apart from failing), not-evaluated scopes per policy of their type (never passing, a
 * disabled region not a gap), week-over-week changes, gaps left as gaps, a day summarised twice.
 */
import { describe, expect, it } from 'vitest';
import { dayOf, policiesOf, summarize, summaryRowSchema, type NotEvaluatedScope, type SummaryRow } from '../../src/compliance/daily-summary.ts';
import { addDays, readTrend, trend, windowDays } from '../../src/compliance/trend.ts';
import { sparkline, trendLine, trendRows, weekChangeText } from '../../src/cli/trend-text.ts';
import type { ComplianceItem } from '../../src/compliance/model.ts';
import { summarizeScanInputSchema } from '../../src/scan/daily-summary.ts';
import { planScanInputSchema } from '../../src/scan/batch-contract.ts';

const A = '111111111111';
const B = '222222222222';
const DAY = '2026-06-15';

const item = (over: Partial<ComplianceItem> & Pick<ComplianceItem, 'resourceId' | 'policyId'>): ComplianceItem => {
  const accountId = over.accountId ?? A;
  const region = over.region ?? 'us-east-1';
  const resourceType = over.resourceType ?? 'AWS.S3.Bucket';
  return {
    scope: `${accountId}#${region}#${resourceType}`,
    accountId,
    region,
    resourceType,
    status: 'PASS',
    errorMessage: null,
    severity: 'High',
    suppressed: false,
    title: null,
    trigger: 'scheduled',
    lastChanged: '2026-06-14T10:00:00.000Z',
    statusKey: 'PASS#x',
    version: 1,
    ...over,
  };
};

const gap = (accountId: string, region: string, resourceType: string, outcome: NotEvaluatedScope['outcome'] = 'ACCESS_DENIED'): NotEvaluatedScope => ({ accountId, region, resourceType, outcome });

const row = (day: string, accountId: string, passing: number, failing: number, over: Partial<SummaryRow> = {}): SummaryRow => ({
  day,
  accountId,
  policyId: 'P1',
  severity: 'High',
  passing,
  failing,
  suppressed: 0,
  error: 0,
  notEvaluated: 0,
  ...over,
});

describe('summarize', () => {
  it('counts passing, failing, suppressed and error apart, per account, policy and severity', () => {
    const rows = summarize({
      day: DAY,
      compliance: [
        item({ resourceId: 'b1', policyId: 'S3.Enc' }),
        item({ resourceId: 'b2', policyId: 'S3.Enc', status: 'FAIL' }),
        item({ resourceId: 'b3', policyId: 'S3.Enc', status: 'FAIL', suppressed: true, suppressedBy: 'exc-1' }),
        item({ resourceId: 'b4', policyId: 'S3.Enc', status: 'ERROR', errorMessage: 'KeyError: x' }),
        // A dynamic severity() on FAIL: its own row.
        item({ resourceId: 'b5', policyId: 'S3.Enc', status: 'FAIL', severity: 'Critical' }),
        item({ resourceId: 'b6', policyId: 'S3.Enc', accountId: B }),
      ],
      notEvaluated: [],
    });
    expect(rows).toEqual([
      { day: DAY, accountId: A, policyId: 'S3.Enc', severity: 'High', passing: 1, failing: 1, suppressed: 1, error: 1, notEvaluated: 0 },
      { day: DAY, accountId: A, policyId: 'S3.Enc', severity: 'Critical', passing: 0, failing: 1, suppressed: 0, error: 0, notEvaluated: 0 },
      { day: DAY, accountId: B, policyId: 'S3.Enc', severity: 'High', passing: 1, failing: 0, suppressed: 0, error: 0, notEvaluated: 0 },
    ]);
    for (const r of rows) expect(summaryRowSchema.parse(r)).toEqual(r);
  });

  it("counts a scope that could not be read as not evaluated for each policy of its type, never as passing", () => {
    const compliance = [
      item({ resourceId: 'b1', policyId: 'S3.Enc' }),
      item({ resourceId: 'b1', policyId: 'S3.Public', severity: 'Critical' }),
      // Old verdicts of a scope whose newest scan was denied: not trusted.
      item({ resourceId: 'b9', policyId: 'S3.Enc', region: 'eu-west-1' }),
      item({ resourceId: 'b9', policyId: 'S3.Public', region: 'eu-west-1', status: 'FAIL', severity: 'Critical' }),
      item({ resourceId: 'k1', policyId: 'KMS.Rotation', resourceType: 'AWS.KMS.Key', status: 'FAIL', severity: 'Medium' }),
    ];
    const rows = summarize({
      day: DAY,
      compliance,
      notEvaluated: [gap(A, 'eu-west-1', 'AWS.S3.Bucket'), gap(A, 'ap-south-1', 'AWS.S3.Bucket', 'THROTTLED'), gap(A, 'us-east-1', 'AWS.KMS.Key', 'ERROR')],
    });
    const byPolicy = Object.fromEntries(rows.map((r) => [r.policyId, r]));
    expect(byPolicy['S3.Enc']).toMatchObject({ passing: 1, failing: 0, notEvaluated: 2 });
    expect(byPolicy['S3.Public']).toMatchObject({ severity: 'Critical', passing: 1, failing: 0, notEvaluated: 2 });
    // The KMS key's FAIL is in an ERROR scope: not evaluated, not failing (and not an engine error).
    expect(byPolicy['KMS.Rotation']).toMatchObject({ severity: 'Medium', passing: 0, failing: 0, error: 0, notEvaluated: 1 });
  });

  it('an unreachable account is one scope not evaluated for every policy; a region not opted into is no gap', () => {
    const compliance = [item({ resourceId: 'b1', policyId: 'S3.Enc' }), item({ resourceId: 'k1', policyId: 'KMS.Rotation', resourceType: 'AWS.KMS.Key', accountId: B })];
    const rows = summarize({ day: DAY, compliance, notEvaluated: [gap(B, '*', '*'), gap(A, 'me-central-1', '*', 'REGION_DISABLED')] });
    expect(rows).toEqual([
      { day: DAY, accountId: A, policyId: 'S3.Enc', severity: 'High', passing: 1, failing: 0, suppressed: 0, error: 0, notEvaluated: 0 },
      { day: DAY, accountId: B, policyId: 'KMS.Rotation', severity: 'High', passing: 0, failing: 0, suppressed: 0, error: 0, notEvaluated: 1 },
      { day: DAY, accountId: B, policyId: 'S3.Enc', severity: 'High', passing: 0, failing: 0, suppressed: 0, error: 0, notEvaluated: 1 },
    ]);
  });

  it("matches verdicts to gaps by their scan scope (an S3 bucket lives in a region but is scanned in the account's global scope)", () => {
    const bucket = item({ resourceId: 'b1', policyId: 'S3.Enc', region: 'eu-west-1', scope: `${A}#global#AWS.S3.Bucket` });
    expect(summarize({ day: DAY, compliance: [bucket], notEvaluated: [gap(A, 'global', 'AWS.S3.Bucket', 'ERROR')] })).toEqual([
      { day: DAY, accountId: A, policyId: 'S3.Enc', severity: 'High', passing: 0, failing: 0, suppressed: 0, error: 0, notEvaluated: 1 },
    ]);
    expect(summarize({ day: DAY, compliance: [bucket], notEvaluated: [gap(A, 'eu-west-1', 'AWS.S3.Bucket', 'ERROR')] })[0]).toMatchObject({ passing: 1, notEvaluated: 1 });
  });

  it('takes a policy catalogue when given (a policy without any verdict yet), and the severity of PASS verdicts otherwise', () => {
    expect(policiesOf([item({ resourceId: 'a', policyId: 'P', status: 'FAIL', severity: 'Critical' }), item({ resourceId: 'b', policyId: 'P', severity: 'Low' })])).toEqual([
      { policyId: 'P', severity: 'Low', resourceTypes: ['AWS.S3.Bucket'] },
    ]);
    const rows = summarize({ day: DAY, compliance: [], notEvaluated: [gap(A, 'us-east-1', 'AWS.IAM.Role')], policies: [{ policyId: 'IAM.Any', severity: 'Info', resourceTypes: null }, { policyId: 'S3.Enc', severity: 'High', resourceTypes: ['AWS.S3.Bucket'] }] });
    expect(rows).toEqual([{ day: DAY, accountId: A, policyId: 'IAM.Any', severity: 'Info', passing: 0, failing: 0, suppressed: 0, error: 0, notEvaluated: 1 }]);
  });

  it('days are UTC', () => {
    expect(dayOf('2026-06-15T23:59:59.999-01:00')).toBe('2026-06-16');
    expect(summaryRowSchema.safeParse(row('15/06/2026', A, 1, 0)).success).toBe(false);
  });
});

describe('trend', () => {
  it('gives the pass rate and counts per day, overall and per account, and the change since the same day a week earlier', () => {
    const rows = [
      row('2026-06-08', A, 6, 4),
      row('2026-06-08', B, 0, 0, { notEvaluated: 3 }),
      row('2026-06-15', A, 8, 2, { suppressed: 5, notEvaluated: 1 }),
      row('2026-06-15', B, 1, 1, { error: 2 }),
    ];
    const t = trend(rows, '2026-06-15', 14);
    expect(t).toMatchObject({ from: '2026-06-02', to: '2026-06-15', days: 14 });
    expect(t.overall.points).toHaveLength(14);
    const today = t.overall.latest!;
    expect(today.day).toBe('2026-06-15');
    expect(today.counts).toEqual({ passing: 9, failing: 3, suppressed: 5, error: 2, notEvaluated: 1 });
    // 9 of 14 evaluated (suppressed and not evaluated left out); a week ago 6 of 10.
    expect(today.passRate).toBeCloseTo(9 / 14);
    expect(today.weekAgo).toEqual({ day: '2026-06-08', counts: { passing: 6, failing: 4, suppressed: 0, error: 0, notEvaluated: 3 }, passRate: 0.6 });
    expect(today.passRateChangePts).toBeCloseTo((9 / 14 - 0.6) * 100);
    const [a, b] = t.accounts;
    expect(a!.accountId).toBe(A);
    expect(a!.latest!.passRateChangePts).toBeCloseTo(20);
    // B had nothing evaluated a week ago: no change to show, never an invented one.
    expect(b!.latest!.weekAgo!.passRate).toBeNull();
    expect(b!.latest!.passRateChangePts).toBeNull();
  });

  it('leaves days without a summary as gaps and gives no change without a summary from a week ago', () => {
    const t = trend([row('2026-06-10', A, 1, 1), row('2026-06-12', A, 3, 1)], new Date('2026-06-15T08:00:00Z'), 7);
    expect(t.overall.points.map((p) => p.day)).toEqual(windowDays('2026-06-15', 7));
    expect(t.overall.points.map((p) => p.counts && p.passRate)).toEqual([null, 0.5, null, 0.75, null, null, null]);
    // The newest summary is three days old; nothing from the week before it.
    expect(t.overall.latest).toMatchObject({ day: '2026-06-12', passRate: 0.75, weekAgo: null, passRateChangePts: null });
    expect(trendLine(t.overall.latest)).toBe('pass rate 75.0% (no summary from 7 days ago yet) on 2026-06-12');
    expect(sparkline(t.overall.points)).toBe('·▅·▇···');
    expect(trend([], '2026-06-15').overall).toMatchObject({ latest: null });
    expect(trendLine(null)).toBe('no daily summary yet');
  });

  it('a day summarised twice keeps the latest rows', () => {
    const t = trend([row(DAY, A, 1, 9), row(DAY, A, 9, 1), row(addDays(DAY, -7), A, 5, 5)], DAY, 8);
    expect(t.overall.latest).toMatchObject({ counts: { passing: 9, failing: 1 }, passRate: 0.9 });
    expect(t.overall.latest!.passRateChangePts).toBeCloseTo(40);
    expect(weekChangeText(t.overall.latest!)).toBe('+40.0 pts vs 7 days ago');
  });

  it('ignores rows after today and renders a falling rate with a minus sign', () => {
    const t = trend([row('2026-06-08', A, 9, 1), row(DAY, A, 8, 2), row('2026-06-16', A, 0, 10)], DAY, 8);
    expect(t.overall.latest!.day).toBe(DAY);
    expect(weekChangeText(t.overall.latest!)).toBe('−10.0 pts vs 7 days ago');
    expect(trendRows(t, new Map([[A, 'payments']]))).toEqual([
      { label: 'all accounts', sparkline: '█······▇', passRate: '80.0%', change: '−10.0 pts vs 7 days ago', failing: 2, notEvaluated: 0 },
      { label: 'payments', sparkline: '█······▇', passRate: '80.0%', change: '−10.0 pts vs 7 days ago', failing: 2, notEvaluated: 0 },
    ]);
  });

  it('readTrend reads days + 7 of the accounts given (or every onboarded one) up to today', async () => {
    const asked: [readonly string[], string, string][] = [];
    const deps = {
      summaries: { range: async (ids: readonly string[], from: string, to: string) => (asked.push([ids, from, to]), [row('2026-06-08', A, 1, 1), row(DAY, A, 1, 0)]) },
      accounts: { list: async () => [{ accountId: A }, { accountId: B }] },
      clock: { now: () => new Date('2026-06-15T03:00:00Z') },
    };
    const t = await readTrend(deps);
    expect(asked).toEqual([[[A, B], '2026-05-10', DAY]]);
    expect(t.overall.latest!.passRateChangePts).toBeCloseTo(50);
    await readTrend(deps, { days: 3, accounts: [B] });
    expect(asked[1]).toEqual([[B], '2026-06-06', DAY]);
    // A framework's policies only.
    const none = await readTrend(deps, { policies: ['P2'] });
    expect(none.overall.latest).toBeNull();
    expect((await readTrend(deps, { policies: new Set(['P1']) })).overall.latest!.passRate).toBe(1);
    await expect(readTrend(deps, { days: 0 })).rejects.toThrow('trend: days must be a positive whole number, got 0');
  });
});

describe('SummarizeScan input (the state machine passes scanId, $$.Execution.StartTime and $$.Execution.Input)', () => {
  it("takes the schedule's {} and a baseline scan's accountIds, as PlanScan took them", () => {
    const startedAt = '2026-06-15T05:00:00.123Z';
    for (const input of [{}, { accountIds: ['111122223333'] }]) {
      expect(planScanInputSchema.safeParse(input).success).toBe(true);
      expect(summarizeScanInputSchema.parse({ scanId: 's-1', startedAt, input })).toEqual({ scanId: 's-1', startedAt, input });
    }
    expect(dayOf(startedAt)).toBe(DAY);
    const bad = summarizeScanInputSchema.safeParse({ scanId: 's-1', startedAt: 'yesterday', input: {} });
    expect(bad.success ? '' : `${bad.error.issues[0]!.path.join('.')}: ${bad.error.issues[0]!.message}`).toBe('startedAt: must be an ISO time');
  });
});
