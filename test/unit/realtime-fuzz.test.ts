/**
 * Property-based fuzzing of the real-time event parser and mapper (fast-check): well-formed
 * events built from the registry's sources, names and the parameters its extractors read, and
 * malformed ones (random JSON, missing and ill-typed fields, huge strings, prototype-pollution
 * keys), and envelopes whose EventBridge account differs from CloudTrail's. Every input either
 * maps (targets in the envelope's account, or a drop with its reason) or is rejected with a
 * one-line reason; nothing crashes, nothing leaks into Object.prototype.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/events/envelope.ts';
import { mapEvent, type MapOutcome } from '../../src/events/map-event.ts';
import { trustRejection, type RejectReason } from '../../src/events/trust.ts';
import { eventMap, getResourceType, REGISTRY } from '../../src/resources/index.ts';

const MAP = eventMap(REGISTRY);
const PAIRS: [string, string][] = [...MAP].flatMap(([source, names]) => [...names.keys()].map((name): [string, string] => [source, name]));
const ACTIONS = new Set(['rescan', 'delete', 'rescan-region', 'rescan-account']);

type Outcome = { parseError: string } | { untrusted: RejectReason } | MapOutcome;

const oneLineReason = (reason: string, max: number) => {
  check(reason.length > 0 && reason.length <= max, 'reason length', reason.length);
  check(!/[\r\n\u2028\u2029]/.test(reason), 'reason is one line', reason);
};

let checked = 0;

/** The real-time path's first two steps for one SQS body, with the invariants every outcome keeps. */
function check(ok: boolean, what: string, detail: unknown): void {
  if (!ok) throw new Error(`${what}: ${JSON.stringify(detail)?.slice(0, 500)}`);
}

function classify(body: string): Outcome {
  checked++;
  let parsed;
  try {
    parsed = parseMessage(body);
  } catch (err) {
    check(err instanceof Error, 'rejection is an Error', String(err));
    const reason = (err as Error).message;
    oneLineReason(reason, 1001);
    return { parseError: reason };
  }
  const untrusted = trustRejection(parsed.event);
  if (untrusted) {
    check(['accountMismatch', 'untrustedSource'].includes(untrusted.reason), 'trust reason', untrusted);
    oneLineReason(untrusted.message, 400);
    return { untrusted: untrusted.reason };
  }
  const out = mapEvent(parsed.event);
  if ('dropped' in out) {
    check(['readOnly', 'failedCall', 'unknownEvent'].includes(out.dropped), 'drop reason', out.dropped);
    return out;
  }
  if ('rejected' in out) {
    check(out.rejected.reason === 'noTarget', 'mapping rejection reason', out.rejected);
    return out;
  }
  check(out.targets.length > 0, 'a mapped event has targets', out);
  for (const t of out.targets) {
    check(ACTIONS.has(t.action), 'action', t.action);
    // Only EventBridge's word names the account: never CloudTrail's detail alone.
    check(t.accountId === parsed.event.account, 'account is the envelope account', t.accountId);
    const type = getResourceType(t.resourceType);
    // Its own service's rule or a related one (e.g. WAFv2 associations for ALBs).
    const bound = MAP.get(parsed.event.detail.eventSource)?.get(t.eventName)?.find((b) => b.type.type === t.resourceType);
    check(bound?.rule.action === t.action, 'the rule of the event', t);
    if (t.ref !== undefined) {
      // The batch derives the coalescing key from the ResourceId: it must not throw.
      const id = type.resourceId({ accountId: t.accountId, region: t.region, partition: 'aws' }, t.ref);
      check(id === undefined || typeof id === 'string', 'resourceId', id);
    }
  }
  return out;
}

// ---- generators ---------------------------------------------------------------------------------

