import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  type DescribeKeyCommandOutput,
  type ListKeysCommandOutput,
} from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { createAppDataKey, keyPolicy } from '../../../src/local/estate/security-services.ts';
import { KMS_KEY, makeKmsKeyType } from '../../../src/resources/kms-key.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-2';
let ctx: ScanContext;
let kms: KMSClient;
let cmkId: string;
let signId: string;
let doomedId: string;

const POLICY = keyPolicy(account);
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const arn = (id: string) => `arn:aws:kms:${REGION}:${account}:key/${id}`;

const METADATA = [
  'AWSAccountId', 'KeyId', 'Arn', 'CreationDate', 'Enabled', 'Description', 'KeyUsage', 'KeyState', 'DeletionDate', 'ValidTo', 'Origin', 'CustomKeyStoreId',
  'CloudHsmClusterId', 'ExpirationModel', 'KeyManager', 'CustomerMasterKeySpec', 'KeySpec', 'EncryptionAlgorithms', 'SigningAlgorithms',
  'KeyAgreementAlgorithms', 'EncapsulationAlgorithms', 'MultiRegion', 'MultiRegionConfiguration', 'PendingDeletionWindowInDays', 'MacAlgorithms',
  'XksKeyConfiguration', 'CurrentKeyMaterialId',
];
const KEYS = [...new Set(['ResourceId', 'ResourceType', 'TimeCreated', 'AccountId', 'Region', 'Arn', 'Id', 'Name', 'Tags', ...METADATA, 'KeyRotationEnabled', 'Policy'])];

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  kms = ctx.clients.get(KMSClient);
  cmkId = await createAppDataKey(ctx.clients, account);
  signId = (await kms.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'RSA_2048' }))).KeyMetadata!.KeyId!;
  doomedId = (await kms.send(new CreateKeyCommand({ Description: 'doomed' }))).KeyMetadata!.KeyId!;
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomedId, PendingWindowInDays: 7 }));
});

type Send = (cmd: object) => Promise<unknown>;

