/**
 * AWS.IAM.RootUser — exactly one per account, derived from the `<root_account>` row of the IAM
 * credential report (shared with AWS.IAM.User, fetched once per scope) plus the root's virtual
 * MFA device. AWS regenerates the report at most every 4 hours, so a real-time rescan may still
 * see the root's previous credentials.
 */
import { IAMClient, ListVirtualMFADevicesCommand, type VirtualMFADevice } from '@aws-sdk/client-iam';
import { allIamPages } from './iam-paging.ts';
import { credentialReport } from './iam-credential-report.ts';
import { iso } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** The account's root user needs no reference data. */
export type RootUserRef = Record<string, never>;

export const IAM_ROOT_USER_TYPE = 'AWS.IAM.RootUser';

/** The name the credential report gives the root user. */
export const ROOT_REPORT_NAME = '<root_account>';

export const rootArn = (target: Pick<ScanTarget, 'partition' | 'accountId'>) => `arn:${target.partition}:iam::${target.accountId}:root`;

/** The root's virtual MFA device: assigned to the root ARN (or, on older accounts, the
 *  `root-account-mfa-device` serial the console used to create). */
export function rootVirtualMfa(devices: readonly VirtualMFADevice[], arn: string): { EnableDate: string | null; SerialNumber: string | null } | null {
  const d = devices.find((v) => v.User?.Arn === arn) ?? devices.find((v) => v.SerialNumber?.endsWith(':mfa/root-account-mfa-device'));
  return d ? { EnableDate: iso(d.EnableDate), SerialNumber: d.SerialNumber ?? null } : null;
}

/** Credential changes the root user makes on itself: IAM names no user in the request, and the
 *  caller is the root (also a centralized-root-access session from AssumeRoot). */
function byRoot(d: CloudTrailDetail): RootUserRef[] {
  if (d.userIdentity?.type !== 'Root') return [];
  if (typeof d.requestParameters?.userName === 'string') return [];
  return [{}];
}

const rescan: EventRule<RootUserRef> = { action: 'rescan', refs: byRoot };

export const IAM_ROOT_USER: ResourceType<RootUserRef> = {
  type: IAM_ROOT_USER_TYPE,
  service: 'iam',
  scope: 'global',
  eventSource: 'iam.amazonaws.com',

  async list() {
    return { refs: [{}] };
  },

  async describe(ctx) {
    const iam = ctx.clients.get(IAMClient);
    const arn = rootArn(ctx);
    const [report, devices] = await Promise.all([
      credentialReport(ctx),
      allIamPages(async (Marker) => {
        const r = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', Marker }));
        return { items: r.VirtualMFADevices, IsTruncated: r.IsTruncated, Marker: r.Marker };
      }),
    ]);
    const row = report.get(arn) ?? [...report.values()].find((r) => r.UserName === ROOT_REPORT_NAME) ?? null;
    const created = typeof row?.UserCreationTime === 'string' ? row.UserCreationTime : null;
    const resource: Resource = {
      ResourceId: arn,
      ResourceType: IAM_ROOT_USER_TYPE,
      TimeCreated: created,
      AccountId: ctx.accountId,
      Region: 'global',
      Arn: arn,
      // Panther's model: the root user's ID is the account ID.
      Id: ctx.accountId,
      Name: ROOT_REPORT_NAME,
      Tags: null,
      CredentialReport: row,
      VirtualMFA: rootVirtualMfa(devices, arn),
    };
    return resource;
  },

  resourceId(target) {
    return rootArn(target);
  },

  events: {
    CreateAccessKey: rescan,
    UpdateAccessKey: rescan,
    DeleteAccessKey: rescan,
    EnableMFADevice: rescan,
    DeactivateMFADevice: rescan,
    DeleteVirtualMFADevice: rescan,
    UploadSigningCertificate: rescan,
    UpdateSigningCertificate: rescan,
    DeleteSigningCertificate: rescan,
    CreateLoginProfile: rescan,
    UpdateLoginProfile: rescan,
    DeleteLoginProfile: rescan,
  },

  // SecurityAudit covers every call: iam:GenerateCredentialReport, iam:Get*, iam:List*.
  // Nothing to list; per resource ListVirtualMFADevices; per scope Generate/GetCredentialReport.
  apiCalls: { perPage: 0, perResource: 1, perScope: 2 },
  iamActions: [],

  attributes: [
    { name: 'CredentialReport', type: 'CredentialReport | null', description: 'The `<root_account>` row of the IAM credential report with typed values (booleans; RFC 3339 dates, N/A dates as 0001-01-01T00:00:00Z; PasswordEnabled, PasswordLastChanged and PasswordNextRotation are not_supported for the root, i.e. false / zero time). AWS refreshes the report at most every 4 hours; null when the report has no root row (emulators).' },
    { name: 'VirtualMFA', type: '{EnableDate, SerialNumber} | null', description: 'The virtual MFA device assigned to the root user; null when none. A root with MfaActive true and VirtualMFA null uses a hardware (or passkey/FIDO) device.' },
  ],
};
