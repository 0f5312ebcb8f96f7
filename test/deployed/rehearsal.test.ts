/**
 * What `cdk deploy` ships, rehearsed on moto (test/deployed/README.md): the synthesized template
 * deployed through CloudFormation, each cdk.out bundle run as Lambda runs it (its declared
 * environment, its own role's credentials), the state machine run by moto's ASL interpreter, and
 * every call each function made checked against the policies its role was granted.
 */
import { overviewSchema } from '../../src/console/contract/overview.ts';
import { impactPreviewSchema, liveTestResultsSchema, policyDetailSchema, publishResultSchema, type ImpactPreview, type PolicyDraft } from '../../src/console/contract/detections.ts';
import { ACTIVE_BUNDLE_KEY } from '../../src/publish/active-bundle.ts';
import { randomUUID } from 'node:crypto';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { addDestination } from '../../src/alerts/destination-admin.ts';
import { DestinationStore } from '../../src/store/destination-store.ts';
import { documentClient } from '../../src/store/dynamo.ts';
import { selfSignedCertificate } from './rehearsal/certificate.ts';
import { MEMBER_TARGET_ID, memberEventRules } from '../../src/onboarding/member-template.ts';
import { CANARY_EVENT_PREFIX, CANARY_SOURCE } from '../../src/events/envelope.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectFindings, type Finding } from '../../src/compliance/findings.ts';
import { resolveTarget, type Target } from '../../src/cli/target.ts';
import { createClients, type AwsClients } from '../../src/aws/clients.ts';
import { startLocalRuntime } from '../../src/local/runtime.ts';
import { scopeKey, type Scope } from '../../src/core/types.ts';
import { tableEnvVar } from '../../src/store/tables.ts';
import { dayOf, type SummaryRow } from '../../src/compliance/daily-summary.ts';
import { createMember, type Member } from '../helpers/member.ts';
import { accountCredentials } from '../helpers/moto.ts';
import { REHEARSAL_AUDIT_ROLE, SECURITY_ACCOUNT_ID } from './rehearsal/context.ts';
import { deployStack, physicalOf, STAND_INS, type DeployedStack } from './rehearsal/deploy.ts';
import { pollQueue, StreamPoller } from './rehearsal/sources.ts';
import { rehearsalNode } from './rehearsal/node-binary.ts';
import { Fleet } from './rehearsal/fleet.ts';
import { failureOf, runScan, type Execution } from './rehearsal/scan.ts';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { iamRequests, isAllowed, rolePolicies } from './rehearsal/iam.ts';
import { callConsoleApi, groupClaims } from './rehearsal/console-api.ts';
import { createdSchema, scanProgressSchema, setupSchema, verifySchema } from '../../src/console/contract/accounts.ts';
import { EXTRA_POLICY_NAME, extraActionsPolicy } from '../../src/onboarding/member-template.ts';
import { MEMBER_TEMPLATE_KEY } from '../../src/onboarding/onboarding.ts';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { parse as parseYaml } from 'yaml';
import { LOG_GROUPS, seedEstate } from './rehearsal/estate.ts';

const { assemblyDir, stackName, routerPort, queueHostPort } = inject('rehearsal');
const endpoint = inject('motoEndpoint');
const ONLY_REGION = 'us-east-1';

let clients: AwsClients;
let deployed: DeployedStack;
let fleet: Fleet;
let target: Target;
const members: Member[] = [];
/** The security group the real-time scenario opened to the world after the scans. */
let realtimeResourceId = '';

beforeAll(async () => {
  // The CLI's `--stack` target, as an operator's shell would have it against this "account".
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: ONLY_REGION });
  delete process.env.AWS_SESSION_TOKEN;
  clients = createClients({ region: ONLY_REGION, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  deployed = await deployStack(clients, { assemblyDir, stackName, accountId: SECURITY_ACCOUNT_ID });
  fleet = await Fleet.start({ clients, endpoint, deployed, assemblyDir, routerPort, queueHostPort, nodeBinary: rehearsalNode() });
  target = await resolveTarget({ stack: stackName });
}, 240_000);

afterAll(async () => {
  await fleet?.stop();
});

const scopesOf = async (execution: Execution): Promise<Scope[]> => {
  const plan = execution.history.find((e) => e.type === 'LambdaFunctionSucceeded');
  const out = JSON.parse(plan!.lambdaFunctionSucceededEventDetails!.output!) as { bucket: string; key: string };
  const body = await clients.get(S3Client).send(new GetObjectCommand({ Bucket: out.bucket, Key: out.key }));
  return JSON.parse(await body.Body!.transformToString()) as Scope[];
};
const scanIdOf = (execution: Execution): string => {
  const plan = execution.history.find((e) => e.type === 'LambdaFunctionSucceeded');
  return (JSON.parse(plan!.lambdaFunctionSucceededEventDetails!.output!) as { scanId: string }).scanId;
};
const findingKey = (f: Finding) => `${f.resourceId} ${f.policyId} ${f.status}`;
/** The summary day of an execution: the day it started (SummarizeScan's input). */
const dayOfExecution = (execution: Execution): string => dayOf(execution.description.startDate!);
/** Findings counted as the daily summary counts them, per account, policy and severity. */
const countedFindings = (findings: readonly Finding[]): string[] => {
  const counts = new Map<string, Record<'PASS' | 'FAIL' | 'SUPPRESSED' | 'ERROR', number>>();
  for (const f of findings) {
    const key = `${f.accountId} ${f.policyId} ${f.severity}`;
    const c = counts.get(key) ?? { PASS: 0, FAIL: 0, SUPPRESSED: 0, ERROR: 0 };
    c[f.status === 'FAIL' && f.suppressed ? 'SUPPRESSED' : f.status]++;
    counts.set(key, c);
  }
  return [...counts].map(([k, c]) => `${k} ${c.PASS}/${c.FAIL}/${c.SUPPRESSED}/${c.ERROR}/0`).sort();
};
const countedRows = (rows: readonly SummaryRow[]): string[] =>
  rows.map((r) => `${r.accountId} ${r.policyId} ${r.severity} ${r.passing}/${r.failing}/${r.suppressed}/${r.error}/${r.notEvaluated}`).sort();

