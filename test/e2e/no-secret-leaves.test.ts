/**
 * "No secret leaves through Posture" (issue #11 item 5): resources hold secret values where AWS
 * keeps them in the clear (Lambda environment, instance user data, a stack parameter, a task's
 * environment override); the caller's environment holds credentials and tokens; and a policy
 * pack does its best to print both — into its title, description, runbook, alert context, an
 * error message and its log. None of the planted values may appear in anything Posture writes or
 * sends: `posture scan`'s files (resources.jsonl, findings.json, CSV, OCSF, ASFF, scan.json,
 * report.html), its stdout and stderr, the local runtime's log, or a delivered alert (a webhook
 * on this machine and the SNS topic). The keys stay: the policy still sees that DB_PASSWORD is set.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstanceAttributeCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDestination } from '../../src/alerts/destination-admin.ts';
import type { AwsClients } from '../../src/aws/clients.ts';
import { seedSecretBearingResources, type SecretMarkers } from '../../src/local/estate/secrets.ts';
import { startLocalRuntime } from '../../src/local/runtime.ts';
import { REGISTRY } from '../../src/resources/index.ts';
import { REDACTED } from '../../src/resources/redact.ts';
import { DestinationStore } from '../../src/store/destination-store.ts';
import { documentClient, scanAll } from '../../src/store/dynamo.ts';
import { createMember } from '../helpers/member.ts';
import { accountClients, accountCredentials, motoEndpoint, randomAccountId } from '../helpers/moto.ts';
import { runPosture } from '../helpers/cli.ts';

const run = Math.random().toString(36).slice(2, 8);
/** Every planted value contains this; nothing Posture writes or sends may. */
const MARK = `MARKER-${run}`;
const markers: SecretMarkers = {
  lambdaEnv: `hunter2-SECRET-${MARK}`,
  userData: `USERDATA-${MARK}`,
  stackParameter: `CFNPARAM-${MARK}`,
  taskEnv: `ECSENV-${MARK}`,
};
/** The caller's secrets (the access key ID is moto's: it names the scanned account). */
const callerSecrets = {
  AWS_SECRET_ACCESS_KEY: `SECRETKEY-${MARK}`,
  AWS_SESSION_TOKEN: `SESSIONTOKEN-${MARK}`,
  GITHUB_TOKEN: `GHTOKEN-${MARK}`,
  POSTURE_WEBHOOK_SECRET: `WEBHOOK-${MARK}`,
};
const TYPES = ['AWS.Lambda.Function', 'AWS.CloudFormation.Stack', 'AWS.EC2.Instance', 'AWS.ECS.Cluster'];

/** A pack that tries every channel: title, description, runbook, alert_context, an error, print. */
const PACK: Record<string, string> = {
  'leak.yml': `AnalysisType: policy
Filename: leak.py
PolicyID: Test.Leak
DisplayName: Tries to leak secrets
Enabled: true
ResourceTypes: [${TYPES.join(', ')}]
Severity: Critical
OutputIds: [leak-hook]
Tests:
  - Name: a function fails
    ExpectedResult: false
    Resource: { ResourceType: AWS.Lambda.Function, Name: f, Environment: { Variables: { K: v } } }
`,
  'leak.py': `import json
import os

REDACTED = "${REDACTED}"


def _walk(value, path, out):
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(v, f"{path}.{k}", out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _walk(v, f"{path}[{i}]", out)
    elif isinstance(value, str) and ("MARKER" in value or value == REDACTED):
        out.append(f"{path}={value}")
    return out


def leaks(resource):
    env = [f"{k}={v}" for k, v in sorted(os.environ.items()) if "MARKER" in v or k.startswith("AWS_")]
    return "env[" + ";".join(env) + "] resource[" + ";".join(_walk(resource, "", [])) + "]"


def policy(resource):
    print("leak: environ", json.dumps(dict(os.environ)))
    print("leak: resource", json.dumps(resource))
    return False


def title(resource):
    return leaks(resource)[:1000]


def description(resource):
    return leaks(resource)


def runbook(resource):
    return json.dumps(dict(os.environ))


def alert_context(resource):
    return {"environ": dict(os.environ), "resource": resource}
`,
  'leak_error.yml': `AnalysisType: policy
Filename: leak_error.py
PolicyID: Test.LeakError
Enabled: true
ResourceTypes: [AWS.Lambda.Function]
Severity: High
`,
  'leak_error.py': `import os


def policy(resource):
    raise RuntimeError("environ " + ";".join(f"{k}={v}" for k, v in os.environ.items() if "MARKER" in v)
                       + " resource " + str(resource.get("Environment")))
`,
};

async function writePack(root: string): Promise<string> {
  const dir = join(root, 'leak_policies');
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(PACK)) await writeFile(join(dir, name), text);
  return dir;
}

