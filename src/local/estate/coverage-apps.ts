/**
 * Application and analytics services of the coverage work (#17), shared by the registry types'
 * integration tests and the documentation estate: for each type a well-configured resource (the
 * documented example) and, where a built-in policy applies, a misconfigured one beside it.
 */
import { CreateCacheClusterCommand, CreateCacheSubnetGroupCommand, CreateReplicationGroupCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { CreateDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import type { AwsClients } from '#aws/clients.ts';

/** OpenSearch domain `search`: three zone-aware data nodes, three dedicated masters, encrypted
 *  at rest and between nodes, HTTPS only with TLS 1.2, fine-grained access control, in a VPC when
 *  `vpc` is given, application and audit logs to CloudWatch Logs. Returns its ARN. */
export async function createSearchDomain(
  clients: AwsClients,
  opts: { logGroupArn: string; kmsKeyId?: string; vpc?: { subnetIds: string[]; securityGroupIds: string[] } },
): Promise<string> {
  const os = clients.get(OpenSearchClient);
  const r = await os.send(
    new CreateDomainCommand({
      DomainName: 'search',
      EngineVersion: 'OpenSearch_2.13',
      ClusterConfig: {
        InstanceType: 'r6g.large.search',
        InstanceCount: 3,
        DedicatedMasterEnabled: true,
        DedicatedMasterType: 'm6g.large.search',
        DedicatedMasterCount: 3,
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
      },
      EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 100 },
      EncryptionAtRestOptions: { Enabled: true, ...(opts.kmsKeyId ? { KmsKeyId: opts.kmsKeyId } : {}) },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
      AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false, MasterUserOptions: { MasterUserARN: `arn:aws:iam::${opts.logGroupArn.split(':')[4]}:role/search-admin` } },
      ...(opts.vpc ? { VPCOptions: { SubnetIds: opts.vpc.subnetIds, SecurityGroupIds: opts.vpc.securityGroupIds } } : {}),
      LogPublishingOptions: {
        ES_APPLICATION_LOGS: { CloudWatchLogsLogGroupArn: opts.logGroupArn, Enabled: true },
        AUDIT_LOGS: { CloudWatchLogsLogGroupArn: opts.logGroupArn, Enabled: true },
      },
      TagList: [{ Key: 'team', Value: 'search' }],
    }),
  );
  return r.DomainStatus!.ARN!;
}

/** OpenSearch domain `legacy-search`: one public, unencrypted Elasticsearch node, no logging. */
export async function createLegacySearchDomain(clients: AwsClients): Promise<string> {
  const r = await clients.get(OpenSearchClient).send(
    new CreateDomainCommand({
      DomainName: 'legacy-search',
      EngineVersion: 'Elasticsearch_7.10',
      ClusterConfig: { InstanceType: 't3.small.search', InstanceCount: 1 },
      EBSOptions: { EBSEnabled: true, VolumeType: 'gp2', VolumeSize: 10 },
    }),
  );
  return r.DomainStatus!.ARN!;
}

/** Cache subnet group `cache-private` over `subnetIds` (clusters outside the default VPC). */
export async function createCacheSubnetGroup(clients: AwsClients, subnetIds: string[]): Promise<string> {
  await clients.get(ElastiCacheClient).send(
    new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: 'cache-private', CacheSubnetGroupDescription: 'Private subnets of the caches', SubnetIds: subnetIds }),
  );
  return 'cache-private';
}

/** Valkey/Redis OSS cache cluster `jobs`: one node in `subnetGroup`, in-transit encryption,
 *  7 days of automatic backups, automatic minor upgrades. Returns its ARN. */
export async function createJobsCache(clients: AwsClients, opts: { subnetGroup: string; securityGroupIds?: string[] }): Promise<string> {
  const r = await clients.get(ElastiCacheClient).send(
    new CreateCacheClusterCommand({
      CacheClusterId: 'jobs',
      Engine: 'redis',
      EngineVersion: '7.1',
      CacheNodeType: 'cache.t4g.small',
      NumCacheNodes: 1,
      CacheSubnetGroupName: opts.subnetGroup,
      ...(opts.securityGroupIds ? { SecurityGroupIds: opts.securityGroupIds } : {}),
      TransitEncryptionEnabled: true,
      SnapshotRetentionLimit: 7,
      SnapshotWindow: '03:00-04:00',
      AutoMinorVersionUpgrade: true,
      PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      Tags: [{ Key: 'team', Value: 'platform' }],
    }),
  );
  return r.CacheCluster!.ARN!;
}