describe('deploy', () => {
  it('creates the stack through CloudFormation, standing in only for the documented resource types', () => {
    const types = new Set(Object.values(deployed.template.Resources).map((r) => r.Type));
    const created = new Set(deployed.resources.map((r) => r.ResourceType));
    // A type may also be absent because each of its resources referred to a stand-in (the console API's invoke permission).
    const strippedOnly = (t: string) => Object.entries(deployed.template.Resources).every(([id, r]) => r.Type !== t || deployed.stripped.has(id));
    const missing = [...types].filter((t) => !created.has(t) && !STAND_INS[t] && !strippedOnly(t));
    expect(missing).toEqual([]);
    // Every function of the template runs: the seven Node bundles and the Python engine (the CDK's
    // BucketDeployment handler goes with its stand-in)...
    expect(fleet.environments.size).toBe(8);
    // ... each on the major version of the runtime the template declares.
    for (const env of fleet.environments.values()) {
      const declared = /^(nodejs|python)(\d+)(?:\.(\d+))?/.exec(env.config.Runtime!)!;
      if (declared[1] === 'nodejs') expect(env.runtimeVersion, env.name).toMatch(new RegExp(`^v${declared[2]}\\.`));
      else expect(env.runtimeVersion, `${env.name}: the engine runs on this machine's Python (the stack declares ${env.config.Runtime})`).toMatch(/^3\.\d+/);
    }
  });
});

/** The first daily scan's execution (its history drives the state machine role's IAM check). */
let first: Execution;

describe('daily scan of two member accounts', () => {
  let localFindings: Finding[];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      // The members' audit role has the deployment's non-default name (-c auditRoleName).
      const member = await createMember(SECURITY_ACCOUNT_ID, {}, REHEARSAL_AUDIT_ROLE);
      // One region keeps the rehearsal short: every other region is excluded at onboarding.
      const regions = await member.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
      member.account.excludeRegions = regions.Regions!.map((r) => r.RegionName!).filter((n) => n !== ONLY_REGION);
      await seedEstate(member, i);
      await target.accounts.put(member.account);
      members.push(member);
    }
  }, 120_000);

  it('plans, scans and evaluates every scope: each planned scope has an OK ledger entry', async () => {
    first = await runScan(clients, deployed);
    expect(first.status, failureOf(first)).toBe('SUCCEEDED');
    const planned = await scopesOf(first);
    expect(planned.length).toBeGreaterThan(20);
    const ledger = await target.ledger.forScan(scanIdOf(first));
    const byScope = new Map(ledger.map((e) => [e.scope, e]));
    const notOk = planned.map(scopeKey).filter((k) => byScope.get(k)?.outcome !== 'OK').map((k) => `${k}: ${byScope.get(k)?.outcome ?? 'no entry'} ${byScope.get(k)?.message ?? ''}`);
    expect(notOk).toEqual([]);
  });

  it('finds what the local runtime finds on the same estate', async () => {
    const local = await startLocalRuntime({ endpoint, credentials: await accountCredentials('210987654321'), auditRoleName: REHEARSAL_AUDIT_ROLE });
    try {
      for (const m of members) await local.deps.accounts.put(m.account);
      await local.scan({ accountIds: members.map((m) => m.account.accountId) });
      localFindings = await collectFindings(local.deps, members.map((m) => m.account.accountId));
    } finally {
      await local.close();
    }
    const deployedFindings = await collectFindings(target, members.map((m) => m.account.accountId));
    expect(deployedFindings.length).toBeGreaterThan(20);
    expect(deployedFindings.some((f) => f.status === 'FAIL')).toBe(true);
    expect(deployedFindings.map(findingKey).sort()).toEqual(localFindings.map(findingKey).sort());
  });

  it("ends with SummarizeScan: the day's compliance summary of both accounts, as the findings count", async () => {
    const summarize = fleet.functionName('ScanSummarizeScanFunction');
    const scheduled = first.history.filter((e) => e.type === 'LambdaFunctionScheduled').map((e) => e.lambdaFunctionScheduledEventDetails!.resource!);
    expect(scheduled.at(-1)).toContain(`:function:${summarize}`);
    const out = first.output!.summary as { day: string; accounts: number; rows: number };
    expect(out).toMatchObject({ day: dayOfExecution(first), accounts: 2 });
    const ids = members.map((m) => m.account.accountId);
    const rows = await target.summaries.range(ids, out.day, out.day);
    expect(rows.length).toBe(out.rows);
    // The local runtime's scan above rewrote the same day from the same state: still what the findings count.
    expect(countedRows(rows)).toEqual(countedFindings(await collectFindings(target, ids)));
  });
});

