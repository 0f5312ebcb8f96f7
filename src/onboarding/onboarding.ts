/**
 * Onboarding a member account (DESIGN §1, §4, §5): validate and store it, publish the member
 * template and build the console quick-create link, start its baseline scan, discover accounts
 * of an Organization, and verify a member's setup (role, permissions, event rules, canary).
 * Ports come in as arguments so the CLI runs this against a deployed stack or a local runtime.
 */
import { accountRegions } from '#core/partitions.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsClients, ClientOptions } from '#aws/clients.ts';
import { AUDIT_ROLE_NAME_PATTERN, DEFAULT_AUDIT_ROLE_NAME, parseAccount, type Account } from '#accounts/account.ts';
import { iamActions, REGISTRY } from '#resources/index.ts';
import type { AccountStore } from '#store/account-store.ts';
import { SECURITY_AUDIT_POLICY } from './audit-role.ts';
import { RoleAssumer } from '#accounts/credentials.ts';
import { CANARY_EVENT_PREFIX, CANARY_SOURCE } from '#events/envelope.ts';
import { MEMBER_STACK_NAME, MEMBER_TEMPLATES_PREFIX, memberEventRules, renderCloudFormation } from './member-template.ts';

/** What onboarding needs of a target (a deployed stack or a local runtime). */
export interface OnboardingTarget {
  kind: 'stack' | 'local';
  /** Stack name, or the local runtime's endpoint URL. */
  name: string;
  clients: AwsClients;
  securityAccountId: string;
  bucket: string;
  outputs: Record<string, string>;
  accounts: AccountStore;
}

export const MEMBER_TEMPLATE_KEY = `${MEMBER_TEMPLATES_PREFIX}member.yml`;
const LOCAL_REALTIME_QUEUE = 'posture-realtime';

/** A strong random ExternalId (32 bytes, URL-safe base64: within IAM's allowed characters). */
export function generateExternalId(): string {
  return randomBytes(32).toString('base64url');
}

/** Validates `posture accounts add` input into an Account, with one-line errors naming the field. */
export function validateNewAccount(input: {
  accountId: string;
  name: string;
  externalId: string;
  /** The account's own audit role name (`--role-name`); absent: the deployment's. */
  roleName?: string;
  excludeRegions?: string[];
  excludeTypes?: string[];
  excludeResources?: string[];
  /** The trail bucket of the account's CloudTrail log-file source (`--cloudtrail-bucket`). */
  cloudtrailBucket?: string;
}): Account {
  if (input.roleName !== undefined && !AUDIT_ROLE_NAME_PATTERN.test(input.roleName)) {
    throw new Error(`account ${input.accountId}: roleName: '${input.roleName}' is not an IAM role name (up to 64 letters, digits and _+=,.@-, no path)`);
  }
  const known = new Set(REGISTRY.map((t) => t.type));
  const unknown = (input.excludeTypes ?? []).filter((t) => !known.has(t));
  if (unknown.length) throw new Error(`account ${input.accountId}: excludeTypes: unknown resource type ${unknown.join(', ')} (see posture resources)`);
  return parseAccount({ ...input, addedAt: new Date().toISOString() });
}

export function centralEventBusArn(target: OnboardingTarget, outputKey: string, localBusName: string): string {
  if (target.kind === 'stack') {
    const arn = target.outputs[outputKey];
    if (!arn) throw new Error(`--stack ${target.name}: output ${outputKey} is missing; is this a Posture stack?`);
    return arn;
  }
  return `arn:aws:events:${target.clients.region}:${target.securityAccountId}:event-bus/${localBusName}`;
}

/**
 * Uploads the member template to `bucket` (a stack's member-templates bucket, or the local
 * runtime's bucket), its AuditRoleName parameter defaulting to `auditRoleName` (the deployment's);
 * returns the URL quick-create reads it from (on the emulator: `emulatorEndpoint`'s). An account
 * with a role name of its own gets that name through the quick-create link's parameter.
 */
export async function publishMemberTemplate(clients: AwsClients, bucket: string, auditRoleName = DEFAULT_AUDIT_ROLE_NAME, emulatorEndpoint?: string): Promise<string> {
  await clients.get(S3Client).send(new PutObjectCommand({ Bucket: bucket, Key: MEMBER_TEMPLATE_KEY, Body: renderCloudFormation({ auditRoleName }), ContentType: 'text/yaml' }));
  return emulatorEndpoint ? `${emulatorEndpoint}/${bucket}/${MEMBER_TEMPLATE_KEY}` : `https://${bucket}.s3.${clients.region}.amazonaws.com/${MEMBER_TEMPLATE_KEY}`;
}

