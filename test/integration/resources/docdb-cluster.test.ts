import { RDSClient } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseClusters, documentedDocDbCluster } from '../../../src/local/estate/coverage-infra.ts';
import { DOCDB_CLUSTER, makeDocDbClusterType } from '../../../src/resources/docdb-cluster.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let moto: ScanContext;
let ctx: ScanContext;
let calls: Record<string, unknown>[];

const arn = (id: string) => `arn:aws:rds:${REGION}:${account}:cluster:${id}`;
const docdb = ['catalog', 'dev-catalog', 'qa-catalog'].map((name) => documentedDocDbCluster(account, REGION, name, name === 'catalog'));

beforeAll(async () => {
  moto = await scanContext(account, REGION);
  await createDatabaseClusters(moto.clients);
  calls = [];
  // moto's RDS rejects the docdb engine: DescribeDBClusters is answered with DocumentDB clusters
  // shaped as the Amazon DocumentDB API reference documents them (documentedDocDbCluster), with
  // RDS's engine filter, identifier lookup (DBClusterNotFoundFault) and Marker paging.
  ctx = intercept(moto, RDSClient, (cmd) => {
    if (cmd.constructor.name !== 'DescribeDBClustersCommand') return undefined;
    const input = cmd.input as { DBClusterIdentifier?: string; Filters?: { Name: string; Values: string[] }[]; MaxRecords?: number; Marker?: string };
    calls.push(input);
    const engines = input.Filters?.find((f) => f.Name === 'engine')?.Values;
    const all = docdb.filter((c) => !engines || engines.includes(c.Engine!)).filter((c) => !input.DBClusterIdentifier || c.DBClusterIdentifier === input.DBClusterIdentifier);
    if (input.DBClusterIdentifier && all.length === 0) return Promise.reject(Object.assign(new Error('DBCluster not found'), { name: 'DBClusterNotFoundFault' }));
    const from = Number(input.Marker ?? 0);
    const size = input.MaxRecords ?? 100;
    return Promise.resolve({ DBClusters: all.slice(from, from + size), Marker: from + size < all.length ? String(from + size) : undefined });
  });
});

describe('AWS.DocDB.Cluster', () => {
  it('lists DocumentDB clusters across pages, asking for the docdb engine', async () => {
    const type = makeDocDbClusterType({ pageSize: 2 });
    const { refs: seen, pages } = await listAll(type, ctx);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.id)).toEqual(['catalog', 'dev-catalog', 'qa-catalog']);
    expect(calls[0]).toMatchObject({ Filters: [{ Name: 'engine', Values: ['docdb'] }], MaxRecords: 2 });
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
    // Against moto itself the filter finds no cluster of other engines.
    expect((await DOCDB_CLUSTER.list(moto)).refs).toEqual([]);
  });

  it('models a DocumentDB cluster', async () => {
    const res = (await DOCDB_CLUSTER.describe(ctx, { id: 'catalog' }))!;
    expect(typeKeys(res)).toEqual(DOCDB_CLUSTER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('catalog'),
      ResourceType: 'AWS.DocDB.Cluster',
      AccountId: account,
      Region: REGION,
      Name: 'catalog',
      Id: 'cluster-GOODCATALOG1234567890ABCD',
      Tags: { team: 'catalog' },
      Engine: 'docdb',
      Port: 27017,
      StorageEncrypted: true,
      EnabledCloudwatchLogsExports: ['audit', 'profiler'],
      DeletionProtection: true,
      BackupRetentionPeriod: 14,
      EarliestRestorableTime: '2026-01-05T09:40:00.000Z',
      GlobalClusterIdentifier: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(await DOCDB_CLUSTER.describe(ctx, { id: 'dev-catalog' })).toMatchObject({ Tags: null, StorageEncrypted: false, KmsKeyId: null });
  });

  it('returns null for a missing cluster and for a cluster of another engine', async () => {
    expect(await DOCDB_CLUSTER.describe(ctx, { id: 'nope' })).toBeNull();
    expect(await DOCDB_CLUSTER.describe(moto, { id: 'ledger' })).toBeNull();
    expect(DOCDB_CLUSTER.resourceId(ctx, { id: 'ledger' })).toBeUndefined();
  });

  it('maps CloudTrail events (DocumentDB calls are recorded as rds.amazonaws.com)', () => {
    expect(DOCDB_CLUSTER.eventSource).toBe('rds.amazonaws.com');
    const refs = DOCDB_CLUSTER.events.CreateDBCluster!.refs!(trail('rds.amazonaws.com', 'CreateDBCluster', { dBClusterIdentifier: 'c2', engine: 'docdb', storageEncrypted: true }));
    expect(refs).toEqual([{ id: 'c2', engine: 'docdb' }]);
    expect(DOCDB_CLUSTER.resourceId(ctx, refs[0]!)).toBe(arn('c2'));
  });
});
