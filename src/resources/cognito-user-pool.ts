/**
 * AWS.Cognito.UserPool — regional. ListUserPools, then per pool DescribeUserPool (tags included
 * as UserPoolTags) and GetUserPoolMfaConfig (which second factors are allowed).
 */
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  GetUserPoolMfaConfigResponse$,
  ListUserPoolsCommand,
  UserPoolType$,
} from '@aws-sdk/client-cognito-identity-provider';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, pick, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface UserPoolRef {
  id: string;
}

export const COGNITO_USER_POOL_TYPE = 'AWS.Cognito.UserPool';

export const userPoolArn = (target: ScanTarget, id: string) => `arn:${target.partition}:cognito-idp:${target.region}:${target.accountId}:userpool/${id}`;

const poolOfArn = (arn: string | undefined) => {
  const p = parseArn(arn);
  return p?.service === 'cognito-idp' ? /^userpool\/(.+)$/.exec(p.resource)?.[1] : undefined;
};

/** Pools an event names: request `userPoolId`, a tagged `resourceArn`, CreateUserPool's response `userPool.id`. */
export function userPoolRefsOf(d: CloudTrailDetail): UserPoolRef[] {
  return distinct([req(d, 'userPoolId'), poolOfArn(req(d, 'resourceArn')), pick(d.responseElements, 'userPool', 'id')]).map((id) => ({ id }));
}

const rescan: EventRule<UserPoolRef> = { action: 'rescan', refs: userPoolRefsOf };

export interface UserPoolOptions {
  /** ListUserPools MaxResults per page (1–60). */
  pageSize?: number;
}

