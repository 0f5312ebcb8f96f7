/**
 * The connect wizard's port on a deployed stack (src/console/stack-onboarding.ts, used by the
 * console API in Lambda and by `posture console --stack`) against moto: the member template
 * published where the quick-create link points, verify's checks through a member's audit role,
 * and the baseline scan as a DailyScan execution read back with DescribeExecution — on the shared
 * server (executions stay RUNNING there until stopped) and on an emulator of its own that runs
 * them (moto's ASL interpreter), for SUCCEEDED and FAILED.
 */
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { createClients } from '../../../src/aws/clients.ts';
import type { OnboardingPort } from '../../../src/console/ports.ts';
import { CONSOLE_SCAN_PREFIX, stackOnboarding, type StackDeployment } from '../../../src/console/stack-onboarding.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { startEmulator, type Emulator } from '../../../src/local/emulator.ts';
import { EXTRA_POLICY_NAME, extraActionsPolicy, MEMBER_TARGET_ID, memberEventRules } from '../../../src/onboarding/member-template.ts';
import { MEMBER_TEMPLATE_KEY } from '../../../src/onboarding/onboarding.ts';
import { AccountStore } from '../../../src/store/account-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { createMember, type Member } from '../../helpers/member.ts';
import { accountClients, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

const ROLE = 'OrgSecurityAudit';
const REGION = 'us-east-1';
let securityAccountId: string;
let clients: AwsClients;
let deployment: StackDeployment;
let port: OnboardingPort;

/** A state machine named DailyScan of `definition`, as the stack's (the role is not used by moto). */
async function dailyScan(sfn: SFNClient, accountId: string, definition: object, name = 'DailyScan'): Promise<string> {
  const r = await sfn.send(new CreateStateMachineCommand({ name, roleArn: `arn:aws:iam::${accountId}:role/sfn`, definition: JSON.stringify(definition) }));
  return r.stateMachineArn!;
}

beforeAll(async () => {
  // In Lambda the SDK reaches AWS by default; here the member-role clients reach moto the same way.
  process.env.AWS_ENDPOINT_URL = motoEndpoint();
  securityAccountId = randomAccountId();
  clients = await accountClients(securityAccountId);
  const tables = await ensureTables(clients, 'onb');
  await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `templates-${securityAccountId}` }));
  deployment = {
    clients,
    accounts: new AccountStore(documentClient(clients), tables.Accounts),
    partition: 'aws',
    stateMachineArn: await dailyScan(clients.get(SFNClient), securityAccountId, { StartAt: 'Plan', States: { Plan: { Type: 'Pass', End: true } } }),
    eventBusArn: `arn:aws:events:${REGION}:${securityAccountId}:event-bus/posture-central`,
    templatesBucket: `templates-${securityAccountId}`,
    auditRoleName: ROLE,
    assumableRoleNames: [ROLE, 'TeamAudit'],
  };
  port = stackOnboarding(deployment);
});

afterAll(() => {
  delete process.env.AWS_ENDPOINT_URL;
});

describe('stackOnboarding: member set-up', () => {
  it("publishes the member template (AuditRoleName defaulting to the deployment's) at the URL it returns", async () => {
    const setup = await port.memberSetup();
    expect(setup).toEqual({
      eventBusArn: deployment.eventBusArn,
      auditRoleName: ROLE,
      // The form CloudFormation's quick-create takes: an https S3 URL of the object.
      templateUrl: `https://${deployment.templatesBucket}.s3.${REGION}.amazonaws.com/${MEMBER_TEMPLATE_KEY}`,
    });
    const object = await clients.get(S3Client).send(new GetObjectCommand({ Bucket: deployment.templatesBucket, Key: MEMBER_TEMPLATE_KEY }));
    expect(object.ContentType).toBe('text/yaml');
    const template = parse(await object.Body!.transformToString()) as { Parameters: Record<string, { Default?: string }>; Resources: Record<string, unknown> };
    expect(template.Parameters.AuditRoleName!.Default).toBe(ROLE);
    expect(Object.keys(template.Resources)).toContain('AuditRole');
  });
});

