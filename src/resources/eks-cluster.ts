/**
 * AWS.EKS.Cluster — regional. ListClusters, then per cluster DescribeCluster and its managed node
 * groups (ListNodegroups + DescribeNodegroup) and Fargate profiles (ListFargateProfiles +
 * DescribeFargateProfile).
 *
 * The EKS API names members in camelCase; the model capitalizes them (`resourcesVpcConfig` →
 * `ResourcesVpcConfig`) at every depth, as Panther's model does.
 */
import {
  Cluster$,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  FargateProfile$,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  Nodegroup$,
  type FargateProfile,
  type Nodegroup,
} from '@aws-sdk/client-eks';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { iso } from './shape.ts';
import { apiFields, pascalShape, pascalShapeList } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface EksClusterRef {
  name: string;
}

export const EKS_CLUSTER_TYPE = 'AWS.EKS.Cluster';

export function eksClusterArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:eks:${target.region}:${target.accountId}:cluster/${name}`;
}

async function allNames(fetch: (token?: string) => Promise<{ names?: string[]; nextToken?: string }>): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.names ?? []));
    token = page.nextToken;
  } while (token);
  return out;
}

async function nodegroups(eks: EKSClient, clusterName: string): Promise<Nodegroup[]> {
  const names = await allNames(async (nextToken) => {
    const r = await eks.send(new ListNodegroupsCommand({ clusterName, maxResults: 100, nextToken }));
    return { names: r.nodegroups, nextToken: r.nextToken };
  });
  // A node group deleted since the listing is left out (ResourceNotFoundException).
  const described = await Promise.all(
    names.map((nodegroupName) => orNull(eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName })), 'ResourceNotFoundException')),
  );
  return described.flatMap((r) => (r?.nodegroup ? [r.nodegroup] : []));
}

async function fargateProfiles(eks: EKSClient, clusterName: string): Promise<FargateProfile[]> {
  const names = await allNames(async (nextToken) => {
    const r = await eks.send(new ListFargateProfilesCommand({ clusterName, maxResults: 100, nextToken }));
    return { names: r.fargateProfileNames, nextToken: r.nextToken };
  });
  const described = await Promise.all(
    names.map((fargateProfileName) =>
      orNull(eks.send(new DescribeFargateProfileCommand({ clusterName, fargateProfileName })), 'ResourceNotFoundException'),
    ),
  );
  return described.flatMap((r) => (r?.fargateProfile ? [r.fargateProfile] : []));
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The cluster name of an EKS ARN: `cluster/<name>`, `nodegroup/<cluster>/…`,
 *  `fargateprofile/<cluster>/…`, `addon/<cluster>/…`. */
function clusterOfArn(value: string | undefined): string | undefined {
  const arn = parseArn(value);
  if (arn?.service !== 'eks') return undefined;
  const [kind, cluster] = arn.resource.split('/');
  return kind && ['cluster', 'nodegroup', 'fargateprofile', 'addon', 'identityproviderconfig'].includes(kind) ? cluster || undefined : undefined;
}

/** The cluster an event names: request `name` (cluster calls), `clusterName` (node group,
 *  Fargate profile and encryption calls), response `cluster.name`, or `resourceArn`
 *  (TagResource/UntagResource). */
export function eksClusterRefsOf(d: CloudTrailDetail): EksClusterRef[] {
  return distinct([res(d, 'cluster', 'name'), req(d, 'name'), req(d, 'clusterName'), clusterOfArn(req(d, 'resourceArn'))]).map((name) => ({ name }));
}

const rescan: EventRule<EksClusterRef> = { action: 'rescan', refs: eksClusterRefsOf };

export interface EksClusterOptions {
  /** ListClusters maxResults per page (1–100). */
  pageSize?: number;
}

export function makeEksClusterType(opts: EksClusterOptions = {}): ResourceType<EksClusterRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: EKS_CLUSTER_TYPE,
    asffType: 'AwsEksCluster',
    service: 'eks',
    scope: 'regional',
    eventSource: 'eks.amazonaws.com',

    async list(ctx, pageToken) {
      const eks = ctx.clients.get(EKSClient, ctx.region);
      const page = await eks.send(new ListClustersCommand({ maxResults: pageSize, nextToken: pageToken }));
      return { refs: (page.clusters ?? []).map((name) => ({ name })), ...(page.nextToken ? { nextPageToken: page.nextToken } : {}) };
    },

    async describe(ctx, ref) {
      const eks = ctx.clients.get(EKSClient, ctx.region);
      const name = ref.name;
      try {
        const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
        if (!cluster?.arn) return null;
        const [groups, profiles] = await Promise.all([nodegroups(eks, name), fargateProfiles(eks, name)]);
        const tags = cluster.tags && Object.keys(cluster.tags).length > 0 ? cluster.tags : null;
        const resource: Resource = {
          ResourceId: cluster.arn,
          ResourceType: EKS_CLUSTER_TYPE,
          TimeCreated: iso(cluster.createdAt),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: cluster.arn,
          Id: cluster.id ?? null,
          Name: cluster.name ?? name,
          Tags: tags,
          ...apiFields(pascalShape(Cluster$, cluster), 'Arn', 'Id', 'Name', 'Tags'),
          NodeGroup: pascalShapeList(Nodegroup$, groups),
          FargateProfile: pascalShapeList(FargateProfile$, profiles),
        };
        return resource;
      } catch (e) {
        // The cluster was deleted before or during the describe calls.
        if (hasErrorCode(e, 'ResourceNotFoundException')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return eksClusterArn(target, ref.name);
    },

    events: {
      CreateCluster: rescan,
      DeleteCluster: { action: 'delete', refs: eksClusterRefsOf },
      UpdateClusterConfig: rescan,
      UpdateClusterVersion: rescan,
      AssociateEncryptionConfig: rescan,
      CreateNodegroup: rescan,
      DeleteNodegroup: rescan,
      UpdateNodegroupConfig: rescan,
      UpdateNodegroupVersion: rescan,
      CreateFargateProfile: rescan,
      DeleteFargateProfile: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: eks:ListClusters, DescribeCluster, ListNodeGroups,
    // DescribeNodeGroup, ListFargateProfiles, DescribeFargateProfile (IAM action names are
    // case-insensitive).
    // ListClusters per page; per cluster DescribeCluster, ListNodegroups, ListFargateProfiles (+ one
    // describe per node group and Fargate profile).
    apiCalls: { perPage: 1, perResource: 3, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'CreatedAt', type: 'timestamp', description: 'When the cluster was created (also TimeCreated).' },
      { name: 'Version', type: 'string', description: 'Kubernetes version.' },
      { name: 'Endpoint', type: 'string | null', description: 'The Kubernetes API server endpoint.' },
      { name: 'RoleArn', type: 'string', description: 'The cluster IAM role.' },
      { name: 'ResourcesVpcConfig', type: 'VpcConfigResponse', description: '{SubnetIds, SecurityGroupIds, ClusterSecurityGroupId, VpcId, EndpointPublicAccess, EndpointPrivateAccess, PublicAccessCidrs}.' },
      { name: 'KubernetesNetworkConfig', type: 'object | null', description: '{ServiceIpv4Cidr, ServiceIpv6Cidr, IpFamily, ElasticLoadBalancing}.' },
      { name: 'Logging', type: '{ClusterLogging: list<{Types, Enabled}>} | null', description: 'Control plane log types (api, audit, authenticator, controllerManager, scheduler) and whether each is enabled.' },
      { name: 'Identity', type: '{Oidc: {Issuer}} | null', description: 'The OIDC identity provider issuer.' },
      { name: 'Status', type: 'string', description: 'CREATING, ACTIVE, DELETING, FAILED, UPDATING or PENDING.' },
      { name: 'CertificateAuthority', type: '{Data} | null', description: 'The cluster CA certificate (base64).' },
      { name: 'ClientRequestToken', type: 'string | null', description: 'The idempotency token of the creating request.' },
      { name: 'PlatformVersion', type: 'string | null', description: 'The EKS platform version.' },
      { name: 'EncryptionConfig', type: 'list<{Resources, Provider: {KeyArn}}> | null', description: 'Envelope encryption of Kubernetes secrets with a KMS key; null when off.' },
      { name: 'ConnectorConfig', type: 'object | null', description: 'EKS Connector settings of a registered cluster.' },
      { name: 'Health', type: '{Issues} | null', description: 'Cluster health issues.' },
      { name: 'OutpostConfig', type: 'object | null', description: 'Local cluster on an Outpost.' },
      { name: 'AccessConfig', type: '{BootstrapClusterCreatorAdminPermissions, AuthenticationMode} | null', description: 'Access entries / aws-auth ConfigMap authentication mode.' },
      { name: 'UpgradePolicy', type: '{SupportType} | null', description: 'STANDARD or EXTENDED support.' },
      { name: 'ZonalShiftConfig', type: '{Enabled} | null', description: 'Zonal shift.' },
      { name: 'RemoteNetworkConfig', type: 'object | null', description: 'Hybrid node networks.' },
      { name: 'ComputeConfig', type: 'object | null', description: 'EKS Auto Mode compute.' },
      { name: 'StorageConfig', type: 'object | null', description: 'EKS Auto Mode block storage.' },
      { name: 'DeletionProtection', type: 'boolean | null', description: 'Deletion protection is on.' },
      { name: 'ControlPlaneScalingConfig', type: 'object | null', description: 'DescribeCluster controlPlaneScalingConfig, when AWS reports one.' },
      { name: 'KubeApiServerConfig', type: 'object | null', description: 'DescribeCluster kubeApiServerConfig, when AWS reports one.' },
      { name: 'KubeSchedulerConfig', type: 'object | null', description: 'DescribeCluster kubeSchedulerConfig, when AWS reports one.' },
      { name: 'KubeControllerManagerConfig', type: 'object | null', description: 'DescribeCluster kubeControllerManagerConfig, when AWS reports one.' },
      { name: 'NodeGroup', type: 'list<Nodegroup> | null', description: 'DescribeNodegroup of each managed node group (PascalCase members: NodegroupName, NodegroupArn, Version, Status, CapacityType, ScalingConfig, InstanceTypes, Subnets, RemoteAccess {Ec2SshKey, SourceSecurityGroups}, AmiType, NodeRole, Labels, Taints, Resources, LaunchTemplate, Tags, …); null when none.' },
      { name: 'FargateProfile', type: 'list<FargateProfile> | null', description: 'DescribeFargateProfile of each Fargate profile (FargateProfileName, FargateProfileArn, PodExecutionRoleArn, Subnets, Selectors, Status, Tags, …); null when none.' },
    ],
  };
}

export const EKS_CLUSTER: ResourceType<EksClusterRef> = makeEksClusterType();