describe('an immediate second scan', () => {
  it('writes only ledger entries', async () => {
    const scanScope = fleet.functionName('ScanScanScopeFunction');
    const from = fleet.calls.length;
    const second = await runScan(clients, deployed);
    expect(second.status, failureOf(second)).toBe('SUCCEEDED');
    const ledgerTable = target.tables.ScanLedger;
    const writes = fleet.calls
      .slice(from)
      .filter((c) => c.functionName === scanScope && c.service === 'dynamodb' && /\.(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/.test(c.headers['x-amz-target'] ?? ''));
    const tables = new Set(writes.flatMap((c) => iamRequests(c, SECURITY_ACCOUNT_ID, ONLY_REGION)).map((r) => r.resource.split('/')[1]));
    expect(writes.length).toBeGreaterThan(20);
    expect([...tables]).toEqual([ledgerTable]);
    // ... and no object beyond the scan's own bookkeeping.
    const puts = fleet.calls.slice(from).filter((c) => c.functionName === scanScope && c.service === 's3' && c.method === 'PUT');
    expect(puts).toEqual([]);
    const ledger = await target.ledger.forScan(scanIdOf(second));
    expect(ledger.every((e) => e.outcome === 'OK' && e.changedCount === 0 && e.deletedCount === 0)).toBe(true);
  });
});

describe('a 1 ms time budget', () => {
  it('loops through the Choice state on page-token continuations and finds the same', async () => {
    const scanScope = fleet.functionName('ScanScanScopeFunction');
    const before = (await collectFindings(target, members.map((m) => m.account.accountId))).map(findingKey).sort();
    const previous = await fleet.reconfigure(scanScope, { SCAN_TIME_BUDGET_MS: '1' });
    const from = fleet.invocations.length;
    let execution: Execution;
    try {
      execution = await runScan(clients, deployed);
    } finally {
      await fleet.restore(scanScope, previous);
    }
    expect(execution.status, failureOf(execution)).toBe('SUCCEEDED');
    // Continuations: ScanScope handed back a cursor with a page token, and MorePages looped.
    // (The map's child executions have histories of their own: the invocations are read here.)
    const runs = fleet.invocations.slice(from).filter((i) => i.functionName === scanScope);
    const continued = runs.map((i) => i.result as { done?: boolean; cursor?: { pageToken?: string; index: number } }).filter((o) => o?.done === false);
    expect(continued.length).toBeGreaterThan(0);
    expect(continued.every((o) => o.cursor?.pageToken)).toBe(true);
    // ... and each continuation came back as the next ScanScope input, unchanged (MorePages → ScanScope).
    const inputs = runs.map((i) => JSON.stringify((i.event as { cursor: unknown }).cursor));
    for (const o of continued) expect(inputs).toContain(JSON.stringify(o.cursor));
    const logGroupScope = `${members[0]!.account.accountId}#${ONLY_REGION}#AWS.CloudWatch.LogGroup`;
    const ledger = await target.ledger.forScan(scanIdOf(execution));
    const entry = ledger.find((e) => e.scope === logGroupScope)!;
    expect(entry.outcome).toBe('OK');
    expect(entry.resourceCount).toBeGreaterThanOrEqual(LOG_GROUPS);
    // The cursor's usage survives the state payload: both listing pages are counted.
    expect(entry.usage!.memberApiCalls).toBeGreaterThanOrEqual(2);
    expect(ledger.every((e) => e.outcome === 'OK')).toBe(true);
    const after = (await collectFindings(target, members.map((m) => m.account.accountId))).map(findingKey).sort();
    expect(after).toEqual(before);
  });
});

describe('a failing ScanScope', () => {
  it('leaves ERROR ledger entries through RecordBatchFailure and ends the execution FAILED', async () => {
    const scanScope = fleet.functionName('ScanScanScopeFunction');
    const recordFailure = fleet.functionName('ScanRecordBatchFailureFunction');
    const member = members[1]!.account.accountId;
    // A deployment gone wrong: ScanScope reads an Accounts table that does not exist.
    const previous = await fleet.reconfigure(scanScope, { [tableEnvVar('Accounts')]: 'no-such-table' });
    const from = fleet.invocations.length;
    let execution: Execution;
    try {
      execution = await runScan(clients, deployed, { accountIds: [member] });
    } finally {
      await fleet.restore(scanScope, previous);
    }
    expect(execution.status).toBe('FAILED');
    expect(execution.description.error).toBe('Posture.ScanIncomplete');
    const planned = (await scopesOf(execution)).map(scopeKey);
    expect(execution.description.cause).toContain(`${planned.length} of ${planned.length} batches failed`);
    // Each batch was retried (States.TaskFailed: 3 retries) before the Catch recorded it.
    const runs = fleet.invocations.slice(from);
    expect(runs.filter((i) => i.functionName === scanScope && i.outcome === 'error').length).toBe(planned.length * 4);
    expect(runs.filter((i) => i.functionName === recordFailure && i.outcome === 'ok').length).toBe(planned.length);
    const ledger = await target.ledger.forScan(scanIdOf(execution));
    expect(ledger.map((e) => e.scope).sort()).toEqual([...planned].sort());
    for (const entry of ledger) {
      expect(entry.outcome).toBe('ERROR');
      expect(entry.message).toContain('ResourceNotFoundException');
    }
    // The summary is written all the same, for the account this execution scanned: every scope
    // could not be read, so nothing counts as passing or failing — all of it is not evaluated.
    const day = dayOfExecution(execution);
    expect(execution.history.some((e) => e.type === 'LambdaFunctionSucceeded' && e.lambdaFunctionSucceededEventDetails!.output!.includes('"rows"'))).toBe(true);
    const rows = await target.summaries.range([member], day, day);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.passing + r.failing + r.suppressed + r.error > 0 || r.notEvaluated === 0)).toEqual([]);
    // ... and the other account's summary of the day is left as the last scan of it wrote it.
    expect((await target.summaries.range([members[0]!.account.accountId], day, day)).some((r) => r.passing > 0)).toBe(true);
  });
});

