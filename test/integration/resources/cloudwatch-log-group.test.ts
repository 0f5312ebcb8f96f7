import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppLogGroup } from '../../../src/local/estate/security-services.ts';
import { CLOUDWATCH_LOG_GROUP, makeLogGroupType, type LogGroupRef } from '../../../src/resources/cloudwatch-log-group.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'us-west-2';
const KEY = `arn:aws:kms:${REGION}:${account}:key/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab`;
let ctx: ScanContext;
let logs: CloudWatchLogsClient;

const arn = (name: string) => `arn:aws:logs:${REGION}:${account}:log-group:${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  logs = ctx.clients.get(CloudWatchLogsClient);
  await createAppLogGroup(ctx.clients, KEY);
  // Shares the prefix of /posture/app: a describe by name must pick the exact one.
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/posture/app-old' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/posture/bare' }));
});

describe('AWS.CloudWatch.LogGroup', () => {
  it('lists across pages with resolvable refs, and describes listed groups from the page', async () => {
    const calls: string[] = [];
    const spy = intercept(ctx, CloudWatchLogsClient, (cmd) => {
      calls.push(`${cmd.constructor.name}:${String(cmd.input.limit ?? cmd.input.resourceArn)}`);
      return undefined;
    });
    const type = makeLogGroupType({ pageSize: 2 });
    const seen: LogGroupRef[] = [];
    let token: string | undefined;
    do {
      const page = await type.list(spy, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
    } while (token);
    expect(seen.map((r) => r.name).sort()).toEqual(['/posture/app', '/posture/app-old', '/posture/bare']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
    expect(calls).toEqual(['DescribeLogGroupsCommand:2', 'DescribeLogGroupsCommand:2']);
    await type.describe(spy, { name: '/posture/app' });
    expect(calls.slice(2)).toEqual([`ListTagsForResourceCommand:${arn('/posture/app')}`]);
  });

  it('models a configured group (PascalCase members, ARN without ":*")', async () => {
    const res = (await CLOUDWATCH_LOG_GROUP.describe(ctx, { name: '/posture/app' }))!;
    expect(typeKeys(res)).toEqual(CLOUDWATCH_LOG_GROUP.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('/posture/app'),
      ResourceType: 'AWS.CloudWatch.LogGroup',
      AccountId: account,
      Region: REGION,
      Arn: arn('/posture/app'),
      Id: null,
      Name: '/posture/app',
      Tags: { team: 'app', env: 'prod' },
      LogGroupName: '/posture/app',
      LogGroupArn: arn('/posture/app'),
      RetentionInDays: 365,
      KmsKeyId: KEY,
      StoredBytes: 0,
      // moto does not count metric filters (always 0).
      MetricFilterCount: 0,
      RetentionPolicyName: null,
      InheritedProperties: null,
    });
    expect(typeof res.CreationTime).toBe('number');
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(new Date(res.CreationTime as number).toISOString());
    expect(JSON.stringify(res)).not.toContain(':*');
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare group with nulls', async () => {
    const res = (await CLOUDWATCH_LOG_GROUP.describe(ctx, { name: '/posture/bare' }))!;
    expect(res).toMatchObject({ ResourceId: arn('/posture/bare'), Name: '/posture/bare', Tags: null, RetentionInDays: null, KmsKeyId: null, DataProtectionStatus: null });
  });

  it('returns null for a deleted group', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/posture/gone' }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/posture/gone' }));
    expect(await CLOUDWATCH_LOG_GROUP.describe(ctx, { name: '/posture/gone' })).toBeNull();
    // Deleted between listing and the tags call: AWS answers ResourceNotFoundException (moto answers no tags).
    const listed = intercept(ctx, CloudWatchLogsClient, (cmd) =>
      cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('ResourceNotFoundException', 'gone')) : undefined,
    );
    await CLOUDWATCH_LOG_GROUP.list(listed);
    expect(await CLOUDWATCH_LOG_GROUP.describe(listed, { name: '/posture/bare' })).toBeNull();
  });

  it('lets AccessDenied and throttling propagate', async () => {
    const denied = intercept(ctx, CloudWatchLogsClient, (cmd) =>
      cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('AccessDeniedException', 'not authorized')) : undefined,
    );
    await expect(CLOUDWATCH_LOG_GROUP.describe(denied, { name: '/posture/app' })).rejects.toThrow('not authorized');
    const throttled = intercept(ctx, CloudWatchLogsClient, (cmd) =>
      cmd.constructor.name === 'DescribeLogGroupsCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined,
    );
    await expect(CLOUDWATCH_LOG_GROUP.list(throttled)).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown>) => CLOUDWATCH_LOG_GROUP.events[name]!.refs!(trail('logs.amazonaws.com', name, req));
    expect(refs('CreateLogGroup', { logGroupName: '/a' })).toEqual([{ name: '/a' }]);
    expect(CLOUDWATCH_LOG_GROUP.events.DeleteLogGroup!.action).toBe('delete');
    expect(refs('DeleteLogGroup', { logGroupName: '/a' })).toEqual([{ name: '/a' }]);
    expect(refs('PutRetentionPolicy', { logGroupName: '/a', retentionInDays: 30 })).toEqual([{ name: '/a' }]);
    expect(refs('AssociateKmsKey', { resourceIdentifier: 'arn:aws:logs:us-east-1:1:log-group:/b', kmsKeyId: KEY })).toEqual([{ name: '/b' }]);
    expect(refs('PutDataProtectionPolicy', { logGroupIdentifier: 'arn:aws:logs:us-east-1:1:log-group:/c:*', policyDocument: '{}' })).toEqual([{ name: '/c' }]);
    expect(refs('PutLogGroupDeletionProtection', { logGroupIdentifier: '/d', deletionProtectionEnabled: true })).toEqual([{ name: '/d' }]);
    expect(refs('TagResource', { resourceArn: 'arn:aws:logs:us-east-1:1:log-group:/e', tags: { a: 'b' } })).toEqual([{ name: '/e' }]);
    expect(refs('UntagResource', { resourceArn: 'arn:aws:logs:us-east-1:1:destination:x' })).toEqual([]);
    expect(CLOUDWATCH_LOG_GROUP.events.PutAccountPolicy!.action).toBe('rescan-region');
  });
});
