/**
 * `posture scan`: scans real accounts with the caller's credentials (the standard SDK chain;
 * AWS_ENDPOINT_URL honoured), keeping its state in the one-shot in-memory store (the same tables
 * and stores as deployed, src/local/memory-dynamodb/), and writes
 * resources.jsonl, findings.json, report.html (and an optional export) to --out.
 * The same scanners, planner, ledger, engine and policies as the deployed system.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { parseAccount, type Account, DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import { CallerAccess, callerClients, type CallerIdentity } from '#accounts/caller-access.ts';
import { describeError, mapLimit, unreachableCode } from '#core/errors.ts';
import { SEVERITIES, scopeKey, type Scope, type Severity } from '#core/types.ts';
import { projectRoot } from '#core/paths.ts';
import { startLocalRuntime, type LocalRuntime } from '#local/runtime.ts';
import type { WorkerReady } from '#local/python-worker.ts';
import { chooseFrameworks, describeChoice, FrameworkChoiceError, frameworkNames, type FrameworkChoice } from '#compliance/frameworks/selection.ts';
import { EngineCommandError } from '#publish/engine-json.ts';
import { mergePacks } from '#publish/pack-layers.ts';
import { REGISTRY } from '#resources/index.ts';
import { notScannedNotes } from '#resources/panther-types.ts';
import { accountRegions, homeRegionOf } from '#core/partitions.ts';
import type { LedgerEntry } from '#core/ledger.ts';
import { toAsffList, toCsv, toOcsfLines } from '#compliance/finding-formats.ts';
import { engineTypeArgs, parseTestReport, readTestSummary, runEngineModule } from './engine-runner.ts';
import { collectFindings, notEvaluated, type Finding } from '#compliance/findings.ts';
import { renderReport } from './report/report-html.ts';
import { createScanProgress } from './scan-progress.ts';
import { outDirProblem } from './out-path.ts';
import { expandTypes } from './commands/options.ts';
import { renderTable } from './table.ts';
import { EMULATOR_CLIENT_OPTIONS } from '#local/emulator-retry.ts';
import type { StoredResource } from '#store/resource-store.ts';

/** A usage or credentials error: one line, exit code 2. */
export class ScanUsageError extends Error {}

/** Ctrl-C before the scan started: exit code 130. */
export class ScanInterrupted extends Error {}

/**
 * Exit codes of `posture scan`, by precedence: interrupted (130) over failing findings (1) over an
 * incomplete scan (3); 2 (usage, credentials, a scan that could not start) comes before any result.
 * An incomplete scan with failures found still fails with 1, so a gate that tolerates 3 never
 * passes a FAIL; an incomplete scan is never 0 unless --allow-incomplete.
 */
export const EXIT = { ok: 0, failing: 1, usage: 2, incomplete: 3, interrupted: 130 } as const;

