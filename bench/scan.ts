/**
 * bench:scan — a full scan of ≥ 5,000 resources (2 accounts × 3 regions) on the embedded emulator,
 * through the real pipeline (store diffing, Python engine, compliance): the documentation estate
 * (an instance of every registry type) in each account, plus volume in the common types and the
 * coverage types (queues, topics, parameters, log groups, repositories).
 * Counts member-account API calls per HTTP attempt and compares them with what the registry
 * declares necessary, rescans unchanged to prove zero writes, and measures the emulator's own
 * rate for a cheap call. Last line: one JSON object (also written to bench/results/scan.json).
 * `npm run bench:scan` caps the V8 heap at 160 MB, as a Lambda function's memory would: a scan that
 * held the inventory instead of streaming pages would run out of heap instead of passing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateUserCommand, IAMClient, UpdateAccountPasswordPolicyCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { seedExampleEstate } from '../src/local/example-estate.ts';
import { parseAccount, DEFAULT_AUDIT_ROLE_NAME } from '../src/accounts/account.ts';
import { auditRoleTrustPolicy } from '../src/onboarding/audit-role.ts';
import { RoleAssumer } from '../src/accounts/credentials.ts';
import { createClients, type AwsClients } from '../src/aws/clients.ts';
import { mapLimit } from '../src/core/errors.ts';
import { SCOPES_PER_BATCH } from '../src/aws/sizing.ts';
import { addUsage, emptyUsage } from '../src/core/usage.ts';
import { estimateCost, renderCost } from '../src/cli/cost.ts';
import { profileFromLedger } from '../src/scan/scale-profile.ts';
import { scopeKey, type Scope } from '../src/core/types.ts';
import { startLocalRuntime } from '../src/local/runtime.ts';
import { adminClients } from '../src/local/seed.ts';
import { getResourceType } from '../src/resources/index.ts';
import { planScan } from '../src/scan/plan.ts';
import { partitionOf } from '../src/core/partitions.ts';
import type { ScanDeps } from '../src/scan/deps.ts';
import { scanBatch } from '../src/scan/scan-scope.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../src/local/emulator-retry.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ACCOUNTS = ['310000000001', '310000000002'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const SGS_PER_REGION = Number(process.env.BENCH_SGS_PER_REGION ?? 300);
const USERS = Number(process.env.BENCH_USERS ?? 60);
const BUCKETS = Number(process.env.BENCH_BUCKETS ?? 40);
/** Per account and region, of each of the volume coverage types (queues, topics, parameters, log groups, repositories). */
const PER_COVERAGE_TYPE = Number(process.env.BENCH_PER_COVERAGE_TYPE ?? 100);
const SEED_CONCURRENCY = 8;
/** Scan batches at once (the deployed Map runs 10). On moto more do not help: its DynamoDB writes run one at a time. */
const MAP_CONCURRENCY = Number(process.env.BENCH_MAP_CONCURRENCY ?? 1);

const log = (msg: string) => process.stderr.write(`bench:scan ${msg}\n`);

