/**
 * The verdict's provenance in every finding format: JSON (as stored, with the cause line), CSV
 * (newest actor and scan window columns), OCSF (actor, api; IP and user agent in unmapped), ASFF
 * (Note and ProductFields within Security Hub's limits) and the report's failing rows. Cases: an
 * assumed-role session, two coalesced events, a scan window, first seen by a scan, none.
 */
import { describe, expect, it } from 'vitest';
import { findingsTable } from '../../src/cli/report/findings-html.ts';
import { asffLimitProblem } from '../../src/cli/securityhub-export.ts';
import { formatFindings } from '../../src/cli/commands/findings.ts';
import { ASFF_MAX_PRODUCT_FIELDS, ASFF_NOTE_MAX, CSV_COLUMNS, toAsff, toCsv, toOcsf } from '../../src/compliance/finding-formats.ts';
import { toFinding, type Finding } from '../../src/compliance/findings.ts';
import type { ComplianceItem } from '../../src/compliance/model.ts';
import type { Provenance } from '../../src/core/provenance.ts';
import { readCsv } from '../helpers/csv.ts';
import { ASSUMED_ROLE, COALESCED, consoleActor, FIRST_SEEN, PIPELINE_ARN, pipelineActor, SCAN_WINDOW } from '../helpers/provenance.ts';

const NOW = new Date('2026-12-05T13:00:00Z');
const ASFF = { partition: 'aws', region: 'us-east-1', securityAccountId: '999999999999' };
const SG = 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0bastion';

const OPENED = `after ${PIPELINE_ARN} called AuthorizeSecurityGroupIngress from 203.0.113.7 at 2026-12-05 12:03:11 UTC`;
const WINDOW = 'found by a scan: changed between 2026-12-04 02:00:00 UTC and 2026-12-05 02:00:00 UTC (no CloudTrail event was seen)';

/** A stored verdict as the compliance store holds it, with its provenance. */
function item(provenance: Provenance | undefined, over: Partial<ComplianceItem> = {}): ComplianceItem {
  return {
    resourceId: SG,
    policyId: 'AWS.EC2.SecurityGroup.SSHOpenToWorld',
    scope: '111122223333#us-east-1#AWS.EC2.SecurityGroup',
    accountId: '111122223333',
    region: 'us-east-1',
    resourceType: 'AWS.EC2.SecurityGroup',
    status: 'FAIL',
    errorMessage: null,
    severity: 'High',
    suppressed: false,
    title: 'SSH open to the world',
    trigger: provenance?.actors ? 'realtime:AuthorizeSecurityGroupIngress' : 'scheduled',
    ...(provenance ? { provenance } : {}),
    lastChanged: '2026-12-05T12:03:40.000Z',
    statusKey: 'FAIL#AWS.EC2.SecurityGroup.SSHOpenToWorld',
    version: 1,
    ...over,
  };
}

const finding = (p: Provenance | undefined, over: Partial<ComplianceItem> = {}): Finding => toFinding(item(p, over));

describe('JSON', () => {
  it('carries the provenance as stored and the cause as one line, led by the verdict', () => {
    const cases: [Provenance | undefined, string | null][] = [
      [ASSUMED_ROLE, `failing ${OPENED}`],
      [COALESCED, `failing ${OPENED} (and 1 earlier event)`],
      [SCAN_WINDOW, WINDOW],
      [FIRST_SEEN, 'found by a scan at 2026-12-05 02:00:00 UTC: first seen then'],
      [undefined, null],
    ];
    for (const [p, cause] of cases) {
      const [parsed] = JSON.parse(formatFindings([finding(p)], 'json', ASFF, NOW)) as Finding[];
      expect(parsed!.provenance).toEqual(p ?? null);
      expect(parsed!.cause).toBe(cause);
    }
    expect(finding(ASSUMED_ROLE, { status: 'PASS' }).cause).toBe(`passing ${OPENED}`);
    expect(finding(ASSUMED_ROLE, { status: 'ERROR' }).cause).toBe(`in error ${OPENED}`);
  });

  it('keeps the cause to one line whatever the event held', () => {
    const odd = { actors: [{ ...pipelineActor, arn: 'arn:aws:sts::111122223333:assumed-role/Admin/x\nFAKE: line\u2028two', sourceIPAddress: '203.0.113.7\r\n' }] };
    const cause = finding(odd).cause!;
    expect(cause).not.toMatch(/[\r\n\u2028]/);
    expect(cause).toContain('assumed-role/Admin/x FAKE: line two called AuthorizeSecurityGroupIngress from 203.0.113.7 at');
  });
});

