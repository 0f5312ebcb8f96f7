/**
 * Per-scope usage in the ledger and `posture cost`: a scan on moto records each scope's member
 * API calls, DynamoDB writes and engine time (attributed per scope although scopes share SDK
 * clients), an unchanged rescan records no DynamoDB write, and the estimate prices the newest
 * scheduled scan with the printed prices.
 */
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../../src/aws/clients.ts';
import { LAMBDA_MEMORY_MB } from '../../../src/aws/sizing.ts';
import { costOf, lastScheduledScan, scaleModelOf } from '../../../src/cli/commands/cost.ts';
import { estimateCost, PRICES, renderCost } from '../../../src/cli/cost.ts';
import { emptyUsage, metered } from '../../../src/core/usage.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import type { LedgerEntry } from '../../../src/core/ledger.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { createMember, type Member } from '../../helpers/member.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../../../src/local/emulator-retry.ts';

let rt: LocalRuntime;
let member: Member;

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  rt.deps.registry = FOUNDATION_TYPES;
  member = await createMember(securityAccountId);
  const { DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  member.account.excludeRegions = regions.filter((r) => r !== 'us-east-1');
  await rt.deps.accounts.put(member.account);
  await member.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `cost-${member.account.accountId}` }));
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

describe('usage metering', () => {
  it('attributes calls to the context they were made in, though both share one client', async () => {
    const clients = createClients({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: await accountCredentials(member.account.accountId), meter: 'member', ...EMULATOR_CLIENT_OPTIONS });
    const a = emptyUsage();
    const b = emptyUsage();
    await Promise.all([
      metered(a, async () => {
        for (let i = 0; i < 3; i++) await clients.get(S3Client).send(new ListBucketsCommand({}));
      }),
      metered(b, async () => {
        for (let i = 0; i < 5; i++) await clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({}));
      }),
    ]);
    expect(a.memberApiCalls).toBe(3);
    expect(b.memberApiCalls).toBe(5);
    // Outside any context nothing is counted, and nothing throws.
    await clients.get(S3Client).send(new ListBucketsCommand({}));
    expect(a.memberApiCalls + b.memberApiCalls).toBe(8);
  });
});

describe('posture cost', () => {
  let first: LedgerEntry[];

  it('a scan records each scope\'s usage in its ledger entry', async () => {
    const scanId = await rt.scan({ accountIds: [member.account.accountId] });
    first = await rt.deps.ledger.forScan(scanId);
    const scanned = first.filter((e) => e.outcome === 'OK' && e.resourceCount > 0);
    expect(scanned.length).toBeGreaterThanOrEqual(3);
    for (const e of scanned) {
      expect(e.usage, e.scope).toBeDefined();
      expect(e.usage!.memberApiCalls, e.scope).toBeGreaterThan(0);
      expect(e.usage!.engineCalls, e.scope).toBeGreaterThan(0);
      expect(e.usage!.engineMs, e.scope).toBeGreaterThan(0);
      // First sight: every resource and its compliance are written.
      expect(e.usage!.ddbWriteItems, e.scope).toBeGreaterThanOrEqual(e.resourceCount);
    }
  });

  it('an unchanged rescan records reads but no DynamoDB write, and cost prices that newest scan', async () => {
    const scanId = await rt.scan({ accountIds: [member.account.accountId] });
    const again = await rt.deps.ledger.forScan(scanId);
    expect(again.filter((e) => e.outcome === 'OK').map((e) => [e.scope, e.usage!.ddbWriteItems])).toEqual(again.filter((e) => e.outcome === 'OK').map((e) => [e.scope, 0]));
    expect(again.reduce((n, e) => n + (e.usage?.ddbReads ?? 0), 0)).toBeGreaterThan(0);

    const estimate = await costOf(rt.deps);
    expect(estimate.scanId).toBe(scanId);
    expect(estimate.scopes).toBe(again.length);
    expect(estimate.perDayUsd).toBeCloseTo(estimate.lines.reduce((s, l) => s + l.usd, 0), 12);
    expect(estimate.per30DaysUsd).toBeCloseTo(estimate.perDayUsd * 30, 12);
    const engine = estimate.lines.find((l) => l.item === 'Policy engine compute')!;
    const engineMs = again.reduce((n, e) => n + (e.usage?.engineMs ?? 0), 0);
    expect(engine.quantity).toBeCloseTo((engineMs / 1000) * (LAMBDA_MEMORY_MB.engine / 1024), 9);
    expect(engine.usd).toBeCloseTo(engine.quantity * PRICES.lambdaGbSecond, 12);
    // The ledger entry of each scope is itself one write.
    expect(estimate.lines.find((l) => l.item === 'DynamoDB writes')!.quantity).toBe(again.length);

    const text = renderCost(estimate).join('\n');
    expect(text).toContain(`from scan ${scanId}`);
    expect(text).toMatch(/Prices assumed[^]*Lambda \(arm64\), GB-seconds: \$0\.0000133334 per 1\n/);
    expect(text).toMatch(/DynamoDB on-demand write request units: \$0\.625 per 1,000,000/);
    expect(text).toMatch(/per 30 days/);
  }, 120_000);

  it('prices a given scan by ID, and says so when there is none', async () => {
    const older = estimateCost(first[0]!.scanId, first);
    expect(older.lines.find((l) => l.item === 'DynamoDB writes')!.quantity).toBeGreaterThan(first.length);
    await expect(costOf(rt.deps, 'no-such-scan')).rejects.toThrow('scan no-such-scan: no ledger entries (run a scan first)');
  });

  it('--model fits its per-scope usage from the ledger of a scan', async () => {
    const source = { name: 'the test runtime', accounts: rt.deps.accounts, ledger: rt.deps.ledger };
    const model = await scaleModelOf({ accounts: '10', regions: '2' }, source);
    const newest = await rt.deps.ledger.forScan((await lastScheduledScan(rt.deps.accounts, rt.deps.ledger))!);
    expect(model.profileSource).toBe(`the ledger of scan ${newest[0]!.scanId} in the test runtime (${newest.length} scopes)`);
    const ok = newest.filter((e) => e.outcome === 'OK');
    expect(model.profile.resourcesPerScope).toBeCloseTo(ok.reduce((n, e) => n + e.resourceCount, 0) / ok.length, 9);
    // The first scan wrote every resource: its items per changed resource are what it measured.
    const firstOk = first.filter((e) => e.outcome === 'OK');
    const fromFirst = await scaleModelOf({ accounts: '10', regions: '2', scanId: first[0]!.scanId }, source);
    expect(fromFirst.profile.writeItemsPerChangedResource).toBeCloseTo(
      firstOk.reduce((n, e) => n + e.usage!.ddbWriteItems, 0) / firstOk.reduce((n, e) => n + e.changedCount + e.deletedCount, 0),
      9,
    );
    await expect(scaleModelOf({ scanId: 'no-such-scan' }, source)).rejects.toThrow('--scan-id no-such-scan: no ledger entries in the test runtime');
  });
});
