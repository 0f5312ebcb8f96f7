/**
 * bench:history — what the resource history costs in storage: 1,000 changes (BENCH_CHANGES) over
 * resources of every registry type (the documented examples, docs/resources/examples), written by
 * the real ResourceStore into the ResourceHistory table on the emulator, a third of them real-time
 * changes carrying two CloudTrail actors each (a coalesced pair), the rest found by a scan (with
 * its window); every tenth change also moves a verdict and opens or resolves an alert (the
 * transition record beside it). Sizes are DynamoDB's billed item sizes (attribute names + values),
 * of the table and of its byAccount index (projected attributes + keys + 100 bytes per item).
 * Last line: one JSON object, also written to bench/results/history.json.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClients } from '../src/aws/clients.ts';
import { mapLimit } from '../src/core/errors.ts';
import type { Actor } from '../src/core/provenance.ts';
import type { Resource } from '../src/core/resource.ts';
import type { PolicyResult } from '../src/core/types.ts';
import { ensureTables } from '../src/local/bootstrap.ts';
import { startEmulator } from '../src/local/emulator.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../src/local/emulator-retry.ts';
import { serializeTransactWrites } from '../src/local/serialized-transactions.ts';
import { S3BlobStore } from '../src/store/blob-store.ts';
import { ComplianceStore } from '../src/store/compliance-store.ts';
import { documentClient, scanAll } from '../src/store/dynamo.ts';
import { DEFAULT_HISTORY_DAYS, HistoryStore } from '../src/store/history-store.ts';
import { ResourceStore } from '../src/store/resource-store.ts';
import { TABLES } from '../src/store/tables.ts';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 1000);
const ACCOUNT = '123456789012';
/** DynamoDB Standard storage, USD per GB-month (us-east-1). */
const USD_PER_GB_MONTH = 0.25;
const log = (msg: string) => process.stderr.write(`bench:history ${msg}\n`);

/** DynamoDB's size of a value (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html). */
function valueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (Array.isArray(v)) return 3 + v.reduce<number>((n, x) => n + 1 + valueSize(x), 0);
  if (typeof v === 'object') return 3 + Object.entries(v as Record<string, unknown>).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  return Buffer.byteLength(String(v));
}
const itemSize = (item: Record<string, unknown>) => Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueSize(v), 0);