/** `table` is the summary on stdout only; the others are extra files in --out. */
export const EXPORT_FORMATS = ['table', 'json', 'csv', 'ocsf', 'asff'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A list flag's value: commander's (repeats and commas, checked: commands/options.ts) or one comma-separated string. */
type ListValue = string | readonly string[];

export interface ScanCliOptions {
  profile?: string;
  regions?: ListValue;
  types?: ListValue;
  excludeResources?: string[];
  roleName?: string;
  roleArn?: string;
  externalId?: string;
  accounts?: ListValue;
  organization?: boolean;
  policies?: string[];
  /** The frameworks whose policies run (IDs, names, aliases, `cis`, `all`); default cis,fsbp. */
  frameworks?: ListValue;
  out: string;
  format?: string;
  failOn?: string;
  /** Report scopes not evaluated and engine failures without exit code 3. */
  allowIncomplete?: boolean;
  json?: boolean;
}

export interface ScanIo {
  /** Human output (summary table); not used with --json. */
  print: (line: string) => void;
  /** The --json document. */
  printJson: (doc: unknown) => void;
  stderr?: NodeJS.WriteStream;
  /** Aborted on Ctrl-C: the scan stops, what was read is written. */
  signal?: AbortSignal;
  onRuntime?: (rt: LocalRuntime) => void;
}

export interface NotEvaluatedScope {
  accountId: string;
  region: string;
  resourceType: string;
  outcome: string;
  message: string | null;
}

/**
 * What a scan could not vouch for. Counted: scopes with a ledger outcome other than OK
 * (ACCESS_DENIED, THROTTLED, ERROR — an engine that crashed or died leaves its scopes ERROR —
 * and any other), policies the engine could not load, and ERROR results (a policy that raised,
 * timed out or returned a non-bool on a resource, or an engine failure reported per result) —
 * except, with --fail-on, those of policies below its severity, which a FAIL would not fail either.
 * Not counted: opt-in regions that are not enabled (REGION_DISABLED: not part of the estate), and
 * scopes an interrupt cut short (exit 130 says that), suppressed results.
 */
export interface Completeness {
  complete: boolean;
  /** Counted scopes, grouped by outcome (largest group first), with their keys and reasons. */
  notEvaluated: number;
  byOutcome: { outcome: string; count: number; scopes: NotEvaluatedScope[] }[];
  /** Policies the engine could not load: none of their results exist. */
  engineErrors: string[];
  /** Counted ERROR results, grouped by policy. */
  errorResults: number;
  errorsByPolicy: { policyId: string; severity: Severity; count: number; errorMessage: string | null }[];
  /** --allow-incomplete: reported, but exit code 3 is not used. */
  allowed: boolean;
}

export interface ScanResult {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  interrupted: boolean;
  caller: { accountId: string; arn: string };
  accounts: string[];
  regions: string[] | null;
  types: string[] | null;
  /** The frameworks whose policies ran (`all`: every policy), and the policies the choice left out. */
  frameworks: { chosen: string[]; all: boolean; policiesLeftOut: string[] };
  resources: number;
  summary: {
    failing: number;
    errors: number;
    passing: number;
    suppressed: number;
    failingBySeverity: Record<Severity, number>;
    byAccount: { accountId: string; resources: number; failing: number; errors: number; passing: number }[];
    byPolicy: { policyId: string; severity: Severity; failing: number; title: string | null }[];
  };
  notEvaluated: NotEvaluatedScope[];
  completeness: Completeness;
  failOn: Severity | null;
  exitCode: number;
  files: Record<string, string>;
  failingFindings: Finding[];
}

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;

const list = (v: ListValue | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : (typeof v === 'string' ? [v] : v).flatMap((x) =>
        x
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );

/** Validated options: every usage error is found before anything starts. */
export interface ParsedScanOptions {
  regions?: string[];
  types?: string[];
  excludeResources: string[];
  roleName?: string;
  externalId?: string;
  accounts?: string[];
  organization: boolean;
  policies: string[];
  frameworks: FrameworkChoice;
  out: string;
  formats: ExportFormat[];
  failOn: Severity | null;
  allowIncomplete: boolean;
}

export function parseScanOptions(input: ScanCliOptions): ParsedScanOptions {
  const o = withRoleArn(input);
  const regions = list(o.regions);
  if (regions) {
    if (!regions.length) throw new ScanUsageError('--regions: give at least one region, e.g. --regions us-east-1,eu-west-1');
    for (const r of regions) if (!REGION_RE.test(r)) throw new ScanUsageError(`--regions: '${r}' is not a region name like eu-west-1`);
  }
  const given = list(o.types);
  let types: string[] | undefined;
  if (given) {
    if (!given.length) throw new ScanUsageError('--types: give at least one resource type, e.g. --types AWS.S3.Bucket or --types s3');
    try {
      // Type names in any case, or a service's types (s3, ec2): registry names.
      types = [...new Set(given.flatMap((t) => expandTypes(t)))];
    } catch (err) {
      throw new ScanUsageError(`--types: ${(err as Error).message}`);
    }
  }
  const excludeResources = o.excludeResources ?? [];
  for (const re of excludeResources) {
    try {
      new RegExp(re);
    } catch (err) {
      throw new ScanUsageError(`--exclude-resources: '${re}' is not a valid regular expression (${(err as Error).message})`);
    }
  }
  const accounts = list(o.accounts);
  if (accounts) {
    if (!accounts.length) throw new ScanUsageError('--accounts: give at least one 12-digit account ID');
    for (const a of accounts) if (!/^\d{12}$/.test(a)) throw new ScanUsageError(`--accounts: '${a}' is not a 12-digit AWS account ID`);
  }
  if (accounts && o.organization) throw new ScanUsageError('give either --accounts or --organization, not both');
  if (o.organization && !o.roleName) throw new ScanUsageError('--organization needs --role-name: the role to assume in each member account');
  if (o.externalId !== undefined && !o.roleName) throw new ScanUsageError('--external-id needs --role-name');
  // A role name, optionally with its IAM path (from --role-arn): AssumeRole needs the full path.
  if (o.roleName !== undefined && !/^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.test(o.roleName)) throw new ScanUsageError(`--role-name: '${o.roleName}' is not an IAM role name`);
  if (o.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(o.externalId)) {
    throw new ScanUsageError('--external-id: 2 to 1224 characters: letters, digits and +=,.@:/-');
  }
  const formats = (list(o.format?.toLowerCase()) ?? ['table']) as ExportFormat[];
  for (const f of formats) if (!EXPORT_FORMATS.includes(f)) throw new ScanUsageError(`--format: '${f}' is not one of ${EXPORT_FORMATS.join(', ')}`);
  let failOn: Severity | null = null;
  if (o.failOn !== undefined) {
    const s = SEVERITIES.find((x) => x.toLowerCase() === o.failOn!.toLowerCase());
    if (!s) throw new ScanUsageError(`--fail-on: '${o.failOn}' is not one of ${SEVERITIES.join(', ')}`);
    failOn = s;
  }
  const policies = (o.policies ?? []).map((p) => resolve(p));
  for (const p of policies) {
    if (!existsSync(p)) throw new ScanUsageError(`--policies ${p}: no such directory`);
    if (!statSync(p).isDirectory()) throw new ScanUsageError(`--policies ${p}: not a directory`);
  }
  const frameworks = parseFrameworks(o.frameworks);
  if (!o.out) throw new ScanUsageError('--out: give an output directory');
  // Before any API call: a scan that cannot write its results is not started.
  const outProblem = outDirProblem(o.out);
  if (outProblem) throw new ScanUsageError(`--out: ${outProblem}`);
  return {
    regions,
    types,
    excludeResources,
    roleName: o.roleName,
    externalId: o.externalId,
    accounts,
    organization: Boolean(o.organization),
    policies,
    frameworks,
    out: o.out,
    formats,
    failOn,
    allowIncomplete: Boolean(o.allowIncomplete),
  };
}

/** `--frameworks`: the choice the names make (compliance/frameworks/selection.ts), default CIS and FSBP; a usage error otherwise. */
export function parseFrameworks(value: ListValue | undefined): FrameworkChoice {
  try {
    return value === undefined ? chooseFrameworks() : chooseFrameworks(frameworkNames(value));
  } catch (err) {
    if (err instanceof FrameworkChoiceError) throw new ScanUsageError(`--frameworks: ${err.message}`);
    throw err;
  }
}

/**
 * `--role-arn ARN` names the role to assume (its path included) and, without --accounts or
 * --organization, the one account to scan; for several accounts the same role path and name is
 * assumed in each.
 */
function withRoleArn(o: ScanCliOptions): ScanCliOptions {
  if (o.roleArn === undefined) return o;
  if (o.roleName !== undefined) throw new ScanUsageError('give either --role-arn or --role-name, not both');
  const m = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/.exec(o.roleArn);
  if (!m) throw new ScanUsageError(`--role-arn: '${o.roleArn}' is not an IAM role ARN like arn:aws:iam::123456789012:role/PostureAuditRole`);
  return { ...o, roleName: m[2], accounts: o.accounts ?? (o.organization ? undefined : m[1]) };
}

/**
 * Validates and tests policy directories in the engine's test runner; a problem is one line. The
 * pack passes only when the runner's own summary (`N passed, 0 failed`, consistent with its JSON
 * report) says so and it exited 0.
 */
export function checkPolicyDirs(dirs: readonly string[]): void {
  if (!dirs.length) return;
  const run = runEngineModule('posture_engine.spec_tests', [...dirs, ...engineTypeArgs(), '--json'], 'none', { network: true });
  const where = dirs.join(' ');
  if (run.error) throw new ScanUsageError(`--policies: cannot run the policy engine (${run.error.message}); run npm ci to create .venv`);
  const summary = readTestSummary(run.stdout, { json: true, stderr: run.stderr });
  if (!summary.ok) {
    const said = run.stderr.trim().split('\n').pop();
    throw new ScanUsageError(`--policies ${where}: the policy test runner failed (${run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`}): ${summary.problem}${said ? `; stderr: ${said}` : ''}`);
  }
  const parsed = parseTestReport(run.stdout);
  if (!parsed.ok) throw new ScanUsageError(`--policies ${where}: the policy test runner failed: ${parsed.problem}`);
  const doc = parsed.report;
  if (doc.errors.length) throw new ScanUsageError(`--policies ${where}: invalid: ${doc.errors[0]}${doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : ''}`);
  for (const [id, cases] of Object.entries(doc.policies)) {
    const bad = cases.find((c) => !c.passed);
    if (bad) throw new ScanUsageError(`--policies ${where}: ${id} test '${bad.name}' failed: ${bad.problems.join('; ')} (run posture test ${where})`);
  }
  if (Object.keys(doc.policies).length === 0) throw new ScanUsageError(`--policies ${where}: no policy specs found (specs live in folders whose name contains "policies")`);
  if (run.status !== 0 || summary.failed > 0) throw new ScanUsageError(`--policies ${where}: policy tests failed (exit code ${run.status}, ${summary.failed} failed; run posture test ${where})`);
}


/** The built-in pack with the `--policies` directories added (pack_layers.py: by PolicyID / GlobalID, nothing removed). */
async function layerPolicies(dirs: readonly string[]): Promise<{ zip: string; dir: string; said: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'posture-scan-pack-'));
  const zip = join(dir, 'pack.zip');
  try {
    const m = mergePacks({ dirs: [join(projectRoot, 'policies')] }, { dirs: [...dirs] }, zip);
    const ids = (l: string[]) => (l.length ? ` (${l.join(', ')})` : '');
    return { zip, dir, said: `--policies: ${m.added.length} added${ids(m.added)}, ${m.overridden.length} overriding a built-in policy${ids(m.overridden)}` };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (err instanceof EngineCommandError) throw new ScanUsageError(`--policies ${dirs.join(' ')}: ${err.message}`);
    throw err;
  }
}

async function listOrganization(identity: CallerIdentity, clients: Awaited<ReturnType<typeof callerClients>>['clients']): Promise<string[]> {
  const org = clients.get(OrganizationsClient);
  const ids: string[] = [];
  let token: string | undefined;
  try {
    do {
      const r = await org.send(new ListAccountsCommand({ NextToken: token }));
      for (const a of r.Accounts ?? []) if (a.Id && (a.Status ?? 'ACTIVE') === 'ACTIVE') ids.push(a.Id);
      token = r.NextToken;
    } while (token);
  } catch (err) {
    throw new ScanUsageError(`--organization: cannot list the organization's accounts as ${identity.arn}: ${describeError(err)}`);
  }
  return ids.sort();
}

/** Atomic write: a Ctrl-C never leaves a half-written file. */
async function writeAtomic(path: string, data: string): Promise<void> {
  await writeFile(`${path}.tmp`, data);
  await rename(`${path}.tmp`, path);
}

function summarize(findings: readonly Finding[], resourcesByAccount: Map<string, number>, accounts: readonly string[]): ScanResult['summary'] {
  const open = (f: Finding) => !f.suppressed;
  const failingBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (f.status === 'FAIL' && open(f)) failingBySeverity[f.severity]++;
  const byAccount = accounts.map((accountId) => {
    const mine = findings.filter((f) => f.accountId === accountId);
    return {
      accountId,
      resources: resourcesByAccount.get(accountId) ?? 0,
      failing: mine.filter((f) => f.status === 'FAIL' && open(f)).length,
      errors: mine.filter((f) => f.status === 'ERROR').length,
      passing: mine.filter((f) => f.status === 'PASS').length,
    };
  });
  const policies = new Map<string, ScanResult['summary']['byPolicy'][number]>();
  for (const f of findings) {
    if (f.status !== 'FAIL' || !open(f)) continue;
    const p = policies.get(f.policyId) ?? { policyId: f.policyId, severity: f.severity, failing: 0, title: f.title };
    p.failing++;
    policies.set(f.policyId, p);
  }
  const byPolicy = [...policies.values()].sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || b.failing - a.failing || a.policyId.localeCompare(b.policyId));
  return {
    failing: findings.filter((f) => f.status === 'FAIL' && open(f)).length,
    errors: findings.filter((f) => f.status === 'ERROR').length,
    passing: findings.filter((f) => f.status === 'PASS').length,
    suppressed: findings.filter((f) => f.suppressed).length,
    failingBySeverity,
    byAccount,
    byPolicy,
  };
}

