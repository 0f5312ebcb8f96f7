/**
 * AWS.EMR.Cluster — regional, active clusters (STARTING to TERMINATING are listed; a
 * terminating or terminated cluster is gone). ListClusters pages name them; `describe` reads
 * DescribeCluster (tags included), the primary node's instances (ListInstances: public
 * addresses) and the cluster's security configuration (DescribeSecurityConfiguration: at-rest
 * and in-transit encryption), when it has one.
 *
 * Secrets: configuration classifications carry properties such as Hive metastore passwords;
 * their values are never stored, their names are.
 */
import {
  Cluster$,
  DescribeClusterCommand,
  DescribeSecurityConfigurationCommand,
  EMRClient,
  Instance$,
  ListClustersCommand,
  ListInstancesCommand,
  type ClusterState,
  type Instance,
} from '@aws-sdk/client-emr';
import { hasErrorMessage, orNull } from './aws-errors.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface EmrClusterRef {
  id: string;
}

export const EMR_CLUSTER_TYPE = 'AWS.EMR.Cluster';

/** The states of a cluster that exists (or is about to); the others are on the way out. */
const ACTIVE: ClusterState[] = ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING'];

/** A new cluster takes minutes to provision its instances. */
const CLUSTER_SETTLE_SECONDS = 120;

/** EMR answers an unknown cluster ID with InvalidRequestException "Cluster id '…' is not valid". */
const isGone = (e: unknown) => hasErrorMessage(e, 'InvalidRequestException', /not valid|does not exist|not found/i);

