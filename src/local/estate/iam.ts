/**
 * Fully configured IAM identities, shared by the registry types' integration tests and the
 * documentation estate: a user with every credential, a group, a role and a versioned
 * customer-managed policy.
 */
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '#aws/clients.ts';

/**
 * A user tag the emulator launcher (src/local/moto_server.py, patch 11) reads: the user's access
 * keys are dated that many days back. Emulator-only: it lets the demo show a key older than 90
 * days; nothing outside src/local knows it, and on AWS it would be an ordinary tag.
 */
export const EMULATOR_KEY_AGE_TAG = 'posture-emulator:access-key-age-days';

/** The tag that makes the emulator date `userName`'s access keys `days` back (create the user with it). */
export const agedKeysTag = (days: number) => ({ Key: EMULATOR_KEY_AGE_TAG, Value: String(days) });

const policy = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** Inline `read-reports` of alice and the developers (a condition value with a space and a % tells
 *  whether the scanner decodes the URL-encoded document exactly once). */
export const READ_REPORTS = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*', Condition: { StringLike: { 's3:prefix': ['a b/%'] } } }]);
export const DESCRIBE_EC2 = policy([{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }]);
/** The deploy role's trust: another account, with an ExternalId that needs URL encoding. */
export const DEPLOY_TRUST = policy([
  { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'a b&c' } } },
]);
export const ARTIFACTS = policy([{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::artifacts/*' }]);
/** The admin policy's versions: v1 read-only, v2 (default) everything with MFA. */
export const ADMIN_V1 = DESCRIBE_EC2;
export const ADMIN_V2 = policy([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }]);

/** A customer-managed policy `name` allowing ec2:Describe*. Returns its ARN. */
export async function createDescribeEc2Policy(clients: AwsClients, name: string): Promise<string> {
  return (await clients.get(IAMClient).send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: DESCRIBE_EC2 }))).Policy!.Arn!;
}

/** User `alice` (/engineering/, tagged, `boundaryArn` as permissions boundary) with inline
 *  read-reports, `managedArn` attached, an access key, a console password and an enabled
 *  virtual MFA device `alice-phone`. */
export async function createAlice(clients: AwsClients, opts: { boundaryArn: string; managedArn: string }): Promise<{ userId: string; accessKeyId: string; mfaSerial: string }> {
  const iam = clients.get(IAMClient);
  const userId = (
    await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/engineering/', PermissionsBoundary: opts.boundaryArn, Tags: [{ Key: 'team', Value: 'platform' }] }))
  ).User!.UserId!;
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'read-reports', PolicyDocument: READ_REPORTS }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: opts.managedArn }));
  const accessKeyId = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!.AccessKeyId!;
  // An emulator-only placeholder, not a credential.
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'correct-horse-battery-1!' }));
  const mfaSerial = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }))).VirtualMFADevice!.SerialNumber!;
  await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: mfaSerial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  return { userId, accessKeyId, mfaSerial };
}

/** Group `developers` (/teams/) of `members` (existing users) with inline read-reports and
 *  `managedArn` attached. Returns its GroupId. */
export async function createDevelopersGroup(clients: AwsClients, opts: { managedArn: string; members: string[] }): Promise<string> {
  const iam = clients.get(IAMClient);
  const groupId = (await iam.send(new CreateGroupCommand({ GroupName: 'developers', Path: '/teams/' }))).Group!.GroupId!;
  for (const UserName of opts.members) await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'developers', PolicyName: 'read-reports', PolicyDocument: READ_REPORTS }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: opts.managedArn }));
  return groupId;
}

/** Role `deploy` (/ci/, trusted by another account with an ExternalId, 2-hour sessions,
 *  `boundaryArn` as boundary and attached, tagged) with inline `artifacts`. Returns its RoleId. */
export async function createDeployRole(clients: AwsClients, opts: { boundaryArn: string }): Promise<string> {
  const iam = clients.get(IAMClient);
  const roleId = (
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'deploy',
        Path: '/ci/',
        AssumeRolePolicyDocument: DEPLOY_TRUST,
        Description: 'CI deploys',
        MaxSessionDuration: 7200,
        PermissionsBoundary: opts.boundaryArn,
        Tags: [{ Key: 'team', Value: 'platform' }],
      }),
    )
  ).Role!.RoleId!;
  await iam.send(new PutRolePolicyCommand({ RoleName: 'deploy', PolicyName: 'artifacts', PolicyDocument: ARTIFACTS }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'deploy', PolicyArn: opts.boundaryArn }));
  return roleId;
}

/** Policy `admin` (/security/, described, tagged) with version v2 (ADMIN_V2) as default. */
export async function createAdminPolicy(clients: AwsClients): Promise<{ arn: string; policyId: string }> {
  const iam = clients.get(IAMClient);
  const admin = (
    await iam.send(
      new CreatePolicyCommand({ PolicyName: 'admin', Path: '/security/', PolicyDocument: ADMIN_V1, Description: 'break glass', Tags: [{ Key: 'owner', Value: 'secops' }] }),
    )
  ).Policy!;
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: admin.Arn!, PolicyDocument: ADMIN_V2, SetAsDefault: true }));
  return { arn: admin.Arn!, policyId: admin.PolicyId! };
}
