/** `posture accounts add|list|verify|remove`: onboard member accounts of a deployed stack or a local runtime. */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { InvalidArgumentError, type Command } from 'commander';
import { OUTPUTS } from '../../../lib/outputs.ts';
import { type Account, DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import {
  centralEventBusArn,
  generateExternalId,
  localRealtimeQueueUrl,
  organizationAccounts,
  publishMemberTemplate,
  templateReadProblem,
  quickCreateLink,
  validateNewAccount,
  verifyAccount,
  type Check,
  type OnboardingTarget,
} from '#onboarding/onboarding.ts';
import { startBaselineScan } from '#onboarding/baseline-scan.ts';
import { CENTRAL_BUS_NAME } from '#events/envelope.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import type { LedgerStore } from '#store/ledger-store.ts';
import { lastScanSummary, parkedLine, parkedMessages, scanLines, type ParkedQueue, type ScanSummary } from '../status.ts';
import { resolveTarget, TargetError, type TargetOptions } from '../target.ts';
import { renderTable } from '../table.ts';
import { EMULATOR_CLIENT_OPTIONS } from '#local/emulator-retry.ts';
import { addFormatOptions, addIdArgument, addRegionsOption, addTargetOptions, collectList, idOf, typeList } from './options.ts';

export interface AccountsIo {
  out(line: string): void;
  err(line: string): void;
}

export interface AccountsDeps {
  target: OnboardingTarget;
  /** Starts the baseline scan of these accounts; returns an ID to show. Default: Step Functions (stack) or a local runtime on the endpoint. */
  scan?: (accountIds: string[]) => Promise<string>;
  /** Local runtime: the emulator endpoint the member-role clients use. */
  endpoint?: string;
  /** The scan ledger: verify shows the account's last scheduled scan from it (absent: not shown). */
  ledger?: Pick<LedgerStore, 'lastScheduledScan' | 'forScanOf'>;
  io?: AccountsIo;
}

const consoleIo: AccountsIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Invalid input, a missing account or an unreachable target: exit 2. Failing checks: exit 1. */
class UsageError extends Error {}

export interface AddOptions {
  id?: string;
  name?: string;
  excludeRegions?: string[];
  excludeTypes?: string[];
  excludeResources?: string[];
  externalId?: string;
  /** The account's own audit role name (default: the deployment's, the stack's AuditRoleName output). */
  roleName?: string;
  fromOrganization?: boolean;
  /** The trail bucket whose CloudTrail log files are this account's second real-time source. */
  cloudtrailBucket?: string;
  /** false (`--no-scan`): no baseline scan. */
  scan?: boolean;
}

async function defaultScan(target: OnboardingTarget, accountIds: string[]): Promise<string> {
  if (target.kind === 'stack') {
    const arn = target.outputs[OUTPUTS.stateMachineArn];
    if (!arn) throw new Error(`--stack ${target.name}: output ${OUTPUTS.stateMachineArn} is missing; is this a Posture stack?`);
    return startBaselineScan(target.clients.get(SFNClient), arn, accountIds);
  }
  const rt = await startLocalRuntime({ endpoint: target.name });
  try {
    return await rt.scan({ accountIds });
  } finally {
    await rt.close();
  }
}

/** The central event bus: the stack's output, or the local runtime's bus. */
export const eventBus = (target: OnboardingTarget): string => centralEventBusArn(target, OUTPUTS.eventBusArn, CENTRAL_BUS_NAME);

/**
 * The deployment's audit role name (assumed in accounts that name none) and, for a stack, every
 * name its grant allows (undefined locally: the emulator enforces no grant).
 */
export function deploymentRoles(target: OnboardingTarget): { auditRoleName: string; assumable?: string[] } {
  if (target.kind === 'local') return { auditRoleName: target.outputs[OUTPUTS.auditRoleName] ?? DEFAULT_AUDIT_ROLE_NAME };
  const auditRoleName = target.outputs[OUTPUTS.auditRoleName];
  if (!auditRoleName) throw new UsageError(`--stack ${target.name}: output ${OUTPUTS.auditRoleName} is missing; is this a Posture stack?`);
  const additional = target.outputs[OUTPUTS.additionalAuditRoleNames];
  return { auditRoleName, assumable: [auditRoleName, ...(additional && additional !== 'none' ? additional.split(',') : [])] };
}

/**
 * What a member account's stack needs of this deployment: the central bus, the audit role name,
 * and the member template published where quick-create reads it (`accounts add` and the console).
 */
export async function memberSetup(target: OnboardingTarget): Promise<{ eventBusArn: string; auditRoleName: string; templateUrl: string }> {
  const roles = deploymentRoles(target);
  let templatesBucket = target.bucket;
  if (target.kind === 'stack') {
    templatesBucket = target.outputs[OUTPUTS.templatesBucket] ?? '';
    if (!templatesBucket) throw new UsageError(`--stack ${target.name}: output ${OUTPUTS.templatesBucket} is missing; update the stack (npx cdk deploy)`);
  }
  return { eventBusArn: eventBus(target), auditRoleName: roles.auditRoleName, templateUrl: await publishMemberTemplate(target.clients, templatesBucket, roles.auditRoleName, target.kind === 'local' ? target.name : undefined) };
}

export async function accountsAdd(deps: AccountsDeps, opts: AddOptions): Promise<number> {
  const io = deps.io ?? consoleIo;
  const { target } = deps;
  if (Boolean(opts.id) === Boolean(opts.fromOrganization)) throw new UsageError('give exactly one of --id ACCOUNT_ID (with --name) or --from-organization');
  if (opts.id && !opts.name) throw new UsageError(`account ${opts.id}: --name is required`);
  if (opts.fromOrganization && opts.name) throw new UsageError('--name: not used with --from-organization (the Organization names the accounts)');

  const wanted = opts.fromOrganization ? await organizationAccounts(target.clients, target.securityAccountId) : [{ accountId: opts.id!, name: opts.name! }];
  if (opts.fromOrganization) io.out(`Organization: ${wanted.length} member account(s) besides the security account ${target.securityAccountId}`);
  const roles = deploymentRoles(target);
  if (opts.roleName !== undefined && roles.assumable && !roles.assumable.includes(opts.roleName)) {
    throw new UsageError(
      `--role-name ${opts.roleName}: the stack ${target.name} may assume only ${roles.assumable.join(', ')}; ` +
        `redeploy it with -c additionalAuditRoleNames=${opts.roleName} first (npx cdk deploy)`,
    );
  }
  // Validate everything before storing anything.
  const accounts: Account[] = [];
  for (const w of wanted) {
    try {
      accounts.push(
        validateNewAccount({
          ...w,
          externalId: opts.externalId ?? generateExternalId(),
          roleName: opts.roleName,
          excludeRegions: opts.excludeRegions,
          excludeTypes: opts.excludeTypes,
          excludeResources: opts.excludeResources,
          cloudtrailBucket: opts.cloudtrailBucket,
        }),
      );
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (w.accountId === target.securityAccountId && !opts.fromOrganization) {
      io.out(`note: ${w.accountId} is the security account itself; it is scanned through its own ${accounts.at(-1)!.roleName ?? roles.auditRoleName} like any member`);
    }
  }
  const existing = new Set((await target.accounts.list()).map((a) => a.accountId));
  const fresh = accounts.filter((a) => {
    if (!existing.has(a.accountId)) return true;
    if (!opts.fromOrganization) throw new UsageError(`account ${a.accountId}: already onboarded (posture accounts remove --id ${a.accountId} first to change it)`);
    io.out(`skip ${a.accountId}: already onboarded`);
    return false;
  });

  const { eventBusArn: busArn, templateUrl } = await memberSetup(target);
  const roleName = opts.roleName ?? roles.auditRoleName;
  for (const a of fresh) {
    await target.accounts.put(a);
    io.out(`added ${a.accountId} (${a.name})`);
    io.out(`  ExternalId: ${a.externalId}${opts.externalId ? '' : '   (generated; keep it with the member stack parameters)'}`);
    io.out(`  audit role: arn:aws:iam::${a.accountId}:role/${roleName}${a.roleName ? '   (its own --role-name)' : "   (the deployment's auditRoleName)"}`);
    if (a.excludeRegions.length || a.excludeTypes.length || a.excludeResources.length) {
      io.out(`  exclusions: regions [${a.excludeRegions.join(', ')}], types [${a.excludeTypes.join(', ')}], resources [${a.excludeResources.join(', ')}]`);
    }
    if (a.cloudtrailBucket) {
      const named = target.kind === 'stack' ? (target.outputs[OUTPUTS.cloudtrailBuckets] ?? '').split(',') : undefined;
      io.out(`  real time also from CloudTrail log files in s3://${a.cloudtrailBucket} (README: Real-time sources)`);
      if (named && !named.includes(a.cloudtrailBucket)) {
        io.err(`  warning: the stack ${target.name} does not read s3://${a.cloudtrailBucket}: redeploy it with -c posture:cloudtrailBuckets=${[...named.filter(Boolean), a.cloudtrailBucket].join(',')}`);
      }
    }
    io.out(`  deploy the member template in ${a.accountId} (CloudFormation quick-create, signed in to that account):`);
    io.out(
      `  ${quickCreateLink(target.clients.region, templateUrl, { securityAccountId: target.securityAccountId, externalId: a.externalId, eventBusArn: busArn, auditRoleName: roleName })}`,
    );
    const unreadable = target.kind === 'stack' ? templateReadProblem(a.accountId, target.securityAccountId, target.outputs[OUTPUTS.templateReaders] ?? 'none') : undefined;
    if (unreadable) io.err(`  warning: ${unreadable}`);
  }
  const one = fresh.length === 1 ? fresh[0]! : undefined;
  if (fresh.length) {
    const roleFlag = roleName === DEFAULT_AUDIT_ROLE_NAME ? '' : ` --role-name ${roleName}`;
    io.out(`  (or: posture templates --security-account ${target.securityAccountId} --external-id ${one?.externalId ?? '<ExternalId>'} --event-bus-arn ${busArn}${roleFlag} --format terraform)`);
  }
  io.out(`then check the setup with: posture accounts verify --id ${one?.accountId ?? '<account>'} ${target.kind === 'stack' ? `--stack ${target.name}` : `--endpoint ${target.name}`}`);
  if (fresh.length && opts.scan !== false) {
    const ids = fresh.map((a) => a.accountId);
    const run = await (deps.scan ?? ((x: string[]) => defaultScan(target, x)))(ids);
    // Deployed: a Step Functions execution runs it; locally it ran in this process.
    io.out(`baseline scan ${target.kind === 'stack' ? 'started' : 'done'} for ${ids.join(', ')}: ${run}`);
  }
  return 0;
}

export async function accountsList(deps: AccountsDeps, opts: { json?: boolean }): Promise<number> {
  const io = deps.io ?? consoleIo;
  const accounts = await deps.target.accounts.list();
  if (opts.json) {
    // The ExternalId is a shared secret: never printed by list.
    io.out(JSON.stringify(accounts.map(({ externalId: _secret, ...rest }) => rest)));
    return 0;
  }
  if (accounts.length === 0) {
    io.out('no accounts onboarded (posture accounts add --id ACCOUNT_ID --name NAME)');
    return 0;
  }
  // An account without a role name of its own is assumed through the deployment's.
  const deploymentRole = `${deps.target.outputs[OUTPUTS.auditRoleName] || DEFAULT_AUDIT_ROLE_NAME} (deployment)`;
  const rows = accounts.map((a) => {
    const excl = [
      a.excludeRegions.length ? `regions: ${a.excludeRegions.join(',')}` : '',
      a.excludeTypes.length ? `types: ${a.excludeTypes.join(',')}` : '',
      a.excludeResources.length ? `resources: ${a.excludeResources.join(',')}` : '',
    ].filter(Boolean);
    return [a.accountId, a.name, a.enabled ? 'yes' : 'no', a.addedAt ?? '', excl.join('; ') || '-', a.roleName ?? deploymentRole, a.cloudtrailBucket ?? '-'];
  });
  for (const line of renderTable(['ACCOUNT', 'NAME', 'ENABLED', 'ADDED', 'EXCLUSIONS', 'AUDIT ROLE', 'CLOUDTRAIL BUCKET'], rows, 80).split('\n')) io.out(line);
  return 0;
}

export interface VerifyCliOptions {
  id: string;
  regions?: string[];
  /** AWS profile with events:PutEvents in the member account, for the canary of a deployed stack. */
  memberProfile?: string;
  json?: boolean;
  canaryTimeoutMs?: number;
}

export interface VerifyResult {
  code: number;
  checks: Check[];
  /** The account's last scheduled scan (null: none yet; undefined: no ledger given). */
  lastScan?: ScanSummary | null;
  /** Messages parked per dead-letter queue, or why they could not be read. */
  parked?: ParkedQueue[] | string;
}

/** The checks of `posture accounts verify` for an onboarded account (the console's wizard runs these too). */
export async function verifyChecks(
  deps: Pick<AccountsDeps, 'target' | 'endpoint'>,
  account: Account,
  opts: Pick<VerifyCliOptions, 'regions' | 'memberProfile' | 'canaryTimeoutMs'> = {},
): Promise<Check[]> {
  const { target } = deps;
  const local = target.kind === 'local';
  const roles = deploymentRoles(target);
  return verifyAccount(target, account, eventBus(target), {
    auditRoleName: roles.auditRoleName,
    assumableRoleNames: roles.assumable,
    endpoint: local ? (deps.endpoint ?? target.name) : undefined,
    clientOptions: local ? EMULATOR_CLIENT_OPTIONS : undefined,
    regions: opts.regions,
    realtimeQueueUrl: local ? await localRealtimeQueueUrl(target) : undefined,
    canaryTimeoutMs: opts.canaryTimeoutMs,
    canaryClients: opts.memberProfile ? (region) => new EventBridgeClient({ region, profile: opts.memberProfile }) : undefined,
    // Deployed: the read-only audit role cannot PutEvents, so the canary needs the member's own credentials.
    skipCanary: !local && !opts.memberProfile ? `not sent: the audit role is read-only; give --member-profile PROFILE (events:PutEvents in ${account.accountId})` : undefined,
  });
}

export async function accountsVerify(deps: AccountsDeps, opts: VerifyCliOptions): Promise<VerifyResult> {
  const io = deps.io ?? consoleIo;
  const { target } = deps;
  const account = await target.accounts.get(opts.id);
  if (!account) throw new UsageError(`account ${opts.id}: not onboarded (posture accounts list)`);
  const checks = await verifyChecks(deps, account, opts);
  const final = checks;
  const code = final.some((c) => c.status === 'fail') ? 1 : 0;
  // What the scans saw of the account, and what is parked (whole stack): shown, not checks —
  // `posture status` exits 1 on them.
  const lastScan = deps.ledger ? await lastScanSummary(deps.ledger, account.accountId) : undefined;
  let parked: ParkedQueue[] | string | undefined;
  if (deps.ledger) parked = await parkedMessages(target).catch((err: Error) => `unknown (${err.message})`);
  if (opts.json) io.out(JSON.stringify({ accountId: account.accountId, ok: code === 0, checks: final, ...(deps.ledger ? { lastScan, parked } : {}) }));
  else {
    for (const c of final) io.out(`${c.status.toUpperCase().padEnd(4)}  ${c.name}: ${c.detail}`);
    if (deps.ledger) {
      io.out(`last scheduled scan of ${account.accountId}:`);
      for (const line of scanLines(lastScan ?? null)) io.out(line);
      io.out(`parked messages (whole stack): ${typeof parked === 'string' ? parked : parkedLine(parked ?? [])}`);
    }
    io.out(code === 0 ? `account ${account.accountId}: verified` : `account ${account.accountId}: ${final.filter((c) => c.status === 'fail').length} check(s) failed`);
  }
  return { code, checks: final, lastScan, parked };
}

export async function accountsRemove(deps: AccountsDeps, opts: { id: string }): Promise<number> {
  const io = deps.io ?? consoleIo;
  const account = await deps.target.accounts.get(opts.id);
  if (!account) throw new UsageError(`account ${opts.id}: not onboarded (posture accounts list)`);
  await deps.target.accounts.remove(opts.id);
  io.out(`removed ${opts.id} (${account.name}): it is no longer scanned and its events are dropped.`);
  io.out('  its stored resources, compliance and alerts stay until the next reconciliation; the member stack (role, rules) stays in the account until you delete it.');
  return 0;
}

// ---------------------------------------------------------------- commander

type WithTarget<T> = T & TargetOptions;

const collect = collectList;
const targetOptions = (cmd: Command): Command => addTargetOptions(cmd);

async function run(verb: string, opts: TargetOptions, fn: (deps: AccountsDeps) => Promise<number>): Promise<void> {
  try {
    const t = await resolveTarget({ stack: opts.stack, endpoint: opts.endpoint, region: opts.region });
    process.exitCode = await fn({ target: t, endpoint: t.kind === 'local' ? t.name : undefined, ledger: t.ledger });
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof TargetError)) throw err;
    console.error(`posture accounts ${verb}: ${err.message}`);
    process.exitCode = 2;
  }
}

