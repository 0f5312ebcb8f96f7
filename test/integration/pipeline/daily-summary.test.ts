/**
 * The local runtime writes the day's compliance summary after each scan (as the deployed
 * DailyScan's SummarizeScan step does), from the same state the findings show; a real-time rescan
 * and an interrupted scan leave it as it was; the next scan of the day replaces it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { collectFindings, type Finding } from '../../../src/compliance/findings.ts';
import { dayOf, type SummaryRow } from '../../../src/compliance/daily-summary.ts';
import { readTrend } from '../../../src/compliance/trend.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';

let rt: LocalRuntime;
let member: Member;

/** The findings counted as the summary counts them, keyed `policyId severity`. */
function expectedRows(findings: readonly Finding[], day: string): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const f of findings) {
    const key = `${f.policyId} ${f.severity}`;
    const r = rows.get(key) ?? { day, accountId: f.accountId, policyId: f.policyId, severity: f.severity, passing: 0, failing: 0, suppressed: 0, error: 0, notEvaluated: 0 };
    if (f.status === 'PASS') r.passing++;
    else if (f.status === 'ERROR') r.error++;
    else if (f.suppressed) r.suppressed++;
    else r.failing++;
    rows.set(key, r);
  }
  return [...rows.values()];
}
const sorted = (rows: readonly SummaryRow[]) => [...rows].sort((a, b) => `${a.policyId} ${a.severity}`.localeCompare(`${b.policyId} ${b.severity}`));
const today = () => dayOf(new Date());
const summaryNow = async () => sorted(await rt.summaries.range([member.account.accountId], today(), today()));

async function openToTheWorld(name: string, port: number): Promise<string> {
  const ec2 = member.clients.get(EC2Client);
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  return groupId;
}

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  rt.deps.registry = FOUNDATION_TYPES;
  member = await createMember(securityAccountId);
  const regions = await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
  member.account.excludeRegions = regions.Regions!.map((r) => r.RegionName!).filter((n) => n !== 'us-east-1');
  await rt.deps.accounts.put(member.account);
  await openToTheWorld('open-ssh', 22);
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

describe('the local runtime writes the daily summary after each scan', () => {
  let afterFirst: SummaryRow[];

  it("summarises today's compliance of the scanned accounts as the findings show it", async () => {
    await rt.scan();
    const findings = await collectFindings(rt.deps, [member.account.accountId]);
    expect(findings.some((f) => f.status === 'FAIL')).toBe(true);
    afterFirst = await summaryNow();
    expect(afterFirst).toEqual(sorted(expectedRows(findings, today())));
    const t = await readTrend({ summaries: rt.summaries, accounts: rt.deps.accounts, clock: { now: () => new Date() } }, { days: 7 });
    expect(t.overall.latest).toMatchObject({ day: today(), weekAgo: null, passRateChangePts: null });
    expect(t.accounts.map((a) => a.accountId)).toEqual([member.account.accountId]);
  });

  it('a real-time rescan changes the findings, not the summary; neither does an interrupted scan', async () => {
    const groupId = await openToTheWorld('late-rdp', 3389);
    const detail = { eventID: crypto.randomUUID(), eventName: 'AuthorizeSecurityGroupIngress', eventTime: new Date().toISOString(), eventSource: 'ec2.amazonaws.com', awsRegion: 'us-east-1', recipientAccountId: member.account.accountId, requestParameters: { groupId } };
    const body = JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', account: member.account.accountId, region: 'us-east-1', detail });
    await rt.clients.get(SQSClient).send(new SendMessageCommand({ QueueUrl: rt.infra.queues.realtime, MessageBody: body }));
    expect((await rt.pollRealtime()).stats.rescanned).toBe(1);
    const findings = await collectFindings(rt.deps, [member.account.accountId]);
    expect(sorted(expectedRows(findings, today()))).not.toEqual(afterFirst);
    expect(await summaryNow()).toEqual(afterFirst);

    const stop = new AbortController();
    stop.abort();
    await rt.scan({ signal: stop.signal });
    expect(await summaryNow()).toEqual(afterFirst);
  });

  it("the next scan of the day replaces the day's summary", async () => {
    await rt.scan();
    const findings = await collectFindings(rt.deps, [member.account.accountId]);
    const now = await summaryNow();
    expect(now).toEqual(sorted(expectedRows(findings, today())));
    const failing = (rows: SummaryRow[]) => rows.reduce((n, r) => n + r.failing, 0);
    expect(failing(now)).toBeGreaterThan(failing(afterFirst));
  });
});
