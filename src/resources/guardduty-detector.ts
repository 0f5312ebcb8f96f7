/**
 * AWS.GuardDuty.Detector — regional, at most one detector per region (ResourceId
 * `<acct>:<region>:AWS.GuardDuty.Detector`). GetDetector's fields plus `Master`, the
 * administrator account this member reports to (GetAdministratorAccount, the successor of the
 * deprecated GetMasterAccount, same shape).
 */
import {
  DataSourceConfigurationsResult$,
  DetectorFeatureConfigurationResult$,
  GetAdministratorAccountCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  Master$,
} from '@aws-sdk/client-guardduty';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, shapeList } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface DetectorRef {
  /** The detector ID; events that name none rescan the region's detector, whichever it is. */
  detectorId?: string;
}

export const GUARDDUTY_DETECTOR_TYPE = 'AWS.GuardDuty.Detector';

export const detectorResourceId = (target: Pick<ScanTarget, 'accountId' | 'region'>) => `${target.accountId}:${target.region}:${GUARDDUTY_DETECTOR_TYPE}`;

/** Every detector ID of the scope's region (one at most in practice). */
export async function listDetectorIds(gd: GuardDutyClient): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const r = await gd.send(new ListDetectorsCommand({ NextToken }));
    ids.push(...(r.DetectorIds ?? []));
    NextToken = r.NextToken || undefined;
  } while (NextToken);
  return ids;
}

/** Detectors an event names: request/response `detectorId`, a tagged detector's `resourceArn`. */
export function detectorRefs(d: CloudTrailDetail): DetectorRef[] {
  const ids = new Set<string>();
  for (const v of [d.requestParameters?.detectorId, d.responseElements?.detectorId]) if (typeof v === 'string' && v) ids.add(v);
  const arn = d.requestParameters?.resourceArn;
  const m = typeof arn === 'string' ? /:detector\/([^/]+)$/.exec(arn) : null;
  if (m) ids.add(m[1]!);
  return [...ids].map((detectorId) => ({ detectorId }));
}

const rescan: EventRule<DetectorRef> = { action: 'rescan', refs: detectorRefs };

async function describeDetector(ctx: ScanContext, ref: DetectorRef): Promise<Resource | null> {
  const gd = ctx.clients.get(GuardDutyClient, ctx.region);
  const DetectorId = ref.detectorId ?? (await listDetectorIds(gd))[0];
  if (!DetectorId) return null;
  let detector, admin;
  try {
    [detector, admin] = await Promise.all([gd.send(new GetDetectorCommand({ DetectorId })), gd.send(new GetAdministratorAccountCommand({ DetectorId }))]);
  } catch (e) {
    // GuardDuty answers an unknown detector with a generic BadRequestException ("...detectorId
    // is not owned by the current account"): it is gone when the region no longer lists it.
    if (hasErrorCode(e, 'BadRequestException', 'InvalidInputException') && !(await listDetectorIds(gd)).includes(DetectorId)) return null;
    throw e;
  }
  const created = iso(detector.CreatedAt);
  const id = detectorResourceId(ctx);
  return {
    ResourceId: id,
    ResourceType: GUARDDUTY_DETECTOR_TYPE,
    TimeCreated: created,
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: `arn:${ctx.partition}:guardduty:${ctx.region}:${ctx.accountId}:detector/${DetectorId}`,
    Id: DetectorId,
    Name: null,
    Tags: detector.Tags && Object.keys(detector.Tags).length > 0 ? { ...detector.Tags } : null,
    CreatedAt: created,
    DataSources: shape(DataSourceConfigurationsResult$, detector.DataSources),
    Features: shapeList(DetectorFeatureConfigurationResult$, detector.Features),
    FindingPublishingFrequency: detector.FindingPublishingFrequency ?? null,
    ServiceRole: detector.ServiceRole ?? null,
    Status: detector.Status ?? null,
    UpdatedAt: iso(detector.UpdatedAt),
    Master: shape(Master$, admin.Administrator),
  };
}

export interface GuardDutyDetectorOptions {
  /** ListDetectors MaxResults per page (1–50). */
  pageSize?: number;
}

export function makeGuardDutyDetectorType(opts: GuardDutyDetectorOptions = {}): ResourceType<DetectorRef> {
  const pageSize = opts.pageSize ?? 50;
  return {
    type: GUARDDUTY_DETECTOR_TYPE,
    asffType: 'AwsGuardDutyDetector',
    service: 'guardduty',
    scope: 'regional',
    eventSource: 'guardduty.amazonaws.com',

    async list(ctx, pageToken) {
      const gd = ctx.clients.get(GuardDutyClient, ctx.region);
      const page = await gd.send(new ListDetectorsCommand({ MaxResults: pageSize, NextToken: pageToken }));
      return { refs: (page.DetectorIds ?? []).map((detectorId) => ({ detectorId })), ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    describe: describeDetector,

    resourceId(target) {
      return detectorResourceId(target);
    },

    events: {
      CreateDetector: rescan,
      DeleteDetector: { action: 'delete', refs: detectorRefs },
      UpdateDetector: rescan,
      AcceptAdministratorInvitation: rescan,
      AcceptInvitation: rescan,
      DisassociateFromAdministratorAccount: rescan,
      DisassociateFromMasterAccount: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: guardduty:Get*, guardduty:List*.
    // ListDetectors per page; per detector GetDetector and GetAdministratorAccount.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'CreatedAt', type: 'timestamp', description: 'When the detector was created.' },
      { name: 'DataSources', type: 'DataSourceConfigurationsResult | null', description: 'GetDetector DataSources {CloudTrail, DNSLogs, FlowLogs, S3Logs, Kubernetes, MalwareProtection}, each with its Status (deprecated by AWS in favour of Features).' },
      { name: 'Features', type: 'list<{Name, Status, UpdatedAt, AdditionalConfiguration}> | null', description: 'GetDetector Features (S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, RUNTIME_MONITORING, LAMBDA_NETWORK_LOGS, ...); null when not reported.' },
      { name: 'FindingPublishingFrequency', type: 'string', description: 'FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS.' },
      { name: 'ServiceRole', type: 'string', description: 'The GuardDuty service-linked role.' },
      { name: 'Status', type: 'string', description: '"ENABLED" or "DISABLED" (a suspended detector).' },
      { name: 'UpdatedAt', type: 'timestamp', description: 'When the detector was last updated.' },
      { name: 'Master', type: '{AccountId, InvitationId, RelationshipStatus, InvitedAt} | null', description: 'The GuardDuty administrator (formerly master) account of this member account (GetAdministratorAccount); null when the account is not a member.' },
    ],
  };
}

export const GUARDDUTY_DETECTOR: ResourceType<DetectorRef> = makeGuardDutyDetectorType();