export function makeUserPoolType(opts: UserPoolOptions = {}): ResourceType<UserPoolRef> {
  const pageSize = opts.pageSize ?? 60;
  return {
    type: COGNITO_USER_POOL_TYPE,
    service: 'cognito-idp',
    scope: 'regional',
    eventSource: 'cognito-idp.amazonaws.com',

    async list(ctx, pageToken) {
      const idp = ctx.clients.get(CognitoIdentityProviderClient, ctx.region);
      const page = await idp.send(new ListUserPoolsCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.UserPools ?? []).flatMap((p) => (p.Id ? [{ id: p.Id }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const idp = ctx.clients.get(CognitoIdentityProviderClient, ctx.region);
      try {
        const [{ UserPool: pool }, mfa] = await Promise.all([
          idp.send(new DescribeUserPoolCommand({ UserPoolId: ref.id })),
          idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: ref.id })),
        ]);
        if (!pool?.Id) return null;
        const arn = pool.Arn ?? userPoolArn(ctx, pool.Id);
        const mfaConfig = apiFields(shape(GetUserPoolMfaConfigResponse$, mfa), 'MfaConfiguration');
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: COGNITO_USER_POOL_TYPE,
          TimeCreated: iso(pool.CreationDate),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: pool.Id,
          Name: pool.Name ?? null,
          Tags: pool.UserPoolTags && Object.keys(pool.UserPoolTags).length > 0 ? { ...pool.UserPoolTags } : null,
          ...apiFields(shape(UserPoolType$, pool), 'Id', 'Name', 'Arn', 'UserPoolTags'),
          ...mfaConfig,
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'ResourceNotFound')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return userPoolArn(target, ref.id);
    },

    events: {
      CreateUserPool: rescan,
      DeleteUserPool: { action: 'delete', refs: userPoolRefsOf },
      UpdateUserPool: rescan,
      SetUserPoolMfaConfig: rescan,
      AddCustomAttributes: rescan,
      CreateUserPoolDomain: rescan,
      DeleteUserPoolDomain: rescan,
      UpdateUserPoolDomain: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: cognito-idp:ListUserPools, DescribeUserPool,
    // GetUserPoolMfaConfig. ListUserPools per page; per pool DescribeUserPool and GetUserPoolMfaConfig.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],
    // The estimate moves with sign-ups, not with configuration.
    volatileAttributes: ['EstimatedNumberOfUsers'],

    attributes: [
      { name: 'Policies', type: '{PasswordPolicy, SignInPolicy}', description: 'PasswordPolicy {MinimumLength, RequireUppercase, RequireLowercase, RequireNumbers, RequireSymbols, PasswordHistorySize, TemporaryPasswordValidityDays}; SignInPolicy {AllowedFirstAuthFactors}.' },
      { name: 'DeletionProtection', type: 'string', description: 'ACTIVE or INACTIVE.' },
      { name: 'LambdaConfig', type: 'LambdaConfigType', description: 'The Lambda triggers.' },
      { name: 'Status', type: 'string | null', description: 'Deprecated by AWS (Enabled or Disabled).' },
      { name: 'LastModifiedDate', type: 'timestamp', description: 'When the pool was last changed.' },
      { name: 'CreationDate', type: 'timestamp', description: 'When the pool was created (also TimeCreated).' },
      { name: 'SchemaAttributes', type: 'list<SchemaAttributeType>', description: 'The user attributes of the pool\'s schema.' },
      { name: 'AutoVerifiedAttributes', type: 'list<string> | null', description: 'Attributes verified automatically (email, phone_number).' },
      { name: 'AliasAttributes', type: 'list<string> | null', description: 'Attributes usable as sign-in aliases.' },
      { name: 'UsernameAttributes', type: 'list<string> | null', description: 'Attributes usable as the user name.' },
      { name: 'SmsVerificationMessage', type: 'string | null', description: 'Legacy SMS verification message.' },
      { name: 'EmailVerificationMessage', type: 'string | null', description: 'Legacy email verification message.' },
      { name: 'EmailVerificationSubject', type: 'string | null', description: 'Legacy email verification subject.' },
      { name: 'VerificationMessageTemplate', type: 'VerificationMessageTemplateType | null', description: 'The verification message template.' },
      { name: 'SmsAuthenticationMessage', type: 'string | null', description: 'The SMS MFA message.' },
      { name: 'UserAttributeUpdateSettings', type: '{AttributesRequireVerificationBeforeUpdate} | null', description: 'Whether an email/phone change needs verification first.' },
      { name: 'MfaConfiguration', type: 'string', description: 'OFF, ON (required) or OPTIONAL.' },
      { name: 'DeviceConfiguration', type: '{ChallengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt} | null', description: 'Device tracking.' },
      { name: 'EstimatedNumberOfUsers', type: 'integer', description: 'Approximate number of users (volatile: left out of the change hash).' },
      { name: 'EmailConfiguration', type: 'EmailConfigurationType | null', description: 'How the pool sends email (COGNITO_DEFAULT or DEVELOPER with SES).' },
      { name: 'SmsConfiguration', type: '{SnsCallerArn, ExternalId, SnsRegion} | null', description: 'How the pool sends SMS.' },
      { name: 'SmsConfigurationFailure', type: 'string | null', description: 'Why SMS configuration failed.' },
      { name: 'EmailConfigurationFailure', type: 'string | null', description: 'Why email configuration failed.' },
      { name: 'Domain', type: 'string | null', description: 'The Cognito prefix domain.' },
      { name: 'CustomDomain', type: 'string | null', description: 'The custom domain.' },
      { name: 'AdminCreateUserConfig', type: '{AllowAdminCreateUserOnly, UnusedAccountValidityDays, InviteMessageTemplate}', description: 'AllowAdminCreateUserOnly false means anyone can sign up.' },
      { name: 'UserPoolAddOns', type: '{AdvancedSecurityMode, AdvancedSecurityAdditionalFlows} | null', description: 'Threat protection: AdvancedSecurityMode OFF, AUDIT or ENFORCED; AdvancedSecurityAdditionalFlows {CustomAuthMode} for custom authentication.' },
      { name: 'DcrConfiguration', type: 'object | null', description: 'DescribeUserPool DcrConfiguration, when AWS reports it.' },
      { name: 'UsernameConfiguration', type: '{CaseSensitive} | null', description: 'Whether user names are case sensitive.' },
      { name: 'AccountRecoverySetting', type: '{RecoveryMechanisms} | null', description: 'Account recovery methods by priority.' },
      { name: 'UserPoolTier', type: 'string | null', description: 'LITE, ESSENTIALS or PLUS.' },
      { name: 'KeyConfiguration', type: 'object | null', description: 'DescribeUserPool KeyConfiguration, when AWS reports it.' },
      { name: 'IssuerConfiguration', type: 'object | null', description: 'DescribeUserPool IssuerConfiguration, when AWS reports it.' },
      { name: 'AcrConfiguration', type: 'object | null', description: 'DescribeUserPool AcrConfiguration, when AWS reports it.' },
      { name: 'SmsMfaConfiguration', type: '{SmsAuthenticationMessage, SmsConfiguration} | null', description: 'GetUserPoolMfaConfig: SMS as a second factor; null when not allowed.' },
      { name: 'SoftwareTokenMfaConfiguration', type: '{Enabled} | null', description: 'GetUserPoolMfaConfig: TOTP authenticator apps as a second factor.' },
      { name: 'EmailMfaConfiguration', type: '{Message, Subject} | null', description: 'GetUserPoolMfaConfig: email as a second factor.' },
      { name: 'WebAuthnConfiguration', type: '{RelyingPartyId, UserVerification, FactorConfiguration} | null', description: 'GetUserPoolMfaConfig: passkeys.' },
    ],
  };
}

export const COGNITO_USER_POOL: ResourceType<UserPoolRef> = makeUserPoolType();
