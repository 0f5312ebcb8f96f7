/**
 * The organization-scale model: its numbers follow from the inputs (accounts, regions, registry,
 * profile), a type added to the registry changes them, the limits flag what exceeds them, and a
 * profile fitted from a ledger recovers the usage the entries carry.
 */
import { describe, expect, it } from 'vitest';
import { LAMBDA_MEMORY_MB, SCOPES_PER_BATCH } from '../../src/aws/sizing.ts';
import type { LedgerEntry } from '../../src/core/ledger.ts';
import { emptyUsage } from '../../src/core/usage.ts';
import { REGISTRY } from '../../src/resources/index.ts';
import { PRICES, stepFunctionsTransitions } from '../../src/scan/cost.ts';
import { modelScale, scopeCalls, type ModelType, type ScaleInput } from '../../src/scan/scale-model.ts';
import { BENCH_SCAN_PROFILE, profileFromLedger, scaleProfileFileSchema, type ScaleProfile } from '../../src/scan/scale-profile.ts';

const profile: ScaleProfile = { ...BENCH_SCAN_PROFILE, resourcesPerScope: 10, secondsPerScope: 0.2, secondsPerResource: 0.05, writeItemsPerChangedResource: 4, changedShare: 0.1 };
const input = (over: Partial<ScaleInput> = {}): ScaleInput => ({
  accounts: 100,
  regions: 5,
  registry: REGISTRY,
  profile,
  profileSource: 'test',
  maxConcurrency: 10,
  describeConcurrency: 8,
  ...over,
});
const regional = REGISTRY.filter((t) => t.scope === 'regional').length;
const global = REGISTRY.length - regional;

describe('modelScale', () => {
  it('counts scopes, resources, batches and writes from the inputs', () => {
    const m = modelScale(input());
    expect(m.types).toEqual({ regional, global });
    expect(m.scopesPerAccount).toBe(regional * 5 + global);
    expect(m.scopes).toBe(100 * (regional * 5 + global));
    expect(m.resources).toBe(m.scopes * 10);
    expect(m.plan.batches).toBe(Math.ceil(m.scopes / SCOPES_PER_BATCH));
    expect(m.stepFunctions.childExecutions).toBe(m.plan.batches);
    expect(m.stepFunctions.transitions).toBe(stepFunctionsTransitions(m.plan.batches));
    expect(m.duration.scopeSeconds).toBeCloseTo(0.2 + 0.05 * 10);
    expect(m.lambda.scanScopeGbSeconds).toBeCloseTo(m.scopes * 0.7 * (LAMBDA_MEMORY_MB.scanScope / 1024));
    expect(m.dynamodb.firstDayWriteItems).toBeCloseTo(m.resources * 4 + m.scopes);
    expect(m.dynamodb.steadyDayWriteItems).toBeCloseTo(m.resources * 0.1 * 4 + m.scopes);
    expect(m.duration.hours).toBeCloseTo((m.scopes * 0.7) / 10 / 3600 + m.lambda.planScanSeconds / 3600);
    const writes = m.cost.steadyDay.find((l) => l.item === 'DynamoDB writes')!;
    expect(writes.usd).toBeCloseTo(m.dynamodb.steadyDayWriteItems * PRICES.dynamoWriteUnit);
    expect(m.cost.steadyDayUsd).toBeCloseTo(m.cost.steadyDay.reduce((s, l) => s + l.usd, 0));
    expect(m.cost.firstDayUsd).toBeGreaterThan(m.cost.steadyDayUsd);
    expect(m.cost.per30DaysUsd).toBeCloseTo(m.cost.steadyDayUsd * 30);
  });

  it('scales with accounts and regions', () => {
    const a = modelScale(input());
    const b = modelScale(input({ accounts: 200 }));
    expect(b.scopes).toBe(2 * a.scopes);
    expect(b.lambda.scanScopeGbSeconds).toBeCloseTo(2 * a.lambda.scanScopeGbSeconds);
    expect(b.memberApiCalls).toBe(2 * a.memberApiCalls);
    const c = modelScale(input({ regions: 6 }));
    expect(c.scopes - a.scopes).toBe(100 * regional);
  });

  it('a type added to the registry adds its scopes, calls and service', () => {
    const thing: ModelType = { type: 'AWS.Test.Thing', service: 'testservice', scope: 'regional', apiCalls: { perPage: 1, perResource: 2, perScope: 1 } };
    const before = modelScale(input());
    const after = modelScale(input({ registry: [...REGISTRY, thing] }));
    expect(after.types.regional).toBe(regional + 1);
    expect(after.scopes - before.scopes).toBe(100 * 5);
    expect(after.memberApiCalls - before.memberApiCalls).toBe(100 * 5 * (1 + 1 + 2 * 10));
    expect(scopeCalls(thing, 10, 5, 100)).toBe(22);
    expect(after.plan.objectBytes).toBeGreaterThan(before.plan.objectBytes);
    expect(after.cost.steadyDayUsd).toBeGreaterThan(before.cost.steadyDayUsd);
    const row = after.apiRates.find((r) => r.service === 'testservice')!;
    expect(row).toMatchObject({ types: 1, callsPerAccountRegion: 22, status: 'unpublished', limit: null });
    expect(before.apiRates.some((r) => r.service === 'testservice')).toBe(false);
  });

  it('a global type runs once per account, its per-region calls once per region', () => {
    const meta: ModelType = { type: 'AWS.Test.Meta', service: 'testmeta', scope: 'global', apiCalls: { perPage: 0, perResource: 0, perScope: 1, perRegion: 1 } };
    const m = modelScale(input({ registry: [meta], profile: { ...profile, resourcesPerScope: 0 } }));
    expect(m.scopes).toBe(100);
    expect(m.memberApiCalls).toBe(100 * (1 + 5 + 2));
    expect(m.lambda.engineInvocations).toBe(0);
  });

  it('flags the limits a size exceeds', () => {
    const small = modelScale(input());
    expect(small.limits.every((l) => l.ok)).toBe(true);
    // 10,000 resources a scope: a batch outlives the time budget and continues; the run outlives 23 h.
    const big = modelScale(input({ accounts: 1000, regions: 17, profile: { ...profile, resourcesPerScope: 10_000 } }));
    expect(big.stepFunctions.invocationsPerBatch).toBeGreaterThan(1);
    expect(big.stepFunctions.transitions).toBe(stepFunctionsTransitions(big.plan.batches, big.plan.batches * (big.stepFunctions.invocationsPerBatch - 1)));
    expect(big.limits.find((l) => l.what === 'scan duration')!.ok).toBe(false);
    expect(big.limits.find((l) => l.what === 'a batch (ItemBatcher input)')!.ok).toBe(true);
  });

  it('compares member API rates with the documented limits', () => {
    const m = modelScale(input());
    const ec2 = m.apiRates.find((r) => r.service === 'ec2')!;
    expect(ec2.limit?.perSecond).toBe(20);
    expect(ec2.ceilingPerSecond).toBeGreaterThanOrEqual(ec2.perSecond);
    expect(['ok', 'burst', 'throttled']).toContain(ec2.status);
    // Slow calls and few describes in flight keep every service within its limit.
    const calm = modelScale(input({ describeConcurrency: 1, profile: { ...profile, callLatencyMs: 1000 } }));
    expect(calm.apiRates.filter((r) => r.limit).every((r) => r.status === 'ok')).toBe(true);
    expect(calm.apiRates.find((r) => r.service === 'iam')!.status).toBe('unpublished');
  });
});