const atOrAbove = (s: Severity, min: Severity): boolean => SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(min);

/** What the scan could not vouch for (see Completeness). */
export function assessCompleteness(input: {
  notEvaluated: readonly NotEvaluatedScope[];
  engineErrors: readonly string[];
  findings: readonly Finding[];
  failOn: Severity | null;
  allowIncomplete: boolean;
}): Completeness {
  const counted = input.notEvaluated.filter((e) => e.outcome !== 'OK' && e.outcome !== 'REGION_DISABLED' && e.outcome !== 'INTERRUPTED');
  const groups = new Map<string, NotEvaluatedScope[]>();
  for (const e of counted) groups.set(e.outcome, [...(groups.get(e.outcome) ?? []), e]);
  const byOutcome = [...groups].map(([outcome, scopes]) => ({ outcome, count: scopes.length, scopes })).sort((a, b) => b.count - a.count || a.outcome.localeCompare(b.outcome));
  const errors = input.findings.filter((f) => f.status === 'ERROR' && !f.suppressed && (input.failOn === null || atOrAbove(f.severity, input.failOn)));
  const policies = new Map<string, Completeness['errorsByPolicy'][number]>();
  for (const f of errors) {
    const p = policies.get(f.policyId) ?? { policyId: f.policyId, severity: f.severity, count: 0, errorMessage: f.errorMessage };
    p.count++;
    policies.set(f.policyId, p);
  }
  const errorsByPolicy = [...policies.values()].sort((a, b) => b.count - a.count || a.policyId.localeCompare(b.policyId));
  return {
    complete: counted.length === 0 && input.engineErrors.length === 0 && errors.length === 0,
    notEvaluated: counted.length,
    byOutcome,
    engineErrors: [...input.engineErrors],
    errorResults: errors.length,
    errorsByPolicy,
    allowed: input.allowIncomplete,
  };
}

