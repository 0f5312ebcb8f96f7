import { BackupClient, CreateBackupPlanCommand, DeleteBackupPlanCommand } from '@aws-sdk/client-backup';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackups } from '../../../src/local/estate/coverage-infra.ts';
import { BACKUP_PLAN, makeBackupPlanType, type BackupPlanRef } from '../../../src/resources/backup-plan.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { pagedBy } from '../../helpers/paging.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;
let planId: string;
const others: string[] = [];

let TAGGED = '<set in beforeAll>';
const arn = (id: string) => `arn:aws:backup:${REGION}:${account}:backup-plan:${id}`;
const rule = { RuleName: 'weekly', TargetBackupVaultName: 'central', ScheduleExpression: 'cron(0 5 ? * 1 *)' };

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const keyArn = (await ctx.clients.get(KMSClient).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  planId = (await createBackups(ctx.clients, keyArn)).plan;
  TAGGED = `:backup-plan:${planId}`;
  const backup = ctx.clients.get(BackupClient);
  for (const name of ['weekly', 'monthly']) others.push((await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: name, Rules: [rule] } }))).BackupPlanId!);
});

/** moto's ListTags answers {} for the SDK's request path (it reads the ARN from the wrong path
 *  segment), though TagResource stored the tags: ListTags is answered as the AWS Backup API
 *  reference documents it, {Tags: map}, for the estate's tagged resource. */
function withTags(base: ScanContext): ScanContext {
  return intercept(base, BackupClient, (cmd, send) =>
    cmd.constructor.name === 'ListTagsCommand' && String(cmd.input.ResourceArn).endsWith(TAGGED) ? Promise.resolve({ Tags: { team: 'platform' } }) : cmd.constructor.name === 'ListTagsCommand' ? send(cmd) : undefined,
  );
}

describe('AWS.Backup.Plan', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeBackupPlanType({ pageSize: 2 });
    // moto answers ListBackupPlans in one page: paged here as AWS Backup pages it.
    const paged = pagedBy(ctx, BackupClient, { command: 'ListBackupPlansCommand', items: 'BackupPlansList', size: 'MaxResults', tokenIn: 'NextToken' });
    const seen: BackupPlanRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(paged, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.id).sort()).toEqual([planId, ...others].sort());
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a plan with its rules and tags', async () => {
    const res = (await BACKUP_PLAN.describe(withTags(await scanContext(account, REGION)), { id: planId }))!;
    expect(typeKeys(res)).toEqual(BACKUP_PLAN.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn(planId),
      ResourceType: 'AWS.Backup.Plan',
      AccountId: account,
      Region: REGION,
      Arn: arn(planId),
      Id: planId,
      Name: 'daily',
      Tags: { team: 'platform' },
      BackupPlanId: planId,
      BackupPlan: expect.objectContaining({
        BackupPlanName: 'daily',
        Rules: [expect.objectContaining({ RuleName: 'daily-0500', TargetBackupVaultName: 'central', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: expect.objectContaining({ DeleteAfterDays: 35, MoveToColdStorageAfterDays: 7 }) })],
      }),
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(Object.keys(res)).not.toContain('ScheduledRunsPreview');
  });

  it('returns null for a deleted plan and lets other errors propagate', async () => {
    const backup = ctx.clients.get(BackupClient);
    const gone = (await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'gone', Rules: [rule] } }))).BackupPlanId!;
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: gone }));
    expect(await BACKUP_PLAN.describe(ctx, { id: gone })).toBeNull();
    expect(await BACKUP_PLAN.describe(ctx, { id: '00000000-0000-0000-0000-000000000000' })).toBeNull();
    const denied = intercept(ctx, BackupClient, (cmd) => (cmd.constructor.name === 'ListTagsCommand' ? Promise.reject(awsError('AccessDeniedException', 'denied')) : undefined));
    await expect(BACKUP_PLAN.describe(denied, { id: planId })).rejects.toThrow('denied');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = BACKUP_PLAN.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('backup.amazonaws.com', name, req, res));
    expect(refs('CreateBackupPlan', { backupPlan: { backupPlanName: 'p' } }, { backupPlanId: 'p-1', backupPlanArn: arn('p-1') })).toEqual([{ id: 'p-1' }]);
    expect(refs('UpdateBackupPlan', { backupPlanId: 'p-2', backupPlan: {} })).toEqual([{ id: 'p-2' }]);
    expect(refs('UntagResource', { resourceArn: arn('p-3'), tagKeyList: ['x'] })).toEqual([{ id: 'p-3' }]);
    expect(refs('UntagResource', { resourceArn: `arn:aws:backup:${REGION}:${account}:backup-vault:v` })).toEqual([]);
    expect(ev.DeleteBackupPlan!.action).toBe('delete');
  });
});
