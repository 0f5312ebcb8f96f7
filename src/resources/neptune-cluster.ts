/**
 * AWS.Neptune.Cluster — regional: Amazon Neptune clusters (engine `neptune`), read through the
 * RDS API's DescribeDBClusters with an engine filter. See rds-db-cluster.ts.
 */
import { makeDbClusterType, type DbClusterRef } from './rds-db-cluster.ts';
import type { ResourceType } from './types.ts';

export const NEPTUNE_CLUSTER_TYPE = 'AWS.Neptune.Cluster';

export const makeNeptuneClusterType = (opts: { pageSize?: number } = {}): ResourceType<DbClusterRef> =>
  makeDbClusterType({ type: NEPTUNE_CLUSTER_TYPE, asffType: 'AwsRdsDbCluster', engines: { include: ['neptune'] }, ...opts });

export const NEPTUNE_CLUSTER: ResourceType<DbClusterRef> = makeNeptuneClusterType();
