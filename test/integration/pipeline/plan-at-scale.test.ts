/**
 * PlanScan at organization scale (docs/scale.md): 1,000 accounts × 17 regions with the full
 * registry, planned by the real planning code (each account's regions asked of moto) and written to a moto S3 bucket as the Distributed Map reads it; then the plan object,
 * the ItemBatcher's batches and the states' payloads are checked against Step Functions' limits,
 * and against what `posture cost --model` predicts for the same size. Planning only: no scope is
 * scanned. The accounts and ledger are the in-memory DynamoDB of the one-shot store (1,000 account
 * rows on moto would only slow the test; the stores are the same code either way).
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAccount } from '../../../src/accounts/account.ts';
import { createClients } from '../../../src/aws/clients.ts';
import { DEFAULT_SCAN_MAX_CONCURRENCY, SCOPES_PER_BATCH } from '../../../src/aws/sizing.ts';
import { partitionOf } from '../../../src/core/partitions.ts';
import type { Scope } from '../../../src/core/types.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../../../src/local/emulator-retry.ts';
import { memoryStoreClients } from '../../../src/local/memory-dynamodb/clients.ts';
import { REGISTRY } from '../../../src/resources/index.ts';
import { STEP_FUNCTIONS_LIMITS } from '../../../src/scan/aws-limits.ts';
import { planScanOutputSchema, scanBatchInputSchema, type PlanScanOutput } from '../../../src/scan/batch-contract.ts';
import { silentLog } from '../../../src/scan/deps.ts';
import { planToBucket, type PlanDeps } from '../../../src/scan/plan.ts';
import { modelScale } from '../../../src/scan/scale-model.ts';
import { BENCH_SCAN_PROFILE } from '../../../src/scan/scale-profile.ts';
import { DESCRIBE_CONCURRENCY } from '../../../src/scan/scan-scope.ts';
import { AccountStore } from '../../../src/store/account-store.ts';
import { S3BlobStore } from '../../../src/store/blob-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { LedgerStore } from '../../../src/store/ledger-store.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

const ACCOUNTS = 1000;
const REGIONS = 17;
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

let out: PlanScanOutput;
let scopes: Scope[];
let objectBytes: number;
let ledger: LedgerStore;
let planSeconds: number;

beforeAll(async () => {
  const security = createClients({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: await accountCredentials(randomAccountId()), ...EMULATOR_CLIENT_OPTIONS });
  const bucket = `plan-at-scale-${Date.now()}`;
  await security.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));

  // 17 of the regions moto reports enabled; every account excludes the others.
  const all = (await security.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
  const enabled = all.filter((r) => partitionOf(r.RegionName!) === 'aws' && r.OptInStatus !== 'not-opted-in').map((r) => r.RegionName!).sort();
  expect(enabled.length).toBeGreaterThanOrEqual(REGIONS);
  const kept = enabled.slice(0, REGIONS);
  const excludeRegions = all.map((r) => r.RegionName!).filter((r) => partitionOf(r) === 'aws' && !kept.includes(r));

  const memory = memoryStoreClients();
  const tables = await ensureTables(memory);
  const doc = documentClient(memory);
  const accounts = new AccountStore(doc, tables.Accounts);
  ledger = new LedgerStore(doc, tables.ScanLedger);
  for (let i = 0; i < ACCOUNTS; i++) {
    const accountId = String(400_000_000_000 + i);
    await accounts.put(parseAccount({ accountId, name: `scale-${i}`, externalId: `scale-${i}`, excludeRegions }));
  }

  const deps: PlanDeps = {
    accounts,
    // Every account's DescribeRegions is answered by one emulated account: moto builds each new
    // account's EC2 state on its first call (~0.8 s each, measured), so 1,000 assumed roles would
    // take the test ~15 minutes. What is under test is the planning, not role assumption
    // (test/integration/pipeline/audit-role-name.test.ts covers that).
    access: { clients: () => security },
    ledger,
    blobs: new S3BlobStore(security, bucket),
    clock: { now: () => new Date() },
    partition: 'aws',
    homeRegion: 'us-east-1',
    log: silentLog,
    registry: REGISTRY,
  };
  const started = Date.now();
  out = await planToBucket(deps, 'scale-plan');
  planSeconds = (Date.now() - started) / 1000;
  const object = await security.get(S3Client).send(new GetObjectCommand({ Bucket: out.bucket, Key: out.key }));
  const body = await object.Body!.transformToString();
  objectBytes = Buffer.byteLength(body, 'utf8');
  scopes = JSON.parse(body) as Scope[];
}, 120_000);

describe('PlanScan for 1,000 accounts × 17 regions with the full registry', () => {
  it('plans every account × region × type, as the model counts them', async () => {
    const regional = REGISTRY.filter((t) => t.scope === 'regional').length;
    const global = REGISTRY.length - regional;
    expect(scopes).toHaveLength(ACCOUNTS * (regional * REGIONS + global));
    expect(out.scopeCount).toBe(scopes.length);
    expect(new Set(scopes.map((s) => s.accountId)).size).toBe(ACCOUNTS);
    // No account was left unplanned or had a region recorded as not evaluated.
    expect(await ledger.forScan('scale-plan')).toEqual([]);
    const model = modelScale({ accounts: ACCOUNTS, regions: REGIONS, registry: REGISTRY, profile: BENCH_SCAN_PROFILE, profileSource: 'test', maxConcurrency: DEFAULT_SCAN_MAX_CONCURRENCY, describeConcurrency: DESCRIBE_CONCURRENCY });
    expect(model.scopes).toBe(scopes.length);
    expect(model.plan.batches).toBe(Math.ceil(scopes.length / SCOPES_PER_BATCH));
    // The model's sizes are upper bounds of the real ones.
    expect(model.plan.objectBytes).toBeGreaterThanOrEqual(objectBytes);
    console.log(`plan-at-scale: ${scopes.length} scopes planned in ${planSeconds.toFixed(1)} s; plan object ${(objectBytes / 1048576).toFixed(1)} MiB (model: ${(model.plan.objectBytes / 1048576).toFixed(1)} MiB)`);
  });

  it("PlanScan's output is small and valid, the plan object within the ItemReader's limit", () => {
    expect(planScanOutputSchema.parse(out)).toEqual(out);
    expect(bytes(out)).toBeLessThan(STEP_FUNCTIONS_LIMITS.payloadBytes);
    expect(objectBytes).toBeLessThan(STEP_FUNCTIONS_LIMITS.itemReaderObjectBytes);
  });

  it('every ItemBatcher batch and every ScanScope state stays within 256 KiB', () => {
    const batches = Math.ceil(scopes.length / SCOPES_PER_BATCH);
    let largestBatch = 0;
    let largestState = 0;
    for (let i = 0; i < batches; i++) {
      const items = scopes.slice(i * SCOPES_PER_BATCH, (i + 1) * SCOPES_PER_BATCH);
      // What the Map hands a child execution, then what StartBatch makes of it for ScanScope.
      largestBatch = Math.max(largestBatch, bytes({ Items: items, BatchInput: { scanId: out.scanId } }));
      const state = scanBatchInputSchema.parse({ scanId: out.scanId, scopes: items, cursor: { index: 0 } });
      largestState = Math.max(largestState, bytes(state));
    }
    expect(largestBatch).toBeLessThan(STEP_FUNCTIONS_LIMITS.batchInputBytes);
    expect(largestState).toBeLessThan(STEP_FUNCTIONS_LIMITS.payloadBytes);
    const model = modelScale({ accounts: ACCOUNTS, regions: REGIONS, registry: REGISTRY, profile: BENCH_SCAN_PROFILE, profileSource: 'test', maxConcurrency: DEFAULT_SCAN_MAX_CONCURRENCY, describeConcurrency: DESCRIBE_CONCURRENCY });
    expect(model.plan.maxBatchBytes).toBeGreaterThanOrEqual(largestBatch);
    expect(DEFAULT_SCAN_MAX_CONCURRENCY).toBeLessThanOrEqual(STEP_FUNCTIONS_LIMITS.maxConcurrency);
  });

  it("keeps one account-region's scopes adjacent, so a batch shares credentials", () => {
    const key = (s: Scope) => `${s.accountId}#${s.region}`;
    const seen = new Set<string>();
    for (let i = 0; i < scopes.length; i++) {
      if (i > 0 && key(scopes[i]!) === key(scopes[i - 1]!)) continue;
      expect(seen.has(key(scopes[i]!)), key(scopes[i]!)).toBe(false);
      seen.add(key(scopes[i]!));
    }
    expect(seen.size).toBe(ACCOUNTS * (REGIONS + 1));
  });
});
