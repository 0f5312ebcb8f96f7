/**
 * AWS.AutoScaling.Group — regional: EC2 Auto Scaling groups. DescribeAutoScalingGroups pages
 * return whole groups (tags included), kept in the scope cache; `describe` adds the group's
 * launch configuration (DescribeLaunchConfigurations) when it still uses one, so that the launch
 * configuration controls (metadata service, public IPs) are answered on the group that launches
 * from it. The launch configuration's UserData is redacted.
 *
 * A group's ARN carries a UUID that no CloudTrail event names: refs from events resolve to no
 * ResourceId, so a delete is confirmed by reconciling the scope.
 */
import {
  AutoScalingClient,
  AutoScalingGroup$,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
  LaunchConfiguration$,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import { isObj } from './ec2-common.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface AutoScalingGroupRef {
  name: string;
  /** The group ARN, known for listed groups. */
  arn?: string;
}

export const AUTOSCALING_GROUP_TYPE = 'AWS.AutoScaling.Group';

const cacheKey = (region: string, name: string) => `autoscaling:group:${region}:${name}`;

async function model(ctx: ScanContext, g: AutoScalingGroup): Promise<Resource> {
  const asg = ctx.clients.get(AutoScalingClient, ctx.region);
  const arn = g.AutoScalingGroupARN!;
  const lc = g.LaunchConfigurationName
    ? (await asg.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [g.LaunchConfigurationName] }))).LaunchConfigurations?.[0]
    : undefined;
  return {
    ResourceId: arn,
    ResourceType: AUTOSCALING_GROUP_TYPE,
    TimeCreated: iso(g.CreatedTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: null,
    Name: g.AutoScalingGroupName ?? null,
    Tags: tagMap(g.Tags),
    ...apiFields(shape(AutoScalingGroup$, g), 'Tags'),
    LaunchConfiguration: shape(LaunchConfiguration$, lc),
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The group name of an Auto Scaling group ARN (`…:autoScalingGroup:<uuid>:autoScalingGroupName/<name>`). */
const nameOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'autoscaling' ? /autoScalingGroupName\/(.+)$/.exec(arn.resource)?.[1] : undefined;
};

/** The groups an event names: request `autoScalingGroupName` (also an ARN where the API accepts
 *  one), and for tag calls `tags[].resourceId` of `resourceType` auto-scaling-group. */
export function autoScalingGroupRefsOf(d: CloudTrailDetail): AutoScalingGroupRef[] {
  const named = req(d, 'autoScalingGroupName');
  const tags = d.requestParameters?.tags;
  const tagged = Array.isArray(tags) ? tags.filter((t) => isObj(t) && t.resourceType === 'auto-scaling-group').map((t) => (t as { resourceId?: unknown }).resourceId) : [];
  return distinct([nameOfArn(named) ?? named, ...tagged.map((v) => (typeof v === 'string' && v !== '' ? (nameOfArn(v) ?? v) : undefined))]).map((name) => ({ name }));
}

const rescan: EventRule<AutoScalingGroupRef> = { action: 'rescan', refs: autoScalingGroupRefsOf };

export interface AutoScalingGroupOptions {
  /** DescribeAutoScalingGroups MaxRecords per page (1–100). */
  pageSize?: number;
}

export function makeAutoScalingGroupType(opts: AutoScalingGroupOptions = {}): ResourceType<AutoScalingGroupRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: AUTOSCALING_GROUP_TYPE,
    asffType: 'AwsAutoScalingAutoScalingGroup',
    service: 'autoscaling',
    scope: 'regional',
    eventSource: 'autoscaling.amazonaws.com',

    async list(ctx, pageToken) {
      const asg = ctx.clients.get(AutoScalingClient, ctx.region);
      const page = await asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: pageSize, NextToken: pageToken }));
      const refs: AutoScalingGroupRef[] = [];
      for (const g of page.AutoScalingGroups ?? []) {
        if (!g.AutoScalingGroupName || !g.AutoScalingGroupARN) continue;
        remember(ctx, cacheKey(ctx.region, g.AutoScalingGroupName), g);
        refs.push({ name: g.AutoScalingGroupName, arn: g.AutoScalingGroupARN });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let g = await take<AutoScalingGroup>(ctx, cacheKey(ctx.region, ref.name));
      if (!g) {
        // An unknown name is answered with no group, not an error.
        const out = await ctx.clients.get(AutoScalingClient, ctx.region).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [ref.name] }));
        g = out.AutoScalingGroups?.find((x) => x.AutoScalingGroupName === ref.name);
      }
      return g?.AutoScalingGroupARN ? model(ctx, g) : null;
    },

    resourceId(_target, ref) {
      return ref.arn;
    },

    events: {
      CreateAutoScalingGroup: rescan,
      UpdateAutoScalingGroup: rescan,
      DeleteAutoScalingGroup: { action: 'delete', refs: autoScalingGroupRefsOf },
      AttachLoadBalancers: rescan,
      DetachLoadBalancers: rescan,
      AttachLoadBalancerTargetGroups: rescan,
      DetachLoadBalancerTargetGroups: rescan,
      AttachTrafficSources: rescan,
      DetachTrafficSources: rescan,
      SuspendProcesses: rescan,
      ResumeProcesses: rescan,
      EnableMetricsCollection: rescan,
      DisableMetricsCollection: rescan,
      PutWarmPool: rescan,
      DeleteWarmPool: rescan,
      CreateOrUpdateTags: rescan,
      DeleteTags: rescan,
    },

    // SecurityAudit's autoscaling:Describe* covers DescribeAutoScalingGroups and
    // DescribeLaunchConfigurations.
    // DescribeAutoScalingGroups per page (groups are described from it); per group still on a
    // launch configuration DescribeLaunchConfigurations (not counted in the minimum).
    apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
    iamActions: [],
    // Scaling changes these on its own; policies still read the fresh values.
    volatileAttributes: ['DesiredCapacity', 'Instances'],
    // A launch configuration's user data often carries bootstrap secrets.
    secretAttributes: ['LaunchConfiguration.UserData'],

    attributes: [
      ...schemaAttributeDocs(AutoScalingGroup$, 'DescribeAutoScalingGroups', {
        AutoScalingGroupName: ['string', 'The group name (also Name).'],
        AutoScalingGroupARN: ['string', 'The group ARN (also ResourceId and Arn).'],
        MinSize: ['integer', 'Minimum group size.'],
        MaxSize: ['integer', 'Maximum group size.'],
        DesiredCapacity: ['integer', 'Desired size (volatile: scaling changes it).'],
        AvailabilityZones: ['list<string>', 'Availability Zones of the group.'],
        HealthCheckType: ['string', 'EC2, ELB, VPC_LATTICE or EBS (comma-separated): how unhealthy instances are found.'],
        CreatedTime: ['timestamp', 'When the group was created (also TimeCreated).'],
        LaunchConfigurationName: 'The launch configuration the group launches from (legacy); null when it uses a launch template.',
        LaunchTemplate: '{LaunchTemplateId, LaunchTemplateName, Version} the group launches from.',
        MixedInstancesPolicy: '{LaunchTemplate {LaunchTemplateSpecification, Overrides}, InstancesDistribution}: several instance types and purchase options.',
        LoadBalancerNames: 'Classic load balancers of the group.',
        TargetGroupARNs: 'Target groups of the group.',
        Instances: 'Instances of the group {InstanceId, AvailabilityZone, LifecycleState, HealthStatus, LaunchTemplate, ...} (volatile: scaling changes them).',
        VPCZoneIdentifier: 'Comma-separated subnet IDs.',
        Status: 'e.g. "Delete in progress" while the group is deleted.',
        DeletionProtection: 'none, prevent-force-deletion or prevent-all-deletion.',
      }, ['Tags']),
      { name: 'LaunchConfiguration', type: 'LaunchConfiguration | null', description: 'DescribeLaunchConfigurations of LaunchConfigurationName: {LaunchConfigurationName, ImageId, InstanceType, AssociatePublicIpAddress, MetadataOptions {HttpTokens, HttpPutResponseHopLimit, HttpEndpoint}, SecurityGroups, IamInstanceProfile, BlockDeviceMappings, UserData (redacted), ...}; null when the group uses a launch template.' },
    ],
  };
}

export const AUTOSCALING_GROUP: ResourceType<AutoScalingGroupRef> = makeAutoScalingGroupType();
