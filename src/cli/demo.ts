/**
 * `posture demo`: the whole system on the embedded emulator — seed an organization, onboard two
 * member accounts, run a full scan, make a change and follow it through the real-time path.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { RoleAssumer } from '#accounts/credentials.ts';
import { parseAccount } from '#accounts/account.ts';
import type { AlertPayload } from '#alerts/alert-payload.ts';
import { joinCatalog } from '#compliance/catalog.ts';
import { toAsffList, toCsv, toOcsfLines } from '#compliance/finding-formats.ts';
import { collectFindings, notEvaluated, type Finding } from '#compliance/findings.ts';
import { allFrameworkStatus } from '#compliance/frameworks/status.ts';
import { FRAMEWORKS } from '#compliance/frameworks/index.ts';
import { readFrameworkTrends } from '#compliance/frameworks/trends.ts';
import { trendLine } from '#cli/trend-text.ts';
import { BUILTIN_PACK, readCatalog } from '#cli/policy-catalog.ts';
import { renderReport } from '#cli/report/report-html.ts';
import { resourceAttributes } from '#cli/report/report-sources.ts';
import { renderTable } from '#cli/table.ts';
import { changesReport } from '#cli/commands/changes.ts';
import { historyText } from '#cli/history-text.ts';
import { startConsole } from '#cli/commands/console.ts';
import { resolveTarget } from '#cli/target.ts';
import { createProgress } from '#cli/progress.ts';
import { partitionOf } from '#core/partitions.ts';
import { DEMO_MEMBERS, DEMO_REGIONS, emitCloudTrailEvent, openBastionToTheWorld, seedDemo, type SeedResult } from '#local/seed.ts';
import { startLocalRuntime, type LocalRuntime } from '#local/runtime.ts';
import { notScannedNotes } from '#resources/panther-types.ts';
import { EC2_SECURITY_GROUP } from '#resources/ec2-security-group.ts';

export interface DemoOptions {
  outDir: string;
  keepRunning?: boolean;
  print?: (line: string) => void;
}

export interface DemoResult {
  findings: Finding[];
  realtimeAlerts: AlertPayload[];
  seconds: number;
}

const findingRows = (rows: Finding[]) =>
  rows.map((f) => [f.accountId, f.region, f.resourceId, f.policyId, f.severity, f.status, f.trigger]);
const HEADERS = ['ACCOUNT', 'REGION', 'RESOURCE', 'POLICY', 'SEVERITY', 'STATUS', 'TRIGGER'];

/**
 * Seeds the demo organization on a local runtime (member rules in the demo regions, the example
 * misconfigurations) and onboards its members as a user would: other regions excluded.
 */
export async function seedAndOnboard(rt: LocalRuntime, print: (line: string) => void = () => {}): Promise<SeedResult> {
  const centralBusArn = `arn:aws:events:us-east-1:${rt.securityAccountId}:event-bus/${rt.infra.busName}`;
  const seeded = await seedDemo(rt.clients, rt.endpoint, rt.securityAccountId, centralBusArn);
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
  const excludeRegions = regions.map((r) => r.RegionName!).filter((r) => partitionOf(r) === 'aws' && !DEMO_REGIONS.includes(r));
  for (const m of DEMO_MEMBERS) {
    const account = parseAccount({ ...m, excludeRegions });
    await (rt.deps.access as RoleAssumer).check(account);
    await rt.deps.accounts.put(account);
    print(`  onboarded ${m.name} (${m.accountId}): role assumed with its ExternalId; scanning ${DEMO_REGIONS.join(', ')} + global`);
  }
  return seeded;
}