async function seedAccount(rtClients: AwsClients, endpoint: string, securityAccountId: string, accountId: string): Promise<void> {
  const admin = await adminClients(rtClients, endpoint, accountId);
  const iam = admin.get(IAMClient);
  await iam.send(new CreateRoleCommand({ RoleName: DEFAULT_AUDIT_ROLE_NAME, AssumeRolePolicyDocument: auditRoleTrustPolicy(securityAccountId, `bench-${accountId}`) }));
  await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, MaxPasswordAge: 90 }));
  await mapLimit(Array.from({ length: USERS }, (_, i) => i), SEED_CONCURRENCY, (i) => iam.send(new CreateUserCommand({ UserName: `bench-user-${i}` })));
  const s3 = admin.get(S3Client);
  await mapLimit(Array.from({ length: BUCKETS }, (_, i) => i), SEED_CONCURRENCY, (i) => s3.send(new CreateBucketCommand({ Bucket: `bench-${accountId}-${i}` })));
  // One instance of every registry type (the documentation estate), in us-east-1 and eu-west-1.
  await seedExampleEstate(admin, accountId, REGIONS[0]);
  for (const region of REGIONS) {
    const regional = await adminClients(rtClients, endpoint, accountId, region);
    const n = Array.from({ length: PER_COVERAGE_TYPE }, (_, i) => i);
    await mapLimit(n, SEED_CONCURRENCY, (i) => regional.get(SQSClient).send(new CreateQueueCommand({ QueueName: `bench-queue-${i}`, Attributes: i % 4 === 0 ? {} : { SqsManagedSseEnabled: 'true' } })));
    await mapLimit(n, SEED_CONCURRENCY, (i) => regional.get(SNSClient).send(new CreateTopicCommand({ Name: `bench-topic-${i}`, Attributes: i % 4 === 0 ? {} : { KmsMasterKeyId: 'alias/aws/sns' } })));
    // Parameters are modeled as metadata only; the value is never read.
    await mapLimit(n, SEED_CONCURRENCY, (i) => regional.get(SSMClient).send(new PutParameterCommand({ Name: `/bench/param-${i}`, Value: `value-${i}`, Type: i % 2 ? 'SecureString' : 'String' })));
    await mapLimit(n, SEED_CONCURRENCY, (i) => regional.get(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: `/bench/group-${i}` })));
    await mapLimit(n, SEED_CONCURRENCY, (i) => regional.get(ECRClient).send(new CreateRepositoryCommand({ repositoryName: `bench-repo-${i}`, imageScanningConfiguration: { scanOnPush: i % 3 !== 0 } })));
    const ec2 = regional.get(EC2Client);
    await mapLimit(Array.from({ length: SGS_PER_REGION }, (_, i) => i), SEED_CONCURRENCY, async (i) => {
      const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `bench-${i}`, Description: 'bench' }));
      if (i % 10 === 0) {
        await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
      }
    });
  }
}

async function emulatorRate(endpoint: string, seconds: number): Promise<number> {
  const sts = createClients({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, ...EMULATOR_CLIENT_OPTIONS }).get(STSClient);
  const until = Date.now() + seconds * 1000;
  let calls = 0;
  // Same parallelism as the scan's describe fan-out.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        await sts.send(new GetCallerIdentityCommand({}));
        calls++;
      }
    }),
  );
  return calls / seconds;
}