describe('the real-time path', () => {
  let realtimeQueue: string;
  let dlq: string;
  /** The rescanner's calls to a member account's EC2 API since `from`. */
  const memberEc2Calls = (from: number) => fleet.calls.slice(from).filter((c) => c.functionName === fleet.functionName('RealtimeRescanFunction') && c.service === 'ec2');
  const drain = async () => {
    const outcomes = [];
    for (let i = 0; i < 20; i++) {
      const o = await pollQueue(clients, fleet, deployed, realtimeQueue);
      if (o.delivered.length === 0) break;
      outcomes.push(o);
    }
    return outcomes;
  };

  beforeAll(async () => {
    realtimeQueue = physicalOf(deployed, 'AWS::SQS::Queue', 'RealtimeRealtimeQueue');
    dlq = physicalOf(deployed, 'AWS::SQS::Queue', 'RealtimeRealtimeDlq');
    // The member account's side of onboarding: its rules forward to the central bus.
    for (const member of members) {
      const events = member.clients.get(EventBridgeClient);
      for (const rule of memberEventRules()) {
        await events.send(new PutRuleCommand({ Name: rule.name, EventPattern: JSON.stringify(rule.pattern) }));
        await events.send(new PutTargetsCommand({ Rule: rule.name, Targets: [{ Id: MEMBER_TARGET_ID, Arn: deployed.outputs.CentralEventBusArn! }] }));
      }
    }
  });

  it('an event on a member bus that matches the member rule opens an alert', async () => {
    const member = members[0]!;
    const ec2 = member.clients.get(EC2Client);
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'late-rdp', Description: 'opened after the scan' }))).GroupId!;
    const permission = { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }));
    const detail = {
      eventVersion: '1.08',
      eventID: randomUUID(),
      eventTime: new Date().toISOString(),
      eventSource: 'ec2.amazonaws.com',
      eventName: 'AuthorizeSecurityGroupIngress',
      awsRegion: ONLY_REGION,
      recipientAccountId: member.account.accountId,
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${member.account.accountId}:user/deployer-0` },
      sourceIPAddress: '198.51.100.7',
      requestParameters: { groupId },
    };
    // What CloudTrail puts on the member's default bus (moto lets a test send an aws.* source).
    const put = await member.clients.get(EventBridgeClient).send(
      new PutEventsCommand({ Entries: [{ Source: 'aws.ec2', DetailType: 'AWS API Call via CloudTrail', Detail: JSON.stringify(detail) }] }),
    );
    expect(put.FailedEntryCount).toBe(0);
    const outcomes = await drain();
    expect(outcomes.flatMap((o) => o.delivered)).toHaveLength(1);
    expect(outcomes.flatMap((o) => o.failed)).toEqual([]);
    const resourceId = `arn:aws:ec2:${ONLY_REGION}:${member.account.accountId}:security-group/${groupId}`;
    realtimeResourceId = resourceId;
    const opened = (await target.compliance.alerts('OPEN')).filter((a) => a.resourceId === resourceId);
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((a) => a.trigger.startsWith('realtime'))).toBe(true);
    // The deployed function, with its own role, kept who made the call: on the alert and on the
    // version it recorded in the resource's history.
    const caller = { arn: `arn:aws:iam::${member.account.accountId}:user/deployer-0`, identityType: 'IAMUser', sourceIPAddress: '198.51.100.7', eventID: detail.eventID };
    expect(opened.every((a) => a.provenance?.actors?.some((x) => x.eventID === caller.eventID))).toBe(true);
    expect(opened[0]!.provenance!.actors![0]).toMatchObject(caller);
    const versions = await target.history.forResource(resourceId);
    expect(versions.filter((v) => v.kind === 'version').map((v) => [v.kind === 'version' && v.change, v.trigger])).toEqual([['created', 'realtime:AuthorizeSecurityGroupIngress']]);
    expect(versions[0]!.provenance!.actors![0]).toMatchObject(caller);
    lastEvent = { member, body: JSON.stringify({ version: '0', id: randomUUID(), 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', account: member.account.accountId, time: detail.eventTime, region: ONLY_REGION, resources: [], detail }) };
  });

  let lastEvent: { member: Member; body: string };

  it('a replayed batch is not rescanned', async () => {
    const from = fleet.calls.length;
    const invocations = fleet.invocations.length;
    await clients.get(SQSClient).send(new SendMessageCommand({ QueueUrl: realtimeQueue, MessageBody: lastEvent.body }));
    const outcomes = await drain();
    expect(outcomes.flatMap((o) => o.delivered)).toHaveLength(1);
    expect(fleet.invocations.slice(invocations).filter((i) => i.functionName === fleet.functionName('RealtimeRescanFunction'))).toHaveLength(1);
    // No member API call: the event's ID was already processed (idempotency), nothing was described again.
    expect(memberEc2Calls(from)).toEqual([]);
  });

  it('a malformed message lands on the DLQ with its reason, without failing the batch', async () => {
    await clients.get(SQSClient).send(new SendMessageCommand({ QueueUrl: realtimeQueue, MessageBody: 'this is not an event' }));
    const invocations = fleet.invocations.length;
    const outcomes = await drain();
    const rescans = fleet.invocations.slice(invocations);
    expect(outcomes.flatMap((o) => o.failed), JSON.stringify(rescans.map((i) => i.error ?? i.result)) + fleet.logs(fleet.functionName('RealtimeRescanFunction')).slice(-1500)).toEqual([]);
    const parked = await clients.get(SQSClient).send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    const message = (parked.Messages ?? []).find((m) => m.Body === 'this is not an event');
    expect(message, 'on the DLQ').toBeDefined();
    expect(message!.MessageAttributes?.reason?.StringValue ?? '').not.toBe('');
  });

  it('records the verify canary on the account', async () => {
    const member = members[1]!;
    const rule = memberEventRules()[0]!;
    const detail = rule.pattern.detail as { eventSource: string[]; eventName: string[] };
    await member.clients.get(EventBridgeClient).send(
      new PutEventsCommand({
        Entries: [
          {
            Source: CANARY_SOURCE,
            DetailType: 'AWS API Call via CloudTrail',
            Detail: JSON.stringify({
              eventVersion: '1.08',
              eventID: `${CANARY_EVENT_PREFIX}${randomUUID()}`,
              eventTime: new Date().toISOString(),
              eventSource: detail.eventSource[0],
              eventName: detail.eventName[0],
              awsRegion: ONLY_REGION,
              recipientAccountId: member.account.accountId,
              userIdentity: { type: 'AWSService', invokedBy: 'posture accounts verify' },
              requestParameters: null,
              posture: { canary: true },
            }),
          },
        ],
      }),
    );
    await drain();
    const arrivals = await target.accounts.canaryArrivals(member.account.accountId);
    expect([...arrivals.values()].map((a) => a.region)).toContain(ONLY_REGION);
  });
});

describe('alert dispatch', () => {
  let hook: Server | undefined;
  afterAll(() => new Promise<void>((r) => (hook ? hook.close(() => r()) : r())));

  it('delivers each transition from the Alerts table stream to the topic and a webhook, once', async () => {
    const sqs = clients.get(SQSClient);
    const inbox = (await sqs.send(new CreateQueueCommand({ QueueName: 'alerts-inbox' }))).QueueUrl!;
    const inboxArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: inbox, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await clients.get(SNSClient).send(new SubscribeCommand({ TopicArn: deployed.outputs.AlertsTopicArn, Protocol: 'sqs', Endpoint: inboxArn, Attributes: { RawMessageDelivery: 'true' } }));

    // A signed webhook over https, as `posture destinations add` configures it. Its certificate is
    // self-signed: the dispatcher's environment gets it through NODE_EXTRA_CA_CERTS, standing in
    // for a publicly trusted one (the only variable the rehearsal adds to a function).
    const tls = selfSignedCertificate();
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    hook = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook!.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(hook.address() as AddressInfo).port}/posture`;
    await addDestination(
      { destinationId: 'siem-hook', type: 'webhook', minSeverity: 'Info', default: true, url },
      { store: new DestinationStore(documentClient(target.clients), target.tables.Destinations), secrets: clients.get(SecretsManagerClient), now: new Date(), allowLoopbackHttp: false },
    );
    const dispatch = fleet.functionName('AlertsDispatchFunction');
    const previous = await fleet.reconfigure(dispatch, {});
    await fleet.restore(dispatch, previous, { NODE_EXTRA_CA_CERTS: tls.certFile });

    const opened = await target.compliance.alerts('OPEN');
    expect(opened.length).toBeGreaterThan(0);
    const poller = new StreamPoller(endpoint, fleet, deployed, target.tables.Alerts);
    const first = await poller.poll();
    expect(first.failed).toBe(0);
    expect(first.delivered).toBeGreaterThanOrEqual(opened.length);
    const bodies: string[] = [];
    for (;;) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: inbox, MaxNumberOfMessages: 10 }));
      if (!r.Messages?.length) break;
      bodies.push(...r.Messages.map((m) => m.Body!));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: inbox, Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    // Every open alert reached the topic and the webhook (signed), the real-time one included.
    for (const alert of opened) {
      expect(bodies.some((b) => b.includes(alert.resourceId) && b.includes(alert.policyId)), `topic: ${alert.alertKey}`).toBe(true);
      expect(received.some((r) => r.body.includes(alert.resourceId) && r.body.includes(alert.policyId)), `webhook: ${alert.alertKey}`).toBe(true);
    }
    expect(bodies.some((b) => b.includes(realtimeResourceId))).toBe(true);
    expect(received.every((r) => Object.keys(r.headers).some((h) => /signature/i.test(h)))).toBe(true);
    // Nothing parked, and nothing sent twice: the stream position moved past every record.
    const parked = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deployed.outputs.AlertDeliveryDlqUrl, MaxNumberOfMessages: 10 }));
    expect(parked.Messages ?? []).toEqual([]);
    const count = received.length;
    expect(await poller.poll()).toEqual({ delivered: 0, failed: 0 });
    expect(received.length).toBe(count);
  });
});

