/**
 * The cause on alerts: the payload carries the opening's provenance (or the resolution's) and a
 * one-line cause; Slack shows both escaped and on one line, the webhook body and the SNS message
 * carry them as JSON. Real senders against moto and a local receiver: test/integration/alerts.
 */
import { describe, expect, it } from 'vitest';
import { alertPayload, redactedPayload, type AlertPayload } from '../../src/alerts/alert-payload.ts';
import { slackMessage } from '../../src/alerts/slack-destination.ts';
import { signedRequest } from '../../src/alerts/webhook-destination.ts';
import type { AlertItem } from '../../src/compliance/model.ts';
import { ASSUMED_ROLE, COALESCED, consoleActor, PIPELINE_ARN, pipelineActor, SCAN_WINDOW } from '../helpers/provenance.ts';

const SG = 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0bastion';
const CALL = `${PIPELINE_ARN} called AuthorizeSecurityGroupIngress from 203.0.113.7 at 2026-12-05 12:03:11 UTC`;
const none = { get: async () => undefined };

function alert(over: Partial<AlertItem> = {}): AlertItem {
  return {
    alertKey: `AWS.EC2.SecurityGroup.SSHOpenToWorld#${SG}`,
    openedAt: `2026-12-05T12:03:40.000Z#${SG}`,
    status: 'OPEN',
    policyId: 'AWS.EC2.SecurityGroup.SSHOpenToWorld',
    resourceId: SG,
    resourceType: 'AWS.EC2.SecurityGroup',
    accountId: '111122223333',
    region: 'us-east-1',
    severity: 'High',
    title: 'SSH open to the world',
    trigger: 'realtime:AuthorizeSecurityGroupIngress',
    provenance: ASSUMED_ROLE,
    dedup: null,
    description: null,
    runbook: null,
    reference: null,
    destinations: null,
    ...over,
  };
}

type Blocks = { type: string; text?: { text: string } }[];
const causeBlock = (m: { blocks: Record<string, unknown>[] }): string | undefined => (m.blocks as Blocks).find((b) => b.text?.text.startsWith('*Cause*'))?.text?.text;

describe('alert payload', () => {
  it('an opened alert carries the opening provenance and "opened after …"', async () => {
    const p = await alertPayload(alert(), none);
    expect(p).toMatchObject({ kind: 'opened', provenance: ASSUMED_ROLE, cause: `opened after ${CALL}` });
    const coalesced = await alertPayload(alert({ provenance: COALESCED }), none);
    expect(coalesced.cause).toBe(`opened after ${CALL} (and 1 earlier event)`);
  });

  it('a resolved alert carries the resolution provenance, never the opening one', async () => {
    const fix = { actors: [{ ...consoleActor, eventName: 'RevokeSecurityGroupIngress', eventTime: '2026-12-05T12:30:00Z' }] };
    const p = await alertPayload(alert({ status: 'RESOLVED', resolvedAt: '2026-12-05T12:30:20.000Z', resolvedBy: 'realtime:RevokeSecurityGroupIngress', resolvedProvenance: fix }), none);
    expect(p).toMatchObject({ kind: 'resolved', provenance: fix, cause: 'resolved after arn:aws:iam::111122223333:user/alice called RevokeSecurityGroupIngress from 198.51.100.23 at 2026-12-05 12:30:00 UTC' });
    const unknown = await alertPayload(alert({ status: 'RESOLVED', resolvedAt: '2026-12-05T12:30:20.000Z' }), none);
    expect(unknown).toMatchObject({ kind: 'resolved', provenance: null, cause: null });
  });

  it('a change a scan found carries its window; nothing known is null', async () => {
    const w = await alertPayload(alert({ provenance: SCAN_WINDOW, trigger: 'scheduled' }), none);
    expect(w.cause).toBe('found by a scan: changed between 2026-12-04 02:00:00 UTC and 2026-12-05 02:00:00 UTC (no CloudTrail event was seen)');
    const { provenance: _omitted, ...bare } = alert();
    expect(await alertPayload(bare, none)).toMatchObject({ provenance: null, cause: null });
  });

  it('redaction keeps the provenance (it holds no secret)', async () => {
    const p = await alertPayload(alert(), none);
    expect(redactedPayload(p)).toEqual(p);
  });
});

describe('destination bodies', () => {
  it('Slack shows the cause and user agent escaped, on one line each, and clips the user agent', async () => {
    const hostile = {
      actors: [{ ...pipelineActor, arn: 'arn:aws:sts::111122223333:assumed-role/Admin/<!channel>&x', userAgent: `curl <!here> \`rm\`\n*bold* ${'u'.repeat(400)}` }],
    };
    const m = slackMessage(await alertPayload(alert({ provenance: hostile }), none));
    const text = causeBlock(m)!;
    const [head, cause, ua] = text.split('\n');
    expect(head).toBe('*Cause*');
    expect(cause).toBe('opened after arn:aws:sts::111122223333:assumed-role/Admin/&lt;!channel&gt;&amp;x called AuthorizeSecurityGroupIngress from 203.0.113.7 at 2026-12-05 12:03:11 UTC');
    expect(ua!.startsWith("*User agent* `curl &lt;!here&gt; 'rm' *bold* uuu")).toBe(true);
    expect(ua!.endsWith('…`')).toBe(true);
    expect(ua!.length).toBeLessThan(240);
    expect(text.split('\n')).toHaveLength(3);
    expect(JSON.stringify(m)).not.toMatch(/<!channel>|<!here>/);
    // Order: after the resource, before the description and runbook.
    const kinds = (m.blocks as Blocks).map((b) => b.text?.text.split('\n')[0] ?? b.type);
    expect(kinds.indexOf('*Cause*')).toBe(kinds.indexOf('*Resource*') + 1);
  });

  it('Slack shows a scan window without a user agent, and no cause block when nothing is known', async () => {
    expect(causeBlock(slackMessage(await alertPayload(alert({ provenance: SCAN_WINDOW }), none)))).toBe(
      '*Cause*\nfound by a scan: changed between 2026-12-04 02:00:00 UTC and 2026-12-05 02:00:00 UTC (no CloudTrail event was seen)',
    );
    const { provenance: _omitted, ...bare } = alert();
    expect(causeBlock(slackMessage(await alertPayload(bare, none)))).toBeUndefined();
  });

  it('the signed webhook body carries the provenance as stored and the cause', async () => {
    const p = await alertPayload(alert({ provenance: COALESCED }), none);
    const body = JSON.parse(signedRequest(p, 'k'.repeat(40), new Date(0)).body) as AlertPayload;
    expect(body.provenance).toEqual(COALESCED);
    expect(body.cause).toBe(`opened after ${CALL} (and 1 earlier event)`);
  });
});