describe('stackOnboarding: verify', () => {
  let member: Member;

  beforeAll(async () => {
    member = await createMember(securityAccountId, {}, ROLE);
    const regions = await member.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
    member.account.excludeRegions = regions.Regions!.map((r) => r.RegionName!).filter((n) => n !== REGION);
  });

  it('checks the role with the ExternalId, its permissions and the event rules; the canary is not sent (read-only role)', async () => {
    const before = await port.verify(member.account);
    expect(before.find((c) => c.name === 'role assumable')).toMatchObject({ status: 'pass', detail: `arn:aws:iam::${member.account.accountId}:role/${ROLE} with the ExternalId` });
    expect(before.find((c) => c.name === 'ExternalId required')?.status).toBe('pass');
    // SecurityAudit alone lacks the registry's extra read actions.
    expect(before.find((c) => c.name === 'permissions')).toMatchObject({ status: 'fail', detail: expect.stringContaining('missing') });
    expect(before.find((c) => c.name === `event rules ${REGION}`)).toMatchObject({ status: 'fail' });
    expect(before.find((c) => c.name === `event rules ${REGION}`)!.detail).toContain(`deploy the member template in ${REGION}`);

    // What the member template adds: the inline policy of the extra actions, and the rules.
    await member.clients.get(IAMClient).send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: EXTRA_POLICY_NAME, PolicyDocument: JSON.stringify(extraActionsPolicy()) }));
    const events = member.clients.get(EventBridgeClient);
    for (const rule of memberEventRules()) {
      await events.send(new PutRuleCommand({ Name: rule.name, EventPattern: JSON.stringify(rule.pattern) }));
      await events.send(new PutTargetsCommand({ Rule: rule.name, Targets: [{ Id: MEMBER_TARGET_ID, Arn: deployment.eventBusArn }] }));
    }
    const after = await port.verify(member.account);
    expect(after.find((c) => c.name === `event rules ${REGION}`)).toMatchObject({ status: 'pass' });
    expect(after.find((c) => c.name === 'permissions')).toMatchObject({ status: 'pass' });
    expect(after.filter((c) => c.status === 'fail')).toEqual([]);
    expect(after.map((c) => c.name)).not.toContain('event rules eu-west-1');
    const canary = after.find((c) => c.name === 'canary')!;
    expect(canary.status).toBe('skip');
    expect(canary.detail).toContain(`posture accounts verify --id ${member.account.accountId} --member-profile`);
  });

  it("fails 'role granted' for a role name the stack's grant does not cover, and 'role assumable' where no role exists", async () => {
    const own = await port.verify({ ...member.account, roleName: 'SomeoneElsesRole' });
    expect(own[0]).toMatchObject({ name: 'role granted', status: 'fail' });
    expect(own[0]!.detail).toContain('-c additionalAuditRoleNames=SomeoneElsesRole');
    const missing = await port.verify({ ...member.account, roleName: 'TeamAudit' });
    expect(missing.map((c) => c.name)).not.toContain('role granted');
    expect(missing.find((c) => c.name === 'role assumable')).toMatchObject({ status: 'fail' });
    expect(missing.find((c) => c.name === 'role assumable')!.detail).toContain('does not exist (deploy the member template)');
    expect(missing.filter((c) => c.status === 'skip').map((c) => c.name)).toEqual(['permissions', 'event rules', 'canary']);
  });
});

describe('stackOnboarding: the baseline scan (shared server: executions stay RUNNING)', () => {
  it('starts a DailyScan execution for the one account and reads its state back', async () => {
    const run = await port.startScan('111122223333');
    expect(run).toMatchObject({ accountId: '111122223333', state: 'RUNNING', scanId: null, planned: null, error: null });
    expect(run.runId).toMatch(new RegExp(`^arn:aws:states:${REGION}:${securityAccountId}:execution:DailyScan:${CONSOLE_SCAN_PREFIX}-111122223333-\\d+$`));
    expect(await port.scanRun(run.runId)).toEqual(run);
    await clients.get(SFNClient).send(new StopExecutionCommand({ executionArn: run.runId }));
    expect(await port.scanRun(run.runId)).toMatchObject({ runId: run.runId, accountId: '111122223333', state: 'FAILED', error: 'ABORTED' });
  });

  it("answers undefined for an execution that does not exist or is not the state machine's", async () => {
    const other = await dailyScan(clients.get(SFNClient), securityAccountId, { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }, 'Other');
    expect(await port.scanRun(`${deployment.stateMachineArn.replace(':stateMachine:', ':execution:')}:no-such-run`)).toBeUndefined();
    expect(await port.scanRun(`${other.replace(':stateMachine:', ':execution:')}:x`)).toBeUndefined();
    expect(await port.scanRun('local-123')).toBeUndefined();
    expect(await port.scanRun(deployment.stateMachineArn)).toBeUndefined();
  });
});

describe('stackOnboarding: the baseline scan, executed by moto', () => {
  let emulator: Emulator;
  let p: OnboardingPort;
  const FAILING_ACCOUNT = '000000000000';

  beforeAll(async () => {
    emulator = await startEmulator();
    const r = await fetch(`${emulator.endpoint}/moto-api/config`, { method: 'POST', body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
    expect(r.ok).toBe(true);
    const own = createClients({ region: REGION, endpoint: emulator.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    // The DailyScan's contract: the input names the accounts, the output carries the scan ID; a
    // scan whose batches failed ends in Posture.ScanIncomplete. (One machine: moto 5.2 cannot start
    // an execution of a second state machine once one has run.)
    const machine = await dailyScan(own.get(SFNClient), '123456789012', {
      StartAt: 'Which',
      States: {
        Which: { Type: 'Choice', Choices: [{ Variable: '$.accountIds[0]', StringEquals: FAILING_ACCOUNT, Next: 'Incomplete' }], Default: 'Plan' },
        Plan: { Type: 'Pass', Parameters: { 'accountIds.$': '$.accountIds', scanId: 'scan-42' }, End: true },
        Incomplete: { Type: 'Fail', Error: 'Posture.ScanIncomplete', Cause: '1 of 4 batches failed' },
      },
    });
    p = stackOnboarding({ ...deployment, clients: own, stateMachineArn: machine });
  }, 60_000);

  afterAll(async () => {
    await emulator?.stop();
  });

  const settled = async (runId: string) => {
    for (let i = 0; i < 100; i++) {
      const run = await p.scanRun(runId);
      if (run?.state !== 'RUNNING') return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${runId}: still RUNNING`);
  };

  it("SUCCEEDED: the scan ID from the execution's output, the account from its input", async () => {
    const run = await p.startScan('444455556666');
    expect(await settled(run.runId)).toEqual({ runId: run.runId, accountId: '444455556666', state: 'SUCCEEDED', scanId: 'scan-42', planned: null, error: null });
  });

  it("FAILED: Step Functions' error and cause", async () => {
    const run = await p.startScan(FAILING_ACCOUNT);
    expect(await settled(run.runId)).toEqual({ runId: run.runId, accountId: FAILING_ACCOUNT, state: 'FAILED', scanId: null, planned: null, error: 'Posture.ScanIncomplete: 1 of 4 batches failed' });
  });
});