/** The raw AWS APIs do answer every planted value: the checks below are not vacuous. */
async function expectPlanted(clients: AwsClients, seeded: Awaited<ReturnType<typeof seedSecretBearingResources>>): Promise<void> {
  const fn = await clients.get(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: seeded.functionName }));
  expect(fn.Environment?.Variables?.DB_PASSWORD).toBe(markers.lambdaEnv);
  const stack = await clients.get(CloudFormationClient).send(new DescribeStacksCommand({ StackName: seeded.stackName }));
  expect(stack.Stacks![0]!.Parameters).toContainEqual(expect.objectContaining({ ParameterValue: markers.stackParameter }));
  const ud = await clients.get(EC2Client).send(new DescribeInstanceAttributeCommand({ InstanceId: seeded.instanceId, Attribute: 'userData' }));
  expect(Buffer.from(ud.UserData!.Value!, 'base64').toString()).toContain(markers.userData);
  const ecs = clients.get(ECSClient);
  const taskArns = (await ecs.send(new ListTasksCommand({ cluster: seeded.clusterName }))).taskArns!;
  const tasks = await ecs.send(new DescribeTasksCommand({ cluster: seeded.clusterName, tasks: taskArns }));
  expect(JSON.stringify(tasks.tasks)).toContain(markers.taskEnv);
}

const leaked = (text: string) => text.includes(MARK);