/** The exit code of a finished scan, by the precedence of EXIT. */
export function scanExitCode(r: { interrupted: boolean; failOnHit: boolean; completeness: Completeness }): number {
  if (r.interrupted) return EXIT.interrupted;
  if (r.failOnHit) return EXIT.failing;
  if (!r.completeness.complete && !r.completeness.allowed) return EXIT.incomplete;
  return EXIT.ok;
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `frameworks: cis-3.0, fsbp, cis-1.4, cis-1.2: 212 policies run, 3 left out (--frameworks all runs every policy)`. */
export function frameworksLine(choice: FrameworkChoice, ready: Pick<WorkerReady, 'policies' | 'deselected'>): string {
  const out = ready.deselected?.length ?? 0;
  return `frameworks: ${describeChoice(choice)}: ${plural(ready.policies.length, 'policy')} run${out ? `, ${out} left out (--frameworks all runs every policy)` : ''}`;
}

/**
 * The incompleteness as lines for the summary (empty when complete), e.g.
 * `3 scopes not evaluated: ACCESS_DENIED ×2 (111122223333 us-east-1 AWS.S3.Bucket: AccessDenied: …; …), ERROR ×1 (…)`.
 */
export function describeIncomplete(c: Completeness, failOn: Severity | null, shown = 3): string[] {
  const cut = (text: string, n = 160) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  const lines: string[] = [];
  if (c.notEvaluated) {
    const groups = c.byOutcome.map((g) => {
      const listed = g.scopes.slice(0, shown).map((e) => `${e.accountId} ${e.region} ${e.resourceType}${e.message ? `: ${cut(e.message)}` : ''}`);
      if (g.count > shown) listed.push(`… ${g.count - shown} more`);
      return `${g.outcome} ×${g.count} (${listed.join('; ')})`;
    });
    lines.push(`${c.notEvaluated} ${c.notEvaluated === 1 ? 'scope' : 'scopes'} not evaluated: ${groups.join(', ')}`);
  }
  if (c.engineErrors.length) {
    lines.push(`the policy engine could not load ${plural(c.engineErrors.length, 'policy file')}: ${c.engineErrors.slice(0, shown).map((e) => cut(e)).join('; ')}${c.engineErrors.length > shown ? `; … ${c.engineErrors.length - shown} more` : ''}`);
  }
  if (c.errorResults) {
    const listed = c.errorsByPolicy.slice(0, shown).map((p) => `${p.policyId} ×${p.count}${p.errorMessage ? ` (${cut(p.errorMessage, 120)})` : ''}`);
    if (c.errorsByPolicy.length > shown) listed.push(`… ${c.errorsByPolicy.length - shown} more policies`);
    lines.push(`${plural(c.errorResults, 'policy result')} ERROR${failOn ? ` at or above ${failOn}` : ''} (not evaluated): ${listed.join(', ')}`);
  }
  return lines;
}

export async function runScan(cli: ScanCliOptions, io: ScanIo): Promise<ScanResult> {
  const opts = parseScanOptions(cli);
  const startedAt = new Date();
  checkPolicyDirs(opts.policies);
  const progress = createScanProgress({ quiet: cli.json, stream: io.stderr });
  // The custom pack is added to the built-in one policy by policy, as `posture upload` adds to the active pack.
  const layered = opts.policies.length ? await layerPolicies(opts.policies) : undefined;
  if (layered) progress.note(layered.said);
  const who = await connect(cli, opts);
  const records = await accountRecords(who, opts);

  if (io.signal?.aborted) throw new ScanInterrupted('interrupted before the scan started; nothing was written');
  const rt = await startLocalRuntime({
    // A one-shot scan's state lives for this run only: in process, not on an emulator (issue #15's profile).
    store: 'memory',
    access: who.access,
    partition: who.identity.partition,
    homeRegion: who.homeRegion,
    registry: opts.types ? REGISTRY.filter((t) => opts.types!.includes(t.type)) : undefined,
    ...(layered ? { bundleZip: layered.zip } : {}),
    frameworks: opts.frameworks,
    onEvaluated: (results) => progress.failing(results.filter((r) => r.status !== 'PASS').length),
  }).catch(async (err: unknown) => {
    if (layered) await rm(layered.dir, { recursive: true, force: true });
    throw err;
  });
  io.onRuntime?.(rt);
  try {
    for (const e of rt.worker.ready.errors) progress.note(`policy error: ${e}`);
    progress.note(frameworksLine(opts.frameworks, rt.worker.ready));
    // Once per scan: policies on Panther-documented types that are not scanned (e.g. WAF Classic).
    for (const n of notScannedNotes(rt.worker.ready.targets)) progress.note(`not scanned: ${n}`);
    for (const a of records) await rt.deps.accounts.put(a);
    const { scanId, planned } = await scanWithProgress(rt, who.accountIds, progress, io.signal);
    const interrupted = io.signal?.aborted ?? false;
    const outcome = await readOutcome(rt, scanId, planned, who.accountIds);
    const files = await writeOutputs(opts, who.accountIds, interrupted, outcome);

    const { findings, skipped, stored } = outcome;
    // A policy's name, not the first failing resource's title (titles name their resource).
    for (const p of outcome.summary.byPolicy) p.title = rt.worker.ready.names[p.policyId] ?? null;
    const failOnHit = opts.failOn !== null && findings.some((f) => f.status === 'FAIL' && !f.suppressed && atOrAbove(f.severity, opts.failOn!));
    const completeness = assessCompleteness({ notEvaluated: skipped, engineErrors: rt.worker.ready.errors, findings, failOn: opts.failOn, allowIncomplete: opts.allowIncomplete });
    const { identity, homeRegion } = who;
    const result: ScanResult = {
      scanId,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      interrupted,
      caller: { accountId: identity.accountId, arn: identity.arn },
      accounts: who.accountIds,
      regions: opts.regions ?? null,
      types: opts.types ?? null,
      frameworks: { chosen: opts.frameworks.frameworks, all: opts.frameworks.all, policiesLeftOut: rt.worker.ready.deselected ?? [] },
      resources: stored.length,
      summary: outcome.summary,
      notEvaluated: skipped,
      completeness,
      failOn: opts.failOn,
      exitCode: scanExitCode({ interrupted, failOnHit, completeness }),
      files,
      failingFindings: findings.filter((f) => f.status !== 'PASS' && !f.suppressed),
    };
    // Extra exports (the same formats as `posture findings`).
    const exports: Partial<Record<ExportFormat, [string, () => string]>> = {
      json: ['scan.json', () => JSON.stringify({ ...result, findings }, null, 2) + '\n'],
      csv: ['findings.csv', () => toCsv(findings)],
      ocsf: ['findings.ocsf.jsonl', () => toOcsfLines(findings, { partition: identity.partition, now: new Date() })],
      asff: ['findings.asff.json', () => JSON.stringify(toAsffList(findings, { partition: identity.partition, region: homeRegion, securityAccountId: identity.accountId }), null, 2) + '\n'],
    };
    for (const f of opts.formats) {
      const e = exports[f];
      if (!e) continue;
      files[f] = join(opts.out, e[0]);
      await writeAtomic(files[f], e[1]());
    }

    if (cli.json) io.printJson(result);
    else printSummary(result, io.print);
    return result;
  } finally {
    progress.stop();
    await rt.close();
    if (layered) await rm(layered.dir, { recursive: true, force: true });
  }
}

/** Who scans: the caller's identity and credentials, how other accounts are reached, which accounts. */
interface Caller {
  identity: CallerIdentity;
  homeRegion: string;
  access: CallerAccess;
  accountIds: string[];
}

/** Step 1: the caller's credentials (AWS_ENDPOINT_URL honoured), and the accounts to scan. */
async function connect(cli: ScanCliOptions, opts: ParsedScanOptions): Promise<Caller> {
  if (cli.profile) process.env.AWS_PROFILE = cli.profile;
  // AWS_ENDPOINT_URL is read here (not left to the SDK) so that S3 gets path-style addressing on an emulator.
  const awsEndpoint = process.env.AWS_ENDPOINT_URL || undefined;
  // An endpoint is an emulator (or a proxy in front of one): its workarounds go into the clients.
  const clientOptions = awsEndpoint ? EMULATOR_CLIENT_OPTIONS : undefined;
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  let caller: Awaited<ReturnType<typeof callerClients>>;
  try {
    caller = await callerClients({ region, endpoint: awsEndpoint, clientOptions });
  } catch (err) {
    const how = cli.profile ? `profile ${cli.profile}` : 'the default credential chain';
    const down = unreachableCode(err);
    if (down) throw new ScanUsageError(`cannot reach ${awsEndpoint ? `${awsEndpoint} (AWS_ENDPOINT_URL)` : `AWS STS in ${region}`}: ${down}; nothing answers there, so no credentials could be checked`);
    throw new ScanUsageError(`credentials: no usable AWS credentials from ${how}${awsEndpoint ? ` at ${awsEndpoint}` : ''}: ${describeError(err)}`);
  }
  const { identity } = caller;
  const homeRegion = homeRegionOf(identity.partition);
  const access = new CallerAccess(identity, caller.credentials, { region: homeRegion, endpoint: awsEndpoint, roleName: opts.roleName, externalId: opts.externalId, clientOptions });
  const accountIds = opts.organization ? await listOrganization(identity, caller.clients) : (opts.accounts ?? [identity.accountId]);
  if (!opts.roleName && accountIds.some((a) => a !== identity.accountId)) {
    throw new ScanUsageError(`--accounts: scanning accounts other than the caller's (${identity.accountId}) needs --role-name: the role to assume in each`);
  }
  return { identity, homeRegion, access, accountIds };
}

/**
 * Step 2: each account's record with its regions: the enabled ones, or --regions (a requested
 * disabled region is then reported as not evaluated). An account that cannot be reached here is
 * reported by the plan.
 */
async function accountRecords({ identity, homeRegion, access, accountIds }: Caller, opts: ParsedScanOptions): Promise<Account[]> {
  const knownRegions = new Set<string>();
  const records: Account[] = await mapLimit(accountIds, 8, async (accountId) => {
    const base = { accountId, name: accountId === identity.accountId ? `caller ${identity.arn}`.slice(0, 128) : accountId };
    let excludeRegions: string[] = [];
    const draft = parseAccount({ ...base, externalId: opts.externalId ?? 'none', roleName: opts.roleName ?? DEFAULT_AUDIT_ROLE_NAME });
    try {
      const r = await access.clients(draft, homeRegion).get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
      const { enabled, notOptedIn } = accountRegions(r.Regions ?? [], identity.partition);
      const all = [...enabled, ...notOptedIn];
      all.forEach((name) => knownRegions.add(name));
      excludeRegions = opts.regions ? all.filter((n) => !opts.regions!.includes(n)) : notOptedIn;
    } catch {
      // planScan records the account as not evaluated, with the reason.
    }
    return { ...draft, excludeRegions, excludeResources: opts.excludeResources };
  });
  if (opts.regions && knownRegions.size) {
    for (const r of opts.regions) if (!knownRegions.has(r)) throw new ScanUsageError(`--regions: '${r}' is not a region of partition ${identity.partition}`);
  }
  return records;
}

/** Step 3: the scan itself, with the progress display following plan, pages and scopes. */
async function scanWithProgress(rt: LocalRuntime, accountIds: string[], progress: ReturnType<typeof createScanProgress>, signal?: AbortSignal): Promise<{ scanId: string; planned: readonly Scope[] }> {
  let planned: readonly Scope[] = [];
  const label = (s: { accountId: string; region: string; resourceType: string }) => `${s.accountId} ${s.region} ${s.resourceType}`;
  const scanId = await rt.scan({
    accountIds,
    signal,
    onPlan: (n, scopes) => {
      planned = scopes;
      progress.start(n);
    },
    onPage: (scope, n) => progress.page(label(scope), n),
    onScope: (e) => {
      if (e.resourceType !== '*') progress.scope(label(e));
      if (e.outcome !== 'OK' && e.outcome !== 'REGION_DISABLED') progress.note(`not evaluated: ${label(e)}: ${e.outcome} ${e.message ?? ''}`);
    },
  });
  progress.stop();
  return { scanId, planned };
}

interface Outcome {
  skipped: NotEvaluatedScope[];
  findings: Finding[];
  stored: StoredResource[];
  summary: ScanResult['summary'];
}

/** Step 4: what the scan left in the store: scopes not evaluated (planned but unrecorded ones: interrupted), findings, resources. */
async function readOutcome(rt: LocalRuntime, scanId: string, planned: readonly Scope[], accountIds: string[]): Promise<Outcome> {
  const ledger = await rt.deps.ledger.forScan(scanId);
  const recorded = new Set(ledger.map((e) => e.scope));
  const skipped: NotEvaluatedScope[] = (await notEvaluated(rt.deps, scanId)).map((e: LedgerEntry) => ({
    accountId: e.accountId,
    region: e.region,
    resourceType: e.resourceType,
    outcome: e.outcome,
    message: e.message,
  }));
  for (const s of planned) if (!recorded.has(scopeKey(s))) skipped.push({ ...s, outcome: 'INTERRUPTED', message: 'the scan was interrupted (Ctrl-C) before this scope finished' });
  skipped.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region) || a.resourceType.localeCompare(b.resourceType));

  const findings = await collectFindings(rt.deps, accountIds);
  const stored = (await rt.deps.resources.all()).filter((r) => !r.deleted).sort((a, b) => a.resourceId.localeCompare(b.resourceId));
  const resourcesByAccount = new Map<string, number>();
  for (const r of stored) resourcesByAccount.set(r.accountId, (resourcesByAccount.get(r.accountId) ?? 0) + 1);
  return { skipped, findings, stored, summary: summarize(findings, resourcesByAccount, accountIds) };
}

