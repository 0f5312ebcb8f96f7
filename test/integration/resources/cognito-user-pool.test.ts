import { CognitoIdentityProviderClient, CreateUserPoolCommand, DeleteUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUserPools } from '../../../src/local/estate/coverage-messaging.ts';
import { COGNITO_USER_POOL, makeUserPoolType, type UserPoolRef } from '../../../src/resources/cognito-user-pool.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'sa-east-1';
let ctx: ScanContext;
let ids: { customers: string; legacy: string; third: string };
const arn = (id: string) => `arn:aws:cognito-idp:${REGION}:${account}:userpool/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const pools = await createUserPools(ctx.clients, REGION);
  const third = (await ctx.clients.get(CognitoIdentityProviderClient).send(new CreateUserPoolCommand({ PoolName: 'third' }))).UserPool!.Id!;
  ids = { ...pools, third };
});

describe('AWS.Cognito.UserPool', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeUserPoolType({ pageSize: 2 });
    const seen: UserPoolRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(ctx, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.id).sort()).toEqual(Object.values(ids).sort());
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a hardened pool with its MFA configuration and tags', async () => {
    const res = (await COGNITO_USER_POOL.describe(ctx, { id: ids.customers }))!;
    expect(typeKeys(res)).toEqual(COGNITO_USER_POOL.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn(ids.customers),
      ResourceType: 'AWS.Cognito.UserPool',
      AccountId: account,
      Region: REGION,
      Arn: arn(ids.customers),
      Id: ids.customers,
      Name: 'customers',
      Tags: { team: 'identity' },
      MfaConfiguration: 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      DeletionProtection: 'ACTIVE',
      UserPoolAddOns: expect.objectContaining({ AdvancedSecurityMode: 'ENFORCED' }),
      AdminCreateUserConfig: expect.objectContaining({ AllowAdminCreateUserOnly: true }),
      Policies: expect.objectContaining({ PasswordPolicy: expect.objectContaining({ MinimumLength: 14, RequireSymbols: true }) }),
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreationDate);
    expect(COGNITO_USER_POOL.volatileAttributes).toEqual(['EstimatedNumberOfUsers']);
  });

  it('models a pool with defaults', async () => {
    const res = (await COGNITO_USER_POOL.describe(ctx, { id: ids.legacy }))!;
    expect(res).toMatchObject({ Name: 'legacy-users', Tags: null, MfaConfiguration: 'OFF' });
    expect((res.UserPoolAddOns as { AdvancedSecurityMode?: string } | null)?.AdvancedSecurityMode ?? 'OFF').toBe('OFF');
  });

  it('returns null for a deleted pool and lets throttling propagate', async () => {
    const idp = ctx.clients.get(CognitoIdentityProviderClient);
    const gone = (await idp.send(new CreateUserPoolCommand({ PoolName: 'gone' }))).UserPool!.Id!;
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: gone }));
    expect(await COGNITO_USER_POOL.describe(ctx, { id: gone })).toBeNull();
    const throttled = intercept(ctx, CognitoIdentityProviderClient, (cmd) =>
      cmd.constructor.name === 'GetUserPoolMfaConfigCommand' ? Promise.reject(awsError('TooManyRequestsException', 'Rate exceeded')) : undefined,
    );
    await expect(COGNITO_USER_POOL.describe(throttled, { id: ids.third })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = COGNITO_USER_POOL.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('cognito-idp.amazonaws.com', name, req, res));
    expect(refs('CreateUserPool', { poolName: 'p' }, { userPool: { id: `${REGION}_abc`, name: 'p' } })).toEqual([{ id: `${REGION}_abc` }]);
    expect(ev.DeleteUserPool!.action).toBe('delete');
    expect(refs('SetUserPoolMfaConfig', { userPoolId: `${REGION}_def`, mfaConfiguration: 'ON' })).toEqual([{ id: `${REGION}_def` }]);
    expect(refs('TagResource', { resourceArn: arn(`${REGION}_ghi`) })).toEqual([{ id: `${REGION}_ghi` }]);
  });
});
