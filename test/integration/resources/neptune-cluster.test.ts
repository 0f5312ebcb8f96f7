import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseClusters } from '../../../src/local/estate/coverage-infra.ts';
import { NEPTUNE_CLUSTER } from '../../../src/resources/neptune-cluster.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;

const arn = (id: string) => `arn:aws:rds:${REGION}:${account}:cluster:${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createDatabaseClusters(ctx.clients);
});

// Paging, deletion and errors are the shared cluster factory's (rds-cluster.test.ts).
describe('AWS.Neptune.Cluster', () => {
  it('lists only Neptune clusters (DescribeDBClusters with the engine filter)', async () => {
    const page = await NEPTUNE_CLUSTER.list(ctx);
    expect(page.refs.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'dev-graph', engine: 'neptune' },
      { id: 'graph', engine: 'neptune' },
    ]);
    expect(page.nextPageToken).toBeUndefined();
    for (const ref of page.refs) expect(NEPTUNE_CLUSTER.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a Neptune cluster, and not an Aurora one', async () => {
    const res = (await NEPTUNE_CLUSTER.describe(ctx, { id: 'graph' }))!;
    expect(typeKeys(res)).toEqual(NEPTUNE_CLUSTER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('graph'),
      ResourceType: 'AWS.Neptune.Cluster',
      Name: 'graph',
      Engine: 'neptune',
      StorageEncrypted: true,
      DeletionProtection: true,
      CopyTagsToSnapshot: true,
      BackupRetentionPeriod: 14,
      EnabledCloudwatchLogsExports: ['audit'],
      Tags: { team: 'data' },
    });
    expect(await NEPTUNE_CLUSTER.describe(ctx, { id: 'dev-graph' })).toMatchObject({ StorageEncrypted: false, DeletionProtection: false });
    expect(await NEPTUNE_CLUSTER.describe(ctx, { id: 'ledger' })).toBeNull();
    expect(NEPTUNE_CLUSTER.resourceId(ctx, { id: 'ledger', engine: 'aurora-postgresql' })).toBeUndefined();
  });

  it('listens to the RDS API\'s cluster events (Neptune calls are recorded as rds.amazonaws.com)', () => {
    expect(NEPTUNE_CLUSTER.eventSource).toBe('rds.amazonaws.com');
    const refs = NEPTUNE_CLUSTER.events.CreateDBCluster!.refs!(trail('rds.amazonaws.com', 'CreateDBCluster', { dBClusterIdentifier: 'g2', engine: 'neptune' }));
    expect(refs).toEqual([{ id: 'g2', engine: 'neptune' }]);
    expect(NEPTUNE_CLUSTER.resourceId(ctx, refs[0]!)).toBe(arn('g2'));
  });
});