/**
 * Why `accountId` cannot read the published template (undefined when it can, or may: membership
 * of the Organization is not checked here). `readers` is the stack's MemberTemplateReaders output.
 */
export function templateReadProblem(accountId: string, securityAccountId: string, readers: string): string | undefined {
  const list = readers === 'none' ? [] : readers.split(',');
  if (accountId === securityAccountId || list.includes(accountId) || list.some((r) => r.startsWith('o-'))) return undefined;
  return (
    `account ${accountId} cannot read the template URL: the stack admits ${list.length ? list.join(', ') : 'no member account'}; ` +
    `redeploy with -c organizationId=o-... or add it to -c memberAccountIds, or create the stack from the file posture templates prints`
  );
}

/** The AWS console's CloudFormation quick-create link with the parameters filled in. */
export function quickCreateLink(
  region: string,
  templateUrl: string,
  params: { securityAccountId: string; externalId: string; eventBusArn: string; auditRoleName: string },
): string {
  const q = new URLSearchParams({
    templateURL: templateUrl,
    stackName: MEMBER_STACK_NAME,
    param_SecurityAccountId: params.securityAccountId,
    param_ExternalId: params.externalId,
    param_CentralEventBusArn: params.eventBusArn,
    param_AuditRoleName: params.auditRoleName,
    param_DeployAuditRole: 'true',
  });
  return `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/quickcreate?${q.toString()}`;
}

/** Active accounts of the Organization, but the security account. */
export async function organizationAccounts(clients: AwsClients, securityAccountId: string): Promise<{ accountId: string; name: string }[]> {
  const out: { accountId: string; name: string }[] = [];
  let token: string | undefined;
  do {
    const r = await clients.get(OrganizationsClient).send(new ListAccountsCommand({ NextToken: token }));
    for (const a of r.Accounts ?? []) {
      if (a.Id && a.Id !== securityAccountId && (a.Status ?? 'ACTIVE') === 'ACTIVE') out.push({ accountId: a.Id, name: a.Name ?? a.Id });
    }
    token = r.NextToken;
  } while (token);
  return out.sort((a, b) => a.accountId.localeCompare(b.accountId));
}

// ---------------------------------------------------------------- verify

export interface Check {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
}

export interface VerifyOptions {
  /** The deployment's audit role name, assumed when the account names none (default DEFAULT_AUDIT_ROLE_NAME). */
  auditRoleName?: string;
  /** The role names the deployment may assume (a stack's grant); given: a check that the account's is one of them. */
  assumableRoleNames?: string[];
  /** Endpoint of the emulator (local runtime), for the member-role clients. */
  endpoint?: string;
  /** Options for the member-role clients (the local runtime injects its emulator workarounds). */
  clientOptions?: Omit<ClientOptions, 'region' | 'credentials' | 'endpoint'>;
  partition?: string;
  /** Clients that may PutEvents in the member account (the audit role is read-only); default: the audit role (emulator). */
  canaryClients?: (region: string) => EventBridgeClient;
  /** Where canaries arrive locally (the runtime's realtime queue); absent: the real-time path records them on the account. */
  realtimeQueueUrl?: string;
  /** How long to wait for canaries. */
  canaryTimeoutMs?: number;
  /** Regions to check instead of the account's scanned regions. */
  regions?: string[];
  /** Why the canary is not sent (e.g. no credentials that may PutEvents in the member account). */
  skipCanary?: string;
}

const glob = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}
/** The statements of a policy document (IAM returns them URL-encoded); throws naming the policy. */
const statements = (doc: string, policy = 'policy document'): Statement[] => {
  let parsed: { Statement?: Statement | Statement[] };
  try {
    parsed = JSON.parse(/^%7b/i.test(doc) ? decodeURIComponent(doc) : doc) as typeof parsed;
  } catch {
    throw new Error(`${policy} is not a JSON policy document`);
  }
  return [parsed.Statement ?? []].flat();
};
const list = (v: string | string[] | undefined) => [v ?? []].flat();

/** The local runtime's realtime queue URL. */
export async function localRealtimeQueueUrl(target: OnboardingTarget): Promise<string> {
  return (await target.clients.get(SQSClient).send(new GetQueueUrlCommand({ QueueName: LOCAL_REALTIME_QUEUE }))).QueueUrl!;
}

/** What verify needs of a target: the security account's clients and the Accounts table (canary arrivals). */
export type VerifyTarget = Pick<OnboardingTarget, 'clients' | 'accounts'>;

