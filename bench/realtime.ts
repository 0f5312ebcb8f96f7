/**
 * bench:realtime — ≥ 5,000 CloudTrail events over 500 distinct resources (security groups and
 * S3 buckets in 2 accounts) through the local real-time path (rt.pollRealtime(): SQS realtime
 * queue → parse → map → coalesce → idempotent rescan → ingest → Python engine → compliance) on
 * the runtime's own emulator.
 *
 * Arrival: each resource gets a burst of 10 events (as one change set, e.g. a Terraform apply,
 * records create/authorize/tag calls within a second), sent as one SendMessageBatch; bursts of
 * different resources arrive at a steady rate (BENCH_RATE events/s). Several pollRealtime()
 * loops drain the queue concurrently, as concurrent Lambda batches would.
 *
 * Latency per event: from just before its SendMessageBatch call to the moment the compliance
 * status of its resource has been written (ComplianceStore.apply returned) by a rescan whose
 * describe started after the event was sent (so the status reflects the change the event reports).
 * Then the log-file path (bench/realtime-logfiles.ts): BENCH_LOG_FILES CloudTrail log files of
 * BENCH_LOG_RECORDS records each through the log-file source, timed per file (`logFile`).
 * Last line: one JSON object, also written to bench/results/realtime.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeRegionsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseAccount } from '../src/accounts/account.ts';
import { auditRoleTrustPolicy } from '../src/onboarding/audit-role.ts';
import { mapLimit } from '../src/core/errors.ts';
import { startLocalRuntime } from '../src/local/runtime.ts';
import { adminClients } from '../src/local/seed.ts';
import { EC2_SECURITY_GROUP } from '../src/resources/ec2-security-group.ts';
import { S3_BUCKET } from '../src/resources/s3-bucket.ts';
import type { AnyResourceType } from '../src/resources/index.ts';
import type { ResourceType } from '../src/resources/types.ts';
import { partitionOf } from '../src/core/partitions.ts';
import { benchLogFiles } from './realtime-logfiles.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ACCOUNTS = ['320000000001', '320000000002'];
const REGION = 'us-east-1';
const SGS_PER_ACCOUNT = Number(process.env.BENCH_SGS ?? 200);
const BUCKETS_PER_ACCOUNT = Number(process.env.BENCH_BUCKETS ?? 50);
const EVENTS_PER_RESOURCE = 10;
/** Arrival rate, events per second (bursts of EVENTS_PER_RESOURCE). */
const RATE = Number(process.env.BENCH_RATE ?? 20);
/** pollRealtime() loops in flight. */
const POLLERS = Number(process.env.BENCH_POLLERS ?? 1);
const SEED_CONCURRENCY = 8;
/** The log-file phase: files, and records per file (~10% writes). */
const LOG_FILES = Number(process.env.BENCH_LOG_FILES ?? 50);
const LOG_RECORDS = Number(process.env.BENCH_LOG_RECORDS ?? 1000);

const SG_EVENTS = [
  'CreateSecurityGroup', 'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'CreateTags', 'RevokeSecurityGroupEgress',
  'AuthorizeSecurityGroupIngress', 'UpdateSecurityGroupRuleDescriptionsIngress', 'ModifySecurityGroupRules', 'RevokeSecurityGroupIngress', 'AuthorizeSecurityGroupIngress',
];
const S3_EVENTS = [
  'CreateBucket', 'PutBucketEncryption', 'PutBucketVersioning', 'PutBucketPublicAccessBlock', 'PutBucketTagging',
  'PutBucketPolicy', 'PutBucketLogging', 'PutBucketAcl', 'PutBucketLifecycle', 'PutBucketOwnershipControls',
];