describe('the console API', () => {
  // The API Gateway v2 event the HTTP API sends once its JWT authorizer verified the token (rehearsal/console-api.ts).
  const call = (method: string, path: string, claims?: Record<string, unknown>) => callConsoleApi(fleet, method, path, claims);
  const claims = groupClaims;

  it('answers GET /api/me with the caller and the role of its Cognito groups', async () => {
    expect(await call('GET', '/api/me', claims('[admin]'))).toEqual({ status: 200, body: { id: 'sub-[admin]', name: 'user-[admin]', role: 'admin' } });
    // The most privileged group wins; each of the three groups maps to its role.
    expect((await call('GET', '/api/me', claims('[viewer analyst]'))).body.role).toBe('analyst');
    expect((await call('GET', '/api/me', claims('[viewer]'))).body.role).toBe('viewer');
  });

  it('refuses a request without verified claims, or from a user in none of the groups (401)', async () => {
    expect(await call('GET', '/api/me')).toEqual({ status: 401, body: { error: 'not signed in' } });
    expect((await call('GET', '/api/me', claims('[contractors]'))).status).toBe(401);
  });

  it('computes the overview from the deployed stores and the catalog of the engine function (a viewer reads)', async () => {
    const { status, body } = await call('GET', '/api/overview', claims('[viewer]'));
    expect(status).toBe(200);
    const overview = overviewSchema.parse(body);
    // The rehearsal's scans left results, and the catalog came from the engine's loaded bundle.
    expect(overview.results.pass + overview.results.fail).toBeGreaterThan(0);
    expect(overview.frameworks.length).toBeGreaterThan(0);
    expect(overview.accounts.length).toBeGreaterThan(0);
    // The audit log is readable and, with nothing changed through the console, empty.
    expect(await call('GET', '/api/audit', claims('[viewer]'))).toMatchObject({ status: 200, body: { entries: [] } });
  });

  it('serves its OpenAPI document to a signed-in user', async () => {
    const { status, body } = await call('GET', '/api/openapi.json', claims('[viewer]'));
    expect(status).toBe(200);
    expect(Object.keys(body.paths as object)).toContain('/api/me');
  });

  describe('Detections: the policy editor on the engine function', () => {
    const POLICY = 'AWS.S3.Bucket.PublicACL';
    const post = (path: string, payload: unknown, who = claims('[admin]')) => callConsoleApi(fleet, 'POST', path, who, payload);
    /** The built-in policy as opened, then changed: buckets named plain-* fail too (the estate has one per member). */
    let opened: PolicyDraft;
    let changed: PolicyDraft;
    let before: { passing: number; failing: number };
    let preview: ImpactPreview;

    it('opens a built-in policy: the spec and source of the bundle the engine evaluates with', async () => {
      const { status, body } = await call('GET', `/api/policies/${POLICY}`, claims('[viewer]'));
      expect(status, JSON.stringify(body)).toBe(200);
      const detail = policyDetailSchema.parse(body);
      expect(detail.spec.PolicyID).toBe(POLICY);
      expect(detail.source).toContain('def public_grants');
      // The scans left PASS verdicts of it on the estate's buckets (no public ACL).
      expect(detail.passing).toBeGreaterThanOrEqual(2);
      before = { passing: detail.passing, failing: detail.failing };
      const bucketOf = (name: string) => ({ ResourceType: 'AWS.S3.Bucket', ResourceId: `arn:aws:s3:::${name}`, Name: name, Grants: [] });
      // A bundle's specs carry no Tests: the author writes them in the editor.
      opened = { spec: { ...detail.spec, Tests: [{ Name: 'Private bucket passes', ExpectedResult: true, Resource: bucketOf('logs') }] }, source: detail.source };
      changed = {
        spec: { ...opened.spec, Tests: [...(opened.spec.Tests as unknown[]), { Name: 'plain-* bucket fails', ExpectedResult: false, Resource: bucketOf('plain-1') }] },
        source: `${detail.source}\n\n_acl_policy = policy\n\n\ndef policy(resource):\n    return _acl_policy(resource) and not str(resource.get("Name") or "").startswith("plain-")\n`,
      };
    });

    it("runs its tests in the engine function (PAT style); a viewer may not", async () => {
      expect(await post('/api/policies/test', { draft: opened })).toEqual({ status: 200, body: { passed: 1, failed: 0, cases: [expect.objectContaining({ name: 'Private bucket passes', passed: true, status: 'PASS' })], errors: [] } });
      const failing = await post('/api/policies/test', { draft: { ...changed, source: opened.source } });
      expect(failing.body).toMatchObject({ passed: 1, failed: 1 });
      expect((await post('/api/policies/test', { draft: opened }, claims('[viewer]'))).status).toBe(403);
    });

    it('tests the changed draft against the stored buckets (Test against live resources)', async () => {
      const { status, body } = await post('/api/policies/evaluate', { draft: changed });
      expect(status, JSON.stringify(body)).toBe(200);
      const live = liveTestResultsSchema.parse(body);
      expect(live.resourceType).toBe('AWS.S3.Bucket');
      const failed = live.results.filter((r) => r.status === 'FAIL').map((r) => r.resourceId);
      expect(failed).toHaveLength(2);
      expect(failed.every((id) => /^arn:aws:s3:::plain-\d{12}$/.test(id))).toBe(true);
      expect(live.results.filter((r) => r.status === 'PASS').length).toBeGreaterThanOrEqual(2);
    });

    it('previews the changed draft: +2 failures (the plain-* buckets), by the upload path', async () => {
      const { status, body } = await post('/api/policies/preview', { draft: changed });
      expect(status, JSON.stringify(body)).toBe(200);
      preview = impactPreviewSchema.parse(body);
      expect(preview.unchanged).toBe(false);
      expect(preview.policies).toEqual([expect.objectContaining({ policyId: POLICY, change: 'changed', resolved: [], newErrors: [] })]);
      expect(preview.totals.newFailures).toBe(2);
      expect(preview.policies[0]!.newFailures.every((id) => /^arn:aws:s3:::plain-\d{12}$/.test(id))).toBe(true);
    });

    it('publishes it on confirmation: the active bundle, the stored findings and the engine all move', async () => {
      // A confirmation of other hashes is refused (409) and publishes nothing.
      expect((await post('/api/policies/publish', { draft: changed, confirm: { ...preview.hash, toHash: 'f'.repeat(64) } })).status).toBe(409);
      const { status, body } = await post('/api/policies/publish', { draft: changed, confirm: preview.hash });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(publishResultSchema.parse(body)).toMatchObject({ contentHash: preview.hash.toHash, written: { alertsOpened: 2, alertsResolved: 0 } });
      const active = await clients.get(S3Client).send(new HeadObjectCommand({ Bucket: deployed.outputs.PolicyBucketName, Key: ACTIVE_BUNDLE_KEY }));
      expect(active.Metadata?.['content-hash']).toBe(preview.hash.toHash);
      // The result: the policy now fails the two plain-* buckets, and the engine serves the published source.
      const after = policyDetailSchema.parse((await call('GET', `/api/policies/${POLICY}`, claims('[viewer]'))).body);
      expect({ passing: after.passing, failing: after.failing }).toEqual({ passing: before.passing - 2, failing: before.failing + 2 });
      expect(after.source).toContain('startswith("plain-")');
      // The list names the published bundle at once (the console forgets its kept catalog).
      expect((await call('GET', '/api/policies', claims('[viewer]'))).body.source).toBe(preview.hash.toHash);
      const audit = (await call('GET', '/api/audit', claims('[viewer]'))).body.entries as { target: string; summary: string }[];
      expect(audit).toContainEqual(expect.objectContaining({ target: POLICY, summary: expect.stringContaining(`published bundle ${preview.hash.toHash.slice(0, 12)}`) }));
    });
  });
});