export async function runDemo(opts: DemoOptions, onRuntime?: (rt: LocalRuntime) => void): Promise<DemoResult> {
  const print = opts.print ?? ((l: string) => console.log(l));
  const started = Date.now();
  const alerts: AlertPayload[] = [];
  print('Starting the embedded AWS emulator (moto server) and the policy engine…');
  const rt = await startLocalRuntime({ onAlert: (a) => alerts.push(a) });
  onRuntime?.(rt);
  try {
    print(`  emulator: ${rt.endpoint}   security account: ${rt.securityAccountId}   policies loaded: ${rt.worker.ready.policies.length}`);
    for (const e of rt.worker.ready.errors) print(`  policy error: ${e}`);
    for (const n of notScannedNotes(rt.worker.ready.targets)) print(`  not scanned: ${n}`);

    print('Seeding the organization: audit roles, buckets, security groups, IAM users, password policies…');
    const { bastionGroupId } = await seedAndOnboard(rt, print);

    print('Running the daily scan…');
    const progress = createProgress('scan');
    const scanId = await rt.scan({ onPlan: (n) => progress.start(n), onPage: (scope, n) => progress.tick(`${scope.accountId} ${scope.region} ${scope.resourceType}`, n) });
    progress.stop();
    const scanned = await collectFindings(rt.deps);
    const failing = scanned.filter((f) => f.status !== 'PASS');
    print(`\nFindings after the scan: ${failing.length} failing of ${scanned.length} results, ${alerts.length} alerts opened\n`);
    print(renderTable(HEADERS, findingRows(failing)));
    const skipped = await notEvaluated(rt.deps, scanId);
    for (const e of skipped) print(`  not evaluated: ${e.accountId} ${e.region} ${e.resourceType}: ${e.outcome} ${e.message ?? ''}`);

    print(`\nReal-time: a developer opens SSH to the world on ${bastionGroupId} (production, us-east-1)…`);
    const detail = await openBastionToTheWorld(rt.clients, rt.endpoint, bastionGroupId);
    await emitCloudTrailEvent(rt.clients, rt.endpoint, detail);
    const before = alerts.length;
    const rtStarted = Date.now();
    const outcome = await rt.pollRealtime();
    const realtimeAlerts = alerts.slice(before);
    print(`  CloudTrail event ${String(detail.eventName)} → central bus → realtime queue → rescan: ${outcome.stats.rescanned} rescanned in ${Date.now() - rtStarted} ms`);
    for (const a of realtimeAlerts) {
      print(`  ALERT ${a.kind.toUpperCase()} [${a.severity}] ${a.title}`);
      print(`        ${a.resourceId} (${a.accountId} ${a.region}) trigger=${a.trigger}`);
      // Who did it: the caller CloudTrail recorded for the event behind the rescan.
      if (a.cause) print(`        ${a.cause}`);
    }
    // What the history keeps of it: the version the developer's call made (diff, caller), and the day's digest.
    const history = rt.history!;
    // Its ResourceId as the registry forms it.
    const bastion = EC2_SECURITY_GROUP.resourceId({ accountId: DEMO_MEMBERS[0]!.accountId, region: 'us-east-1', partition: 'aws' }, { groupId: bastionGroupId })!;
    print(`\nHistory of the bastion group (posture resources history ${bastion}):`);
    print(historyText(await history.forResource(bastion)).trimEnd().replace(/^(?=.)/gm, '  '));
    const digest = await changesReport({ accounts: rt.deps.accounts, history }, { since: new Date(started - 60_000).toISOString(), format: 'table' });
    print(`posture changes: ${digest.trimEnd().split('\n').at(-1)!}`);

    // The demo evaluates with the built-in pack: its catalog gives every export its frameworks.
    const catalog = readCatalog(BUILTIN_PACK);
    const findings = joinCatalog(await collectFindings(rt.deps), catalog);
    const accounts = DEMO_MEMBERS.map((m) => m.accountId);
    const trends = await readFrameworkTrends({ summaries: rt.summaries, accounts: rt.deps.accounts, clock: rt.deps.clock }, catalog, FRAMEWORKS, accounts);
    const frameworks = allFrameworkStatus({ catalog, findings, unread: await rt.deps.ledger.currentlyNotEvaluated(accounts), accounts, trend: (id) => trends.get(id) });
    const cis = frameworks.find((f) => f.id === 'cis-3.0');
    if (cis) {
      const t = cis.totals;
      print(`\n${cis.name}: ${t.PASSING} passing, ${t.FAILING} failing, ${t.NOT_EVALUATED} not evaluated, ${t.NOT_AUTOMATABLE} not automatable of ${cis.controls.length} controls`);
      if (cis.trend) print(`  its policies: ${trendLine(cis.trend.latest)}`);
    }
    await mkdir(opts.outDir, { recursive: true });
    await writeFile(join(opts.outDir, 'findings.json'), JSON.stringify(findings, null, 2) + '\n');
    const exportCtx = { partition: 'aws', region: 'us-east-1', securityAccountId: rt.securityAccountId };
    await writeFile(join(opts.outDir, 'findings.asff.json'), JSON.stringify(toAsffList(findings, exportCtx), null, 2) + '\n');
    await writeFile(join(opts.outDir, 'findings.ocsf.jsonl'), toOcsfLines(findings, { partition: 'aws', now: new Date() }));
    await writeFile(join(opts.outDir, 'findings.csv'), toCsv(findings));
    await writeFile(
      join(opts.outDir, 'report.html'),
      renderReport({ title: 'Posture demo report', generatedAt: new Date(), findings, notEvaluated: skipped, resources: await resourceAttributes(rt.deps.resources), frameworks }),
    );
    const seconds = (Date.now() - started) / 1000;
    const failCount = findings.filter((f) => f.status === 'FAIL').length;
    print(`\n${failCount} FAIL findings across ${new Set(findings.filter((f) => f.status === 'FAIL').map((f) => f.resourceType)).size} resource types.`);
    print(`Wrote ${join(opts.outDir, 'findings.json')} (and .asff.json, .ocsf.jsonl, .csv) and ${join(opts.outDir, 'report.html')} in ${seconds.toFixed(1)} s.`);
    if (opts.keepRunning) {
      print(`\nThe emulator keeps running: use --endpoint ${rt.endpoint} with other commands (e.g. posture compliance --framework cis-3.0 --endpoint ${rt.endpoint}). Ctrl-C to stop.`);
      const consoleServer = await startConsole(await resolveTarget({ endpoint: rt.endpoint }), {}, print);
      await new Promise<void>((res) => process.once('SIGINT', () => res()));
      await consoleServer.close();
    }
    return { findings, realtimeAlerts, seconds };
  } finally {
    await rt.close();
  }
}
