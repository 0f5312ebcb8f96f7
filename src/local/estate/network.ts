/**
 * Fully configured EC2 networking and compute, shared by the registry types' integration tests
 * and the documentation estate: a routed VPC with a flow log, a web security group, a network
 * ACL, an instance, an encrypted volume with shared snapshots, a public AMI, an HTTPS load balancer.
 */
import {
  AttachInternetGatewayCommand,
  AttachVolumeCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeNetworkAclsCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  ReplaceNetworkAclAssociationCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import type { AwsClients } from '#aws/clients.ts';

export interface MainVpc {
  vpcId: string;
  aclId: string;
  igwId: string;
  rtbId: string;
  sgId: string;
}

/** VPC `main` (10.50.0.0/16) with a tagged network ACL, an internet gateway and a route table
 *  routing 0.0.0.0/0 to it, security group `app` open on 443, and a flow log of rejected
 *  traffic to `flowLogBucket` (which must exist). */
export async function createMainVpc(clients: AwsClients, opts: { flowLogBucket: string }): Promise<MainVpc> {
  const ec2 = clients.get(EC2Client);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'main' }] }] }))).Vpc!.VpcId!;
  const aclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId, TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: 'tier', Value: 'db' }] }] })))
    .NetworkAcl!.NetworkAclId!;
  const igwId = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
  const rtbId = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId }));
  const sgId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app tier', VpcId: vpcId }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sgId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const flow = await ec2.send(
    new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: `arn:aws:s3:::${opts.flowLogBucket}` }),
  );
  if (flow.Unsuccessful?.length) throw new Error(`flow log of ${vpcId}: ${JSON.stringify(flow.Unsuccessful)}`);
  return { vpcId, aclId, igwId, rtbId, sgId };
}

/** In `vpcId`: prefix list `office`, security groups `app` (unless `appGroupId` names an existing
 *  one) and `web` (tagged), web open to SSH from anywhere and to HTTPS from ::/0 and the prefix
 *  list, egress to app on 8080. */
export async function createWebSecurityGroup(
  clients: AwsClients,
  vpcId: string,
  opts: { appGroupId?: string } = {},
): Promise<{ webId: string; appId: string; prefixListId: string }> {
  const ec2 = clients.get(EC2Client);
  const prefixListId = (
    await ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: 'office', AddressFamily: 'IPv4', MaxEntries: 5, Entries: [{ Cidr: '192.0.2.0/24' }] }))
  ).PrefixList!.PrefixListId!;
  const appId = opts.appGroupId ?? (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app tier', VpcId: vpcId }))).GroupId!;
  const webId = (
    await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'web',
        Description: 'web tier',
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'team', Value: 'edge' }, { Key: 'Name', Value: 'web-sg' }] }],
      }),
    )
  ).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: webId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh from anywhere' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }], PrefixListIds: [{ PrefixListId: prefixListId }] },
      ],
    }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupEgressCommand({
      GroupId: webId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: appId, Description: 'to app' }] }],
    }),
  );
  return { webId, appId, prefixListId };
}

/** In `vpcId`: network ACL `web` (tagged) allowing SSH in from anywhere and denying all IPv6
 *  egress, associated with `subnetId` in place of the VPC's default ACL. */
export async function createWebNetworkAcl(clients: AwsClients, opts: { vpcId: string; subnetId: string }): Promise<{ aclId: string; defaultAclId: string }> {
  const ec2 = clients.get(EC2Client);
  const acls = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [opts.vpcId] }, { Name: 'default', Values: ['true'] }] }));
  const defaultAcl = acls.NetworkAcls![0]!;
  const aclId = (
    await ec2.send(new CreateNetworkAclCommand({ VpcId: opts.vpcId, TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: 'tier', Value: 'web' }] }] }))
  ).NetworkAcl!.NetworkAclId!;
  await ec2.send(
    new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } }),
  );
  await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 200, Protocol: '-1', RuleAction: 'deny', Egress: true, Ipv6CidrBlock: '::/0' }));
  const association = defaultAcl.Associations!.find((a) => a.SubnetId === opts.subnetId)!.NetworkAclAssociationId!;
  await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: aclId }));
  return { aclId, defaultAclId: defaultAcl.NetworkAclId! };
}

