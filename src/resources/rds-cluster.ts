/**
 * AWS.RDS.Cluster — regional: Aurora (MySQL, PostgreSQL) and Multi-AZ DB clusters, every
 * DescribeDBClusters cluster but DocumentDB's and Neptune's (their own types). See rds-db-cluster.ts.
 */
import { makeDbClusterType, type DbClusterRef } from './rds-db-cluster.ts';
import type { ResourceType } from './types.ts';

export const RDS_CLUSTER_TYPE = 'AWS.RDS.Cluster';

export const makeRdsClusterType = (opts: { pageSize?: number } = {}): ResourceType<DbClusterRef> =>
  makeDbClusterType({ type: RDS_CLUSTER_TYPE, asffType: 'AwsRdsDbCluster', engines: { exclude: ['docdb', 'neptune'] }, ...opts });

export const RDS_CLUSTER: ResourceType<DbClusterRef> = makeRdsClusterType();