export function registerAccounts(program: Command): void {
  const accounts = program.command('accounts').description('onboard, list, verify and remove member accounts');
  targetOptions(
    accounts
      .command('add')
      .description('onboard a member account: store it, print its ExternalId and CloudFormation quick-create link, start its baseline scan')
      .option('--id <accountId>', 'the 12-digit member account ID')
      .option('--name <name>', 'a display name')
      .option('--exclude-regions <regions...>', 'regions not to scan (repeat or comma-separate)', collect)
      .option('--exclude-types <types...>', 'resource types or services not to scan, e.g. AWS.EC2.AMI or ec2 (repeat or comma-separate)', typeList)
      .option('--exclude-resources <regex...>', 'regular expressions of resource IDs not to store or evaluate')
      .option('--external-id <id>', 'the ExternalId (default: a strong random one, printed)')
      .option(
        '--role-name <name>',
        "the account's own audit role name (default: the deployment's -c auditRoleName, followed when it changes); a stack must be deployed with it in -c additionalAuditRoleNames",
      )
      .option(
        '--cloudtrail-bucket <bucket>',
        "the trail bucket whose CloudTrail log files also feed this account's real-time rescans (the stack must read it: -c posture:cloudtrailBuckets)",
      )
      .option('--from-organization', 'add every active account of the AWS Organization (Organizations ListAccounts), the security account excepted')
      .option('--no-scan', 'do not start the baseline scan'),
  ).action((opts: WithTarget<AddOptions>) => run('add', opts, (deps) => accountsAdd(deps, opts)));
  targetOptions(addFormatOptions(accounts.command('list').description('list the onboarded accounts'), ['table', 'json'], 'table')).action((opts: WithTarget<{ json?: boolean }>) =>
    run('list', opts, (deps) => accountsList(deps, opts)),
  );
  const verify = accounts.command('verify');
  addRegionsOption(verify, 'check these regions instead of every scanned region');
  addFormatOptions(verify, ['text', 'json'], 'text');
  targetOptions(
    addIdArgument(verify, 'the account to verify')
      .description(
        'check a member account: role assumable with the ExternalId, permissions, event rules per scanned region, a canary event end to end (exit 1 on a failed check); ' +
          'also shows its last scheduled scan (scopes OK / not evaluated, with reasons) and the messages parked on the dead-letter queues',
      )
      .option('--member-profile <profile>', 'AWS profile with events:PutEvents in the member account, to send the canary (deployed stacks)')
      .option('--canary-timeout-ms <ms>', 'how long to wait for the canary (default 60000 deployed, 10000 local)', (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1000 || n > 600_000) throw new InvalidArgumentError(`--canary-timeout-ms: ${v} is not an integer from 1000 to 600000`);
        return n;
      }),
  ).action((arg: string | undefined, opts: WithTarget<VerifyCliOptions>) => {
    const id = idOf(verify, arg, opts.id);
    return run('verify', opts, async (deps) => (await accountsVerify(deps, { ...opts, id })).code);
  });
  const remove = accounts.command('remove').description('stop scanning an account (its stored data stays until a reconciliation)');
  targetOptions(addIdArgument(remove, 'the account to remove')).action((arg: string | undefined, opts: WithTarget<{ id?: string }>) => {
    const id = idOf(remove, arg, opts.id);
    return run('remove', opts, (deps) => accountsRemove(deps, { id }));
  });
}

export { UsageError as AccountsUsageError };