const account = fc.stringMatching(/^\d{12}$/);
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1');
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
/** Values the extractors look for: IDs with EC2 prefixes, ARNs of every service, plain names. */
const idLike = fc.oneof(
  fc.tuple(fc.constantFrom('sg-', 'vpc-', 'acl-', 'vol-', 'i-', 'ami-', 'subnet-', 'snap-'), hex(17)).map(([p, h]) => p + h),
  fc
    .tuple(fc.constantFrom('s3', 'iam', 'kms', 'acm', 'logs', 'dynamodb', 'ecs', 'eks', 'lambda', 'rds', 'redshift', 'cloudtrail', 'wafv2', 'elasticloadbalancing', 'cloudformation', 'guardduty'), region, account, fc.string({ maxLength: 40 }))
    .map(([svc, r, a, rest]) => `arn:aws:${svc}:${r}:${a}:${rest}`),
  fc.constantFrom(
    'arn:aws:iam::123456789012:policy/p',
    'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2',
    'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/a1b2',
    'arn:aws:lambda:us-east-1:123456789012:function:api:3',
    'arn:aws:ecs:us-east-1:123456789012:service/web/api',
    'arn:aws:logs:us-east-1:123456789012:log-group:/a/b:*',
    'arn:',
    'alias/x',
    '',
  ),
  fc.string({ maxLength: 30 }),
);
const KEYS = [
  'bucketName', 'groupId', 'groupName', 'vpcId', 'networkAclId', 'volumeId', 'instanceId', 'imageId', 'resourceId', 'resourcesSet', 'instancesSet', 'items',
  'userName', 'newUserName', 'newGroupName', 'roleName', 'policyArn', 'user', 'group', 'role', 'policy', 'name', 'trailName', 'trailARN', 'detectorId',
  'resourceArn', 'resourceARN', 'keyId', 'keyMetadata', 'arn', 'certificateArn', 'stackName', 'stackId', 'logGroupName', 'logGroupIdentifier',
  'resourceIdentifier', 'tableName', 'targetTableName', 'tableCreationParameters', 'cluster', 'clusterName', 'service', 'clusterArn', 'functionName',
  'qualifier', 'resource', 'dBInstanceIdentifier', 'targetDBInstanceIdentifier', 'newDBInstanceIdentifier', 'resourceName', 'clusterIdentifier',
  'newClusterIdentifier', 'loadBalancerArn', 'listenerArn', 'webACLArn', 'scope', 'Scope', 'id', 'Id', 'summary', 'content', 'tag', 'GroupId',
  'securityGroupRuleSet', 'revokedSecurityGroupRuleSet', 'ModifySecurityGroupRulesRequest', 'CreateFlowLogsRequest', 'ResourceId',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
];
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
/** Nested parameter objects in CloudTrail's renderings (flat, `{items: [...]}`, wrappers). */
const params: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ value: unknown; obj: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    idLike,
    fc.constantFrom('REGIONAL', 'CLOUDFRONT', true, false, null, 0, 3),
    tie('obj'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.record({ items: fc.array(tie('obj'), { maxLength: 3 }) }),
  ),
  obj: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).obj;
const userIdentity = fc.oneof(
  fc.constant(undefined),
  fc.record({ type: fc.constantFrom('IAMUser', 'Root', 'AssumedRole', 'AWSService'), userName: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), arn: fc.option(idLike, { nil: undefined }) }),
);

/** A well-formed envelope of a registry event (sometimes failed, read-only, or already deferred). */
const wellFormed = fc
  .record({
    pair: fc.constantFrom(...PAIRS),
    account,
    /** The envelope's account: usually the detail's, sometimes another (a forged recipient). */
    sender: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: account }),
    region,
    eventID: fc.uuid(),
    requestParameters: fc.option(params, { nil: null }),
    responseElements: fc.option(params, { nil: null }),
    userIdentity,
    errorCode: fc.option(fc.constantFrom('AccessDenied', 'Client.UnauthorizedOperation'), { freq: 8, nil: undefined }),
    readOnly: fc.option(fc.boolean(), { nil: undefined }),
    settled: fc.boolean(),
  })
  .map((g) => {
    const [eventSource, eventName] = g.pair;
    const envelope = {
      version: '0',
      id: g.eventID,
      'detail-type': 'AWS API Call via CloudTrail',
      source: `aws.${eventSource.split('.')[0]}`,
      account: g.sender ?? g.account,
      region: g.region,
      time: '2026-11-22T10:00:00Z',
      detail: {
        eventVersion: '1.09',
        eventID: g.eventID,
        eventName,
        eventSource,
        eventTime: '2026-11-22T10:00:00Z',
        awsRegion: g.region,
        recipientAccountId: g.account,
        requestParameters: g.requestParameters,
        responseElements: g.responseElements,
        ...(g.userIdentity ? { userIdentity: g.userIdentity } : {}),
        ...(g.errorCode ? { errorCode: g.errorCode, errorMessage: 'denied' } : {}),
        ...(g.readOnly !== undefined ? { readOnly: g.readOnly } : {}),
      },
    };
    const forged = g.sender !== undefined && g.sender !== g.account;
    return { envelope: g.settled ? { settled: true, event: envelope } : envelope, errorCode: g.errorCode, readOnly: g.readOnly, forged };
  });