const rt = await startLocalRuntime();
// Loading the registry's 25 SDK clients through tsx is most of the process's memory before any
// scanning: reported so the peak can be read as module load + what the scan itself holds.
const startRssMb = process.memoryUsage().rss / 1048576;
try {
  log(`seeding ${ACCOUNTS.length} accounts × ${REGIONS.length} regions on ${rt.endpoint}`);
  const seedStart = Date.now();
  for (const a of ACCOUNTS) await seedAccount(rt.clients, rt.endpoint, rt.securityAccountId, a);
  log(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

  const allRegions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  for (const a of ACCOUNTS) {
    await rt.deps.accounts.put(
      parseAccount({ accountId: a, name: `bench-${a}`, externalId: `bench-${a}`, excludeRegions: allRegions.filter((r) => partitionOf(r) === 'aws' && !REGIONS.includes(r)) }),
    );
  }

  let apiCalls = 0;
  let writes = 0;
  let rescanning = false;
  const compliance = rt.deps.compliance;
  const deps: ScanDeps = {
    ...rt.deps,
    access: new RoleAssumer({ base: rt.clients, partition: 'aws', defaultRoleName: DEFAULT_AUDIT_ROLE_NAME, endpoint: rt.endpoint, clientOptions: { onCall: () => apiCalls++ } }),
    compliance: Object.assign(Object.create(compliance) as typeof compliance, {
      apply: async (...args: Parameters<typeof compliance.apply>) => {
        const out = await compliance.apply(...args);
        writes += out.changed;
        // What changed on the rescan of an unchanged estate is a finding of the bench: name it.
        if (rescanning && out.changed) log(`unchanged rescan changed ${out.changed} result(s) of ${args[0].resourceId}: ${args[1].map((r) => `${r.policyId}=${r.status}`).join(', ').slice(0, 400)}`);
        return out;
      },
    }),
  };

  const pages = new Map<string, number>();
  const runScan = async (scanId: string) => {
    const plan = await planScan(deps, scanId, ACCOUNTS);
    // As the Distributed Map runs them: batches of scopes, several at once.
    const batches = Array.from({ length: Math.ceil(plan.scopes.length / SCOPES_PER_BATCH) }, (_, i) => plan.scopes.slice(i * SCOPES_PER_BATCH, (i + 1) * SCOPES_PER_BATCH));
    await mapLimit(batches, MAP_CONCURRENCY, (scopes) =>
      scanBatch(deps, { scanId, scopes }, { deadline: Number.POSITIVE_INFINITY, onPage: (s: Scope) => pages.set(scopeKey(s), (pages.get(scopeKey(s)) ?? 0) + 1) }),
    );
    return rt.deps.ledger.forScan(scanId);
  };

  const started = Date.now();
  const ledger = await runScan('bench-full');
  const seconds = (Date.now() - started) / 1000;
  const scopes = ledger.filter((e) => e.resourceType !== '*');
  const failed = scopes.filter((e) => e.outcome !== 'OK');
  if (failed.length) throw new Error(`scopes not evaluated: ${failed.map((e) => `${e.scope} ${e.outcome} ${e.message}`).join('; ')}`);
  const resources = scopes.reduce((n, e) => n + e.resourceCount, 0);
  // What the registry declares necessary: DescribeRegions per account to plan, then per scope
  // its fixed calls, one list call per page and the describe calls per resource.
  const minApiCalls =
    ACCOUNTS.length +
    scopes.reduce((n, e) => {
      const cost = getResourceType(e.resourceType).apiCalls;
      return n + cost.perScope + (cost.perRegion ?? 0) * REGIONS.length + cost.perPage * (pages.get(e.scope) ?? 1) + cost.perResource * e.resourceCount;
    }, 0);
  const scanCalls = apiCalls;
  log(`full scan: ${resources} resources in ${seconds.toFixed(1)} s, ${scanCalls} API calls (min ${minApiCalls})`);
  // Everything the scan asked of the emulator (member calls, our DynamoDB and S3 requests, one
  // ledger write per scope) and the time spent in the Python engine, from the ledger's usage.
  const usage = ledger.reduce((u, e) => addUsage(u, e.usage), emptyUsage());
  const emulatorRequests = usage.memberApiCalls + usage.ddbWrites + usage.ddbReads + usage.s3Requests + ledger.length;
  const estimate = estimateCost('bench-full', ledger);
  log(`emulator requests: ${emulatorRequests} (member ${usage.memberApiCalls}, DynamoDB ${usage.ddbWrites} writes / ${usage.ddbReads} reads, S3 ${usage.s3Requests}); engine ${(usage.engineMs / 1000).toFixed(1)} s`);
  for (const line of renderCost(estimate)) log(line);

  apiCalls = 0;
  writes = 0;
  rescanning = true;
  const again = await runScan('bench-unchanged');
  for (const e of again) if (e.changedCount || e.deletedCount || e.usage?.ddbWriteItems) log(`unchanged rescan wrote in ${e.scope}: ${e.changedCount} changed, ${e.deletedCount} deleted, ${e.usage?.ddbWriteItems ?? 0} items`);
  // Compliance transitions, changed or deleted resources, and any DynamoDB item written (ledger entries aside).
  const unchangedWrites = writes + again.reduce((n, e) => n + e.changedCount + e.deletedCount + (e.usage?.ddbWriteItems ?? 0), 0);
  log(`unchanged rescan: ${unchangedWrites} writes`);

  const emulatorCallsPerS = await emulatorRate(rt.endpoint, 3);
  const result = {
    resources,
    seconds: Number(seconds.toFixed(2)),
    resources_per_s: Number((resources / seconds).toFixed(1)),
    api_calls: scanCalls,
    min_api_calls: minApiCalls,
    call_ratio: Number((scanCalls / minApiCalls).toFixed(3)),
    unchanged_rescan_writes: unchangedWrites,
    emulator_calls_per_s: Number(emulatorCallsPerS.toFixed(1)),
    scan_calls_per_s: Number((scanCalls / seconds).toFixed(1)),
    emulator_requests: emulatorRequests,
    emulator_requests_per_s: Number((emulatorRequests / seconds).toFixed(1)),
    emulator_utilisation: Number((emulatorRequests / seconds / emulatorCallsPerS).toFixed(3)),
    engine_seconds: Number((usage.engineMs / 1000).toFixed(1)),
    cost_per_day_usd: Number(estimate.perDayUsd.toFixed(4)),
    peak_rss_mb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    rss_after_start_mb: Number(startRssMb.toFixed(1)),
    // Per-scope usage of the full scan, as posture cost --model reads a ledger (docs/scale.md).
    scale_profile: profileFromLedger(ledger),
  };
  await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
  await writeFile(join(import.meta.dirname, 'results', 'scan.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result));
} finally {
  await rt.close();
}
