import { CreateSecretCommand, DeleteSecretCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSecrets } from '../../../src/local/estate/coverage-messaging.ts';
import { getResourceType } from '../../../src/resources/index.ts';
import { makeSecretsManagerSecretType, SECRETSMANAGER_SECRET, type SecretRef } from '../../../src/resources/secretsmanager-secret.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'ap-south-1';
const SECRET = 'S3cr3t-value-that-must-never-leave-4f1e';
let ctx: ScanContext;
let arns: { db: string; legacy: string };

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  arns = await createSecrets(ctx.clients, account, REGION, { kmsKeyId: 'alias/secrets', value: SECRET });
});

describe('AWS.SecretsManager.Secret', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeSecretsManagerSecretType({ pageSize: 1 });
    const seen: SecretRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(ctx, token);
      expect(page.refs.length).toBeLessThanOrEqual(1);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.map((r) => r.id).sort()).toEqual([arns.db, arns.legacy].sort());
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(ref.id);
    expect(type.resourceId(ctx, { id: 'prod/db' })).toBeUndefined();
  });

  it('models a rotated secret with its resource policy, metadata only', async () => {
    const res = (await SECRETSMANAGER_SECRET.describe(ctx, { id: arns.db }))!;
    expect(typeKeys(res)).toEqual(SECRETSMANAGER_SECRET.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arns.db,
      ResourceType: 'AWS.SecretsManager.Secret',
      AccountId: account,
      Region: REGION,
      Arn: arns.db,
      Id: arns.db,
      Name: 'prod/db',
      Tags: { team: 'data' },
      ARN: arns.db,
      Description: 'orders database credentials',
      KmsKeyId: 'alias/secrets',
      RotationEnabled: true,
      RotationRules: expect.objectContaining({ AutomaticallyAfterDays: 30 }),
      DeletedDate: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreatedDate);
    expect(res.LastRotatedDate).toMatch(RFC3339);
    expect(JSON.parse(res.ResourcePolicy as string).Statement[0].Action).toBe('secretsmanager:GetSecretValue');
    expect(SECRETSMANAGER_SECRET.volatileAttributes).toEqual(['LastAccessedDate']);
  });

  it('never reads or stores the secret value', async () => {
    const calls: string[] = [];
    const spied = intercept(ctx, SecretsManagerClient, (cmd) => {
      calls.push(cmd.constructor.name);
      return undefined;
    });
    const type = getResourceType('AWS.SecretsManager.Secret');
    const page = await type.list(spied);
    const described = await Promise.all(page.refs.map((r) => type.describe(spied, r)));
    expect(described).toHaveLength(2);
    expect(JSON.stringify(described)).not.toContain(SECRET);
    expect(calls.filter((c) => /Value/.test(c))).toEqual([]);
    expect([...new Set(calls)].sort()).toEqual(['DescribeSecretCommand', 'GetResourcePolicyCommand', 'ListSecretsCommand']);
    const legacy = described.find((r) => r!.Name === 'legacy/api-key')!;
    expect(legacy).toMatchObject({ RotationEnabled: null, KmsKeyId: null, ResourcePolicy: null, Tags: null });
  });

  it('returns null for a deleted secret and lets throttling propagate', async () => {
    const sm = ctx.clients.get(SecretsManagerClient);
    const gone = (await sm.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'x' }))).ARN!;
    await sm.send(new DeleteSecretCommand({ SecretId: gone, ForceDeleteWithoutRecovery: true }));
    expect(await SECRETSMANAGER_SECRET.describe(ctx, { id: gone })).toBeNull();
    // Scheduled for deletion: still there, with its DeletedDate, and still listed.
    const pending = (await sm.send(new CreateSecretCommand({ Name: 'pending', SecretString: 'x' }))).ARN!;
    await sm.send(new DeleteSecretCommand({ SecretId: pending, RecoveryWindowInDays: 7 }));
    expect((await SECRETSMANAGER_SECRET.describe(ctx, { id: pending }))!.DeletedDate).toMatch(RFC3339);
    const listed = (await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList!.map((s) => s.ARN);
    expect((await SECRETSMANAGER_SECRET.list(ctx)).refs.map((r) => r.id)).toEqual(listed);
    const throttled = intercept(ctx, SecretsManagerClient, (cmd) =>
      cmd.constructor.name === 'GetResourcePolicyCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined,
    );
    await expect(SECRETSMANAGER_SECRET.describe(throttled, { id: arns.db })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = SECRETSMANAGER_SECRET.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('secretsmanager.amazonaws.com', name, req, res));
    expect(refs('CreateSecret', { name: 'n1', clientRequestToken: 't' }, { aRN: arns.db, name: 'n1' })).toEqual([{ id: arns.db }]);
    expect(refs('CreateSecret', { name: 'n1' })).toEqual([{ id: 'n1' }]);
    expect(refs('PutResourcePolicy', { secretId: arns.db })).toEqual([{ id: arns.db }]);
    expect(refs('RotateSecret', { secretId: 'prod/db' })).toEqual([{ id: 'prod/db' }]);
    expect(ev.DeleteSecret!.action).toBe('rescan');
    expect(refs('DeleteSecret', { secretId: arns.db, forceDeleteWithoutRecovery: true }, { aRN: arns.db })).toEqual([{ id: arns.db }]);
  });
});