describe('profileFromLedger', () => {
  const entry = (i: number, resources: number, changed: number): LedgerEntry => ({
    scanId: 's',
    scope: `111111111111#us-east-1#T${i}`,
    accountId: '111111111111',
    region: 'us-east-1',
    resourceType: `T${i}`,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + (200 + 10 * resources)).toISOString(),
    resourceCount: resources,
    changedCount: changed,
    deletedCount: 0,
    outcome: 'OK',
    message: null,
    usage: { ...emptyUsage(), ddbReads: 3 + resources, ddbWriteItems: changed * 5, engineMs: resources * 2, s3Requests: 1 },
  });

  it('fits scope time and reads as fixed + per resource, and averages the rest', () => {
    const p = profileFromLedger([entry(1, 0, 0), entry(2, 10, 10), entry(3, 40, 2), { ...entry(4, 5, 5), resourceType: '*' }]);
    expect(p.resourcesPerScope).toBeCloseTo(50 / 3);
    expect(p.secondsPerScope).toBeCloseTo(0.2);
    expect(p.secondsPerResource).toBeCloseTo(0.01);
    expect(p.readsPerScope).toBeCloseTo(3);
    expect(p.readsPerResource).toBeCloseTo(1);
    expect(p.engineMsPerResource).toBeCloseTo(2);
    expect(p.writeItemsPerChangedResource).toBeCloseTo(5);
    expect(p.s3RequestsPerScope).toBeCloseTo(1);
    expect(p.changedShare).toBe(BENCH_SCAN_PROFILE.changedShare);
  });

  it('refuses a scan without completed scopes', () => {
    expect(() => profileFromLedger([{ ...entry(1, 3, 0), outcome: 'ACCESS_DENIED' }])).toThrow(/no completed scope/);
  });

  it('a profile file may set some fields, never unknown or negative ones', () => {
    expect(scaleProfileFileSchema.parse({ resourcesPerScope: 40 })).toEqual({ resourcesPerScope: 40 });
    expect(scaleProfileFileSchema.safeParse({ resourcesPerScope: -1 }).success).toBe(false);
    expect(scaleProfileFileSchema.safeParse({ resourcesPerScop: 4 }).success).toBe(false);
    expect(scaleProfileFileSchema.safeParse({ changedShare: 2 }).success).toBe(false);
  });
});