describe('CSV', () => {
  const record = (f: Finding) => {
    const rows = readCsv(toCsv([f]));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveLength(CSV_COLUMNS.length);
    return Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]!]));
  };

  it('has the cause, newest-actor and window columns before the policy text', () => {
    const i = CSV_COLUMNS.indexOf('verifiedBy');
    expect(CSV_COLUMNS.slice(i + 1, i + 10)).toEqual(['cause', 'actor_arn', 'actor_event', 'actor_source_ip', 'actor_user_agent', 'actor_time', 'change_window_from', 'change_window_to', 'runbook']);
  });

  it('fills them from the newest actor, or the window, or leaves them empty', () => {
    expect(record(finding(COALESCED))).toMatchObject({
      cause: `failing ${OPENED} (and 1 earlier event)`,
      actor_arn: PIPELINE_ARN,
      actor_event: 'AuthorizeSecurityGroupIngress',
      actor_source_ip: '203.0.113.7',
      actor_user_agent: pipelineActor.userAgent,
      actor_time: '2026-12-05T12:03:11Z',
      change_window_from: '',
      change_window_to: '',
    });
    expect(record(finding(SCAN_WINDOW))).toMatchObject({ cause: WINDOW, actor_arn: '', actor_event: '', actor_time: '', change_window_from: '2026-12-04T02:00:00.000Z', change_window_to: '2026-12-05T02:00:00.000Z' });
    expect(record(finding(FIRST_SEEN))).toMatchObject({ change_window_from: '', change_window_to: '2026-12-05T02:00:00.000Z' });
    const none = record(finding(undefined));
    for (const c of ['cause', 'actor_arn', 'actor_event', 'actor_source_ip', 'actor_user_agent', 'actor_time', 'change_window_from', 'change_window_to']) expect(none[c]).toBe('');
  });

  it('quotes a user agent with commas, quotes and a line break, and reads it back exactly', () => {
    const ua = 'Mozilla/5.0 (X11, "evil"), =HYPERLINK("http://x")\r\nX-Injected: 1';
    const f = finding({ actors: [{ ...pipelineActor, userAgent: ua }] });
    const text = toCsv([f]);
    expect(text).toContain('"Mozilla/5.0 (X11, ""evil""), =HYPERLINK(""http://x"")\r\nX-Injected: 1"');
    expect(record(f)).toMatchObject({ actor_user_agent: ua, actor_arn: PIPELINE_ARN, frameworks: '' });
  });
});

describe('OCSF', () => {
  it('maps the newest caller to actor (user, session) and its call to api; IP and user agent go to unmapped', () => {
    const ev = toOcsf(finding(COALESCED), { partition: 'aws', now: NOW });
    expect(ev.actor).toEqual({
      user: { uid: PIPELINE_ARN, uid_alt: 'AROAEXAMPLEROLEID:deploy-pipeline', type: 'AssumedRole', account: { uid: '111122223333', type: 'AWS Account', type_id: 10 } },
      session: { issuer: 'arn:aws:iam::111122223333:role/Admin' },
    });
    expect(ev.api).toEqual({ operation: 'AuthorizeSecurityGroupIngress', service: { name: 'ec2.amazonaws.com' } });
    expect(ev.metadata.profiles).toEqual(['cloud', 'host']);
    expect(ev.unmapped).toMatchObject({
      cause: `failing ${OPENED} (and 1 earlier event)`,
      src_endpoint: { ip: '203.0.113.7' },
      http_request: { user_agent: pipelineActor.userAgent },
      provenance: COALESCED,
      policyId: 'AWS.EC2.SecurityGroup.SSHOpenToWorld',
    });
    // The class itself has no src_endpoint or http_request.
    expect(ev).not.toHaveProperty('src_endpoint');
    expect(ev).not.toHaveProperty('http_request');
  });

  it('an IAM user has no session; a call an AWS service made for the caller names it in invoked_by', () => {
    expect(toOcsf(finding({ actors: [consoleActor] }), { partition: 'aws', now: NOW }).actor).toEqual({
      user: { uid: 'arn:aws:iam::111122223333:user/alice', uid_alt: 'AIDAEXAMPLEUSERID', type: 'IAMUser', account: { uid: '111122223333', type: 'AWS Account', type_id: 10 } },
    });
    const service = { ...pipelineActor, identityType: 'AWSService', arn: null, principalId: null, accountId: null, sessionIssuer: null, invokedBy: 'cloudformation.amazonaws.com', sourceIPAddress: 'cloudformation.amazonaws.com', userAgent: 'cloudformation.amazonaws.com' };
    expect(toOcsf(finding({ actors: [service] }), { partition: 'aws', now: NOW }).actor).toEqual({ invoked_by: 'cloudformation.amazonaws.com' });
  });

  it('a scan window has no actor: the window and cause are in unmapped; nothing known adds nothing', () => {
    const ev = toOcsf(finding(SCAN_WINDOW), { partition: 'aws', now: NOW });
    expect(ev).not.toHaveProperty('actor');
    expect(ev).not.toHaveProperty('api');
    expect(ev.metadata.profiles).toEqual(['cloud']);
    expect(ev.unmapped).toMatchObject({ cause: WINDOW, provenance: SCAN_WINDOW });
    expect(ev.unmapped).not.toHaveProperty('src_endpoint');
    const none = toOcsf(finding(undefined), { partition: 'aws', now: NOW });
    expect(Object.keys(none.unmapped).sort()).toEqual(['lastVerified', 'policyId', 'suppressedBy', 'trigger', 'verifiedBy']);
  });
});