/** Runs every check of `posture accounts verify`; never throws for a failing check. */
export async function verifyAccount(target: VerifyTarget, account: Account, eventBusArn: string, opts: VerifyOptions = {}): Promise<Check[]> {
  const partition = opts.partition ?? 'aws';
  const access = new RoleAssumer({
    base: target.clients,
    partition,
    defaultRoleName: opts.auditRoleName ?? DEFAULT_AUDIT_ROLE_NAME,
    endpoint: opts.endpoint,
    sessionName: 'posture-verify',
    clientOptions: { ...opts.clientOptions, maxAttempts: 2 },
  });
  const roleName = access.roleName(account);
  const role: MemberRole = {
    account,
    member: access.clients(account, target.clients.region),
    roleName,
    roleArn: access.roleArn(account),
    iamRoleName: roleName.slice(roleName.lastIndexOf('/') + 1), // IAM's RoleName: without the path
    partition,
  };
  const checks: Check[] = [...roleGrantCheck(role, opts)];
  const trust = await roleCheck(role);
  checks.push(...trust.checks);
  if (!trust.ok) {
    for (const name of ['permissions', 'event rules', 'canary']) checks.push({ name, status: 'skip', detail: 'role not assumable' });
    return checks;
  }
  checks.push(await permissionsCheck(role.member.get(IAMClient), role.iamRoleName, role.roleArn, partition));
  const rules = await eventRulesChecks(role, eventBusArn, opts);
  checks.push(...rules.checks);
  checks.push(...(await canaryChecks(target, role, rules.okRegions, opts)));
  return checks;
}

/** The member account's audit role as verify sees it. */
interface MemberRole {
  account: Account;
  /** Clients acting through the role. */
  member: AwsClients;
  roleName: string;
  roleArn: string;
  iamRoleName: string;
  partition: string;
}

/** 0. The deployment may assume that role name at all (its sts:AssumeRole grant names the roles). */
function roleGrantCheck(role: MemberRole, opts: VerifyOptions): Check[] {
  if (!opts.assumableRoleNames || opts.assumableRoleNames.includes(role.roleName)) return [];
  return [
    {
      name: 'role granted',
      status: 'fail',
      detail: `the stack may assume only ${opts.assumableRoleNames.join(', ')}, not ${role.roleName}: redeploy it with -c additionalAuditRoleNames=${role.roleName}`,
    },
  ];
}

/**
 * 1. The role is assumable with the ExternalId, exists (an emulator hands out credentials for any
 * role ARN), and its trust requires the ExternalId.
 */
async function roleCheck({ account, member, roleArn, iamRoleName }: MemberRole): Promise<{ ok: boolean; checks: Check[] }> {
  let trustDoc: string;
  try {
    const who = await member.get(STSClient).send(new GetCallerIdentityCommand({}));
    if (who.Account !== account.accountId) throw new Error(`assumed credentials act in account ${who.Account}, not ${account.accountId}`);
    const role = await member.get(IAMClient).send(new GetRoleCommand({ RoleName: iamRoleName })).catch((err: Error) => {
      throw new Error(err.name === 'NoSuchEntityException' || err.name === 'NoSuchEntity' ? `${roleArn} does not exist (deploy the member template)` : `cannot read ${roleArn}: ${err.name}: ${err.message}`);
    });
    trustDoc = role.Role!.AssumeRolePolicyDocument!;
  } catch (err) {
    return { ok: false, checks: [{ name: 'role assumable', status: 'fail', detail: (err as Error).message }] };
  }
  const requires = statements(trustDoc, 'the trust policy').every((s) => s.Effect !== 'Allow' || JSON.stringify((s as { Condition?: unknown }).Condition ?? {}).includes('sts:ExternalId'));
  return {
    ok: true,
    checks: [
      { name: 'role assumable', status: 'pass', detail: `${roleArn} with the ExternalId` },
      requires
        ? { name: 'ExternalId required', status: 'pass', detail: 'every Allow statement of the trust policy has an sts:ExternalId condition' }
        : { name: 'ExternalId required', status: 'fail', detail: 'the trust policy allows AssumeRole without an sts:ExternalId condition (confused-deputy risk)' },
    ],
  };
}

