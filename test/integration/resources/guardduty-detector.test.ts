import {
  CreateDetectorCommand,
  DeleteDetectorCommand,
  GetAdministratorAccountCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  type ListDetectorsCommandOutput,
} from '@aws-sdk/client-guardduty';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { createDetector } from '../../../src/local/estate/security-services.ts';
import { GUARDDUTY_DETECTOR, makeGuardDutyDetectorType } from '../../../src/resources/guardduty-detector.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'eu-west-1';
const BARE_REGION = 'ap-south-1';
let ctx: ScanContext;
let bare: ScanContext;
let detectorId: string;
let bareId: string;

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const KEYS = [
  'AccountId', 'Arn', 'CreatedAt', 'DataSources', 'Features', 'FindingPublishingFrequency', 'Id', 'Master', 'Name', 'Region', 'ResourceId', 'ResourceType',
  'ServiceRole', 'Status', 'Tags', 'TimeCreated', 'UpdatedAt',
];

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  bare = { ...ctx, region: BARE_REGION, cache: new Map() };
  detectorId = await createDetector(ctx.clients);
  bareId = (await ctx.clients.get(GuardDutyClient, BARE_REGION).send(new CreateDetectorCommand({ Enable: false }))).DetectorId!;
});

type Send = (cmd: object) => Promise<unknown>;

