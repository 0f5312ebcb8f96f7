import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrdersTable } from '../../../src/local/estate/data-stores.ts';
import { DYNAMODB_TABLE, makeDynamoDbTableType, type TableRef } from '../../../src/resources/dynamodb-table.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'eu-north-1';
let ctx: ScanContext;
let ddb: DynamoDBClient;

const arn = (name: string) => `arn:aws:dynamodb:${REGION}:${account}:table/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ddb = ctx.clients.get(DynamoDBClient);
  const aas = ctx.clients.get(ApplicationAutoScalingClient);
  await createOrdersTable(ctx.clients);
  await ddb.send(
    new CreateTableCommand({
      TableName: 'bare',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // Scaling of another table's index must not leak into these.
  await ddb.send(
    new CreateTableCommand({
      TableName: 'orders-archive',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    }),
  );
  await aas.send(
    new RegisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/orders-archive', ScalableDimension: 'dynamodb:table:WriteCapacityUnits', MinCapacity: 1, MaxCapacity: 5 }),
  );
});

describe('AWS.DynamoDB.Table', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeDynamoDbTableType({ pageSize: 2 });
    const seen: TableRef[] = [];
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
    expect(seen.map((r) => r.name).sort()).toEqual(['bare', 'orders', 'orders-archive']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a configured table with TTL, point-in-time recovery and auto scaling', async () => {
    const res = (await DYNAMODB_TABLE.describe(await scanContext(account, REGION), { name: 'orders' }))!;
    expect(typeKeys(res)).toEqual(DYNAMODB_TABLE.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('orders'),
      ResourceType: 'AWS.DynamoDB.Table',
      AccountId: account,
      Region: REGION,
      Arn: arn('orders'),
      Name: 'orders',
      Tags: { team: 'sales' },
      TableName: 'orders',
      TableArn: arn('orders'),
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PROVISIONED', LastUpdateToPayPerRequestDateTime: null },
      ProvisionedThroughput: expect.objectContaining({ ReadCapacityUnits: 5, WriteCapacityUnits: 5, LastIncreaseDateTime: null }),
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      SSEDescription: expect.objectContaining({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: expect.stringContaining(':kms:') }),
      DeletionProtectionEnabled: true,
      RestoreSummary: null,
      ArchivalSummary: null,
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' },
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: expect.objectContaining({ PointInTimeRecoveryStatus: 'ENABLED' }),
      },
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreationDateTime);
    expect(res.Id).toBe(res.TableId);
    // Moves with the clock: left out so unchanged tables do not change.
    expect(Object.keys((res.ContinuousBackupsDescription as { PointInTimeRecoveryDescription: object }).PointInTimeRecoveryDescription)).not.toContain(
      'LatestRestorableDateTime',
    );
    expect(res.GlobalSecondaryIndexes).toEqual([expect.objectContaining({ IndexName: 'by-customer', Projection: expect.objectContaining({ ProjectionType: 'KEYS_ONLY' }) })]);
    const scaling = res.AutoScalingDescriptions as Record<string, unknown>[];
    expect(scaling.map((s) => s.ResourceId).sort()).toEqual(['table/orders', 'table/orders/index/by-customer']);
    const table = scaling.find((s) => s.ResourceId === 'table/orders')!;
    expect(table).toMatchObject({
      ServiceNamespace: 'dynamodb',
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
      MinCapacity: 5,
      MaxCapacity: 50,
      SuspendedState: null,
      ScalingPolicies: [
        expect.objectContaining({
          PolicyName: 'orders-read',
          PolicyType: 'TargetTrackingScaling',
          StepScalingPolicyConfiguration: null,
          TargetTrackingScalingPolicyConfiguration: expect.objectContaining({ TargetValue: 70, DisableScaleIn: null }),
        }),
      ],
    });
    expect(table.CreationTime).toMatch(RFC3339);
    expect(scaling.find((s) => s.ResourceId !== 'table/orders')!.ScalingPolicies).toBeNull();
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare on-demand table with nulls', async () => {
    const res = (await DYNAMODB_TABLE.describe(ctx, { name: 'bare' }))!;
    expect(res).toMatchObject({
      ResourceId: arn('bare'),
      Tags: null,
      AutoScalingDescriptions: null,
      BillingModeSummary: expect.objectContaining({ BillingMode: 'PAY_PER_REQUEST' }),
      StreamSpecification: null,
      SSEDescription: null,
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED', AttributeName: null },
      ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: expect.objectContaining({ PointInTimeRecoveryStatus: 'DISABLED' }) },
    });
  });

  it('reads auto scaling once per scope, and retries a scope read that failed', async () => {
    const calls: string[] = [];
    let deny = true;
    const spied = intercept(ctx, ApplicationAutoScalingClient, (cmd) => {
      calls.push(cmd.constructor.name);
      return deny ? Promise.reject(awsError('AccessDeniedException', 'no autoscaling')) : undefined;
    });
    await expect(DYNAMODB_TABLE.describe(spied, { name: 'orders' })).rejects.toThrow('no autoscaling');
    deny = false;
    await DYNAMODB_TABLE.describe(spied, { name: 'orders' });
    await DYNAMODB_TABLE.describe(spied, { name: 'bare' });
    expect(calls).toEqual(['DescribeScalableTargetsCommand', 'DescribeScalableTargetsCommand', 'DescribeScalingPoliciesCommand']);
  });

  it('returns null for a deleted table and lets throttling propagate', async () => {
    await ddb.send(new CreateTableCommand({ TableName: 'gone', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await ddb.send(new DeleteTableCommand({ TableName: 'gone' }));
    expect(await DYNAMODB_TABLE.describe(ctx, { name: 'gone' })).toBeNull();
    // Deleted between DescribeTable and the other calls (DescribeContinuousBackups answers TableNotFoundException).
    const between = intercept(ctx, DynamoDBClient, (cmd) =>
      cmd.constructor.name === 'DescribeContinuousBackupsCommand' ? Promise.reject(awsError('TableNotFoundException', 'Table not found')) : undefined,
    );
    expect(await DYNAMODB_TABLE.describe(between, { name: 'bare' })).toBeNull();
    const throttled = intercept(ctx, DynamoDBClient, (cmd) =>
      cmd.constructor.name === 'DescribeTimeToLiveCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined,
    );
    await expect(DYNAMODB_TABLE.describe(throttled, { name: 'bare' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs, settling new tables', () => {
    const ev = DYNAMODB_TABLE.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('dynamodb.amazonaws.com', name, req, res));
    expect(refs('CreateTable', { tableName: 't1', billingMode: 'PAY_PER_REQUEST' }, { tableDescription: { tableName: 't1', tableArn: arn('t1') } })).toEqual([{ name: 't1' }]);
    expect(ev.CreateTable!.settleSeconds).toBe(60);
    expect(ev.DeleteTable!.action).toBe('delete');
    expect(refs('DeleteTable', { tableName: 't1' })).toEqual([{ name: 't1' }]);
    expect(refs('UpdateContinuousBackups', { tableName: 't2', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } })).toEqual([{ name: 't2' }]);
    expect(refs('RestoreTableToPointInTime', { sourceTableName: 't2', targetTableName: 't3' })).toEqual([{ name: 't3' }]);
    expect(refs('ImportTable', { tableCreationParameters: { tableName: 't4' } })).toEqual([{ name: 't4' }]);
    expect(refs('TagResource', { resourceArn: `${arn('t5')}/index/i1`, tags: [] })).toEqual([{ name: 't5' }]);
    expect(refs('UntagResource', { resourceArn: 'arn:aws:dynamodb:us-east-1:1:backup/x' })).toEqual([]);
  });
});