describe('the connect wizard through the console API (Cloud Accounts)', () => {
  const admin = groupClaims('[admin]');
  const viewer = groupClaims('[viewer]');
  let member: Member;
  let sshGroupId: string;
  /** What the wizard's first step sends: name, account ID, the advanced exclusions. */
  let wizard: { accountId: string; name: string; excludeRegions: string[] };
  let externalId: string;

  beforeAll(async () => {
    member = await createMember(SECURITY_ACCOUNT_ID, {}, REHEARSAL_AUDIT_ROLE);
    externalId = member.account.externalId;
    const regions = await member.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
    wizard = { accountId: member.account.accountId, name: 'wizard-onboarded', excludeRegions: regions.Regions!.map((r) => r.RegionName!).filter((n) => n !== ONLY_REGION) };
    ({ sshGroupId } = await seedEstate(member, 1));
    // What the quick-create stack makes besides the role: the extra read actions and the member rules.
    await member.clients.get(IAMClient).send(new PutRolePolicyCommand({ RoleName: REHEARSAL_AUDIT_ROLE, PolicyName: EXTRA_POLICY_NAME, PolicyDocument: JSON.stringify(extraActionsPolicy()) }));
    const events = member.clients.get(EventBridgeClient);
    for (const rule of memberEventRules()) {
      await events.send(new PutRuleCommand({ Name: rule.name, EventPattern: JSON.stringify(rule.pattern) }));
      await events.send(new PutTargetsCommand({ Rule: rule.name, Targets: [{ Id: MEMBER_TARGET_ID, Arn: deployed.outputs.CentralEventBusArn! }] }));
    }
  }, 120_000);

  it('refuses a viewer every step (403) and stores nothing', async () => {
    for (const [path, body] of [
      ['/api/accounts/setup', wizard],
      ['/api/accounts/verify', { ...wizard, externalId }],
      ['/api/accounts', { ...wizard, externalId }],
    ] as const) {
      const r = await callConsoleApi(fleet, 'POST', path, viewer, body);
      expect(r, path).toEqual({ status: 403, body: { error: 'forbidden: the viewer role cannot manageAccounts' } });
    }
    expect(await target.accounts.get(wizard.accountId)).toBeUndefined();
  });

  it("set-up: the deployment's parameters and a quick-create link to the member template the function published", async () => {
    const { status, body } = await callConsoleApi(fleet, 'POST', '/api/accounts/setup', admin, { ...wizard, externalId });
    expect(status, JSON.stringify(body)).toBe(200);
    const setup = setupSchema.parse(body);
    expect(setup).toMatchObject({ externalId, securityAccountId: SECURITY_ACCOUNT_ID, eventBusArn: deployed.outputs.CentralEventBusArn, auditRoleName: REHEARSAL_AUDIT_ROLE });
    const params = new URLSearchParams(new URL(setup.quickCreateUrl).hash.split('?')[1]);
    const bucket = deployed.outputs.MemberTemplatesBucketName!;
    expect(params.get('templateURL')).toBe(`https://${bucket}.s3.${ONLY_REGION}.amazonaws.com/${MEMBER_TEMPLATE_KEY}`);
    expect(Object.fromEntries([...params].filter(([k]) => k.startsWith('param_')))).toEqual({
      param_SecurityAccountId: SECURITY_ACCOUNT_ID,
      param_ExternalId: externalId,
      param_CentralEventBusArn: deployed.outputs.CentralEventBusArn,
      param_AuditRoleName: REHEARSAL_AUDIT_ROLE,
      param_DeployAuditRole: 'true',
    });
    // The URL's object exists in the member-templates bucket, defaulting to the deployment's role name.
    const object = await clients.get(S3Client).send(new GetObjectCommand({ Bucket: bucket, Key: MEMBER_TEMPLATE_KEY }));
    const template = parseYaml(await object.Body!.transformToString()) as { Parameters: Record<string, { Default?: string }> };
    expect(template.Parameters.AuditRoleName!.Default).toBe(REHEARSAL_AUDIT_ROLE);
    // Without an ExternalId the wizard gets a generated one (32 random bytes).
    const generated = setupSchema.parse((await callConsoleApi(fleet, 'POST', '/api/accounts/setup', admin, wizard)).body);
    expect(generated.externalId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('verify: the checks of posture accounts verify, run by the API function through the audit role with the ExternalId', async () => {
    const api = fleet.functionName('ConsoleApiFunction');
    const from = fleet.calls.length;
    const { status, body } = await callConsoleApi(fleet, 'POST', '/api/accounts/verify', admin, { ...wizard, externalId });
    expect(status, JSON.stringify(body)).toBe(200);
    const verified = verifySchema.parse(body);
    expect(verified.checks.map((c) => `${c.name}: ${c.status}`)).toEqual([
      'role assumable: pass',
      'ExternalId required: pass',
      'permissions: pass',
      `event rules ${ONLY_REGION}: pass`,
      // The audit role is read-only: the canary needs the member's own credentials (the CLI's --member-profile).
      'canary: skip',
    ]);
    expect(verified.ok).toBe(true);
    const assumed = fleet.calls
      .slice(from)
      .filter((c) => c.functionName === api && c.service === 'sts')
      .map((c) => new URLSearchParams(c.body))
      .filter((b) => b.get('Action') === 'AssumeRole');
    expect(assumed.map((b) => [b.get('RoleArn'), b.get('ExternalId')])).toContainEqual([`arn:aws:iam::${wizard.accountId}:role/${REHEARSAL_AUDIT_ROLE}`, externalId]);
    // Nothing is stored by verify.
    expect(await target.accounts.get(wizard.accountId)).toBeUndefined();
  });

  it('finish: stores the account, runs its baseline scan as a DailyScan execution for it alone, and shows its progress and findings', async () => {
    const { status, body } = await callConsoleApi(fleet, 'POST', '/api/accounts', admin, { ...wizard, externalId });
    expect(status, JSON.stringify(body)).toBe(200);
    const created = createdSchema.parse(body);
    expect(created.account).toMatchObject({ accountId: wizard.accountId, name: wizard.name, roleName: null });
    expect(created.run).toMatchObject({ accountId: wizard.accountId, state: 'RUNNING' });
    expect(created.run.runId.startsWith(`${deployed.outputs.DailyScanStateMachineArn!.replace(':stateMachine:', ':execution:')}:`)).toBe(true);
    expect(await target.accounts.get(wizard.accountId)).toMatchObject({ name: wizard.name, externalId, excludeRegions: wizard.excludeRegions });
    expect((await callConsoleApi(fleet, 'POST', '/api/accounts', admin, { ...wizard, externalId })).status).toBe(409);

    // The wizard's last page polls the run (a viewer may read it).
    const deadline = Date.now() + 180_000;
    let progress;
    for (;;) {
      const r = await callConsoleApi(fleet, 'GET', `/api/accounts/scans/${encodeURIComponent(created.run.runId)}`, viewer);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      progress = scanProgressSchema.parse(r.body);
      if (progress.run.state !== 'RUNNING') break;
      if (Date.now() > deadline) throw new Error(`${created.run.runId}: still RUNNING`);
      await new Promise((res) => setTimeout(res, 1000));
    }
    expect(progress.run, progress.run.error ?? '').toMatchObject({ runId: created.run.runId, accountId: wizard.accountId, state: 'SUCCEEDED', error: null });
    const scanId = progress.run.scanId!;
    // The execution scanned this account only, every scope OK, as the progress summarizes it.
    const ledger = await target.ledger.forScan(scanId);
    expect(ledger.length).toBeGreaterThan(10);
    expect(new Set(ledger.map((e) => e.scope.split('#')[0]))).toEqual(new Set([wizard.accountId]));
    expect(ledger.filter((e) => e.outcome !== 'OK').map((e) => `${e.scope}: ${e.outcome} ${e.message ?? ''}`)).toEqual([]);
    expect(progress.recorded).toMatchObject({ scanId, scopes: ledger.length, ok: ledger.length, notEvaluated: 0 });
    // Its findings: what `posture findings --account` lists, the open-SSH group failing.
    const findings = (await collectFindings(target, [wizard.accountId])).filter((f) => !f.suppressed);
    expect(findings.some((f) => f.status === 'FAIL' && f.resourceId.endsWith(`security-group/${sshGroupId}`))).toBe(true);
    expect(progress.findings).toMatchObject({ pass: findings.filter((f) => f.status === 'PASS').length, fail: findings.filter((f) => f.status === 'FAIL').length });
    expect(progress.findings!.fail).toBeGreaterThan(0);

    // The audit log names who set up and onboarded the account, never its ExternalId.
    const audit = await callConsoleApi(fleet, 'GET', '/api/audit', viewer);
    const entries = (audit.body.entries as { actor: { name: string }; action: string; target: string; summary: string }[]).filter((e) => e.target === wizard.accountId);
    expect(entries.map((e) => e.actor.name)).toEqual(expect.arrayContaining(['user-[admin]']));
    expect(entries.some((e) => e.summary.startsWith(`onboarded ${wizard.name} (${wizard.accountId})`) && e.summary.includes(created.run.runId))).toBe(true);
    expect(JSON.stringify(audit.body)).not.toContain(externalId);

    // What the role-policy check below evaluates: the wizard's calls signed by the function's own role.
    const api = fleet.functionName('ConsoleApiFunction');
    const keys = fleet.roleKeys.get(api)!;
    const actions = fleet.calls.filter((c) => c.functionName === api && keys.has(c.accessKeyId)).flatMap((c) => iamRequests(c, SECURITY_ACCOUNT_ID, ONLY_REGION).map((r) => r.action));
    expect(actions).toEqual(expect.arrayContaining(['sts:AssumeRole', 's3:PutObject', 'states:StartExecution', 'states:DescribeExecution']));
  });
});

describe('IAM: every call a function made is granted by its synthesized role', () => {
  it('evaluates the recorded calls against the role policies (and would catch one outside them)', async () => {
    const denied: string[] = [];
    let evaluated = 0;
    for (const [name, env] of fleet.environments) {
      const statements = await rolePolicies(clients, env.config.Role!);
      // The evaluator is not vacuous: the role may not read another function's table.
      expect(isAllowed(statements, { action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:${ONLY_REGION}:${SECURITY_ACCOUNT_ID}:table/not-posture`, context: {} })).toBe(false);
      const keys = fleet.roleKeys.get(name)!;
      for (const call of fleet.calls.filter((c) => c.functionName === name && keys.has(c.accessKeyId))) {
        for (const request of iamRequests(call, SECURITY_ACCOUNT_ID, ONLY_REGION)) {
          evaluated++;
          if (!isAllowed(statements, request)) denied.push(`${fleet.logicalIds.get(name)}: ${request.action} on ${request.resource} ${JSON.stringify(request.context)}`);
        }
      }
    }
    expect(evaluated).toBeGreaterThan(100);
    // The one call outside the grants is the failing-ScanScope scenario's misconfigured table:
    // the evaluator catches it, and nothing else.
    const scanScopeId = fleet.logicalIds.get(fleet.functionName('ScanScanScopeFunction'));
    expect([...new Set(denied)]).toEqual([
      `${scanScopeId}: dynamodb:GetItem on arn:aws:dynamodb:${ONLY_REGION}:${SECURITY_ACCOUNT_ID}:table/no-such-table {"dynamodb:Attributes":["accountId"]}`,
    ]);
  });

  it("checks the state machine role against what the execution did (its history)", async () => {
    // The interpreter makes its own calls in-process, so they are read from the first daily
    // scan's history: each Lambda task, the scope list read, the map run described, the results written.
    const machine = await clients.get(SFNClient).send(new DescribeStateMachineCommand({ stateMachineArn: deployed.outputs.DailyScanStateMachineArn }));
    const statements = await rolePolicies(clients, machine.roleArn!);
    const plan = JSON.parse(first.history.find((e) => e.type === 'LambdaFunctionSucceeded')!.lambdaFunctionSucceededEventDetails!.output!) as { bucket: string; key: string };
    const mapRun = first.output!.mapRun as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    const functionArn = (name: string) => `arn:aws:lambda:${ONLY_REGION}:${SECURITY_ACCOUNT_ID}:function:${name}`;
    const requests = [
      // PlanScan and SummarizeScan.
      ...first.history.filter((e) => e.type === 'LambdaFunctionScheduled').map((e) => ({ action: 'lambda:InvokeFunction', resource: e.lambdaFunctionScheduledEventDetails!.resource! })),
      // The map's children run ScanScope (and, after a failure, RecordBatchFailure).
      { action: 'lambda:InvokeFunction', resource: functionArn(fleet.functionName('ScanScanScopeFunction')) },
      { action: 'lambda:InvokeFunction', resource: functionArn(fleet.functionName('ScanRecordBatchFailureFunction')) },
      { action: 's3:GetObject', resource: `arn:aws:s3:::${plan.bucket}/${plan.key}` },
      { action: 'states:DescribeMapRun', resource: mapRun.MapRunArn },
      { action: 's3:PutObject', resource: `arn:aws:s3:::${mapRun.ResultWriterDetails.Bucket}/${mapRun.ResultWriterDetails.Key}` },
    ];
    expect(requests.length).toBe(7);
    const denied = requests.filter((r) => !isAllowed(statements, { ...r, context: {} }));
    expect(denied).toEqual([]);
    expect(isAllowed(statements, { action: 'lambda:InvokeFunction', resource: functionArn(fleet.functionName('RealtimeRescanFunction')), context: {} })).toBe(false);
  });
});