const log = (msg: string) => process.stderr.write(`bench:realtime ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  accountId: string;
  resourceId: string;
  kind: 'sg' | 'bucket';
  /** groupId or bucket name */
  name: string;
  /** A security group open to the world on SSH: the bench closes it before its burst (FAIL → PASS). */
  open?: boolean;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function cloudTrail(t: Target, eventName: string, eventTime: Date): string {
  const sg = t.kind === 'sg';
  const eventSource = sg ? 'ec2.amazonaws.com' : 's3.amazonaws.com';
  const requestParameters = sg
    ? eventName === 'CreateTags'
      ? { resourcesSet: { items: [{ resourceId: t.name }] }, tagSet: { items: [{ key: 'bench', value: 'yes' }] } }
      : eventName === 'ModifySecurityGroupRules'
        ? { ModifySecurityGroupRulesRequest: { GroupId: t.name } }
        : { groupId: t.name }
    : { bucketName: t.name, Host: `${t.name}.s3.amazonaws.com` };
  return JSON.stringify({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: sg ? 'aws.ec2' : 'aws.s3',
    account: t.accountId,
    time: eventTime.toISOString(),
    region: REGION,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', accountId: t.accountId, arn: `arn:aws:sts::${t.accountId}:assumed-role/deployer/bench` },
      eventTime: eventTime.toISOString(),
      eventSource,
      eventName,
      awsRegion: REGION,
      sourceIPAddress: '203.0.113.10',
      userAgent: 'bench',
      requestParameters,
      responseElements: null,
      requestID: crypto.randomUUID(),
      eventID: crypto.randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: t.accountId,
      eventCategory: 'Management',
    },
  });
}

const rt = await startLocalRuntime();
try {
  // ---- seed ---------------------------------------------------------------------------------
  log(`seeding ${ACCOUNTS.length} accounts × (${SGS_PER_ACCOUNT} security groups + ${BUCKETS_PER_ACCOUNT} buckets) on ${rt.endpoint}`);
  const allRegions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  const targets: Target[] = [];
  for (const accountId of ACCOUNTS) {
    const admin = await adminClients(rt.clients, rt.endpoint, accountId);
    await admin.get(IAMClient).send(new CreateRoleCommand({ RoleName: 'PostureAuditRole', AssumeRolePolicyDocument: auditRoleTrustPolicy(rt.securityAccountId, `bench-${accountId}`) }));
    await rt.deps.accounts.put(
      parseAccount({ accountId, name: `bench-${accountId}`, externalId: `bench-${accountId}`, excludeRegions: allRegions.filter((r) => partitionOf(r) === 'aws' && r !== REGION) }),
    );
    const ec2 = admin.get(EC2Client);
    await mapLimit(Array.from({ length: SGS_PER_ACCOUNT }, (_, i) => i), SEED_CONCURRENCY, async (i) => {
      const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `bench-rt-${i}`, Description: 'bench' }));
      // Every tenth group is open to the world on SSH: its rescan fails a policy.
      if (i % 10 === 0) await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
      targets.push({ accountId, kind: 'sg', name: GroupId!, resourceId: `arn:aws:ec2:${REGION}:${accountId}:security-group/${GroupId}`, open: i % 10 === 0 });
    });
    const s3 = admin.get(S3Client);
    await mapLimit(Array.from({ length: BUCKETS_PER_ACCOUNT }, (_, i) => i), SEED_CONCURRENCY, async (i) => {
      const name = `bench-rt-${accountId}-${i}`;
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      targets.push({ accountId, kind: 'bucket', name, resourceId: `arn:aws:s3:::${name}` });
    });
  }

  // ---- observe ------------------------------------------------------------------------------
  /** Time spent per stage, summed over rescans (ms). */
  const spent = { describe: 0, evaluate: 0, apply: 0, once: 0 };
  const evaluator = rt.deps.evaluator;
  rt.deps.evaluator = {
    evaluate: async (resources) => {
      const t0 = performance.now();
      try {
        return await evaluator.evaluate(resources);
      } finally {
        spent.evaluate += performance.now() - t0;
      }
    },
  };
  const once = rt.deps.once;
  rt.deps.once = async (target, fn) => {
    const t0 = performance.now();
    try {
      return await once(target, fn);
    } finally {
      spent.once += performance.now() - t0;
    }
  };
  /** When the newest describe of each resource started. */
  const describeStarted = new Map<string, number>();
  const timed = <R>(type: ResourceType<R>): AnyResourceType =>
    ({
      ...type,
      describe: async (ctx, ref) => {
        const id = type.resourceId(ctx, ref);
        const t0 = performance.now();
        if (id) describeStarted.set(id, t0);
        try {
          return await type.describe(ctx, ref);
        } finally {
          spent.describe += performance.now() - t0;
        }
      },
    }) as ResourceType<R> as AnyResourceType;
  // The two types under test. With the whole registry a security-group event also rescans the
  // region's VPCs (they embed their groups) — a different, region-wide rescan per batch.
  rt.deps.registry = [timed(EC2_SECURITY_GROUP as ResourceType<{ groupId: string }>), timed(S3_BUCKET as ResourceType<{ name: string }>)];

  /** Send times of the events not yet reflected in compliance, per resource. */
  const pending = new Map<string, number[]>();
  const latencies: number[] = [];
  let statusWrites = 0;
  const compliance = rt.deps.compliance;
  const apply = compliance.apply.bind(compliance);
  compliance.apply = async (resource, ...rest) => {
    const t0 = performance.now();
    const out = await apply(resource, ...rest);
    const done = performance.now();
    spent.apply += done - t0;
    statusWrites++;
    const started = describeStarted.get(resource.resourceId) ?? -Infinity;
    const waiting = pending.get(resource.resourceId) ?? [];
    const covered = waiting.filter((sent) => sent <= started);
    for (const sent of covered) latencies.push(done - sent);
    pending.set(resource.resourceId, waiting.filter((sent) => sent > started));
    return out;
  };

  // ---- baseline -----------------------------------------------------------------------------
  // The steady state: the resources are known (a scheduled scan ran) before changes arrive.
  const baselineStart = performance.now();
  await rt.scan({ accountIds: ACCOUNTS });
  log(`baseline scan in ${((performance.now() - baselineStart) / 1000).toFixed(1)} s`);
  for (const k of Object.keys(spent) as (keyof typeof spent)[]) spent[k] = 0;

  // ---- run ----------------------------------------------------------------------------------
  const admins = new Map(ACCOUNTS.map((a) => [a, adminClients(rt.clients, rt.endpoint, a)]));
  const order = [...targets].sort(() => Math.random() - 0.5);
  const events = order.length * EVENTS_PER_RESOURCE;
  log(`${events} events over ${order.length} resources at ${RATE} events/s, ${POLLERS} pollers`);
  const sqs = rt.clients.get(SQSClient);
  let sent = 0;
  let sending = true;
  const stats = { received: 0, rescanned: 0, coalesced: 0, deadLettered: 0, failed: 0, dropped: 0 };

  const pollers = Array.from({ length: POLLERS }, async () => {
    for (;;) {
      const out = await rt.pollRealtime();
      for (const k of ['received', 'rescanned', 'coalesced', 'deadLettered', 'failed'] as const) stats[k] += out.stats[k];
      stats.dropped += Object.values(out.stats.dropped).reduce((a, b) => a + b, 0);
      if (out.stats.received === 0) {
        if (!sending && stats.received >= events) return;
        await sleep(10);
      }
    }
  });

  const progress = setInterval(() => log(`… sent ${sent}, ${JSON.stringify(stats)}, ${latencies.length} reflected`), 2000);
  const started = performance.now();
  const burstEvery = (1000 * EVENTS_PER_RESOURCE) / RATE;
  await mapLimit(
    order.map((t, i) => ({ t, i })),
    64,
    async ({ t, i }) => {
      const due = started + i * burstEvery;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const names = t.kind === 'sg' ? SG_EVENTS : S3_EVENTS;
      if (t.open) {
        const ec2 = (await admins.get(t.accountId)!).get(EC2Client);
        await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: t.name, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
      }
      const at = Date.now();
      const sentAt = performance.now();
      const list = pending.get(t.resourceId) ?? [];
      pending.set(t.resourceId, list);
      for (let k = 0; k < EVENTS_PER_RESOURCE; k++) list.push(sentAt);
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: rt.infra.queues.realtime,
          Entries: names.map((name, k) => ({ Id: String(k), MessageBody: cloudTrail(t, name, new Date(at + k)) })),
        }),
      );
      sent += EVENTS_PER_RESOURCE;
    },
  );
  sending = false;
  log(`sent ${sent} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const deadline = Date.now() + 120_000;
  await Promise.race([Promise.all(pollers), (async () => { while (Date.now() < deadline) await sleep(500); throw new Error('pollers did not drain the queue within 120 s'); })()]);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(progress);

  const unreflected = [...pending.values()].reduce((n, l) => n + l.length, 0);
  if (unreflected > 0) throw new Error(`${unreflected} events never saw their resource's compliance written`);
  if (stats.failed || stats.deadLettered || stats.dropped) throw new Error(`unexpected outcomes: ${JSON.stringify(stats)}`);
  latencies.sort((a, b) => a - b);
  log(`drained in ${seconds.toFixed(1)} s: ${JSON.stringify(stats)}, ${statusWrites} compliance applies, stage ms ${JSON.stringify(Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v)])))}, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`);

  const logFile = await benchLogFiles(rt, targets, { files: LOG_FILES, recordsPerFile: LOG_RECORDS, region: REGION, log });

  const result = {
    events: sent,
    distinct_resources: new Set(targets.map((t) => t.resourceId)).size,
    rescans: stats.rescanned,
    p50_ms: Math.round(percentile(latencies, 50)),
    p95_ms: Math.round(percentile(latencies, 95)),
    logFile,
  };
  await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
  await writeFile(
    join(import.meta.dirname, 'results', 'realtime.json'),
    JSON.stringify({ ...result, rate_events_per_s: RATE, pollers: POLLERS, seconds: Number(seconds.toFixed(2)), coalesced: stats.coalesced, p99_ms: Math.round(percentile(latencies, 99)) }, null, 2) + '\n',
  );
  console.log(JSON.stringify(result));
} finally {
  await rt.close();
}
