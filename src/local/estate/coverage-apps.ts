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
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudFrontClient, CreateDistributionWithTagsCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { AthenaClient, CreateWorkGroupCommand } from '@aws-sdk/client-athena';
import { CodeBuildClient, CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { CreateCacheClusterCommand, CreateCacheSubnetGroupCommand, CreateReplicationGroupCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { CreateSecurityConfigurationCommand, EMRClient, RunJobFlowCommand } from '@aws-sdk/client-emr';
import { CreateJobCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateBrokerCommand, MqClient } from '@aws-sdk/client-mq';
import { CreateDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { CreateHostedZoneCommand, CreateQueryLoggingConfigCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateNotebookInstanceCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateServerCommand, TransferClient } from '@aws-sdk/client-transfer';
import type { AwsClients } from '#aws/clients.ts';

/** OpenSearch domain `search`: three zone-aware data nodes, three dedicated masters, encrypted
 *  at rest and between nodes, HTTPS only with the TLS 1.2 PFS policy, fine-grained access control, in a VPC when
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
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
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
 *  `weak: true` creates `dev-sessions` instead: one node, no encryption, no failover. */
export async function createSessionsReplicationGroup(clients: AwsClients, opts: { subnetGroup?: string; kmsKeyId?: string; weak?: boolean } = {}): Promise<string> {
  const ec = clients.get(ElastiCacheClient);
  const r = opts.weak
    ? await ec.send(
        new CreateReplicationGroupCommand({
          ReplicationGroupId: 'dev-sessions',
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

const items = <T>(Items: T[]) => ({ Quantity: Items.length, Items });

/** CloudFront distribution for shop.example.com: S3 origin `originBucket` behind origin access
 *  control with a failover origin group, HTTPS only (redirect), the ACM certificate by SNI with
 *  TLSv1.2_2021, access logs to `logBucket`, web ACL `webAclArn`, default root object. `weak:
 *  true` makes the legacy one instead: an HTTP-only custom origin, any viewer protocol, the
 *  default certificate, no logging, no web ACL. Returns the distribution ID. */
export async function createShopDistribution(
  clients: AwsClients,
  opts: { originBucket: string; logBucket: string; certificateArn?: string; webAclArn?: string; weak?: boolean },
): Promise<string> {
  const s3Origin = (Id: string) => ({ Id, DomainName: `${opts.originBucket}.s3.us-east-1.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } });
  const config: DistributionConfig = opts.weak
    ? {
        CallerReference: 'legacy-site',
        Comment: 'legacy site',
        Enabled: true,
        Origins: items([{ Id: 'legacy-origin', DomainName: 'legacy.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' } }]),
        DefaultCacheBehavior: { TargetOriginId: 'legacy-origin', ViewerProtocolPolicy: 'allow-all', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
      }
    : {
        CallerReference: 'shop-site',
        Comment: 'shop.example.com',
        Enabled: true,
        Aliases: items(['shop.example.com']),
        DefaultRootObject: 'index.html',
        Origins: items([s3Origin('shop-primary'), s3Origin('shop-failover')]),
        OriginGroups: items([
          { Id: 'shop-group', FailoverCriteria: { StatusCodes: items([500, 502, 503, 504]) }, Members: items([{ OriginId: 'shop-primary' }, { OriginId: 'shop-failover' }]) },
        ]),
        DefaultCacheBehavior: { TargetOriginId: 'shop-primary', ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
        Logging: { Enabled: true, IncludeCookies: false, Bucket: `${opts.logBucket}.s3.amazonaws.com`, Prefix: 'cloudfront/' },
        ViewerCertificate: opts.certificateArn
          ? { ACMCertificateArn: opts.certificateArn, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' }
          : { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: 'TLSv1.2_2021' },
        ...(opts.webAclArn ? { WebACLId: opts.webAclArn } : {}),
        HttpVersion: 'http2and3',
        IsIPV6Enabled: true,
        PriceClass: 'PriceClass_100',
      };
  const r = await clients.get(CloudFrontClient).send(
    new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: config, Tags: { Items: opts.weak ? [] : [{ Key: 'team', Value: 'shop' }] } } }),
  );
  return r.Distribution!.Id!;
}

/** Public hosted zone `shop.example.com.` with DNS query logging to `queryLogGroupArn` (the
 *  log group's ARN with its `:*` suffix, as Route 53 takes it), private
 *  zone `internal.example.` in `vpc` and public zone `legacy.example.com.` without query logging.
 *  Returns the zone IDs (without the /hostedzone/ prefix). */
export async function createHostedZones(clients: AwsClients, opts: { queryLogGroupArn: string; vpc: { id: string; region: string } }): Promise<{ shop: string; internal: string; legacy: string }> {
  const r53 = clients.get(Route53Client);
  const zone = async (Name: string, extra: object = {}) =>
    (await r53.send(new CreateHostedZoneCommand({ Name, CallerReference: `zone-${Name}`, ...extra }))).HostedZone!.Id!.replace('/hostedzone/', '');
  const shop = await zone('shop.example.com.', { HostedZoneConfig: { Comment: 'Public zone of the shop', PrivateZone: false } });
  await r53.send(new CreateQueryLoggingConfigCommand({ HostedZoneId: shop, CloudWatchLogsLogGroupArn: opts.queryLogGroupArn }));
  const internal = await zone('internal.example.', { HostedZoneConfig: { Comment: 'Service discovery', PrivateZone: true }, VPC: { VPCId: opts.vpc.id, VPCRegion: opts.vpc.region } });
  const legacy = await zone('legacy.example.com.');
  return { shop, internal, legacy };
}

/** CodeBuild project `web-build`: CodeCommit source, a Parameter Store variable for the
 *  database password and a plaintext stage name, unprivileged, logs to CloudWatch Logs and to
 *  encrypted S3, artifacts encrypted with `kmsKeyArn`. `weak: true` makes `legacy-build`: a
 *  Bitbucket URL with a token in it, AWS keys as plaintext variables, privileged mode, S3 logs
 *  unencrypted. Returns the project ARN. (Values here are emulator placeholders, not credentials.) */
export async function createBuildProject(clients: AwsClients, opts: { acct: string; region: string; artifactBucket: string; kmsKeyArn?: string; weak?: boolean }): Promise<string> {
  const role = `arn:aws:iam::${opts.acct}:role/codebuild-${opts.weak ? 'legacy' : 'web'}`;
  const r = await clients.get(CodeBuildClient).send(
    new CreateProjectCommand(
      opts.weak
        ? {
            name: 'legacy-build',
            source: { type: 'BITBUCKET', location: 'https://deploy:not-a-real-token@bitbucket.org/example/legacy.git' },
            artifacts: { type: 'NO_ARTIFACTS' },
            environment: {
              type: 'LINUX_CONTAINER',
              image: 'aws/codebuild/standard:7.0',
              computeType: 'BUILD_GENERAL1_SMALL',
              privilegedMode: true,
              environmentVariables: [
                { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAEXAMPLENOTREAL00', type: 'PLAINTEXT' },
                { name: 'AWS_SECRET_ACCESS_KEY', value: 'not-a-real-secret-access-key', type: 'PLAINTEXT' },
              ],
            },
            serviceRole: role,
            logsConfig: { s3Logs: { status: 'ENABLED', location: `${opts.artifactBucket}/build-logs`, encryptionDisabled: true }, cloudWatchLogs: { status: 'DISABLED' } },
          }
        : {
            name: 'web-build',
            description: 'Builds the web application',
            source: { type: 'CODECOMMIT', location: `https://git-codecommit.${opts.region}.amazonaws.com/v1/repos/web`, buildspec: 'buildspec.yml' },
            artifacts: { type: 'S3', location: opts.artifactBucket, packaging: 'ZIP' },
            environment: {
              type: 'LINUX_CONTAINER',
              image: 'aws/codebuild/standard:7.0',
              computeType: 'BUILD_GENERAL1_MEDIUM',
              privilegedMode: false,
              environmentVariables: [
                { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
                { name: 'DB_PASSWORD', value: '/web/db-password', type: 'PARAMETER_STORE' },
              ],
            },
            serviceRole: role,
            ...(opts.kmsKeyArn ? { encryptionKey: opts.kmsKeyArn } : {}),
            timeoutInMinutes: 30,
            logsConfig: {
              cloudWatchLogs: { status: 'ENABLED', groupName: '/codebuild/web-build' },
              s3Logs: { status: 'ENABLED', location: `${opts.artifactBucket}/build-logs`, encryptionDisabled: false },
            },
            tags: [{ key: 'team', value: 'web' }],
          },
    ),
  );
  return r.project!.arn!;
}

/** SageMaker notebook instance `research` in `subnetId`, no direct internet access, no root
 *  access, volume encrypted with `kmsKeyArn`, IMDSv2 only. `weak: true` makes `scratch-notebook`:
 *  SageMaker's network with internet access, root access, IMDSv1 allowed. Returns its name. */
export async function createNotebook(clients: AwsClients, opts: { acct: string; subnetId?: string; securityGroupIds?: string[]; kmsKeyArn?: string; weak?: boolean }): Promise<string> {
  const name = opts.weak ? 'scratch-notebook' : 'research';
  await clients.get(SageMakerClient).send(
    new CreateNotebookInstanceCommand(
      opts.weak
        ? { NotebookInstanceName: name, InstanceType: 'ml.t3.medium', RoleArn: `arn:aws:iam::${opts.acct}:role/sagemaker-notebooks`, DirectInternetAccess: 'Enabled', RootAccess: 'Enabled' }
        : {
            NotebookInstanceName: name,
            InstanceType: 'ml.t3.large',
            RoleArn: `arn:aws:iam::${opts.acct}:role/sagemaker-notebooks`,
            ...(opts.subnetId ? { SubnetId: opts.subnetId, SecurityGroupIds: opts.securityGroupIds } : {}),
            ...(opts.kmsKeyArn ? { KmsKeyId: opts.kmsKeyArn } : {}),
            DirectInternetAccess: 'Disabled',
            RootAccess: 'Disabled',
            VolumeSizeInGB: 20,
            InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '2' },
            Tags: [{ Key: 'team', Value: 'research' }],
          },
    ),
  );
  return name;
}

/** Athena workgroup `analytics`: results in `resultsBucket` encrypted with `kmsKeyArn` (SSE_KMS),
 *  settings enforced, CloudWatch metrics on. `weak: true` makes `adhoc`: unencrypted results, not
 *  enforced, no metrics. Returns its name. */
export async function createWorkGroup(clients: AwsClients, opts: { resultsBucket: string; kmsKeyArn?: string; weak?: boolean }): Promise<string> {
  const name = opts.weak ? 'adhoc' : 'analytics';
  await clients.get(AthenaClient).send(
    new CreateWorkGroupCommand(
      opts.weak
        ? {
            Name: name,
            Configuration: { ResultConfiguration: { OutputLocation: `s3://${opts.resultsBucket}/adhoc/` }, EnforceWorkGroupConfiguration: false, PublishCloudWatchMetricsEnabled: false },
            // moto answers ListTagsForResource of a workgroup created without tags as if it did not exist.
            Tags: [{ Key: 'env', Value: 'dev' }],
          }
        : {
            Name: name,
            Description: 'Analytics queries',
            Configuration: {
              ResultConfiguration: {
                OutputLocation: `s3://${opts.resultsBucket}/athena/`,
                EncryptionConfiguration: opts.kmsKeyArn ? { EncryptionOption: 'SSE_KMS', KmsKey: opts.kmsKeyArn } : { EncryptionOption: 'SSE_S3' },
              },
              EnforceWorkGroupConfiguration: true,
              PublishCloudWatchMetricsEnabled: true,
              BytesScannedCutoffPerQuery: 10_000_000_000,
            },
            Tags: [{ Key: 'team', Value: 'analytics' }],
          },
    ),
  );
  return name;
}

/** Glue Spark job `nightly-etl` on Glue 4.0 with a security configuration and continuous
 *  logging; a database password among its arguments (an emulator placeholder, which the model
 *  must not keep). `weak: true` makes `legacy-etl` on Glue 1.0 without a security configuration. */
export async function createGlueJob(clients: AwsClients, opts: { acct: string; scriptBucket: string; weak?: boolean }): Promise<string> {
  const name = opts.weak ? 'legacy-etl' : 'nightly-etl';
  await clients.get(GlueClient).send(
    new CreateJobCommand({
      Name: name,
      Role: `arn:aws:iam::${opts.acct}:role/glue-etl`,
      Command: { Name: 'glueetl', ScriptLocation: `s3://${opts.scriptBucket}/glue/${name}.py`, PythonVersion: '3' },
      ...(opts.weak
        ? { GlueVersion: '1.0', MaxCapacity: 2 }
        : {
            Description: 'Nightly extract of the orders database',
            GlueVersion: '4.0',
            WorkerType: 'G.1X',
            NumberOfWorkers: 2,
            SecurityConfiguration: 'etl-encrypted',
            Timeout: 120,
            DefaultArguments: { '--enable-continuous-cloudwatch-log': 'true', '--job-language': 'python', '--db-password': 'not-a-real-db-password' },
            Tags: { team: 'data' },
          }),
    }),
  );
  return name;
}

/** EMR cluster `analytics-emr` in `subnetId`: a security configuration `emr-encrypted` with
 *  at-rest (S3 SSE-KMS, local disks) and in-transit encryption, logs to `logBucket`, a Hive
 *  metastore password among its configurations (an emulator placeholder the model must not
 *  keep). `weak: true` makes `legacy-emr` without a security configuration. Returns the cluster ID. */
export async function createEmrCluster(clients: AwsClients, opts: { logBucket: string; subnetId?: string; kmsKeyArn?: string; weak?: boolean }): Promise<string> {
  const emr = clients.get(EMRClient);
  if (!opts.weak) {
    await emr.send(
      new CreateSecurityConfigurationCommand({
        Name: 'emr-encrypted',
        SecurityConfiguration: JSON.stringify({
          EncryptionConfiguration: {
            EnableAtRestEncryption: true,
            EnableInTransitEncryption: true,
            AtRestEncryptionConfiguration: {
              S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: opts.kmsKeyArn ?? 'alias/aws/s3' },
              LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: opts.kmsKeyArn ?? 'alias/aws/ebs', EnableEbsEncryption: true },
            },
            InTransitEncryptionConfiguration: { TLSCertificateConfiguration: { CertificateProviderType: 'PEM', S3Object: `s3://${opts.logBucket}/emr/certs.zip` } },
          },
        }),
      }),
    );
  }
  const group = (Name: string, InstanceRole: 'MASTER' | 'CORE', InstanceCount: number) => ({ Name, InstanceRole, InstanceType: 'm5.xlarge', InstanceCount, Market: 'ON_DEMAND' as const });
  const r = await emr.send(
    new RunJobFlowCommand({
      Name: opts.weak ? 'legacy-emr' : 'analytics-emr',
      ReleaseLabel: opts.weak ? 'emr-5.36.0' : 'emr-7.1.0',
      LogUri: `s3://${opts.logBucket}/emr/`,
      Applications: [{ Name: 'Spark' }, { Name: 'Hive' }],
      Instances: {
        InstanceGroups: [group('primary', 'MASTER', 1), group('core', 'CORE', 2)],
        KeepJobFlowAliveWhenNoSteps: true,
        TerminationProtected: !opts.weak,
        ...(opts.subnetId ? { Ec2SubnetId: opts.subnetId } : {}),
      },
      ...(opts.weak
        ? {}
        : {
            SecurityConfiguration: 'emr-encrypted',
            Configurations: [{ Classification: 'hive-site', Properties: { 'javax.jdo.option.ConnectionUserName': 'hive', 'javax.jdo.option.ConnectionPassword': 'not-a-real-metastore-password' } }],
            Tags: [{ Key: 'team', Value: 'analytics' }],
          }),
      JobFlowRole: 'EMR_EC2_DefaultRole',
      ServiceRole: 'EMR_DefaultRole',
      VisibleToAllUsers: true,
    }),
  );
  return r.JobFlowId!;
}

/** Amazon MQ broker `orders-mq`: ActiveMQ active/standby across zones, private, general and
 *  audit logs, automatic minor upgrades, a customer key. `weak: true` makes `legacy-mq`: one
 *  public instance, no logs, no automatic upgrades. (The user password is an emulator
 *  placeholder; Amazon MQ never returns passwords.) Returns the broker ID. */
export async function createMqBroker(clients: AwsClients, opts: { subnetIds?: string[]; securityGroupIds?: string[]; kmsKeyArn?: string; weak?: boolean } = {}): Promise<string> {
  const r = await clients.get(MqClient).send(
    new CreateBrokerCommand({
      BrokerName: opts.weak ? 'legacy-mq' : 'orders-mq',
      EngineType: 'ACTIVEMQ',
      EngineVersion: '5.18',
      HostInstanceType: 'mq.m5.large',
      DeploymentMode: opts.weak ? 'SINGLE_INSTANCE' : 'ACTIVE_STANDBY_MULTI_AZ',
      PubliclyAccessible: Boolean(opts.weak),
      AutoMinorVersionUpgrade: !opts.weak,
      Users: [{ Username: 'app', Password: 'not-a-real-broker-password', ConsoleAccess: false }],
      ...(opts.weak
        ? {}
        : {
            ...(opts.subnetIds ? { SubnetIds: opts.subnetIds, SecurityGroups: opts.securityGroupIds } : {}),
            Logs: { General: true, Audit: true },
            ...(opts.kmsKeyArn ? { EncryptionOptions: { UseAwsOwnedKey: false, KmsKeyId: opts.kmsKeyArn } } : {}),
            Tags: { team: 'orders' },
          }),
    }),
  );
  return r.BrokerId!;
}

/** Transfer Family server: SFTP only on a VPC endpoint in `subnetIds`, service-managed users,
 *  logging through `loggingRole`, the 2024-01 security policy. `weak: true` makes a public FTP
 *  and SFTP server behind an API Gateway identity provider, without logging. Returns the server ID. */
export async function createTransferServer(clients: AwsClients, opts: { acct: string; vpcId?: string; subnetIds?: string[]; weak?: boolean }): Promise<string> {
  const r = await clients.get(TransferClient).send(
    new CreateServerCommand(
      opts.weak
        ? {
            Protocols: ['SFTP', 'FTP'],
            EndpointType: 'PUBLIC',
            IdentityProviderType: 'API_GATEWAY',
            IdentityProviderDetails: { Url: 'https://example.execute-api.us-east-1.amazonaws.com/prod', InvocationRole: `arn:aws:iam::${opts.acct}:role/transfer-idp` },
          }
        : {
            Protocols: ['SFTP'],
            EndpointType: opts.vpcId ? 'VPC' : 'PUBLIC',
            ...(opts.vpcId ? { EndpointDetails: { VpcId: opts.vpcId, SubnetIds: opts.subnetIds } } : {}),
            IdentityProviderType: 'SERVICE_MANAGED',
            LoggingRole: `arn:aws:iam::${opts.acct}:role/transfer-logging`,
            SecurityPolicyName: 'TransferSecurityPolicy-2024-01',
            Domain: 'S3',
            Tags: [{ Key: 'team', Value: 'partners' }],
          },
    ),
  );
  return r.ServerId!;
}

/** What the documentation estate hands this slice: the network, key and log group it wires in. */
export interface AppsEstateInputs {
  acct: string;
  region: string;
  subnetIds: [string, string];
  securityGroupId: string;
  keyArn: string;
  logGroupArn: string;
  vpcId: string;
  certificateArn: string;
  logBucket: string;
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
  const shopSite = `posture-example-site-${i.acct}`;
  await c.get(S3Client).send(new CreateBucketCommand({ Bucket: shopSite }));
  const distribution = await createShopDistribution(c, { originBucket: shopSite, logBucket: i.logBucket, certificateArn: i.certificateArn });
  await createShopDistribution(c, { originBucket: shopSite, logBucket: i.logBucket, weak: true });
  await c.get(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: '/aws/route53/shop.example.com' }));
  const zones = await createHostedZones(c, {
    queryLogGroupArn: `arn:aws:logs:us-east-1:${i.acct}:log-group:/aws/route53/shop.example.com:*`,
    vpc: { id: i.vpcId, region: i.region },
  });
  await createBuildProject(c, { acct: i.acct, region: i.region, artifactBucket: i.logBucket, kmsKeyArn: i.keyArn });
  await createBuildProject(c, { acct: i.acct, region: i.region, artifactBucket: i.logBucket, weak: true });
  await createNotebook(c, { acct: i.acct, subnetId: i.subnetIds[0], securityGroupIds: [i.securityGroupId], kmsKeyArn: i.keyArn });
  await createNotebook(c, { acct: i.acct, weak: true });
  await createWorkGroup(c, { resultsBucket: i.logBucket, kmsKeyArn: i.keyArn });
  await createWorkGroup(c, { resultsBucket: i.logBucket, weak: true });
  await createGlueJob(c, { acct: i.acct, scriptBucket: i.logBucket });
  await createGlueJob(c, { acct: i.acct, scriptBucket: i.logBucket, weak: true });
  // In a VPC of its own: EMR adds its managed security groups to the VPC it runs in.
  const ec2 = c.get(EC2Client);
  const emrVpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
  const emrSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: emrVpc, CidrBlock: '10.60.1.0/24', AvailabilityZone: `${i.region}a` }))).Subnet!.SubnetId!;
  const emrCluster = await createEmrCluster(c, { logBucket: i.logBucket, subnetId: emrSubnet, kmsKeyArn: i.keyArn });
  await createEmrCluster(c, { logBucket: i.logBucket, weak: true });
  const broker = await createMqBroker(c, { subnetIds: [i.subnetIds[0]], securityGroupIds: [i.securityGroupId], kmsKeyArn: i.keyArn });
  await createMqBroker(c, { weak: true });
  const sftp = await createTransferServer(c, { acct: i.acct, vpcId: i.vpcId, subnetIds: i.subnetIds });
  await createTransferServer(c, { acct: i.acct, weak: true });
  return {
    'AWS.MQ.Broker': broker,
    'AWS.Transfer.Server': `server/${sftp}`,
    'AWS.EMR.Cluster': `cluster/${emrCluster}`,
    'AWS.SageMaker.NotebookInstance': 'notebook-instance/research',
    'AWS.Athena.WorkGroup': 'workgroup/analytics',
    'AWS.Glue.Job': 'job/nightly-etl',
    'AWS.CodeBuild.Project': 'project/web-build',
    'AWS.CloudFront.Distribution': `distribution/${distribution}`,
    'AWS.Route53.HostedZone': `hostedzone/${zones.shop}`,
    'AWS.ApiGateway.RestApi': `/restapis/${shopApi}`,
    'AWS.ApiGatewayV2.Api': `/apis/${ordersApi}`,
    'AWS.OpenSearch.Domain': 'domain/search',
    'AWS.ElastiCache.CacheCluster': 'cluster:jobs',
    'AWS.ElastiCache.ReplicationGroup': 'replicationgroup:sessions',
  };
}
