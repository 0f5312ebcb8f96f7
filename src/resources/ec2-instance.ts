/**
 * AWS.EC2.Instance — regional: every instance of DescribeInstances, its fields flat at the top
 * level. `list` keeps each page's instances for `describe`. Instances that are shutting down or
 * terminated are gone (they stay visible in DescribeInstances for about an hour): they are not
 * listed, and describing one returns null, so a TerminateInstances rescan tombstones it.
 */
import { DescribeInstancesCommand, EC2Client, Instance$, type Instance } from '@aws-sdk/client-ec2';
import { orNull } from './aws-errors.ts';
import { awsFields, ec2Arn, idsIn } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface InstanceRef {
  instanceId: string;
}

export const EC2_INSTANCE_TYPE = 'AWS.EC2.Instance';

/** States of an instance that exists (shutting-down and terminated ones are gone). */
export const LIVE_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped'] as const;

const cacheKey = (region: string, instanceId: string) => `ec2:instance:${region}:${instanceId}`;

const isLive = (i: Instance) => (LIVE_INSTANCE_STATES as readonly string[]).includes(i.State?.Name ?? '');

function model(ctx: ScanContext, instance: Instance): Resource {
  const instanceId = instance.InstanceId!;
  const arn = ec2Arn(ctx, ctx.accountId, 'instance', instanceId);
  return {
    ResourceId: arn,
    ResourceType: EC2_INSTANCE_TYPE,
    // As Panther: the last launch time (it moves on every start of a stopped instance).
    TimeCreated: iso(instance.LaunchTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: instanceId,
    Name: null,
    Tags: tagMap(instance.Tags),
    ...awsFields(Instance$, instance),
  };
}

const instanceIds = (d: CloudTrailDetail): InstanceRef[] => idsIn(d, ['instanceId'], 'i-').map((instanceId) => ({ instanceId }));
const taggedInstances = (d: CloudTrailDetail): InstanceRef[] => idsIn(d, ['resourceId'], 'i-').map((instanceId) => ({ instanceId }));
const rescan: EventRule<InstanceRef> = { action: 'rescan', refs: instanceIds };
// Events that change instances without naming them (an ENI, an Elastic IP association): the
// region's instances are listed again (DescribeInstances pages only, no per-instance call).
const region: EventRule<InstanceRef> = { action: 'rescan-region' };

export interface InstanceOptions {
  /** DescribeInstances MaxResults (5–1000). */
  pageSize?: number;
}

export function makeInstanceType(opts: InstanceOptions = {}): ResourceType<InstanceRef> {
  const pageSize = opts.pageSize ?? 1000;
  return {
    type: EC2_INSTANCE_TYPE,
    asffType: 'AwsEc2Instance',
    service: 'ec2',
    scope: 'regional',
    eventSource: 'ec2.amazonaws.com',

    async list(ctx, pageToken) {
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const page = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'instance-state-name', Values: [...LIVE_INSTANCE_STATES] }],
          MaxResults: pageSize,
          NextToken: pageToken,
        }),
      );
      const refs: InstanceRef[] = [];
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          if (!instance.InstanceId || !isLive(instance)) continue;
          remember(ctx, cacheKey(ctx.region, instance.InstanceId), instance);
          refs.push({ instanceId: instance.InstanceId });
        }
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let instance = await take<Instance>(ctx, cacheKey(ctx.region, ref.instanceId));
      if (!instance) {
        const ec2 = ctx.clients.get(EC2Client, ctx.region);
        const out = await orNull(ec2.send(new DescribeInstancesCommand({ InstanceIds: [ref.instanceId] })), 'InvalidInstanceID.NotFound');
        instance = out?.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === ref.instanceId);
      }
      return instance && isLive(instance) ? model(ctx, instance) : null;
    },

    resourceId(target: ScanTarget, ref) {
      return ec2Arn(target, target.accountId, 'instance', ref.instanceId);
    },

    events: {
      // DescribeInstances is eventually consistent: right after the launch it may not know the
      // instance yet.
      RunInstances: { action: 'rescan', refs: instanceIds, settleSeconds: 30 },
      // Terminated instances stay visible for a while; describe treats them as gone.
      TerminateInstances: rescan,
      StartInstances: rescan,
      StopInstances: rescan,
      ModifyInstanceAttribute: rescan,
      ModifyInstanceMetadataOptions: rescan,
      ModifyInstanceMaintenanceOptions: rescan,
      ModifyInstancePlacement: rescan,
      ModifyInstanceCapacityReservationAttributes: rescan,
      MonitorInstances: rescan,
      UnmonitorInstances: rescan,
      AssociateIamInstanceProfile: rescan,
      DisassociateIamInstanceProfile: rescan,
      ReplaceIamInstanceProfileAssociation: rescan,
      AttachVolume: rescan,
      DetachVolume: rescan,
      AttachNetworkInterface: rescan,
      DetachNetworkInterface: region,
      ModifyNetworkInterfaceAttribute: region,
      AssociateAddress: region,
      DisassociateAddress: region,
      CreateTags: { action: 'rescan', refs: taggedInstances },
      DeleteTags: { action: 'rescan', refs: taggedInstances },
    },

    // ec2:DescribeInstances is covered by SecurityAudit's ec2:Describe*.
    // DescribeInstances per page; instances are described from the listed page.
    apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'AmiLaunchIndex', type: 'integer', description: 'The launch index of the instance in its launch group.' },
      { name: 'Architecture', type: 'string', description: 'i386, x86_64, arm64, ...' },
      { name: 'BlockDeviceMappings', type: 'list<InstanceBlockDeviceMapping>', description: 'Attached devices: {DeviceName, Ebs {AttachTime, DeleteOnTermination, Status, VolumeId, ...}, EbsCardIndex}.' },
      { name: 'BootMode', type: 'string | null', description: 'The boot mode the instance was launched with.' },
      { name: 'CapacityBlockId', type: 'string | null', description: 'The Capacity Block of the instance.' },
      { name: 'CapacityReservationId', type: 'string | null', description: 'The Capacity Reservation of the instance.' },
      { name: 'CapacityReservationSpecification', type: 'object | null', description: 'The Capacity Reservation targeting option.' },
      { name: 'ClientToken', type: 'string | null', description: 'The idempotency token of the launch.' },
      { name: 'CpuOptions', type: '{CoreCount, ThreadsPerCore, AmdSevSnp} | null', description: 'The CPU options.' },
      { name: 'CurrentInstanceBootMode', type: 'string | null', description: 'The boot mode in use (legacy-bios or uefi).' },
      { name: 'EbsOptimized', type: 'boolean', description: 'Whether the instance is EBS-optimized.' },
      { name: 'ElasticGpuAssociations', type: 'list | null', description: 'Elastic GPU associations (retired feature).' },
      { name: 'ElasticInferenceAcceleratorAssociations', type: 'list | null', description: 'Elastic Inference accelerator associations (retired feature).' },
      { name: 'EnaSupport', type: 'boolean | null', description: 'Whether enhanced networking with ENA is enabled.' },
      { name: 'EnclaveOptions', type: '{Enabled} | null', description: 'Whether Nitro Enclaves are enabled.' },
      { name: 'HibernationOptions', type: '{Configured} | null', description: 'Whether the instance is configured for hibernation.' },
      { name: 'Hypervisor', type: 'string', description: 'ovm or xen.' },
      { name: 'IamInstanceProfile', type: '{Arn, Id} | null', description: 'The IAM instance profile; null when none.' },
      { name: 'ImageId', type: 'string', description: 'The AMI the instance was launched from.' },
      { name: 'InstanceId', type: 'string', description: 'The instance ID (i-...).' },
      { name: 'InstanceLifecycle', type: 'string | null', description: 'spot, scheduled or capacity-block; null for on-demand.' },
      { name: 'InstanceType', type: 'string', description: 'The instance type (t3.micro, ...).' },
      { name: 'Ipv6Address', type: 'string | null', description: 'The primary IPv6 address.' },
      { name: 'KernelId', type: 'string | null', description: 'The kernel (paravirtual instances).' },
      { name: 'KeyName', type: 'string | null', description: 'The key pair the instance was launched with; null when none.' },
      { name: 'LaunchTime', type: 'timestamp', description: 'When the instance was last launched (also TimeCreated).' },
      { name: 'Licenses', type: 'list<{LicenseConfigurationArn}> | null', description: 'License configurations.' },
      { name: 'MaintenanceOptions', type: 'object | null', description: 'Auto-recovery and reboot-migration settings.' },
      { name: 'MetadataOptions', type: '{State, HttpTokens, HttpPutResponseHopLimit, HttpEndpoint, HttpProtocolIpv6, InstanceMetadataTags} | null', description: 'Instance metadata service settings; HttpTokens "required" means IMDSv2 only.' },
      { name: 'Monitoring', type: '{State}', description: 'Detailed monitoring: disabled, enabled, ...' },
      { name: 'NetworkInterfaces', type: 'list<InstanceNetworkInterface>', description: 'Network interfaces with their Association (public IP), Attachment, Groups, addresses, SubnetId, VpcId, ...' },
      { name: 'NetworkPerformanceOptions', type: 'object | null', description: 'Network bandwidth weighting.' },
      { name: 'Operator', type: '{Managed, Principal} | null', description: 'The service provider managing the instance, if any.' },
      { name: 'OutpostArn', type: 'string | null', description: 'The Outpost of the instance.' },
      { name: 'Placement', type: 'Placement', description: 'Availability zone, tenancy, placement group, host.' },
      { name: 'Platform', type: 'string | null', description: '"windows" for Windows instances, else null.' },
      { name: 'PlatformDetails', type: 'string | null', description: 'Platform details associated with the billing code.' },
      { name: 'PrivateDnsName', type: 'string | null', description: 'The private DNS name.' },
      { name: 'PrivateDnsNameOptions', type: 'object | null', description: 'Private hostname options.' },
      { name: 'PrivateIpAddress', type: 'string | null', description: 'The primary private IPv4 address.' },
      { name: 'ProductCodes', type: 'list<ProductCode>', description: 'Marketplace product codes.' },
      { name: 'PublicDnsName', type: 'string | null', description: 'The public DNS name; null or empty without a public address.' },
      { name: 'PublicIpAddress', type: 'string | null', description: 'The public IPv4 address; null when none.' },
      { name: 'RamdiskId', type: 'string | null', description: 'The RAM disk.' },
      { name: 'RootDeviceName', type: 'string | null', description: 'The root device name.' },
      { name: 'RootDeviceType', type: 'string', description: 'ebs or instance-store.' },
      { name: 'SecondaryInterfaces', type: 'list | null', description: 'Secondary interfaces, as DescribeInstances reports them.' },
      { name: 'SecurityGroups', type: 'list<{GroupId, GroupName}>', description: 'The security groups of the instance.' },
      { name: 'SourceDestCheck', type: 'boolean | null', description: 'Whether source/destination checking is enabled.' },
      { name: 'SpotInstanceRequestId', type: 'string | null', description: 'The Spot request of a Spot instance.' },
      { name: 'SriovNetSupport', type: 'string | null', description: '"simple" when Intel 82599 VF enhanced networking is enabled.' },
      { name: 'State', type: '{Code, Name}', description: 'pending, running, stopping or stopped (shutting-down and terminated instances are treated as deleted).' },
      { name: 'StateReason', type: '{Code, Message} | null', description: 'The reason for the most recent state transition.' },
      { name: 'StateTransitionReason', type: 'string | null', description: 'The reason for the most recent state transition (free text).' },
      { name: 'SubnetId', type: 'string | null', description: 'The subnet of the instance.' },
      { name: 'TpmSupport', type: 'string | null', description: 'v2.0 when NitroTPM is enabled.' },
      { name: 'UsageOperation', type: 'string | null', description: 'The billing operation.' },
      { name: 'UsageOperationUpdateTime', type: 'timestamp | null', description: 'When the usage operation was last updated.' },
      { name: 'VirtualizationType', type: 'string', description: 'hvm or paravirtual.' },
      { name: 'VpcId', type: 'string | null', description: 'The VPC of the instance.' },
    ],
  };
}

export const EC2_INSTANCE: ResourceType<InstanceRef> = makeInstanceType();