/** 3. The member rules in each scanned region (or `opts.regions`), enabled and targeting the central bus. */
async function eventRulesChecks({ account, member, partition }: MemberRole, eventBusArn: string, opts: VerifyOptions): Promise<{ checks: Check[]; okRegions: string[] }> {
  const checks: Check[] = [];
  let regions = opts.regions;
  if (!regions) {
    try {
      const r = await member.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
      // The account's partition's enabled regions only: another partition's are not scanned.
      regions = accountRegions(r.Regions ?? [], partition, account.excludeRegions).enabled;
    } catch (err) {
      checks.push({ name: 'event rules', status: 'fail', detail: `cannot list the account's regions: ${(err as Error).message}` });
      regions = [];
    }
  }
  const expected = memberEventRules();
  const okRegions: string[] = [];
  for (const region of regions) {
    const events = member.get(EventBridgeClient, region);
    try {
      const rules = (await events.send(new ListRulesCommand({ EventBusName: 'default', NamePrefix: 'posture-member-events' }))).Rules ?? [];
      const problems: string[] = [];
      for (const want of expected) {
        const rule = rules.find((r) => r.Name === want.name);
        if (!rule) {
          problems.push(`${want.name} missing`);
          continue;
        }
        if (rule.State !== 'ENABLED') problems.push(`${want.name} is ${rule.State}`);
        const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: want.name, EventBusName: 'default' }))).Targets ?? [];
        if (!targets.some((t) => t.Arn === eventBusArn)) problems.push(`${want.name} does not target ${eventBusArn}`);
      }
      if (problems.length) checks.push({ name: `event rules ${region}`, status: 'fail', detail: `${problems.join('; ')} (deploy the member template in ${region})` });
      else {
        okRegions.push(region);
        checks.push({ name: `event rules ${region}`, status: 'pass', detail: `${expected.length} rules targeting the central bus` });
      }
    } catch (err) {
      checks.push({ name: `event rules ${region}`, status: 'fail', detail: `${(err as Error).name}: ${(err as Error).message}` });
    }
  }
  return { checks, okRegions };
}

/** 4. A canary through the member rule of each region whose rules are in place, to the real-time path. */
async function canaryChecks(target: VerifyTarget, { account, member }: MemberRole, okRegions: readonly string[], opts: VerifyOptions): Promise<Check[]> {
  if (okRegions.length === 0 || opts.skipCanary) return [{ name: 'canary', status: 'skip', detail: opts.skipCanary ?? 'no region with the member rules' }];
  const checks: Check[] = [];
  const rule = memberEventRules()[0]!;
  const detail = rule.pattern.detail as { eventSource: string[]; eventName: string[] };
  const sent = new Map<string, string>();
  for (const region of okRegions) {
    const eventID = `${CANARY_EVENT_PREFIX}${randomUUID()}`;
    const client = opts.canaryClients ? opts.canaryClients(region) : member.get(EventBridgeClient, region);
    try {
      const r = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'default',
              Source: CANARY_SOURCE,
              DetailType: 'AWS API Call via CloudTrail',
              Detail: JSON.stringify({
                eventVersion: '1.08',
                eventID,
                eventTime: new Date().toISOString(),
                eventSource: detail.eventSource[0],
                eventName: detail.eventName[0],
                eventType: 'AwsApiCall',
                awsRegion: region,
                recipientAccountId: account.accountId,
                readOnly: false,
                userIdentity: { type: 'AWSService', invokedBy: 'posture accounts verify' },
                requestParameters: null,
                responseElements: null,
                posture: { canary: true },
              }),
            },
          ],
        }),
      );
      if (r.FailedEntryCount) throw new Error(`${r.Entries?.[0]?.ErrorCode ?? 'PutEvents failed'}: ${r.Entries?.[0]?.ErrorMessage ?? ''}`);
      sent.set(eventID, region);
    } catch (err) {
      checks.push({ name: `canary ${region}`, status: 'fail', detail: `cannot send the canary: ${(err as Error).name}: ${(err as Error).message}` });
    }
  }
  const ids = new Set(sent.keys());
  // Locally nothing consumes the queue, so the canary is read from it; deployed, RealtimeRescan
  // consumes it and records its arrival on the account's item, which is polled here.
  const where = opts.realtimeQueueUrl ? 'arrived on the realtime queue' : 'was recorded by the real-time path';
  const arrived = opts.realtimeQueueUrl
    ? await awaitCanaries(target.clients.get(SQSClient), opts.realtimeQueueUrl, ids, opts.canaryTimeoutMs ?? 10_000)
    : await awaitRecordedCanaries(target.accounts, account.accountId, ids, opts.canaryTimeoutMs ?? 60_000);
  for (const [id, region] of sent) {
    checks.push(
      arrived.has(id)
        ? { name: `canary ${region}`, status: 'pass', detail: `${id} went through ${rule.name} and ${where}` }
        : { name: `canary ${region}`, status: 'fail', detail: `${id} was sent but never ${where} (check the central bus policy and rule, and RealtimeRescan's logs)` },
    );
  }
  return checks;
}

