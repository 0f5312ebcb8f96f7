/** Provenance (src/core/provenance.ts), the actor of a CloudTrail event (src/events/actor.ts) and the structural diff (src/core/diff.ts). */
import { describe, expect, it } from 'vitest';
import { actorClause, MAX_ACTORS, mergeActors, provenanceText, scanWindow, type Actor } from '../../src/core/provenance.ts';
import { actorOf } from '../../src/events/actor.ts';
import { MAX_ENTRIES, structuralDiff } from '../../src/core/diff.ts';

const detail = {
  eventID: 'e-1',
  eventName: 'AuthorizeSecurityGroupIngress',
  eventSource: 'ec2.amazonaws.com',
  eventTime: '2026-12-05T12:03:11Z',
  awsRegion: 'us-east-1',
  recipientAccountId: '111122223333',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:deploy-pipeline',
    arn: 'arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline',
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLEKEY',
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/Admin', userName: 'Admin' }, attributes: { mfaAuthenticated: 'false' } },
  },
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-cli/2.15.0',
};

const actor = (eventID: string, eventTime: string, extra: Partial<Actor> = {}): Actor => ({ ...actorOf({ ...detail, eventID, eventTime }, 'eventbridge'), ...extra });

describe('actorOf', () => {
  it('keeps who called, from where and with what — not the session key', () => {
    const a = actorOf(detail, 'cloudtrail-s3');
    expect(a).toEqual({
      eventID: 'e-1',
      eventName: 'AuthorizeSecurityGroupIngress',
      eventSource: 'ec2.amazonaws.com',
      eventTime: '2026-12-05T12:03:11Z',
      awsRegion: 'us-east-1',
      via: 'cloudtrail-s3',
      identityType: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline',
      principalId: 'AROAEXAMPLE:deploy-pipeline',
      accountId: '111122223333',
      sessionIssuer: 'arn:aws:iam::111122223333:role/Admin',
      invokedBy: null,
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
    });
    expect(JSON.stringify(a)).not.toContain('ASIAEXAMPLEKEY');
  });

  it('tolerates an event without an identity and bounds long values', () => {
    const a = actorOf({ ...detail, userIdentity: undefined, userAgent: 'x'.repeat(10_000), sourceIPAddress: 7 } as never, 'eventbridge');
    expect(a).toMatchObject({ identityType: null, arn: null, principalId: null, sessionIssuer: null, sourceIPAddress: null });
    expect(a.userAgent).toHaveLength(2048);
  });
});

describe('provenance text', () => {
  it('names the newest actor and counts the others', () => {
    const p = mergeActors([[actor('e-2', '2026-12-05T12:03:40Z', { sourceIPAddress: '198.51.100.4' })], [actor('e-1', '2026-12-05T12:03:11Z')], [actor('e-1', '2026-12-05T12:03:11Z')]]);
    expect(p.actors!.map((a) => a.eventID)).toEqual(['e-1', 'e-2']);
    expect(provenanceText(p)).toBe('after arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline called AuthorizeSecurityGroupIngress from 198.51.100.4 at 2026-12-05 12:03:40 UTC (and 1 earlier event)');
    expect(actorClause(actor('e-1', '2026-12-05T12:03:11Z'))).toBe(
      'arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline called AuthorizeSecurityGroupIngress from 203.0.113.7 at 2026-12-05 12:03:11 UTC',
    );
  });

  it('an AWS service call names the service; an unknown caller says so', () => {
    expect(actorClause(actor('e', '2026-12-05T00:00:00Z', { arn: null, invokedBy: 'cloudformation.amazonaws.com', sourceIPAddress: null }))).toBe(
      'cloudformation.amazonaws.com (AWS service) called AuthorizeSecurityGroupIngress at 2026-12-05 00:00:00 UTC',
    );
    expect(actorClause(actor('e', '2026-12-05T00:00:00Z', { arn: null, principalId: null, identityType: null }))).toMatch(/^an unknown caller called/);
  });

  it('keeps at most MAX_ACTORS and counts the rest', () => {
    const many = Array.from({ length: MAX_ACTORS + 5 }, (_, i) => [actor(`e-${String(i).padStart(3, '0')}`, `2026-12-05T12:00:${String(i % 60).padStart(2, '0')}Z`)]);
    const p = mergeActors(many);
    expect(p.actors).toHaveLength(MAX_ACTORS);
    expect(p.moreActors).toBe(5);
    // The newest are kept: the one the text names is the last call.
    expect(p.actors!.at(-1)!.eventID).toBe(`e-${String(MAX_ACTORS + 4).padStart(3, '0')}`);
    expect(provenanceText(p)).toContain(`(and ${MAX_ACTORS - 1 + 5} earlier events)`);
  });

  it('a scan window: after the later of the previous observation and the previous scan, by this one', () => {
    expect(scanWindow('2026-12-04T05:00:10Z', '2026-12-04T05:00:00Z', '2026-12-05T05:00:03Z')).toEqual({ window: { from: '2026-12-04T05:00:10Z', to: '2026-12-05T05:00:03Z' } });
    expect(scanWindow(undefined, undefined, '2026-12-05T05:00:03Z')).toEqual({ window: { from: null, to: '2026-12-05T05:00:03Z' } });
    expect(provenanceText(scanWindow('2026-12-04T05:00:10Z', undefined, '2026-12-05T05:00:03Z'))).toBe(
      'found by a scan: changed between 2026-12-04 05:00:10 UTC and 2026-12-05 05:00:03 UTC (no CloudTrail event was seen)',
    );
    expect(provenanceText(scanWindow(undefined, undefined, '2026-12-05T05:00:03Z'))).toBe('found by a scan at 2026-12-05 05:00:03 UTC: first seen then');
    expect(provenanceText(undefined)).toBeUndefined();
  });
});

describe('structuralDiff', () => {
  it('names added, removed and changed paths with previews', () => {
    const d = structuralDiff({ A: 1, B: { C: 'x', D: [1, 2] }, E: true }, { A: 2, B: { C: 'x', D: [1, 2, 3] }, F: null });
    expect(d).toEqual({
      added: [{ path: 'B.D[2]', after: '3' }, { path: 'F', after: 'null' }],
      removed: [{ path: 'E', before: 'true' }],
      changed: [{ path: 'A', before: '1', after: '2' }],
    });
  });

  it('an element that moved is not a change; one that went is', () => {
    const rule = (port: number) => ({ FromPort: port, ToPort: port });
    expect(structuralDiff({ P: [rule(22), rule(80), rule(443)] }, { P: [rule(443), rule(22)] })).toEqual({ added: [], removed: [{ path: 'P[1]', before: '{"FromPort":80,"ToPort":80}' }], changed: [] });
    // Same length: element by element (a rule edited in place).
    expect(structuralDiff({ P: [rule(22)] }, { P: [{ FromPort: 22, ToPort: 23 }] }).changed).toEqual([{ path: 'P[0].ToPort', before: '22', after: '23' }]);
  });

  it('bounds the entries and the previews', () => {
    const before = Object.fromEntries(Array.from({ length: MAX_ENTRIES + 20 }, (_, i) => [`K${i}`, i]));
    const d = structuralDiff(before, {});
    expect(d.removed).toHaveLength(MAX_ENTRIES);
    expect(d.more).toBe(20);
    expect(structuralDiff({ V: 'a' }, { V: 'b'.repeat(5000) }).changed[0]!.after!.length).toBe(301);
  });
});