const POLLUTING = ['__proto__', 'constructor', 'prototype'];
/** Paths into an envelope to break. */
const FIELDS = [
  [], ['detail-type'], ['source'], ['account'], ['region'], ['detail'], ['detail', 'eventID'], ['detail', 'eventName'], ['detail', 'eventSource'],
  ['detail', 'eventTime'], ['detail', 'awsRegion'], ['detail', 'recipientAccountId'], ['detail', 'errorCode'], ['detail', 'readOnly'],
  ['detail', 'requestParameters'], ['detail', 'responseElements'], ['detail', 'userIdentity'], ['settled'], ['event'],
];
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, '', 0, -1, 1e308, true, [], {}, '123', 'x'.repeat(100_000)),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'é\n\u0000"'.repeat(Math.ceil(n / 4)).slice(0, n)),
  fc.dictionary(fc.constantFrom(...POLLUTING, 'polluted', 'eventName'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
const mutation = fc.record({ path: fc.constantFrom(...FIELDS), op: fc.constantFrom('delete', 'set', 'pollute'), value: junk, pkey: fc.constantFrom(...POLLUTING) });

/** Applies a mutation to a JSON copy and serialises it; `__proto__` is written as an own key, as JSON.parse produces it. */
function mutate(envelope: unknown, m: { path: string[]; op: string; value: unknown; pkey: string }): string {
  const root = JSON.parse(JSON.stringify(envelope)) as Record<string, unknown>;
  const target = (root.settled ? root.event : root) as Record<string, unknown>;
  let parent: Record<string, unknown> = target;
  for (const k of m.path.slice(0, -1)) {
    const next = parent[k];
    if (typeof next !== 'object' || next === null) return JSON.stringify(root);
    parent = next as Record<string, unknown>;
  }
  const last = m.path[m.path.length - 1];
  if (m.op === 'delete' && last !== undefined) delete parent[last];
  else if (m.op === 'set' && last !== undefined) parent[last] = m.value;
  else {
    const holder = last === undefined ? parent : parent[last];
    if (typeof holder === 'object' && holder !== null) Object.defineProperty(holder, m.pkey, { value: { polluted: 'yes', userName: 'mallory', groupId: 'sg-0123456789abcdef0' }, enumerable: true, configurable: true, writable: true });
  }
  return JSON.stringify(root);
}

// ---- properties -------------------------------------------------------------------------------

/** JSON's punctuation, line breaks, control and non-BMP characters. */
const TEXT_UNITS = fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', '\n', '\r', '\u0000', '\u2028', 'a', '1', 'é', '😀', ' ');

const RUNS = { wellFormed: 3_000, mutated: 3_000, json: 2_500, text: 2_000 };

describe('real-time event parser and mapper under fuzzing', () => {
  afterAll(() => {
    // Nothing generated reached the global prototypes.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).userName).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('well-formed registry events parse, and map to targets, a drop or a rejection that matches the event', () => {
    let forged = 0;
    fc.assert(
      fc.property(wellFormed, (w) => {
        const out = classify(JSON.stringify(w.envelope));
        expect('parseError' in out).toBe(false);
        if (w.forged) {
          forged++;
          expect(out).toEqual({ untrusted: 'accountMismatch' });
        } else if (w.errorCode) expect(out).toEqual({ dropped: 'failedCall' });
        else if (w.readOnly === true) expect(out).toEqual({ dropped: 'readOnly' });
        else expect('targets' in out || ('rejected' in out && out.rejected.reason === 'noTarget')).toBe(true);
      }),
      { numRuns: RUNS.wellFormed },
    );
    // The generator really produced forged recipients.
    expect(forged).toBeGreaterThan(RUNS.wellFormed / 10);
  });

  it('mutated events (missing or ill-typed fields, huge strings, prototype keys) map or are rejected with one line', () => {
    fc.assert(
      fc.property(wellFormed, mutation, (w, m) => {
        classify(mutate(w.envelope, m));
      }),
      { numRuns: RUNS.mutated },
    );
  });

  it('random JSON is rejected with one line (or, by chance, maps)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        classify(JSON.stringify(v));
      }),
      { numRuns: RUNS.json },
    );
  });

  it('arbitrary text is rejected with one line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: TEXT_UNITS, maxLength: 300 })), (s) => {
        const out = classify(s);
        if (!s.trimStart().startsWith('{')) expect('parseError' in out).toBe(true);
      }),
      { numRuns: RUNS.text },
    );
  });

  it(`checked at least 10,000 generated events`, () => {
    expect(checked).toBeGreaterThanOrEqual(10_000);
  });
});
