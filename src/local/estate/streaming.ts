/**
 * Amazon MSK clusters of the coverage work (#17), shared by the type's integration test and the
 * documentation estate: a well-configured provisioned cluster (the documented example), a
 * misconfigured one beside it for the MSK policies to fail, and a serverless cluster.
 */
import { CreateClusterCommand, CreateClusterV2Command, KafkaClient } from '@aws-sdk/client-kafka';
import type { AwsClients } from '#aws/clients.ts';

/** Provisioned cluster `events`: three brokers in `subnetIds`, no public access, TLS between
 *  clients and brokers and among brokers, data volumes under `kmsKeyArn`, IAM authentication only,
 *  per-topic enhanced monitoring, broker logs to `logGroup`. `weak: true` makes `legacy-events`
 *  instead: public brokers, plaintext everywhere, unauthenticated clients, default monitoring, no
 *  logs. Returns the cluster ARN. */
export async function createEventsCluster(
  clients: AwsClients,
  opts: { subnetIds: string[]; securityGroupIds?: string[]; kmsKeyArn?: string; logGroup?: string; weak?: boolean },
): Promise<string> {
  const weak = Boolean(opts.weak);
  const r = await clients.get(KafkaClient).send(
    new CreateClusterCommand({
      ClusterName: weak ? 'legacy-events' : 'events',
      KafkaVersion: '3.6.0',
      NumberOfBrokerNodes: opts.subnetIds.length,
      BrokerNodeGroupInfo: {
        InstanceType: 'kafka.m5.large',
        ClientSubnets: opts.subnetIds,
        ...(opts.securityGroupIds ? { SecurityGroups: opts.securityGroupIds } : {}),
        StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } },
        ConnectivityInfo: { PublicAccess: { Type: weak ? 'SERVICE_PROVIDED_EIPS' : 'DISABLED' } },
      },
      EncryptionInfo: {
        ...(opts.kmsKeyArn && !weak ? { EncryptionAtRest: { DataVolumeKMSKeyId: opts.kmsKeyArn } } : {}),
        EncryptionInTransit: weak ? { ClientBroker: 'PLAINTEXT', InCluster: false } : { ClientBroker: 'TLS', InCluster: true },
      },
      ClientAuthentication: weak
        ? { Unauthenticated: { Enabled: true } }
        : { Sasl: { Iam: { Enabled: true }, Scram: { Enabled: false } }, Tls: { Enabled: false }, Unauthenticated: { Enabled: false } },
      EnhancedMonitoring: weak ? 'DEFAULT' : 'PER_TOPIC_PER_BROKER',
      ...(opts.logGroup && !weak ? { LoggingInfo: { BrokerLogs: { CloudWatchLogs: { Enabled: true, LogGroup: opts.logGroup } } } } : {}),
      ...(weak ? {} : { Tags: { team: 'events' } }),
    }),
  );
  return r.ClusterArn!;
}

/** Serverless cluster `clicks` in `subnetIds` with IAM authentication. Returns the cluster ARN. */
export async function createClicksServerlessCluster(clients: AwsClients, opts: { subnetIds: string[]; securityGroupIds?: string[] }): Promise<string> {
  const r = await clients.get(KafkaClient).send(
    new CreateClusterV2Command({
      ClusterName: 'clicks',
      Serverless: {
        VpcConfigs: [{ SubnetIds: opts.subnetIds, ...(opts.securityGroupIds ? { SecurityGroupIds: opts.securityGroupIds } : {}) }],
        ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
      },
      Tags: { team: 'analytics' },
    }),
  );
  return r.ClusterArn!;
}

/** Seeds the MSK clusters into the documentation estate; returns the type's example pick. */
export async function seedStreamingEstate(c: AwsClients, i: { subnetIds: string[]; securityGroupId: string; keyArn: string; logGroup: string }): Promise<Record<string, string>> {
  const events = await createEventsCluster(c, { subnetIds: i.subnetIds, securityGroupIds: [i.securityGroupId], kmsKeyArn: i.keyArn, logGroup: i.logGroup });
  await createEventsCluster(c, { subnetIds: i.subnetIds, weak: true });
  await createClicksServerlessCluster(c, { subnetIds: i.subnetIds, securityGroupIds: [i.securityGroupId] });
  return { 'AWS.MSK.Cluster': events };
}
