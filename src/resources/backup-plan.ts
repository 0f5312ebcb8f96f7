/**
 * AWS.Backup.Plan — regional: AWS Backup plans. ListBackupPlans pages name the plans; `describe`
 * reads the current version (GetBackupPlan: rules, schedules, lifecycles, copy actions) and the
 * tags.
 */
import { BackupClient, GetBackupPlanCommand, GetBackupPlanOutput$, ListBackupPlansCommand } from '@aws-sdk/client-backup';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { backupTags } from './backup-vault.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface BackupPlanRef {
  /** The plan ID (a UUID). */
  id: string;
}

export const BACKUP_PLAN_TYPE = 'AWS.Backup.Plan';

const NOT_FOUND = ['ResourceNotFoundException'];

export function backupPlanArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:backup:${target.region}:${target.accountId}:backup-plan:${id}`;
}

async function model(ctx: ScanContext, id: string): Promise<Resource | null> {
  const backup = ctx.clients.get(BackupClient, ctx.region);
  const plan = await orNull(backup.send(new GetBackupPlanCommand({ BackupPlanId: id })), ...NOT_FOUND);
  // A deleted plan may still answer, with its DeletionDate.
  if (!plan?.BackupPlanId || plan.DeletionDate) return null;
  const arn = plan.BackupPlanArn ?? backupPlanArn(ctx, id);
  try {
    return {
      ResourceId: arn,
      ResourceType: BACKUP_PLAN_TYPE,
      TimeCreated: iso(plan.CreationDate),
      AccountId: ctx.accountId,
      Region: ctx.region,
      Arn: arn,
      Id: plan.BackupPlanId,
      Name: plan.BackupPlan?.BackupPlanName ?? null,
      Tags: await backupTags(backup, arn),
      // ScheduledRunsPreview is only answered when asked for; LastExecutionDate moves with every run.
      ...apiFields(shape(GetBackupPlanOutput$, plan), 'ScheduledRunsPreview'),
    };
  } catch (e) {
    if (hasErrorCode(e, ...NOT_FOUND)) return null;
    throw e;
  }
}

/** The plan ID of a Backup plan ARN (`…:backup-plan:<id>`). */
const idOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'backup' && arn.resource.startsWith('backup-plan:') ? arn.resource.slice('backup-plan:'.length) || undefined : undefined;
};

/** The plans an event names: request `backupPlanId`, `resourceArn` (tag calls), and the
 *  response's `backupPlanId` (CreateBackupPlan). */
export function backupPlanRefsOf(d: CloudTrailDetail): BackupPlanRef[] {
  return distinct([req(d, 'backupPlanId'), idOfArn(req(d, 'resourceArn')), res(d, 'backupPlanId')]).map((id) => ({ id }));
}

const rescan: EventRule<BackupPlanRef> = { action: 'rescan', refs: backupPlanRefsOf };

export interface BackupPlanOptions {
  /** ListBackupPlans MaxResults per page (1–1000). */
  pageSize?: number;
}

export function makeBackupPlanType(opts: BackupPlanOptions = {}): ResourceType<BackupPlanRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: BACKUP_PLAN_TYPE,
    asffType: 'AwsBackupBackupPlan',
    service: 'backup',
    scope: 'regional',
    eventSource: 'backup.amazonaws.com',

    async list(ctx, pageToken) {
      const backup = ctx.clients.get(BackupClient, ctx.region);
      const page = await backup.send(new ListBackupPlansCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.BackupPlansList ?? []).flatMap((p) => (p.BackupPlanId && !p.DeletionDate ? [{ id: p.BackupPlanId }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    describe: (ctx, ref) => model(ctx, ref.id),

    resourceId(target, ref) {
      return backupPlanArn(target, ref.id);
    },

    events: {
      CreateBackupPlan: rescan,
      UpdateBackupPlan: rescan,
      DeleteBackupPlan: { action: 'delete', refs: backupPlanRefsOf },
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit grants backup:ListBackupPlans; GetBackupPlan and ListTags are listed for the
    // SecurityAudit versions that do not grant them.
    // ListBackupPlans per page; per plan GetBackupPlan and ListTags.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: ['backup:GetBackupPlan', 'backup:ListTags'],
    volatileAttributes: ['LastExecutionDate'],

    attributes: schemaAttributeDocs(GetBackupPlanOutput$, 'GetBackupPlan', {
      BackupPlan: ['{BackupPlanName, Rules, AdvancedBackupSettings, ScanSettings}', 'The plan: Rules [{RuleName, TargetBackupVaultName, ScheduleExpression, StartWindowMinutes, CompletionWindowMinutes, Lifecycle {DeleteAfterDays, MoveToColdStorageAfterDays}, CopyActions, EnableContinuousBackup, RecoveryPointTags, RuleId}].'],
      BackupPlanId: ['string', 'The plan ID (also Id).'],
      BackupPlanArn: ['string', 'The plan ARN (also ResourceId and Arn).'],
      VersionId: ['string', 'The current version of the plan.'],
      CreationDate: ['timestamp', 'When the plan was created (also TimeCreated).'],
      DeletionDate: 'When the plan was deleted (deleted plans are not modeled).',
      LastExecutionDate: 'When the plan last ran (volatile: every run changes it).',
      AdvancedBackupSettings: 'Per-resource-type options, e.g. Windows VSS [{ResourceType, BackupOptions}].',
    }, ['ScheduledRunsPreview']),
  };
}

export const BACKUP_PLAN: ResourceType<BackupPlanRef> = makeBackupPlanType();
