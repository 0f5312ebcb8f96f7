import { DeleteAccountPasswordPolicyCommand, IAMClient, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_POLICY } from '../../../src/resources/password-policy.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
let ctx: ScanContext;

beforeAll(async () => {
  ctx = await scanContext(account);
});

const KEYS = [
  'AccountId', 'AllowUsersToChangePassword', 'AnyExist', 'Arn', 'ExpirePasswords', 'HardExpiry', 'Id', 'MaxPasswordAge', 'MinimumPasswordLength',
  'Name', 'PasswordReusePrevention', 'Region', 'RequireLowercaseCharacters', 'RequireNumbers', 'RequireSymbols', 'RequireUppercaseCharacters',
  'ResourceId', 'ResourceType', 'Tags', 'TimeCreated',
];

describe('AWS.PasswordPolicy', () => {
  it('lists exactly one resource per account', async () => {
    const page = await PASSWORD_POLICY.list(ctx);
    expect(page.refs).toHaveLength(1);
    expect(page.nextPageToken).toBeUndefined();
    expect(PASSWORD_POLICY.resourceId(ctx, page.refs[0]!)).toBe(`${account}::AWS.PasswordPolicy`);
  });

  it('models an account without a password policy: AnyExist false, fields null', async () => {
    const res = await PASSWORD_POLICY.describe(ctx, {});
    expect(Object.keys(res!).sort()).toEqual([...KEYS].sort());
    expect(res).toEqual({
      ResourceId: `${account}::AWS.PasswordPolicy`,
      ResourceType: 'AWS.PasswordPolicy',
      TimeCreated: null,
      AccountId: account,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: 'AWS.PasswordPolicy',
      Tags: null,
      AnyExist: false,
      AllowUsersToChangePassword: null,
      ExpirePasswords: null,
      HardExpiry: null,
      MaxPasswordAge: null,
      MinimumPasswordLength: null,
      PasswordReusePrevention: null,
      RequireLowercaseCharacters: null,
      RequireNumbers: null,
      RequireSymbols: null,
      RequireUppercaseCharacters: null,
    });
  });

  it('models a set password policy with its fields flat at the top level', async () => {
    const iam = ctx.clients.get(IAMClient);
    await iam.send(
      new UpdateAccountPasswordPolicyCommand({
        MinimumPasswordLength: 14,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: false,
        AllowUsersToChangePassword: true,
        MaxPasswordAge: 90,
        PasswordReusePrevention: 24,
        HardExpiry: false,
      }),
    );
    const res = await PASSWORD_POLICY.describe(ctx, {});
    expect(Object.keys(res!).sort()).toEqual([...KEYS].sort());
    expect(res).toMatchObject({
      ResourceId: `${account}::AWS.PasswordPolicy`,
      Region: 'global',
      Name: 'AWS.PasswordPolicy',
      AnyExist: true,
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      HardExpiry: false,
      MaxPasswordAge: 90,
      MinimumPasswordLength: 14,
      PasswordReusePrevention: 24,
      RequireLowercaseCharacters: false,
      RequireNumbers: true,
      RequireSymbols: true,
      RequireUppercaseCharacters: true,
    });
    expect(JSON.stringify(res)).not.toContain('$metadata');

    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    expect(await PASSWORD_POLICY.describe(ctx, {})).toMatchObject({ AnyExist: false, MinimumPasswordLength: null });
  });

  it('rescans the account on password-policy changes', () => {
    expect(PASSWORD_POLICY.events.UpdateAccountPasswordPolicy).toEqual({ action: 'rescan-account' });
    expect(PASSWORD_POLICY.events.DeleteAccountPasswordPolicy).toEqual({ action: 'rescan-account' });
  });
});