export function emrClusterArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:elasticmapreduce:${target.region}:${target.accountId}:cluster/${id}`;
}

/** The clusters an event names: `clusterId`, `jobFlowId`, each of `jobFlowIds`, the tag calls'
 *  `resourceId`, and RunJobFlow's response `jobFlowId`. */
export function emrClusterRefsOf(d: CloudTrailDetail): EmrClusterRef[] {
  const many = d.requestParameters?.jobFlowIds;
  return distinct([
    req(d, 'clusterId'),
    req(d, 'jobFlowId'),
    ...(Array.isArray(many) ? many.filter((v): v is string => typeof v === 'string' && v !== '') : []),
    req(d, 'resourceId'),
    res(d, 'jobFlowId'),
  ]).map((id) => ({ id }));
}

const rescan: EventRule<EmrClusterRef> = { action: 'rescan', refs: emrClusterRefsOf };

/** Every instance of the cluster's primary node(s) (instance groups or fleets). */
async function primaryInstances(emr: EMRClient, ClusterId: string, fleets: boolean): Promise<Instance[]> {
  const out: Instance[] = [];
  let Marker: string | undefined;
  do {
    const page = await emr.send(new ListInstancesCommand({ ClusterId, Marker, ...(fleets ? { InstanceFleetType: 'MASTER' } : { InstanceGroupTypes: ['MASTER'] }) }));
    out.push(...(page.Instances ?? []));
    Marker = page.Marker;
  } while (Marker);
  return out;
}

export interface EmrClusterOptions {
  /** Clusters per list page (ListClusters answers up to 50 and takes no page size). */
  pageSize?: number;
}

export function makeEmrClusterType(opts: EmrClusterOptions = {}): ResourceType<EmrClusterRef> {
  const pageSize = Math.min(opts.pageSize ?? 50, 50);
  return {
    type: EMR_CLUSTER_TYPE,
    asffType: 'AwsEmrCluster',
    service: 'elasticmapreduce',
    scope: 'regional',
    eventSource: 'elasticmapreduce.amazonaws.com',

    async list(ctx, pageToken) {
      const emr = ctx.clients.get(EMRClient, ctx.region);
      // ListClusters takes no page size: the token carries EMR's marker and the offset reached.
      const at = pageToken ? (JSON.parse(pageToken) as { m?: string; o: number }) : { o: 0 };
      const page = await emr.send(new ListClustersCommand({ ClusterStates: ACTIVE, Marker: at.m }));
      const ids = (page.Clusters ?? []).flatMap((c) => (c.Id ? [c.Id] : []));
      const next = at.o + pageSize < ids.length ? { m: at.m, o: at.o + pageSize } : page.Marker ? { m: page.Marker, o: 0 } : undefined;
      return { refs: ids.slice(at.o, at.o + pageSize).map((id) => ({ id })), ...(next ? { nextPageToken: JSON.stringify(next) } : {}) };
    },

    async describe(ctx, ref) {
      const emr = ctx.clients.get(EMRClient, ctx.region);
      try {
        const { Cluster: cluster } = await emr.send(new DescribeClusterCommand({ ClusterId: ref.id }));
        if (!cluster?.Id || !ACTIVE.includes(cluster.Status?.State as ClusterState)) return null;
        const [instances, security] = await Promise.all([
          primaryInstances(emr, cluster.Id, cluster.InstanceCollectionType === 'INSTANCE_FLEET'),
          cluster.SecurityConfiguration
            ? orNull(emr.send(new DescribeSecurityConfigurationCommand({ Name: cluster.SecurityConfiguration })), 'InvalidRequestException')
            : null,
        ]);
        const arn = emrClusterArn(ctx, cluster.Id);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: EMR_CLUSTER_TYPE,
          TimeCreated: iso(cluster.Status?.Timeline?.CreationDateTime),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: cluster.Id,
          Name: cluster.Name ?? null,
          Tags: tagMap(cluster.Tags),
          ...apiFields(shape(Cluster$, cluster), 'Id', 'Name', 'Tags'),
          MasterInstances: shapeList(Instance$, instances),
          SecurityConfigurationDetail: security?.SecurityConfiguration ?? null,
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (isGone(e)) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return emrClusterArn(target, ref.id);
    },

    events: {
      RunJobFlow: { action: 'rescan', refs: emrClusterRefsOf, settleSeconds: CLUSTER_SETTLE_SECONDS },
      TerminateJobFlows: { action: 'delete', refs: emrClusterRefsOf },
      ModifyCluster: rescan,
      SetTerminationProtection: rescan,
      SetVisibleToAllUsers: rescan,
      SetUnhealthyNodeReplacement: rescan,
      AddInstanceGroups: rescan,
      ModifyInstanceGroups: rescan,
      AddInstanceFleet: rescan,
      ModifyInstanceFleet: rescan,
      AddTags: rescan,
      RemoveTags: rescan,
    },

    // SecurityAudit covers every call: elasticmapreduce:ListClusters, elasticmapreduce:ListInstances,
    // elasticmapreduce:Describe* (DescribeCluster, DescribeSecurityConfiguration).
    // ListClusters per page; per cluster DescribeCluster and ListInstances (+ DescribeSecurityConfiguration when set).
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],
    // Classification properties (hive-site's javax.jdo.option.ConnectionPassword, …), two levels deep.
    secretAttributes: ['Configurations[].Properties.*', 'Configurations[].Configurations[].Properties.*'],

    attributes: [
      { name: 'Status', type: '{State, StateChangeReason, Timeline, ErrorDetails}', description: 'STARTING, BOOTSTRAPPING, RUNNING or WAITING (terminating and terminated clusters are modeled as deleted); Timeline {CreationDateTime, ReadyDateTime, EndDateTime}.' },
      { name: 'Ec2InstanceAttributes', type: 'Ec2InstanceAttributes', description: '{Ec2KeyName, Ec2SubnetId, RequestedEc2SubnetIds, Ec2AvailabilityZone, IamInstanceProfile, EmrManagedMasterSecurityGroup, EmrManagedSlaveSecurityGroup, ServiceAccessSecurityGroup, AdditionalMasterSecurityGroups, AdditionalSlaveSecurityGroups, …}.' },
      { name: 'InstanceCollectionType', type: 'string', description: 'INSTANCE_GROUP or INSTANCE_FLEET.' },
      { name: 'LogUri', type: 'string | null', description: 'Where cluster logs go in S3.' },
      { name: 'LogEncryptionKmsKeyId', type: 'string | null', description: 'The KMS key of the logs.' },
      { name: 'RequestedAmiVersion', type: 'string | null', description: 'AMI version of a legacy (pre-4.0) cluster.' },
      { name: 'RunningAmiVersion', type: 'string | null', description: 'AMI version running on a legacy cluster.' },
      { name: 'ReleaseLabel', type: 'string | null', description: 'The EMR release, e.g. emr-7.1.0.' },
      { name: 'AutoTerminate', type: 'boolean | null', description: 'Whether the cluster ends after its steps.' },
      { name: 'TerminationProtected', type: 'boolean | null', description: 'Whether termination protection is on.' },
      { name: 'UnhealthyNodeReplacement', type: 'boolean | null', description: 'Whether unhealthy core nodes are replaced.' },
      { name: 'VisibleToAllUsers', type: 'boolean | null', description: 'Whether every IAM principal of the account with permissions can see and manage the cluster.' },
      { name: 'Applications', type: 'list<{Name, Version, Args, AdditionalInfo}> | null', description: 'Installed applications (Spark, Hive, …).' },
      { name: 'ServiceRole', type: 'string | null', description: 'The EMR service role.' },
      { name: 'NormalizedInstanceHours', type: 'integer | null', description: 'Approximate normalized instance hours used.' },
      { name: 'MasterPublicDnsName', type: 'string | null', description: 'DNS name of the primary node (public or private).' },
      { name: 'Configurations', type: 'list<{Classification, Configurations, Properties}> | null', description: 'Application configurations; every property value is replaced by "<redacted by Posture>" (two levels deep), the names stay.' },
      { name: 'SecurityConfiguration', type: 'string | null', description: 'The name of the cluster\'s security configuration.' },
      { name: 'AutoScalingRole', type: 'string | null', description: 'The role for automatic scaling.' },
      { name: 'ScaleDownBehavior', type: 'string | null', description: 'TERMINATE_AT_INSTANCE_HOUR or TERMINATE_AT_TASK_COMPLETION.' },
      { name: 'CustomAmiId', type: 'string | null', description: 'A custom AMI of the nodes.' },
      { name: 'EbsRootVolumeSize', type: 'integer | null', description: 'Root volume size in GiB.' },
      { name: 'RepoUpgradeOnBoot', type: 'string | null', description: 'SECURITY or NONE: package updates applied at boot.' },
      { name: 'KerberosAttributes', type: 'KerberosAttributes | null', description: 'Kerberos realm settings (passwords are never returned).' },
      { name: 'ClusterArn', type: 'string | null', description: 'The cluster ARN (also ResourceId and Arn).' },
      { name: 'OutpostArn', type: 'string | null', description: 'The Outpost of the cluster.' },
      { name: 'StepConcurrencyLevel', type: 'integer | null', description: 'Steps run at once.' },
      { name: 'PlacementGroups', type: 'list | null', description: 'Placement group configuration.' },
      { name: 'OSReleaseLabel', type: 'string | null', description: 'Amazon Linux release of the nodes.' },
      { name: 'EbsRootVolumeIops', type: 'integer | null', description: 'Root volume IOPS.' },
      { name: 'EbsRootVolumeThroughput', type: 'integer | null', description: 'Root volume throughput.' },
      { name: 'ExtendedSupport', type: 'boolean | null', description: 'Extended support, when AWS reports it.' },
      { name: 'MonitoringConfiguration', type: 'object | null', description: 'Monitoring settings, when AWS reports them.' },
      { name: 'SessionEnabled', type: 'boolean | null', description: 'Whether sessions are enabled, when AWS reports it.' },
      { name: 'MasterInstances', type: 'list<Instance> | null', description: 'ListInstances of the primary node (Posture addition): {Id, Ec2InstanceId, PublicDnsName, PublicIpAddress, PrivateDnsName, PrivateIpAddress, Status, InstanceGroupId, InstanceFleetId, Market, InstanceType, EbsVolumes}.' },
      { name: 'SecurityConfigurationDetail', type: 'string | null', description: 'DescribeSecurityConfiguration of SecurityConfiguration (Posture addition): the configuration JSON string {EncryptionConfiguration {EnableAtRestEncryption, EnableInTransitEncryption, AtRestEncryptionConfiguration, InTransitEncryptionConfiguration}, AuthenticationConfiguration, …}; null when the cluster has none.' },
    ],
  };
}

export const EMR_CLUSTER: ResourceType<EmrClusterRef> = makeEmrClusterType();