/** Step 5: resources.jsonl, findings.json and report.html in --out, each written whole or not at all. */
async function writeOutputs(opts: ParsedScanOptions, accountIds: string[], interrupted: boolean, { stored, findings, skipped }: Outcome): Promise<Record<string, string>> {
  await mkdir(opts.out, { recursive: true });
  const files: Record<string, string> = {
    resources: join(opts.out, 'resources.jsonl'),
    findings: join(opts.out, 'findings.json'),
    report: join(opts.out, 'report.html'),
  };
  await writeAtomic(files.resources!, stored.map((r) => JSON.stringify(r.attributes)).join('\n') + (stored.length ? '\n' : ''));
  await writeAtomic(files.findings!, JSON.stringify(findings, null, 2) + '\n');
  await writeAtomic(
    files.report!,
    renderReport({
      title: `Posture scan of ${accountIds.length === 1 ? `account ${accountIds[0]}` : `${accountIds.length} accounts`}${interrupted ? ' (interrupted)' : ''}`,
      generatedAt: new Date(),
      findings,
      notEvaluated: skipped,
      resources: new Map(stored.map((r) => [r.resourceId, r.attributes])),
    }),
  );
  return files;
}

/** ERROR results listed in the summary (all of them are in findings.json and --json). */
const ERRORS_SHOWN = 20;