/** `base` with a KMS client whose `send` goes through `through` (to page, count or rewrite answers). */
function wrapped(base: ScanContext, through: (cmd: object, send: Send) => Promise<unknown>): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: Send };
    if (ctor !== (KMSClient as unknown)) return client;
    return new Proxy(client, {
      get: (target, prop, receiver) => (prop === 'send' ? (cmd: object) => through(cmd, (c) => target.send(c)) : Reflect.get(target, prop, receiver)),
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

describe('AWS.KMS.Key', () => {
  it('lists the region\'s keys with their ARNs', async () => {
    const page = await KMS_KEY.list(ctx);
    expect(page.refs).toEqual(
      expect.arrayContaining([
        { keyId: cmkId, arn: arn(cmkId) },
        { keyId: signId, arn: arn(signId) },
        { keyId: doomedId, arn: arn(doomedId) },
      ]),
    );
    for (const ref of page.refs) expect(KMS_KEY.resourceId(ctx, ref)).toBe(ref.arn);
    // An event naming the key by ID: the ARN follows from the event's account and region.
    expect(KMS_KEY.resourceId(ctx, { keyId: cmkId })).toBe(arn(cmkId));
    // Other regions hold other keys.
    expect((await KMS_KEY.list({ ...ctx, region: 'us-east-1' })).refs.map((r) => r.keyId)).not.toContain(cmkId);
  });

  it('follows Marker across ListKeys pages', async () => {
    // moto ignores Limit and never truncates: page its full answer here.
    const limits: (number | undefined)[] = [];
    const paged = wrapped(ctx, async (cmd, send) => {
      if (!(cmd instanceof ListKeysCommand)) return send(cmd);
      limits.push(cmd.input.Limit);
      const all = (await send(new ListKeysCommand({}))) as ListKeysCommandOutput;
      const from = Number(cmd.input.Marker ?? 0);
      const to = from + (cmd.input.Limit ?? 100);
      const keys = all.Keys ?? [];
      return { ...all, Keys: keys.slice(from, to), Truncated: to < keys.length, NextMarker: to < keys.length ? String(to) : undefined };
    });
    const type = makeKmsKeyType({ pageSize: 2 });
    const ids = (await listAll(type, paged)).refs.map((r) => r.keyId);
    expect(ids.sort()).toEqual([cmkId, signId, doomedId].sort());
    expect(limits).toEqual([2, 2]);
  });

  it('models a symmetric customer key: metadata, rotation, policy, tags', async () => {
    const res = (await KMS_KEY.describe(ctx, { keyId: cmkId, arn: arn(cmkId) }))!;
    expect(Object.keys(res).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: arn(cmkId),
      ResourceType: 'AWS.KMS.Key',
      AccountId: account,
      Region: REGION,
      Arn: arn(cmkId),
      Id: cmkId,
      KeyId: cmkId,
      Name: null,
      Tags: { team: 'data', env: 'prod' },
      AWSAccountId: account,
      Description: 'app data',
      Enabled: true,
      KeyManager: 'CUSTOMER',
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      Origin: 'AWS_KMS',
      DeletionDate: null,
      ValidTo: null,
      CustomKeyStoreId: null,
      MultiRegion: false,
      KeyRotationEnabled: true,
      Policy: POLICY,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.CreationDate).toBe(res.TimeCreated);
    expect(res.EncryptionAlgorithms).toEqual(['SYMMETRIC_DEFAULT']);
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('reports rotation disabled on a fresh key and a default policy string', async () => {
    const id = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const res = (await KMS_KEY.describe(ctx, { keyId: id }))!;
    expect(res).toMatchObject({ ResourceId: arn(id), KeyRotationEnabled: false, Tags: null });
    expect(JSON.parse(res.Policy as string).Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${account}:root` });
  });

  it('does not ask rotation of an asymmetric key', async () => {
    const calls: string[] = [];
    const counting = wrapped(ctx, async (cmd, send) => {
      calls.push(cmd.constructor.name);
      return send(cmd);
    });
    const res = (await KMS_KEY.describe(counting, { keyId: signId }))!;
    expect(res).toMatchObject({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'RSA_2048', KeyRotationEnabled: null, EncryptionAlgorithms: null });
    expect(res.SigningAlgorithms).toEqual(expect.arrayContaining(['RSASSA_PSS_SHA_256']));
    expect(calls).not.toContain('GetKeyRotationStatusCommand');
  });

  it('models an AWS-managed key without rotation or tag calls', async () => {
    // moto creates its aws/<service> keys as KeyManager CUSTOMER: DescribeKey answers here as
    // AWS does for an AWS-managed key.
    const calls: string[] = [];
    const managed = wrapped(ctx, async (cmd, send) => {
      calls.push(cmd.constructor.name);
      const out = await send(cmd);
      if (!(cmd instanceof DescribeKeyCommand)) return out;
      const r = out as DescribeKeyCommandOutput;
      return { ...r, KeyMetadata: { ...r.KeyMetadata, KeyManager: 'AWS', Description: 'Default key that protects my EBS volumes when no other key is defined' } };
    });
    const res = (await KMS_KEY.describe(managed, { keyId: cmkId }))!;
    expect(res).toMatchObject({ KeyManager: 'AWS', KeyRotationEnabled: null, Tags: null, Policy: POLICY });
    expect(calls).not.toContain(GetKeyRotationStatusCommand.name);
    expect(calls).not.toContain(ListResourceTagsCommand.name);
  });

  it('models a key pending deletion', async () => {
    const res = (await KMS_KEY.describe(ctx, { keyId: doomedId }))!;
    expect(res).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, Description: 'doomed' });
    expect(res.DeletionDate).toMatch(RFC3339);
  });

  it('returns null for a key that no longer exists', async () => {
    expect(await KMS_KEY.describe(ctx, { keyId: '11111111-2222-3333-4444-555555555555' })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const detail = (eventName: string, extra: Partial<CloudTrailDetail>): CloudTrailDetail => ({
      eventID: 'e',
      eventName,
      eventSource: 'kms.amazonaws.com',
      eventTime: '2025-01-01T00:00:00Z',
      awsRegion: REGION,
      ...extra,
    });
    const refs = (d: CloudTrailDetail) => KMS_KEY.events[d.eventName]!.refs!(d);
    expect(
      refs(detail('CreateKey', { requestParameters: { description: 'x', keyUsage: 'ENCRYPT_DECRYPT' }, responseElements: { keyMetadata: { keyId: cmkId, arn: arn(cmkId), aWSAccountId: account } } })),
    ).toEqual([{ keyId: cmkId, arn: arn(cmkId) }]);
    expect(refs(detail('EnableKeyRotation', { requestParameters: { keyId: cmkId } }))).toEqual([{ keyId: cmkId }]);
    expect(refs(detail('PutKeyPolicy', { requestParameters: { keyId: arn(cmkId), policyName: 'default', policy: POLICY } }))).toEqual([{ keyId: cmkId, arn: arn(cmkId) }]);
    expect(refs(detail('ScheduleKeyDeletion', { requestParameters: { keyId: cmkId, pendingWindowInDays: 7 }, responseElements: { keyId: arn(cmkId), keyState: 'PendingDeletion' } }))).toEqual([
      { keyId: cmkId },
    ]);
    expect(refs(detail('TagResource', { requestParameters: { keyId: cmkId, tags: [{ tagKey: 'a', tagValue: 'b' }] } }))).toEqual([{ keyId: cmkId }]);
    // An alias does not identify the key.
    expect(refs(detail('UpdateKeyDescription', { requestParameters: { keyId: 'alias/app', description: 'y' } }))).toEqual([]);
    for (const rule of Object.values(KMS_KEY.events)) expect(rule.action).toBe('rescan');
  });
});