/** `base` with GuardDuty clients whose `send` goes through `through` (to page or rewrite answers). */
function wrapped(base: ScanContext, through: (cmd: object, send: Send) => Promise<unknown>): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: Send };
    if (ctor !== (GuardDutyClient as unknown)) return client;
    return new Proxy(client, {
      get: (target, prop, receiver) => (prop === 'send' ? (cmd: object) => through(cmd, (c) => target.send(c)) : Reflect.get(target, prop, receiver)),
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

describe('AWS.GuardDuty.Detector', () => {
  it('lists the region\'s detector; the ResourceId names the region', async () => {
    const page = await GUARDDUTY_DETECTOR.list(ctx);
    expect(page).toEqual({ refs: [{ detectorId }] });
    expect(GUARDDUTY_DETECTOR.resourceId(ctx, page.refs[0]!)).toBe(`${account}:${REGION}:AWS.GuardDuty.Detector`);
    expect(GUARDDUTY_DETECTOR.resourceId(ctx, {})).toBe(`${account}:${REGION}:AWS.GuardDuty.Detector`);
    expect((await GUARDDUTY_DETECTOR.list({ ...ctx, region: 'us-west-1' })).refs).toEqual([]);
  });

  it('follows NextToken across ListDetectors pages', async () => {
    // moto ignores MaxResults/NextToken: answer with two pages, as GuardDuty pages.
    const asked: (number | undefined)[] = [];
    const paged = wrapped(ctx, async (cmd, send) => {
      if (!(cmd instanceof ListDetectorsCommand)) return send(cmd);
      asked.push(cmd.input.MaxResults);
      const all = (await send(new ListDetectorsCommand({}))) as ListDetectorsCommandOutput;
      return cmd.input.NextToken ? { ...all, DetectorIds: ['d2'] } : { ...all, NextToken: 'page-2' };
    });
    const type = makeGuardDutyDetectorType({ pageSize: 1 });
    const first = await type.list(paged);
    expect(first).toEqual({ refs: [{ detectorId }], nextPageToken: 'page-2' });
    expect(await type.list(paged, first.nextPageToken)).toEqual({ refs: [{ detectorId: 'd2' }] });
    expect(asked).toEqual([1, 1]);
  });

  it('models an enabled detector with GetDetector fields', async () => {
    const res = (await GUARDDUTY_DETECTOR.describe(ctx, { detectorId }))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: `${account}:${REGION}:AWS.GuardDuty.Detector`,
      ResourceType: 'AWS.GuardDuty.Detector',
      AccountId: account,
      Region: REGION,
      Arn: `arn:aws:guardduty:${REGION}:${account}:detector/${detectorId}`,
      Id: detectorId,
      Name: null,
      Tags: { team: 'secops' },
      Status: 'ENABLED',
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      ServiceRole: `arn:aws:iam::${account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
      // Not a member of an administrator account.
      Master: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.CreatedAt).toBe(res.TimeCreated);
    expect(res.UpdatedAt).toMatch(RFC3339);
    // Nested shapes carry every modeled member (null when unset).
    const sources = res.DataSources as Record<string, Record<string, unknown> | null>;
    expect(Object.keys(sources).sort()).toEqual(['CloudTrail', 'DNSLogs', 'FlowLogs', 'Kubernetes', 'MalwareProtection', 'S3Logs']);
    expect(sources.S3Logs).toEqual({ Status: 'ENABLED' });
    expect(sources.CloudTrail).toEqual({ Status: 'DISABLED' });
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a suspended detector and finds it without an ID', async () => {
    const res = (await GUARDDUTY_DETECTOR.describe(bare, {}))!;
    expect(res).toMatchObject({ ResourceId: `${account}:${BARE_REGION}:AWS.GuardDuty.Detector`, Id: bareId, Region: BARE_REGION, Status: 'DISABLED', Tags: null, Master: null });
  });

  it('maps the administrator account into Master', async () => {
    // moto answers GetAdministratorAccount only for organization admins; this is the answer
    // the GuardDuty API reference documents for a member that accepted an invitation.
    const member = wrapped(ctx, async (cmd, send) => {
      if (!(cmd instanceof GetAdministratorAccountCommand)) return send(cmd);
      return { Administrator: { AccountId: '999988887777', InvitationId: '84b097800250d17d1872b34c4daadcf5', RelationshipStatus: 'Enabled', InvitedAt: '2025-01-02T03:04:05.000Z' } };
    });
    const res = (await GUARDDUTY_DETECTOR.describe(member, { detectorId }))!;
    expect(res.Master).toEqual({ AccountId: '999988887777', InvitationId: '84b097800250d17d1872b34c4daadcf5', RelationshipStatus: 'Enabled', InvitedAt: '2025-01-02T03:04:05.000Z' });
  });

  it('returns null for a deleted detector and for a region without one', async () => {
    const gd = ctx.clients.get(GuardDutyClient, 'ca-central-1');
    const id = (await gd.send(new CreateDetectorCommand({ Enable: true }))).DetectorId!;
    await gd.send(new DeleteDetectorCommand({ DetectorId: id }));
    const region = { ...ctx, region: 'ca-central-1', cache: new Map() };
    expect(await GUARDDUTY_DETECTOR.describe(region, { detectorId: id })).toBeNull();
    expect(await GUARDDUTY_DETECTOR.describe(region, {})).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const detail = (eventName: string, extra: Partial<CloudTrailDetail>): CloudTrailDetail => ({
      eventID: 'e',
      eventName,
      eventSource: 'guardduty.amazonaws.com',
      eventTime: '2025-01-01T00:00:00Z',
      awsRegion: REGION,
      ...extra,
    });
    const refs = (d: CloudTrailDetail) => GUARDDUTY_DETECTOR.events[d.eventName]!.refs!(d);
    expect(refs(detail('CreateDetector', { requestParameters: { enable: true }, responseElements: { detectorId } }))).toEqual([{ detectorId }]);
    expect(refs(detail('UpdateDetector', { requestParameters: { detectorId, enable: false } }))).toEqual([{ detectorId }]);
    expect(refs(detail('TagResource', { requestParameters: { resourceArn: `arn:aws:guardduty:${REGION}:${account}:detector/${detectorId}`, tags: { a: 'b' } } }))).toEqual([
      { detectorId },
    ]);
    // Tagging a filter of the detector does not change the detector.
    expect(refs(detail('TagResource', { requestParameters: { resourceArn: `arn:aws:guardduty:${REGION}:${account}:detector/${detectorId}/filter/f` } }))).toEqual([]);
    expect(GUARDDUTY_DETECTOR.events.DeleteDetector!.action).toBe('delete');
    expect(refs(detail('DeleteDetector', { requestParameters: { detectorId } }))).toEqual([{ detectorId }]);
  });
});