/** The byAccount index's copy of an item: its keys, the table's keys, the projected attributes, plus 100 bytes. */
function indexSize(item: Record<string, unknown>): number {
  const idx = TABLES.ResourceHistory.indexes[0]!;
  const names = ['resourceId', 'at', idx.partitionKey.name, idx.sortKey!.name, ...(idx.include ?? [])];
  return 100 + names.reduce((n, k) => (k in item ? n + Buffer.byteLength(k) + valueSize(item[k]) : n), 0);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const actor = (i: number, second: number): Actor => ({
  eventID: `bench-${i}-${second}`,
  eventName: 'AuthorizeSecurityGroupIngress',
  eventSource: 'ec2.amazonaws.com',
  eventTime: new Date(Date.UTC(2026, 11, 5, 12, 0, second)).toISOString(),
  awsRegion: 'us-east-1',
  via: 'eventbridge',
  identityType: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/deploy-pipeline-${i % 7}`,
  principalId: `AROAEXAMPLE${i % 7}:deploy-pipeline`,
  accountId: ACCOUNT,
  sessionIssuer: `arn:aws:iam::${ACCOUNT}:role/Admin`,
  invokedBy: null,
  sourceIPAddress: `203.0.113.${i % 250}`,
  userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023',
});

async function main(): Promise<void> {
  const dir = join('docs', 'resources', 'examples');
  const examples = await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as Resource));
  const emulator = await startEmulator();
  try {
    const clients = createClients({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, ...EMULATOR_CLIENT_OPTIONS });
    const tables = await ensureTables(clients, 'bench');
    await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: 'bench-history' }));
    const blobs = new S3BlobStore(clients, 'bench-history');
    const doc = documentClient(clients);
    const tx = serializeTransactWrites(doc);
    const history = new HistoryStore(doc, tables.ResourceHistory, DEFAULT_HISTORY_DAYS, blobs);
    const resources = new ResourceStore(tx, tables.Resources, blobs, history);
    const compliance = new ComplianceStore(tx, { compliance: tables.Compliance, alerts: tables.Alerts }, history);

    // One resource per change (each example type in turn), first seen by a scan, then changed once.
    const base = Array.from({ length: CHANGES }, (_, i) => {
      const ex = examples[i % examples.length]!;
      return { ...ex, ResourceId: `${ex.ResourceId}-bench-${i}` } as Resource;
    });
    const t0 = Date.UTC(2026, 11, 4, 5);
    log(`seeding ${CHANGES} resources of ${examples.length} types`);
    await mapLimit(base, 8, (r) => resources.putIfChanged(r, `${ACCOUNT}#${r.Region}#${r.ResourceType}`, new Date(t0), undefined, new Date(t0), { trigger: 'scheduled' }));
    const seeded = await scanAll<Record<string, unknown>>(doc, { TableName: tables.ResourceHistory });
    const seedIds = new Set(seeded.map((i) => `${String(i.resourceId)}|${String(i.at)}`));

    log(`applying ${CHANGES} changes`);
    const started = performance.now();
    await mapLimit(base, 8, async (r, i) => {
      // A realistic change: a tag and one rule or setting (a new element in the first list attribute, else a new key).
      const changed: Record<string, unknown> = { ...r, Tags: { ...(r.Tags ?? {}), 'change-ticket': `CHG-${100000 + i}` } };
      const list = Object.keys(r).find((k) => Array.isArray(r[k]) && k !== 'Tags');
      if (list) changed[list] = [...(r[list] as unknown[]), { Added: `by change ${i}`, Port: 22, Cidr: '0.0.0.0/0' }];
      const realtime = i % 3 === 0;
      const observedAt = new Date(t0 + 86_400_000 + i * 1000);
      const scope = `${ACCOUNT}#${r.Region}#${r.ResourceType}`;
      const cause = realtime
        ? { trigger: 'realtime:AuthorizeSecurityGroupIngress' as const, provenance: { actors: [actor(i, 1), actor(i, 2)] } }
        : { trigger: 'scheduled' as const, since: new Date(t0).toISOString() };
      await resources.putIfChanged(changed as Resource, scope, observedAt, undefined, observedAt, cause);
      if (i % 10 === 0) {
        const ref = { resourceId: r.ResourceId, resourceType: r.ResourceType, accountId: ACCOUNT, region: r.Region, scope };
        const verdict = (status: PolicyResult['status']): PolicyResult => ({ policyId: 'Bench.Policy', resourceId: r.ResourceId, resourceType: r.ResourceType, status, errorMessage: null, severity: 'High', title: 'A bench policy', dedup: null, suppressed: false });
        await compliance.apply(ref, [verdict('PASS')], 'scheduled', new Date(t0), { observedAt: new Date(t0) });
        await compliance.apply(ref, [verdict('FAIL')], cause.trigger, observedAt, { observedAt, ...('provenance' in cause ? { provenance: cause.provenance } : { since: cause.since }) });
      }
    });
    const seconds = (performance.now() - started) / 1000;

    const items = (await scanAll<Record<string, unknown>>(doc, { TableName: tables.ResourceHistory })).filter((i) => !seedIds.has(`${String(i.resourceId)}|${String(i.at)}`));
    const versions = items.filter((i) => i.kind === 'version');
    const findings = items.filter((i) => i.kind === 'finding');
    const vSizes = versions.map(itemSize).sort((a, b) => a - b);
    const fSizes = findings.map(itemSize);
    const tableBytes = [...vSizes, ...fSizes].reduce((a, b) => a + b, 0);
    const indexBytes = items.map(indexSize).reduce((a, b) => a + b, 0);
    const resourceBytes = (await scanAll<Record<string, unknown>>(doc, { TableName: tables.Resources })).map(itemSize).reduce((a, b) => a + b, 0);
    const per1000 = ((tableBytes + indexBytes) / versions.length) * 1000;
    // Steady state: a day's changes are kept for the retention.
    const gbPerMillionChangesPerDay = (per1000 * 1000 * DEFAULT_HISTORY_DAYS) / 1e9;
    const out = {
      bench: 'history',
      changes: versions.length,
      types: examples.length,
      realtimeChanges: versions.filter((v) => (v.provenance as { actors?: unknown[] } | undefined)?.actors).length,
      transitionRecords: findings.length,
      versionBytes: { mean: Math.round(vSizes.reduce((a, b) => a + b, 0) / vSizes.length), p50: pct(vSizes, 50), p95: pct(vSizes, 95), max: vSizes.at(-1) },
      findingRecordBytesMean: Math.round(fSizes.reduce((a, b) => a + b, 0) / Math.max(1, fSizes.length)),
      tableBytes,
      indexBytes,
      storagePer1000ChangesKB: Math.round(per1000 / 1024),
      resourcesTableBytesPerResource: Math.round(resourceBytes / base.length),
      retentionDays: DEFAULT_HISTORY_DAYS,
      storageGBAtOneMillionChangesPerDay: Number(gbPerMillionChangesPerDay.toFixed(1)),
      usdPerMonthAtOneMillionChangesPerDay: Number((gbPerMillionChangesPerDay * USD_PER_GB_MONTH).toFixed(2)),
      writeSeconds: Number(seconds.toFixed(1)),
    };
    await mkdir(join('bench', 'results'), { recursive: true });
    await writeFile(join('bench', 'results', 'history.json'), JSON.stringify(out, null, 2) + '\n');
    console.log(JSON.stringify(out));
  } finally {
    await emulator.stop();
  }
}

await main();
