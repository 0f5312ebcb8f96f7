/**
 * AWS.DocDB.Cluster — regional: Amazon DocumentDB clusters (engine `docdb`), read through the
 * RDS API's DescribeDBClusters with an engine filter. See rds-db-cluster.ts.
 */
import { makeDbClusterType, type DbClusterRef } from './rds-db-cluster.ts';
import type { ResourceType } from './types.ts';

export const DOCDB_CLUSTER_TYPE = 'AWS.DocDB.Cluster';

export const makeDocDbClusterType = (opts: { pageSize?: number } = {}): ResourceType<DbClusterRef> =>
  makeDbClusterType({ type: DOCDB_CLUSTER_TYPE, asffType: 'AwsRdsDbCluster', engines: { include: ['docdb'] }, ...opts });

export const DOCDB_CLUSTER: ResourceType<DbClusterRef> = makeDocDbClusterType();