/** Memcached cluster `scratch` in the default subnet group: no encryption, no automatic minor
 *  upgrades (and Memcached keeps no backups). */
export async function createScratchCache(clients: AwsClients): Promise<string> {
  const r = await clients.get(ElastiCacheClient).send(
    new CreateCacheClusterCommand({ CacheClusterId: 'scratch', Engine: 'memcached', CacheNodeType: 'cache.t3.micro', NumCacheNodes: 2, AutoMinorVersionUpgrade: false }),
  );
  return r.CacheCluster!.ARN!;
}

/** Replication group `sessions`: a primary and a replica across zones with automatic failover,
 *  encrypted at rest (customer key when given) and in transit, AUTH required, 7 days of backups.
 *  `weak: true` creates `sessions-dev` instead: one node, no encryption, no failover. */
export async function createSessionsReplicationGroup(clients: AwsClients, opts: { subnetGroup?: string; kmsKeyId?: string; weak?: boolean } = {}): Promise<string> {
  const ec = clients.get(ElastiCacheClient);
  const r = opts.weak
    ? await ec.send(
        new CreateReplicationGroupCommand({
          ReplicationGroupId: 'sessions-dev',
          ReplicationGroupDescription: 'Session store (development)',
          Engine: 'redis',
          CacheNodeType: 'cache.t4g.micro',
          NumCacheClusters: 1,
          AutomaticFailoverEnabled: false,
          AutoMinorVersionUpgrade: false,
          SnapshotRetentionLimit: 0,
        }),
      )
    : await ec.send(
        new CreateReplicationGroupCommand({
          ReplicationGroupId: 'sessions',
          ReplicationGroupDescription: 'Session store',
          Engine: 'redis',
          EngineVersion: '7.1',
          CacheNodeType: 'cache.r7g.large',
          NumCacheClusters: 2,
          AutomaticFailoverEnabled: true,
          MultiAZEnabled: true,
          ...(opts.subnetGroup ? { CacheSubnetGroupName: opts.subnetGroup } : {}),
          AtRestEncryptionEnabled: true,
          ...(opts.kmsKeyId ? { KmsKeyId: opts.kmsKeyId } : {}),
          TransitEncryptionEnabled: true,
          // An emulator-only placeholder, not a credential.
          AuthToken: 'not-a-real-auth-token-0123456789',
          SnapshotRetentionLimit: 7,
          AutoMinorVersionUpgrade: true,
          Tags: [{ Key: 'team', Value: 'web' }],
        }),
      );
  return r.ReplicationGroup!.ARN!;
}

/** What the documentation estate hands this slice: the network, key and log group it wires in. */
export interface AppsEstateInputs {
  acct: string;
  region: string;
  subnetIds: [string, string];
  securityGroupId: string;
  keyArn: string;
  logGroupArn: string;
}

/** Seeds this slice's documented examples (and their misconfigured neighbours) into the
 *  documentation estate; returns each type's example pick (see example-estate.ts). */
export async function seedAppsEstate(c: AwsClients, i: AppsEstateInputs): Promise<Record<string, string>> {
  await createSearchDomain(c, { logGroupArn: i.logGroupArn, kmsKeyId: i.keyArn, vpc: { subnetIds: i.subnetIds, securityGroupIds: [i.securityGroupId] } });
  await createLegacySearchDomain(c);
  const subnetGroup = await createCacheSubnetGroup(c, i.subnetIds);
  await createJobsCache(c, { subnetGroup, securityGroupIds: [i.securityGroupId] });
  await createScratchCache(c);
  await createSessionsReplicationGroup(c, { subnetGroup, kmsKeyId: i.keyArn });
  await createSessionsReplicationGroup(c, { weak: true });
  return {
    'AWS.OpenSearch.Domain': 'domain/search',
    'AWS.ElastiCache.CacheCluster': 'cluster:jobs',
    'AWS.ElastiCache.ReplicationGroup': 'replicationgroup:sessions',
  };
}