/** Polls the account's item until every canary is recorded or the time is up. */
async function awaitRecordedCanaries(accounts: AccountStore, accountId: string, ids: Set<string>, timeoutMs: number): Promise<Set<string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = new Set([...(await accounts.canaryArrivals(accountId)).keys()].filter((id) => ids.has(id)));
    if (found.size === ids.size || Date.now() >= deadline) return found;
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
  }
}

/** Reads the realtime queue without taking other messages (visibility 0), deleting the canaries found. */
async function awaitCanaries(sqs: SQSClient, queueUrl: string, ids: Set<string>, timeoutMs: number): Promise<Set<string>> {
  const found = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while (found.size < ids.size && Date.now() < deadline) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
    for (const m of r.Messages ?? []) {
      let id: unknown;
      try {
        id = (JSON.parse(m.Body ?? '') as { detail?: { eventID?: unknown } }).detail?.eventID;
      } catch {
        continue;
      }
      if (typeof id === 'string' && ids.has(id)) {
        found.add(id);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
  }
  return found;
}

async function permissionsCheck(iam: IAMClient, roleName: string, roleArn: string, partition: string): Promise<Check> {
  const extra = iamActions();
  const securityAuditArn = `arn:${partition}:iam::aws:${SECURITY_AUDIT_POLICY}`;
  // SecurityAudit's concrete actions (wildcards such as iam:Get* cannot be simulated one by one).
  let auditActions: string[] = [];
  try {
    const p = await iam.send(new GetPolicyCommand({ PolicyArn: securityAuditArn }));
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: securityAuditArn, VersionId: p.Policy!.DefaultVersionId! }));
    auditActions = statements(v.PolicyVersion!.Document!)
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => list(s.Action))
      .filter((a) => !a.includes('*'));
  } catch {
    // Not readable: simulate the extra actions only; the attachment is still checked below.
  }
  const wanted = [...new Set([...auditActions, ...extra])];
  try {
    const denied: string[] = [];
    for (let i = 0; i < wanted.length; i += 50) {
      let marker: string | undefined;
      do {
        const r = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: wanted.slice(i, i + 50), Marker: marker }));
        for (const e of r.EvaluationResults ?? []) if (e.EvalDecision !== 'allowed') denied.push(e.EvalActionName!);
        marker = r.IsTruncated ? r.Marker : undefined;
      } while (marker);
    }
    return denied.length
      ? { name: 'permissions', status: 'fail', detail: `missing (iam:SimulatePrincipalPolicy): ${denied.sort().join(', ')}` }
      : { name: 'permissions', status: 'pass', detail: `iam:SimulatePrincipalPolicy allows all ${wanted.length} actions (SecurityAudit + ${extra.length} extra)` };
  } catch (err) {
    const why = `iam:SimulatePrincipalPolicy is not available here (${(err as Error).name}); checked the role's policies instead`;
    return withWhy(await policiesCheck(iam, roleName, securityAuditArn, extra), why);
  }
}

const withWhy = (c: Check, why: string): Check => ({ ...c, detail: `${c.detail} — ${why}` });

/** Fallback: SecurityAudit attached, and the extra actions allowed by the role's own policies. */
async function policiesCheck(iam: IAMClient, roleName: string, securityAuditArn: string, extra: string[]): Promise<Check> {
  try {
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
    const docs: [string, string][] = [];
    for (const name of (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? []) {
      docs.push([`inline policy ${name}`, (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument!]);
    }
    for (const p of attached) {
      if (p.PolicyArn === securityAuditArn) continue;
      const meta = await iam.send(new GetPolicyCommand({ PolicyArn: p.PolicyArn }));
      docs.push([p.PolicyArn!, (await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.PolicyArn, VersionId: meta.Policy!.DefaultVersionId! }))).PolicyVersion!.Document!]);
    }
    const allows = docs.flatMap(([name, doc]) => statements(doc, name)).filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*'));
    const missing = extra.filter((a) => !allows.some((s) => list(s.Action).some((p) => glob(p, a))));
    if (!attached.some((p) => p.PolicyArn === securityAuditArn)) missing.unshift(`SecurityAudit (${securityAuditArn} not attached)`);
    return missing.length
      ? { name: 'permissions', status: 'fail', detail: `missing: ${missing.join(', ')}` }
      : { name: 'permissions', status: 'pass', detail: `SecurityAudit attached and the ${extra.length} extra actions allowed` };
  } catch (err) {
    return { name: 'permissions', status: 'fail', detail: `cannot read the role's policies: ${(err as Error).name}: ${(err as Error).message}` };
  }
}
