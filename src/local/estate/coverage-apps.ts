/**
 * Application and analytics services of the coverage work (#17), shared by the registry types'
 * integration tests and the documentation estate: for each type a well-configured resource (the
 * documented example) and, where a built-in policy applies, a misconfigured one beside it.
 */
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateRouteCommand, CreateStageCommand as CreateV2StageCommand } from '@aws-sdk/client-apigatewayv2';
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

/** A REST API with one GET /health method (mock integration), deployed to stage `stage`. */
async function restApiWithStage(clients: AwsClients, name: string, stage: string, tags?: Record<string, string>): Promise<{ id: string; deploymentId: string }> {
  const apigw = clients.get(APIGatewayClient);
  const api = await apigw.send(new CreateRestApiCommand({ name, description: `${name} (REST)`, endpointConfiguration: { types: ['REGIONAL'] }, ...(tags ? { tags } : {}) }));
  const id = api.id!;
  const health = await apigw.send(new CreateResourceCommand({ restApiId: id, parentId: api.rootResourceId!, pathPart: 'health' }));
  await apigw.send(new PutMethodCommand({ restApiId: id, resourceId: health.id!, httpMethod: 'GET', authorizationType: 'AWS_IAM' }));
  await apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId: health.id!, httpMethod: 'GET', type: 'MOCK' }));
  const deployment = await apigw.send(new CreateDeploymentCommand({ restApiId: id, description: 'initial' }));
  await apigw.send(new CreateStageCommand({ restApiId: id, stageName: stage, deploymentId: deployment.id! }));
  return { id, deploymentId: deployment.id! };
}

/** REST API `shop-api`, stage `prod`: execution logging (INFO) and encrypted response caching
 *  on every method, X-Ray tracing, access logs to `accessLogArn` (moto has no client certificates, so the
 *  backend certificate AWS would carry is left out). Returns the API ID. */
export async function createShopRestApi(clients: AwsClients, opts: { accessLogArn: string }): Promise<string> {
  const apigw = clients.get(APIGatewayClient);
  const { id } = await restApiWithStage(clients, 'shop-api', 'prod', { team: 'shop' });
  const replace = (path: string, value: string) => ({ op: 'replace' as const, path, value });
  await apigw.send(
    new UpdateStageCommand({
      restApiId: id,
      stageName: 'prod',
      patchOperations: [
        replace('/*/*/logging/loglevel', 'INFO'),
        replace('/*/*/metrics/enabled', 'true'),
        replace('/*/*/caching/enabled', 'true'),
        replace('/*/*/caching/dataEncrypted', 'true'),
        replace('/cacheClusterEnabled', 'true'),
        replace('/cacheClusterSize', '0.5'),
        replace('/tracingEnabled', 'true'),
        replace('/accessLogSettings/destinationArn', opts.accessLogArn),
        replace('/accessLogSettings/format', '$context.requestId $context.identity.sourceIp $context.httpMethod $context.resourcePath $context.status'),
      ],
    }),
  );
  return id;
}

/** REST API `legacy-api`, stage `dev`: no logging, tracing, caching or client certificate. */
export async function createLegacyRestApi(clients: AwsClients): Promise<string> {
  return (await restApiWithStage(clients, 'legacy-api', 'dev')).id;
}

/** HTTP API `orders-http`: routes authorized by IAM, stage `$default` with access logs to
 *  `accessLogArn` and INFO logging. `open: true` creates `public-http` instead: an
 *  unauthorized route and a stage without access logs. Returns the API ID. */
export async function createOrdersHttpApi(clients: AwsClients, opts: { accessLogArn?: string; open?: boolean } = {}): Promise<string> {
  const apigw = clients.get(ApiGatewayV2Client);
  const api = await apigw.send(
    new CreateApiCommand({
      Name: opts.open ? 'public-http' : 'orders-http',
      ProtocolType: 'HTTP',
      Description: opts.open ? 'Public HTTP API' : 'Orders HTTP API',
      ...(opts.open ? {} : { Tags: { team: 'orders' }, CorsConfiguration: { AllowOrigins: ['https://shop.example.com'], AllowMethods: ['GET', 'POST'] } }),
    }),
  );
  const ApiId = api.ApiId!;
  for (const RouteKey of ['GET /orders', 'POST /orders']) {
    await apigw.send(new CreateRouteCommand({ ApiId, RouteKey, AuthorizationType: opts.open ? 'NONE' : 'AWS_IAM' }));
  }
  await apigw.send(
    new CreateV2StageCommand({
      ApiId,
      StageName: '$default',
      AutoDeploy: true,
      ...(opts.accessLogArn && !opts.open
        ? {
            AccessLogSettings: { DestinationArn: opts.accessLogArn, Format: '$context.requestId $context.identity.sourceIp $context.routeKey $context.status' },
            DefaultRouteSettings: { LoggingLevel: 'INFO', DetailedMetricsEnabled: true, ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
          }
        : {}),
    }),
  );
  return ApiId;
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
  const shopApi = await createShopRestApi(c, { accessLogArn: i.logGroupArn });
  await createLegacyRestApi(c);
  const ordersApi = await createOrdersHttpApi(c, { accessLogArn: i.logGroupArn });
  await createOrdersHttpApi(c, { open: true });
  return {
    'AWS.ApiGateway.RestApi': `/restapis/${shopApi}`,
    'AWS.ApiGatewayV2.Api': `/apis/${ordersApi}`,
    'AWS.OpenSearch.Domain': 'domain/search',
    'AWS.ElastiCache.CacheCluster': 'cluster:jobs',
    'AWS.ElastiCache.ReplicationGroup': 'replicationgroup:sessions',
  };
}
