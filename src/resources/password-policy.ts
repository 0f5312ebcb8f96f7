/**
 * AWS.PasswordPolicy — exactly one resource per account, whether or not a policy is set
 * (`AnyExist: false` and null fields when GetAccountPasswordPolicy answers NoSuchEntity).
 */
import { GetAccountPasswordPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { orNull } from './aws-errors.ts';
import type { ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** The account's single password policy needs no reference data. */
export type PasswordPolicyRef = Record<string, never>;

export const PASSWORD_POLICY_TYPE = 'AWS.PasswordPolicy';

const resourceId = (target: ScanTarget) => `${target.accountId}::${PASSWORD_POLICY_TYPE}`;

export const PASSWORD_POLICY: ResourceType<PasswordPolicyRef> = {
  type: PASSWORD_POLICY_TYPE,
  service: 'iam',
  scope: 'global',
  eventSource: 'iam.amazonaws.com',

  async list() {
    return { refs: [{}] };
  },

  async describe(ctx) {
    const iam = ctx.clients.get(IAMClient);
    const out = await orNull(iam.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntity');
    const p = out?.PasswordPolicy;
    const resource: Resource = {
      ResourceId: resourceId(ctx),
      ResourceType: PASSWORD_POLICY_TYPE,
      TimeCreated: null,
      AccountId: ctx.accountId,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: PASSWORD_POLICY_TYPE,
      Tags: null,
      AnyExist: p !== undefined,
      AllowUsersToChangePassword: p?.AllowUsersToChangePassword ?? null,
      ExpirePasswords: p?.ExpirePasswords ?? null,
      HardExpiry: p?.HardExpiry ?? null,
      MaxPasswordAge: p?.MaxPasswordAge ?? null,
      MinimumPasswordLength: p?.MinimumPasswordLength ?? null,
      PasswordReusePrevention: p?.PasswordReusePrevention ?? null,
      RequireLowercaseCharacters: p?.RequireLowercaseCharacters ?? null,
      RequireNumbers: p?.RequireNumbers ?? null,
      RequireSymbols: p?.RequireSymbols ?? null,
      RequireUppercaseCharacters: p?.RequireUppercaseCharacters ?? null,
    };
    return resource;
  },

  resourceId(target) {
    return resourceId(target);
  },

  events: {
    UpdateAccountPasswordPolicy: { action: 'rescan-account' },
    DeleteAccountPasswordPolicy: { action: 'rescan-account' },
  },

  // iam:GetAccountPasswordPolicy is covered by SecurityAudit's iam:Get*.
  // GetAccountPasswordPolicy; nothing to list.
  apiCalls: { perPage: 0, perResource: 1, perScope: 0 },
  iamActions: [],

  attributes: [
    { name: 'AnyExist', type: 'boolean', description: 'Whether the account has a password policy at all; when false every other field is null.' },
    { name: 'AllowUsersToChangePassword', type: 'boolean | null', description: 'Users may change their own password.' },
    { name: 'ExpirePasswords', type: 'boolean | null', description: 'Passwords expire (MaxPasswordAge is set).' },
    { name: 'HardExpiry', type: 'boolean | null', description: 'Users cannot set a new password after theirs expired.' },
    { name: 'MaxPasswordAge', type: 'integer | null', description: 'Days a password stays valid.' },
    { name: 'MinimumPasswordLength', type: 'integer | null', description: 'Minimum number of characters.' },
    { name: 'PasswordReusePrevention', type: 'integer | null', description: 'Number of previous passwords that cannot be reused.' },
    { name: 'RequireLowercaseCharacters', type: 'boolean | null', description: 'At least one lowercase letter is required.' },
    { name: 'RequireNumbers', type: 'boolean | null', description: 'At least one number is required.' },
    { name: 'RequireSymbols', type: 'boolean | null', description: 'At least one non-alphanumeric character is required.' },
    { name: 'RequireUppercaseCharacters', type: 'boolean | null', description: 'At least one uppercase letter is required.' },
  ],
};