export function printSummary(r: ScanResult, print: (line: string) => void): void {
  const s = r.summary;
  print('');
  print(`Scanned ${r.accounts.length} account(s) as ${r.caller.arn}: ${r.resources} resources, ${s.failing} failing, ${s.errors} errors, ${s.passing} passing${s.suppressed ? `, ${s.suppressed} suppressed` : ''}${r.interrupted ? ' (interrupted: partial results)' : ''}`);
  const left = r.frameworks.policiesLeftOut.length;
  print(`Frameworks: ${r.frameworks.all ? 'all' : r.frameworks.chosen.join(', ')}${left ? ` (${plural(left, 'policy')} left out)` : ''}`);
  print('');
  print(renderTable(['SEVERITY', 'FAILING'], [...SEVERITIES].reverse().map((sev) => [sev, String(s.failingBySeverity[sev])])));
  print('');
  print(renderTable(['ACCOUNT', 'RESOURCES', 'FAILING', 'ERRORS', 'PASSING'], s.byAccount.map((a) => [a.accountId, String(a.resources), String(a.failing), String(a.errors), String(a.passing)])));
  if (s.byPolicy.length) {
    print('');
    print(renderTable(['POLICY', 'SEVERITY', 'FAILING', 'TITLE'], s.byPolicy.map((p) => [p.policyId, p.severity, String(p.failing), p.title ?? '']), 70));
  }
  // ERROR results one row each (resource, policy, why): a count alone says nothing to fix.
  const errors = r.failingFindings.filter((f) => f.status === 'ERROR');
  if (errors.length) {
    print('');
    print(`Errors (${plural(errors.length, 'policy result')} not evaluated):`);
    print(renderTable(['RESOURCE', 'POLICY', 'MESSAGE'], errors.slice(0, ERRORS_SHOWN).map((f) => [f.resourceId, f.policyId, f.errorMessage ?? '']), 100));
    if (errors.length > ERRORS_SHOWN) print(`… ${errors.length - ERRORS_SHOWN} more ERROR results in ${r.files.findings ?? 'findings.json'}`);
  }
  // Regions not enabled (opt-in) on one line per account; other scopes one row each, with the reason.
  const disabled = r.notEvaluated.filter((e) => e.outcome === 'REGION_DISABLED' && e.resourceType === '*');
  const interrupted = r.notEvaluated.filter((e) => e.outcome === 'INTERRUPTED');
  const others = r.notEvaluated.filter((e) => !disabled.includes(e) && !interrupted.includes(e));
  if (others.length) {
    print('');
    print(`Not evaluated (${others.length} scopes):`);
    print(renderTable(['ACCOUNT', 'REGION', 'TYPE', 'OUTCOME', 'REASON'], others.map((e) => [e.accountId, e.region, e.resourceType, e.outcome, e.message ?? '']), 100));
  }
  if (interrupted.length) print(`Interrupted before ${interrupted.length} planned scope(s) finished (listed in report.html and --json).`);
  for (const acct of new Set(disabled.map((e) => e.accountId))) {
    print(`Regions not enabled in ${acct}: ${disabled.filter((e) => e.accountId === acct).map((e) => e.region).join(', ')}`);
  }
  print('');
  print(`Wrote ${Object.values(r.files).join(', ')}`);
  const c = r.completeness;
  const incomplete = describeIncomplete(c, r.failOn);
  if (r.failOn) {
    if (r.exitCode === EXIT.failing) print(`FAIL: findings at or above ${r.failOn} (exit 1)`);
    else print(`No unsuppressed FAIL at or above ${r.failOn}${c.complete ? '' : ' among what was evaluated'}.`);
  }
  for (const line of incomplete) print(`INCOMPLETE: ${line}`);
  if (!c.complete && !r.interrupted) {
    if (r.exitCode === EXIT.incomplete) print('INCOMPLETE scan (exit 3): what could not be evaluated is not passing; --allow-incomplete reports it without failing.');
    else if (r.exitCode === EXIT.failing && !c.allowed) print('INCOMPLETE scan as well (exit 1 takes precedence over 3).');
    else if (c.allowed) print('Incomplete scan allowed by --allow-incomplete.');
  }
}
