/**
 * AWS.EC2.AMI — regional: the images the account owns (DescribeImages Owners=self, disabled
 * images included). DescribeImages returns whole images, so `list` keeps each page's images for
 * `describe`, which calls the API only for refs that did not come from this scope's listing.
 */
import { DescribeImagesCommand, EC2Client, Image$, type Image } from '@aws-sdk/client-ec2';
import { orNull } from './aws-errors.ts';
import { awsFields, ec2Arn, idsIn } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface AmiRef {
  imageId: string;
}

export const EC2_AMI_TYPE = 'AWS.EC2.AMI';

const cacheKey = (region: string, imageId: string) => `ec2:image:${region}:${imageId}`;

function model(ctx: ScanContext, image: Image): Resource {
  const imageId = image.ImageId!;
  const arn = ec2Arn(ctx, image.OwnerId ?? ctx.accountId, 'image', imageId);
  return {
    ResourceId: arn,
    ResourceType: EC2_AMI_TYPE,
    TimeCreated: iso(image.CreationDate),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: imageId,
    Name: image.Name ?? null,
    Tags: tagMap(image.Tags),
    ...awsFields(Image$, image),
  };
}

const imageIds = (d: CloudTrailDetail): AmiRef[] => idsIn(d, ['imageId'], 'ami-').map((imageId) => ({ imageId }));
const taggedImages = (d: CloudTrailDetail): AmiRef[] => idsIn(d, ['resourceId'], 'ami-').map((imageId) => ({ imageId }));
const rescan: EventRule<AmiRef> = { action: 'rescan', refs: imageIds };

export interface AmiOptions {
  /** DescribeImages MaxResults (5–1000). */
  pageSize?: number;
}