describe('no secret leaves through Posture', () => {
  let tmp: string;
  let pack: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'posture-secrets-'));
    pack = await writePack(tmp);
  });

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('posture scan: no planted value in any output file, stdout or stderr; keys are kept', { timeout: 240_000 }, async () => {
    const account = randomAccountId();
    const clients = await accountClients(account);
    const seeded = await seedSecretBearingResources(clients, `leak-${run}`, markers);
    await expectPlanted(clients, seeded);
    const { accessKeyId } = await accountCredentials(account);

    const out = join(tmp, 'scan');
    const env: NodeJS.ProcessEnv = { ...process.env, ...callerSecrets, AWS_ENDPOINT_URL: motoEndpoint(), AWS_ACCESS_KEY_ID: accessKeyId, AWS_REGION: 'us-east-1' };
    delete env.AWS_PROFILE;
    const r = await runPosture(['scan', '--types', TYPES.join(','), '--regions', 'us-east-1', '--policies', pack, '--format', 'table,json,csv,ocsf,asff', '--out', out, '--allow-incomplete'], env);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('posture scan:'))).toEqual([]);
    // The pack raises on purpose (an error message is one more way out): the scan is complete but
    // for those ERROR results, which alone would make it exit 3 — allowed here, asserted below.
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Incomplete scan allowed by --allow-incomplete/);

    const files = (await readdir(out)).sort();
    expect(files).toEqual(['findings.asff.json', 'findings.csv', 'findings.json', 'findings.ocsf.jsonl', 'report.html', 'resources.jsonl', 'scan.json']);
    for (const f of files) expect(leaked(await readFile(join(out, f), 'utf8')), `${f} holds a planted secret`).toBe(false);
    expect(leaked(r.stdout), 'stdout').toBe(false);
    expect(leaked(r.stderr), 'stderr').toBe(false);

    // The policies ran, and saw the keys with redacted values.
    const findings = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as { policyId: string; status: string; title: string; resourceType: string; errorMessage: string | null }[];
    const titleOf = (type: string) => findings.find((f) => f.policyId === 'Test.Leak' && f.resourceType === type && f.status === 'FAIL')?.title;
    expect(titleOf('AWS.Lambda.Function')).toContain(`.Environment.Variables.DB_PASSWORD=${REDACTED}`);
    expect(titleOf('AWS.CloudFormation.Stack')).toContain(`.Parameters[0].ParameterValue=${REDACTED}`);
    expect(titleOf('AWS.ECS.Cluster')).toContain(`.Environment[0].Value=${REDACTED}`);
    expect(titleOf('AWS.EC2.Instance')).toBeDefined();
    // The only AWS_* variables a policy sees are the ones that switch the SDK's credential chain off.
    expect(titleOf('AWS.Lambda.Function')).toMatch(/^env\[AWS_CONFIG_FILE=[^;]*;AWS_EC2_METADATA_DISABLED=true;AWS_SHARED_CREDENTIALS_FILE=[^;\]]*\]/);
    expect(findings).toContainEqual(expect.objectContaining({ policyId: 'Test.LeakError', status: 'ERROR', errorMessage: expect.stringContaining(`'DB_PASSWORD': '${REDACTED}'`) }));
    const resources = (await readFile(join(out, 'resources.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(resources.find((x) => x.Name === seeded.functionName)?.Environment).toEqual({ Variables: { DB_PASSWORD: REDACTED, STAGE: REDACTED }, Error: null });
  });

  it('local runtime: no planted value in delivered alerts (webhook, SNS topic) or the log', { timeout: 240_000 }, async () => {
    const hook: string[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        hook.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const logs: string[] = [];
    const capture = (m: string, extra?: Record<string, unknown>) => void logs.push(`${m} ${extra ? JSON.stringify(extra) : ''}`);

    // The caller's secrets are in this process's environment while the runtime starts its engine.
    const saved = { ...process.env };
    Object.assign(process.env, callerSecrets);
    const securityAccountId = randomAccountId();
    let rt: Awaited<ReturnType<typeof startLocalRuntime>> | undefined;
    try {
      rt = await startLocalRuntime({
        endpoint: motoEndpoint(),
        credentials: await accountCredentials(securityAccountId),
        policyDirs: [pack],
        registry: REGISTRY.filter((t) => TYPES.includes(t.type)),
        log: { info: capture, warn: capture, error: capture },
      });
    } finally {
      process.env = saved;
    }
    try {
      const member = await createMember(securityAccountId);
      const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((x) => x.RegionName!);
      member.account.excludeRegions = regions.filter((x) => x !== 'us-east-1' && !x.startsWith('cn-') && !x.startsWith('us-gov-'));
      await rt.deps.accounts.put(member.account);
      const seeded = await seedSecretBearingResources(member.clients, `leak-${run}`, markers);
      await expectPlanted(member.clients, seeded);

      await addDestination(
        { destinationId: 'leak-hook', type: 'webhook', minSeverity: 'Info', default: false, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` },
        { store: new DestinationStore(documentClient(rt.clients), rt.infra.tables.Destinations), secrets: rt.clients.get(SecretsManagerClient), now: new Date(), allowLoopbackHttp: true },
      );
      const sqs = rt.clients.get(SQSClient);
      const tap = (await sqs.send(new CreateQueueCommand({ QueueName: `leak-tap-${run}` }))).QueueUrl!;
      const tapArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: tap, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
      await rt.clients.get(SNSClient).send(new SubscribeCommand({ TopicArn: rt.infra.topicArn, Protocol: 'sqs', Endpoint: tapArn }));

      await rt.scan({ accountIds: [member.account.accountId] });

      const topic: string[] = [];
      for (;;) {
        const m = await sqs.send(new ReceiveMessageCommand({ QueueUrl: tap, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (!m.Messages?.length) break;
        topic.push(...m.Messages.map((x) => x.Body!));
      }
      // Test.Leak names the webhook; Test.LeakError's ERROR opens no alert. Every FAIL reached the hook.
      expect(hook.length).toBeGreaterThanOrEqual(TYPES.length);
      for (const body of hook) expect(leaked(body), `webhook body: ${body.slice(0, 300)}`).toBe(false);
      for (const body of topic) expect(leaked(body), 'SNS message').toBe(false);
      expect(logs.some((l) => l.includes('leak: environ')), 'the policy printed its environment to the log').toBe(true);
      for (const l of logs) expect(leaked(l), `log line: ${l.slice(0, 300)}`).toBe(false);
      // The resource history: a change to a secret value (a new secret variable) is a version with a
      // diff; neither the attributes nor the diff's previews may hold the value, only its key.
      await member.clients.get(LambdaClient).send(
        new UpdateFunctionConfigurationCommand({ FunctionName: seeded.functionName, Environment: { Variables: { DB_PASSWORD: markers.lambdaEnv, STAGE: 'prod', API_TOKEN: `tok-${MARK}` } } }),
      );
      await rt.scan({ accountIds: [member.account.accountId] });
      const history = await scanAll<Record<string, unknown>>(documentClient(rt.clients), { TableName: rt.infra.tables.ResourceHistory });
      const fnChange = history.find((h) => h.kind === 'version' && h.change === 'changed' && h.resourceType === 'AWS.Lambda.Function');
      expect(JSON.stringify(fnChange?.diff)).toContain('Environment.Variables.API_TOKEN');
      for (const h of history) expect(leaked(JSON.stringify(h)), `history record of ${String(h.resourceId)}`).toBe(false);
      const fnAlert = hook.map((b) => JSON.parse(b) as { resourceType: string; title: string; resource: { Environment?: unknown } | null }).find((a) => a.resourceType === 'AWS.Lambda.Function');
      expect(fnAlert?.resource?.Environment).toEqual({ Variables: { DB_PASSWORD: REDACTED, STAGE: REDACTED }, Error: null });
      expect(fnAlert?.title).toContain(`DB_PASSWORD=${REDACTED}`);
    } finally {
      await rt.close();
      await new Promise((r) => server.close(r));
    }
  });
});
