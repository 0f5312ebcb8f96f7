/**
 * AWS.SageMaker.NotebookInstance — regional. ListNotebookInstances pages name the instances;
 * `describe` reads DescribeNotebookInstance (network access, root access, VPC placement, KMS
 * key, IMDS) and ListTags.
 */
import { DescribeNotebookInstanceOutput$, DescribeNotebookInstanceCommand, ListNotebookInstancesCommand, ListTagsCommand, SageMakerClient, type Tag } from '@aws-sdk/client-sagemaker';
import { hasErrorMessage } from './aws-errors.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface NotebookInstanceRef {
  name: string;
}

export const SAGEMAKER_NOTEBOOK_INSTANCE_TYPE = 'AWS.SageMaker.NotebookInstance';

/** A new instance is Pending for minutes while its network interface and volume are made. */
const NOTEBOOK_SETTLE_SECONDS = 60;

/** SageMaker answers a missing instance with ValidationException "RecordNotFound". */
const isGone = (e: unknown) => hasErrorMessage(e, 'ValidationException', /RecordNotFound|does not exist|Could not find/i);

export function notebookInstanceArn(target: ScanTarget, name: string): string {
  // SageMaker writes resource names in ARNs in lower case.
  return `arn:${target.partition}:sagemaker:${target.region}:${target.accountId}:notebook-instance/${name.toLowerCase()}`;
}

/** The instance of a SageMaker ARN (`…:notebook-instance/<name>`, lower-cased by SageMaker). */
const nameOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'sagemaker' ? /^notebook-instance\/([^/]+)$/.exec(arn.resource)?.[1] : undefined;
};

/** The instances an event names: request `notebookInstanceName`, the ARN `resourceArn` of the tag calls. */
export function notebookInstanceRefsOf(d: CloudTrailDetail): NotebookInstanceRef[] {
  return distinct([req(d, 'notebookInstanceName'), nameOfArn(req(d, 'resourceArn'))]).map((name) => ({ name }));
}

const rescan: EventRule<NotebookInstanceRef> = { action: 'rescan', refs: notebookInstanceRefsOf };

async function tagsOf(sm: SageMakerClient, ResourceArn: string): Promise<Record<string, string> | null> {
  const tags: Tag[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sm.send(new ListTagsCommand({ ResourceArn, NextToken }));
    tags.push(...(page.Tags ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return tagMap(tags);
}

export interface NotebookInstanceOptions {
  /** ListNotebookInstances MaxResults per page (1–100). */
  pageSize?: number;
}

export function makeNotebookInstanceType(opts: NotebookInstanceOptions = {}): ResourceType<NotebookInstanceRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: SAGEMAKER_NOTEBOOK_INSTANCE_TYPE,
    asffType: 'AwsSageMakerNotebookInstance',
    service: 'sagemaker',
    scope: 'regional',
    eventSource: 'sagemaker.amazonaws.com',

    async list(ctx, pageToken) {
      const sm = ctx.clients.get(SageMakerClient, ctx.region);
      const page = await sm.send(new ListNotebookInstancesCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.NotebookInstances ?? []).flatMap((n) => (n.NotebookInstanceName ? [{ name: n.NotebookInstanceName }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const sm = ctx.clients.get(SageMakerClient, ctx.region);
      try {
        const nb = await sm.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: ref.name }));
        if (!nb.NotebookInstanceName || nb.NotebookInstanceStatus === 'Deleting') return null;
        // The ResourceId is formed as `resourceId` forms it, whatever ARN an endpoint answers.
        const arn = notebookInstanceArn(ctx, nb.NotebookInstanceName);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: SAGEMAKER_NOTEBOOK_INSTANCE_TYPE,
          TimeCreated: iso(nb.CreationTime),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: null,
          Name: nb.NotebookInstanceName,
          Tags: await tagsOf(sm, nb.NotebookInstanceArn ?? arn),
          ...apiFields(shape(DescribeNotebookInstanceOutput$, nb)),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (isGone(e)) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return notebookInstanceArn(target, ref.name);
    },

    events: {
      CreateNotebookInstance: { action: 'rescan', refs: notebookInstanceRefsOf, settleSeconds: NOTEBOOK_SETTLE_SECONDS },
      UpdateNotebookInstance: rescan,
      StartNotebookInstance: rescan,
      StopNotebookInstance: rescan,
      DeleteNotebookInstance: { action: 'delete', refs: notebookInstanceRefsOf },
      AddTags: rescan,
      DeleteTags: rescan,
    },

    // SecurityAudit covers every call: sagemaker:List* (ListNotebookInstances, ListTags), sagemaker:Describe*.
    // ListNotebookInstances per page; per instance DescribeNotebookInstance and ListTags.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'NotebookInstanceArn', type: 'string', description: 'The instance ARN as SageMaker answers it (ResourceId and Arn carry it with the name in lower case, as AWS writes it).' },
      { name: 'NotebookInstanceName', type: 'string', description: 'The instance name (also Name).' },
      { name: 'NotebookInstanceStatus', type: 'string', description: 'Pending, InService, Stopping, Stopped, Failed or Updating (a deleting instance is modeled as deleted).' },
      { name: 'FailureReason', type: 'string | null', description: 'Why the instance failed.' },
      { name: 'Url', type: 'string | null', description: 'The Jupyter URL.' },
      { name: 'InstanceType', type: 'string', description: 'ML instance type, e.g. ml.t3.medium.' },
      { name: 'IpAddressType', type: 'string | null', description: 'ipv4 or dualstack.' },
      { name: 'SubnetId', type: 'string | null', description: 'The VPC subnet of the instance; null when it runs in SageMaker\'s own network.' },
      { name: 'SecurityGroups', type: 'list<string> | null', description: 'VPC security groups.' },
      { name: 'RoleArn', type: 'string', description: 'The IAM role the instance runs as.' },
      { name: 'KmsKeyId', type: 'string | null', description: 'The KMS key of the ML storage volume; null for the AWS-managed key.' },
      { name: 'NetworkInterfaceId', type: 'string | null', description: 'The instance\'s network interface in the subnet.' },
      { name: 'LastModifiedTime', type: 'timestamp', description: 'When the instance was last changed.' },
      { name: 'CreationTime', type: 'timestamp', description: 'When the instance was created (also TimeCreated).' },
      { name: 'NotebookInstanceLifecycleConfigName', type: 'string | null', description: 'The lifecycle configuration (start-up scripts).' },
      { name: 'DirectInternetAccess', type: 'string', description: 'Enabled or Disabled: internet access through SageMaker\'s network.' },
      { name: 'VolumeSizeInGB', type: 'integer', description: 'Size of the ML storage volume.' },
      { name: 'AcceleratorTypes', type: 'list<string> | null', description: 'Elastic Inference accelerators (retired).' },
      { name: 'DefaultCodeRepository', type: 'string | null', description: 'The default Git repository.' },
      { name: 'AdditionalCodeRepositories', type: 'list<string> | null', description: 'Further Git repositories.' },
      { name: 'RootAccess', type: 'string | null', description: 'Enabled or Disabled: root access for notebook users.' },
      { name: 'PlatformIdentifier', type: 'string | null', description: 'Platform (OS, JupyterLab version), e.g. notebook-al2-v3.' },
      { name: 'InstanceMetadataServiceConfiguration', type: '{MinimumInstanceMetadataServiceVersion} | null', description: 'IMDS version: 1 (IMDSv1 allowed) or 2 (IMDSv2 only).' },
    ],
  };
}

export const SAGEMAKER_NOTEBOOK_INSTANCE: ResourceType<NotebookInstanceRef> = makeNotebookInstanceType();