/** Key pair `ops`, instance profile `web-profile` and instance `web-1` in `subnetId` with
 *  IMDSv2 required and detailed monitoring. */
export async function createWebInstance(clients: AwsClients, opts: { subnetId: string; securityGroupId: string }): Promise<{ instanceId: string; profileArn: string }> {
  const ec2 = clients.get(EC2Client);
  await ec2.send(new CreateKeyPairCommand({ KeyName: 'ops' }));
  const profileArn = (await clients.get(IAMClient).send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-profile' }))).InstanceProfile!.Arn!;
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12345678',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      SubnetId: opts.subnetId,
      SecurityGroupIds: [opts.securityGroupId],
      KeyName: 'ops',
      IamInstanceProfile: { Arn: profileArn },
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      Monitoring: { Enabled: true },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-1' }, { Key: 'env', Value: 'prod' }] }],
    }),
  );
  return { instanceId: out.Instances![0]!.InstanceId!, profileArn };
}

export interface DataVolume {
  volumeId: string;
  publicSnapshotId: string;
  sharedSnapshotId: string;
  privateSnapshotId: string;
}

/** An encrypted 50 GiB gp3 volume (tagged) attached to `instanceId` as /dev/sdf, with a snapshot
 *  anyone may create volumes from, one shared with `shareWith`, and a private one. */
export async function createDataVolume(clients: AwsClients, opts: { instanceId: string; availabilityZone: string; shareWith: string }): Promise<DataVolume> {
  const ec2 = clients.get(EC2Client);
  const volumeId = (
    await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: opts.availabilityZone,
        Size: 50,
        VolumeType: 'gp3',
        Encrypted: true,
        TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'data', Value: 'pii' }] }],
      }),
    )
  ).VolumeId!;
  await ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: opts.instanceId, Device: '/dev/sdf' }));
  const publicSnapshotId = (
    await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'oops', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] }))
  ).SnapshotId!;
  await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: publicSnapshotId, Attribute: 'createVolumePermission', OperationType: 'add', GroupNames: ['all'] }));
  const sharedSnapshotId = (await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'to dr' }))).SnapshotId!;
  await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: sharedSnapshotId, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [opts.shareWith] }));
  const privateSnapshotId = (await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }))).SnapshotId!;
  return { volumeId, publicSnapshotId, sharedSnapshotId, privateSnapshotId };
}

/** AMI `golden-2026` from `instanceId`: described, tagged, named `golden`, launchable by anyone. */
export async function createGoldenImage(clients: AwsClients, instanceId: string): Promise<string> {
  const ec2 = clients.get(EC2Client);
  const imageId = (
    await ec2.send(
      new CreateImageCommand({
        InstanceId: instanceId,
        Name: 'golden-2026',
        Description: 'hardened base image',
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'team', Value: 'platform' }] }],
      }),
    )
  ).ImageId!;
  await ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: 'Name', Value: 'golden' }] }));
  await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: 'all' }] } }));
  return imageId;
}

export const ALB_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Internet-facing ALB `web` (tagged) in `subnets` with an HTTPS listener (ALB_SSL_POLICY,
 *  `certificateArn`, a fixed response) and an HTTP listener redirecting to HTTPS. Returns its ARN. */
export async function createWebLoadBalancer(clients: AwsClients, opts: { subnets: string[]; securityGroupId: string; certificateArn: string }): Promise<string> {
  const elb = clients.get(ElasticLoadBalancingV2Client);
  const arn = (
    await elb.send(
      new CreateLoadBalancerCommand({ Name: 'web', Subnets: opts.subnets, SecurityGroups: [opts.securityGroupId], Scheme: 'internet-facing', Tags: [{ Key: 'env', Value: 'prod' }] }),
    )
  ).LoadBalancers![0]!.LoadBalancerArn!;
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: arn,
      Protocol: 'HTTPS',
      Port: 443,
      SslPolicy: ALB_SSL_POLICY,
      Certificates: [{ CertificateArn: opts.certificateArn }],
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'ok' } }],
    }),
  );
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: arn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    }),
  );
  return arn;
}