export function makeAmiType(opts: AmiOptions = {}): ResourceType<AmiRef> {
  const pageSize = opts.pageSize ?? 1000;
  return {
    type: EC2_AMI_TYPE,
    service: 'ec2',
    scope: 'regional',
    eventSource: 'ec2.amazonaws.com',

    async list(ctx, pageToken) {
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const page = await ec2.send(
        new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true, MaxResults: pageSize, NextToken: pageToken }),
      );
      const refs: AmiRef[] = [];
      for (const image of page.Images ?? []) {
        if (!image.ImageId || image.State === 'deregistered') continue;
        remember(ctx, cacheKey(ctx.region, image.ImageId), image);
        refs.push({ imageId: image.ImageId });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let image = await take<Image>(ctx, cacheKey(ctx.region, ref.imageId));
      if (!image) {
        const ec2 = ctx.clients.get(EC2Client, ctx.region);
        const out = await orNull(
          ec2.send(new DescribeImagesCommand({ ImageIds: [ref.imageId], Owners: ['self'], IncludeDisabled: true })),
          'InvalidAMIID.NotFound',
          'InvalidAMIID.Unavailable',
        );
        image = out?.Images?.find((i) => i.ImageId === ref.imageId);
      }
      // A deregistered image stays visible for a while; it is gone.
      return image && image.State !== 'deregistered' ? model(ctx, image) : null;
    },

    resourceId(target: ScanTarget, ref) {
      return ec2Arn(target, target.accountId, 'image', ref.imageId);
    },

    events: {
      CreateImage: rescan,
      CopyImage: rescan,
      RegisterImage: rescan,
      DeregisterImage: { action: 'delete', refs: imageIds },
      ModifyImageAttribute: rescan,
      ResetImageAttribute: rescan,
      EnableImage: rescan,
      DisableImage: rescan,
      EnableImageDeprecation: rescan,
      DisableImageDeprecation: rescan,
      EnableImageDeregistrationProtection: rescan,
      DisableImageDeregistrationProtection: rescan,
      CreateTags: { action: 'rescan', refs: taggedImages },
      DeleteTags: { action: 'rescan', refs: taggedImages },
    },

    // Moves whenever an instance is launched from the image.
    volatileAttributes: ['LastLaunchedTime'],

    // ec2:DescribeImages is covered by SecurityAudit's ec2:Describe*.
    // DescribeImages per page; images are described from the listed page.
    apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Architecture', type: 'string', description: 'i386, x86_64, arm64, ...' },
      { name: 'BlockDeviceMappings', type: 'list<BlockDeviceMapping>', description: 'Devices of the image: {DeviceName, Ebs {DeleteOnTermination, Encrypted, Iops, KmsKeyId, SnapshotId, VolumeSize, VolumeType, ...}, NoDevice, VirtualName}.' },
      { name: 'BootMode', type: 'string | null', description: 'legacy-bios, uefi or uefi-preferred.' },
      { name: 'CreationDate', type: 'string', description: 'When the image was created (as DescribeImages reports it; also TimeCreated).' },
      { name: 'DeprecationTime', type: 'string | null', description: 'When the image is (or was) deprecated.' },
      { name: 'DeregistrationProtection', type: 'string | null', description: 'Whether deregistration protection is on, and since when.' },
      { name: 'Description', type: 'string | null', description: 'The image description.' },
      { name: 'EnaSupport', type: 'boolean | null', description: 'Whether enhanced networking with ENA is enabled.' },
      { name: 'FreeTierEligible', type: 'boolean | null', description: 'Whether the image is eligible for the free tier.' },
      { name: 'Hypervisor', type: 'string', description: 'ovm or xen.' },
      { name: 'ImageAllowed', type: 'boolean | null', description: 'Whether the account\'s Allowed AMIs setting allows the image.' },
      { name: 'ImageId', type: 'string', description: 'The image ID (ami-...).' },
      { name: 'ImageLocation', type: 'string | null', description: 'The location of the image manifest.' },
      { name: 'ImageOwnerAlias', type: 'string | null', description: 'amazon, aws-marketplace or null for account-owned images.' },
      { name: 'ImageType', type: 'string', description: 'machine, kernel or ramdisk.' },
      { name: 'ImageWatermarks', type: 'list<ImageWatermark> | null', description: 'Watermarks of the image, as DescribeImages reports them.' },
      { name: 'ImdsSupport', type: 'string | null', description: 'v2.0 when instances launched from the image require IMDSv2.' },
      { name: 'InstanceTypeSpecification', type: 'object | null', description: 'The instance types the image supports, as DescribeImages reports them.' },
      { name: 'KernelId', type: 'string | null', description: 'The kernel of the image (paravirtual images).' },
      { name: 'LastLaunchedTime', type: 'string | null', description: 'When the image was last used to launch an instance (volatile: not a change on its own).' },
      { name: 'OwnerId', type: 'string', description: 'The AWS account that owns the image.' },
      { name: 'Platform', type: 'string | null', description: '"windows" for Windows images, else null.' },
      { name: 'PlatformDetails', type: 'string | null', description: 'Platform details associated with the billing code.' },
      { name: 'ProductCodes', type: 'list<ProductCode>', description: 'Marketplace product codes {ProductCodeId, ProductCodeType}.' },
      { name: 'Public', type: 'boolean', description: 'Whether the image has public launch permissions.' },
      { name: 'PublicSsmParameterName', type: 'string | null', description: 'The public SSM parameter that names the image, if any.' },
      { name: 'RamdiskId', type: 'string | null', description: 'The RAM disk of the image.' },
      { name: 'RootDeviceName', type: 'string | null', description: 'The root device name (e.g. /dev/xvda).' },
      { name: 'RootDeviceType', type: 'string', description: 'ebs or instance-store.' },
      { name: 'ScanResults', type: 'object | null', description: 'Image scan results, as DescribeImages reports them.' },
      { name: 'SourceImageId', type: 'string | null', description: 'The image this one was copied from.' },
      { name: 'SourceImageRegion', type: 'string | null', description: 'The region of the image this one was copied from.' },
      { name: 'SourceInstanceId', type: 'string | null', description: 'The instance the image was created from.' },
      { name: 'SriovNetSupport', type: 'string | null', description: '"simple" when enhanced networking with the Intel 82599 VF is enabled.' },
      { name: 'State', type: 'string', description: 'available, pending, failed, disabled, ... (deregistered images are treated as deleted).' },
      { name: 'StateReason', type: '{Code, Message} | null', description: 'The reason for the state change.' },
      { name: 'TpmSupport', type: 'string | null', description: 'v2.0 when NitroTPM is enabled.' },
      { name: 'UsageOperation', type: 'string | null', description: 'The billing operation of the image.' },
      { name: 'VirtualizationType', type: 'string', description: 'hvm or paravirtual.' },
    ],
  };
}

export const EC2_AMI: ResourceType<AmiRef> = makeAmiType();