describe('ASFF', () => {
  it('notes the cause and puts the newest caller in ProductFields', () => {
    const a = toAsff(finding(COALESCED), ASFF);
    expect(a.Note).toEqual({ Text: `failing ${OPENED} (and 1 earlier event)`, UpdatedBy: 'posture', UpdatedAt: '2026-12-05T12:03:40.000Z' });
    expect(a.ProductFields).toMatchObject({
      'posture/actor/arn': PIPELINE_ARN,
      'posture/actor/event': 'AuthorizeSecurityGroupIngress',
      'posture/actor/sourceIp': '203.0.113.7',
      'posture/actor/time': '2026-12-05T12:03:11Z',
    });
    expect(a.ProductFields).not.toHaveProperty('posture/changeWindow');
    expect(asffLimitProblem(a)).toBeNull();
  });

  it('gives a scan window as an ISO 8601 interval, open at the start when first seen', () => {
    const w = toAsff(finding(SCAN_WINDOW), ASFF);
    expect(w.ProductFields['posture/changeWindow']).toBe('2026-12-04T02:00:00.000Z/2026-12-05T02:00:00.000Z');
    expect(Object.keys(w.ProductFields).filter((k) => k.startsWith('posture/actor/'))).toEqual([]);
    expect(w.Note!.Text).toBe(WINDOW);
    expect(toAsff(finding(FIRST_SEEN), ASFF).ProductFields['posture/changeWindow']).toBe('../2026-12-05T02:00:00.000Z');
  });

  it('keeps the exception in the note beside the cause, and writes no note when neither is known', () => {
    const s = toAsff(finding(ASSUMED_ROLE, { suppressed: true, suppressedBy: 'exc-bastion' }), ASFF);
    expect(s.Note!.Text).toBe(`Suppressed by exception exc-bastion; failing ${OPENED}`);
    expect(toAsff(finding(undefined, { suppressed: true, suppressedBy: 'exc-bastion' }), ASFF).Note!.Text).toBe('Suppressed by exception exc-bastion');
    expect(toAsff(finding(undefined), ASFF)).not.toHaveProperty('Note');
  });

  it('stays within Security Hub limits: Note 512, ProductFields values 2,048, at most 50 pairs', () => {
    const long = { actors: [{ ...pipelineActor, arn: `arn:aws:sts::111122223333:assumed-role/Admin/${'s'.repeat(3000)}`, sourceIPAddress: 'x'.repeat(2100) }] };
    const a = toAsff(finding(long, { suppressed: true, suppressedBy: 'exc-1' }), ASFF);
    expect(a.Note!.Text.length).toBe(ASFF_NOTE_MAX);
    expect(a.Note!.Text.startsWith('Suppressed by exception exc-1; failing after arn:aws:sts::')).toBe(true);
    expect(a.ProductFields['posture/actor/arn']!.length).toBe(2048);
    expect(a.ProductFields['posture/actor/sourceIp']!.length).toBe(2048);
    expect(Object.keys(a.ProductFields).length).toBeLessThanOrEqual(ASFF_MAX_PRODUCT_FIELDS);
    expect(asffLimitProblem(a)).toBeNull();
    // The check the export applies before BatchImportFindings.
    const crowded = { ...a, ProductFields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) };
    expect(asffLimitProblem(crowded)).toBe('51 ProductFields, over the limit of 50');
    expect(asffLimitProblem({ ...a, Note: { ...a.Note!, Text: 'n'.repeat(513) } })).toBe('Note.Text of 513 characters, over the limit of 512');
  });
});

describe('HTML report', () => {
  it('shows the cause, escaped, on failing rows only, and searches it', () => {
    const hostile = { actors: [{ ...pipelineActor, arn: 'arn:aws:sts::111122223333:assumed-role/Admin/<img src=x onerror=alert(1)>' }] };
    const html = findingsTable('failing', [finding(hostile), finding(ASSUMED_ROLE, { status: 'PASS', resourceId: `${SG}-2` })], { generatedAt: NOW, printed: new Map() });
    const causes = [...html.matchAll(/<small class="cause">([^<]*)<\/small>/g)].map((m) => m[1]);
    expect(causes).toEqual(['failing after arn:aws:sts::111122223333:assumed-role/Admin/&lt;img src=x onerror=alert(1)&gt; called AuthorizeSecurityGroupIngress from 203.0.113.7 at 2026-12-05 12:03:11 UTC']);
    expect(html).not.toContain('<img');
    expect(html).toMatch(/data-q="[^"]*AuthorizeSecurityGroupIngress from 203\.0\.113\.7/);
  });
});
