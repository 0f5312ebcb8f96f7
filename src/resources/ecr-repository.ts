/**
 * AWS.ECR.Repository — regional: private ECR repositories. DescribeRepositories pages return
 * whole repositories, kept in the scope cache; `describe` adds the repository policy, the
 * lifecycle policy and the tags, and the registry's scanning configuration (read once per scope:
 * enhanced or basic scanning configured at the registry applies to repositories whose
 * `ScanOnPush` is off).
 *
 * The ECR API names members in camelCase; the model capitalizes them (`repositoryName` →
 * `RepositoryName`) at every depth, as for ECS.
 */
import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  RegistryScanningConfiguration$,
  Repository$,
  type RegistryScanningConfiguration,
  type Repository,
} from '@aws-sdk/client-ecr';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { iso, tagMap } from './shape.ts';
import { apiFields, pascal, pascalShape } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, scopeMemo, take } from './scope-cache.ts';

export interface EcrRepositoryRef {
  /** The repository name (may contain slashes: `team/app`). */
  name: string;
}

export const ECR_REPOSITORY_TYPE = 'AWS.ECR.Repository';

const REPO_NOT_FOUND = 'RepositoryNotFoundException';
const cacheKey = (region: string, name: string) => `ecr:repository:${region}:${name}`;

export function ecrRepositoryArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:ecr:${target.region}:${target.accountId}:repository/${name}`;
}

/** The registry's scanning configuration, once per scope. */
function registryScanning(ctx: ScanContext): Promise<RegistryScanningConfiguration | undefined> {
  return scopeMemo(ctx, `ecr:registry-scanning:${ctx.region}`, async () => {
    const out = await ctx.clients.get(ECRClient, ctx.region).send(new GetRegistryScanningConfigurationCommand({}));
    return out.scanningConfiguration;
  });
}

async function model(ctx: ScanContext, repo: Repository): Promise<Resource | null> {
  const ecr = ctx.clients.get(ECRClient, ctx.region);
  const name = repo.repositoryName!;
  const arn = repo.repositoryArn ?? ecrRepositoryArn(ctx, name);
  try {
    const [policy, lifecycle, tags, scanning] = await Promise.all([
      orNull(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name })), 'RepositoryPolicyNotFoundException'),
      orNull(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name })), 'LifecyclePolicyNotFoundException'),
      ecr.send(new ListTagsForResourceCommand({ resourceArn: arn })),
      registryScanning(ctx),
    ]);
    return {
      ResourceId: arn,
      ResourceType: ECR_REPOSITORY_TYPE,
      TimeCreated: iso(repo.createdAt),
      AccountId: ctx.accountId,
      Region: ctx.region,
      Arn: arn,
      Id: null,
      Name: name,
      Tags: tagMap(tags.tags),
      ...apiFields(pascalShape(Repository$, repo)),
      Policy: policy?.policyText ?? null,
      LifecyclePolicy: lifecycle?.lifecyclePolicyText ?? null,
      RegistryScanningConfiguration: pascalShape(RegistryScanningConfiguration$, scanning),
    };
  } catch (e) {
    // Deleted after it was listed.
    if (hasErrorCode(e, REPO_NOT_FOUND)) return null;
    throw e;
  }
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The repository name of an ECR repository ARN (`…:repository/<name>`). */
const nameOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'ecr' && arn.resource.startsWith('repository/') ? arn.resource.slice('repository/'.length) || undefined : undefined;
};

/** The repository an event names: request `repositoryName`, or `resourceArn` (tag calls). */
export function ecrRepositoryRefsOf(d: CloudTrailDetail): EcrRepositoryRef[] {
  return distinct([req(d, 'repositoryName'), nameOfArn(req(d, 'resourceArn'))]).map((name) => ({ name }));
}

const rescan: EventRule<EcrRepositoryRef> = { action: 'rescan', refs: ecrRepositoryRefsOf };

export interface EcrRepositoryOptions {
  /** DescribeRepositories maxResults per page (1–1000). */
  pageSize?: number;
}

export function makeEcrRepositoryType(opts: EcrRepositoryOptions = {}): ResourceType<EcrRepositoryRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: ECR_REPOSITORY_TYPE,
    asffType: 'AwsEcrRepository',
    service: 'ecr',
    scope: 'regional',
    eventSource: 'ecr.amazonaws.com',

    async list(ctx, pageToken) {
      const ecr = ctx.clients.get(ECRClient, ctx.region);
      const page = await ecr.send(new DescribeRepositoriesCommand({ maxResults: pageSize, nextToken: pageToken }));
      const refs: EcrRepositoryRef[] = [];
      for (const repo of page.repositories ?? []) {
        if (!repo.repositoryName) continue;
        remember(ctx, cacheKey(ctx.region, repo.repositoryName), repo);
        refs.push({ name: repo.repositoryName });
      }
      return { refs, ...(page.nextToken ? { nextPageToken: page.nextToken } : {}) };
    },

    async describe(ctx, ref) {
      let repo = await take<Repository>(ctx, cacheKey(ctx.region, ref.name));
      if (!repo) {
        const out = await orNull(ctx.clients.get(ECRClient, ctx.region).send(new DescribeRepositoriesCommand({ repositoryNames: [ref.name] })), REPO_NOT_FOUND);
        repo = out?.repositories?.find((r) => r.repositoryName === ref.name);
      }
      return repo?.repositoryName ? model(ctx, repo) : null;
    },

    resourceId(target, ref) {
      return ecrRepositoryArn(target, ref.name);
    },

    events: {
      CreateRepository: rescan,
      DeleteRepository: { action: 'delete', refs: ecrRepositoryRefsOf },
      PutImageTagMutability: rescan,
      PutImageScanningConfiguration: rescan,
      PutLifecyclePolicy: rescan,
      DeleteLifecyclePolicy: rescan,
      SetRepositoryPolicy: rescan,
      DeleteRepositoryPolicy: rescan,
      TagResource: rescan,
      UntagResource: rescan,
      // Registry-wide scanning rules apply to every repository of the region.
      PutRegistryScanningConfiguration: { action: 'rescan-region' },
    },

    // SecurityAudit grants ecr:DescribeRepositories, GetRepositoryPolicy and GetLifecyclePolicy;
    // the tag and registry scanning reads are listed for the accounts whose SecurityAudit
    // version predates them.
    // DescribeRepositories per page; per repository GetRepositoryPolicy, GetLifecyclePolicy and
    // ListTagsForResource; per scope GetRegistryScanningConfiguration.
    apiCalls: { perPage: 1, perResource: 3, perScope: 1 },
    iamActions: ['ecr:GetRegistryScanningConfiguration', 'ecr:ListTagsForResource'],

    attributes: [
      ...schemaAttributeDocs(Repository$, 'DescribeRepositories', {
        repositoryArn: ['string', 'The repository ARN (also ResourceId and Arn).'],
        registryId: ['string', 'The account ID of the registry.'],
        repositoryName: ['string', 'The repository name (also Name).'],
        repositoryUri: ['string', 'The URI to push and pull images with.'],
        createdAt: ['timestamp', 'When the repository was created (also TimeCreated).'],
        imageTagMutability: ['string', 'MUTABLE or IMMUTABLE (or their _WITH_EXCLUSION forms): whether a tag can be pushed again.'],
        imageTagMutabilityExclusionFilters: 'Tag filters exempt from the mutability setting [{FilterType, Filter}].',
        imageScanningConfiguration: ['{ScanOnPush}', 'Basic scanning of every pushed image.'],
        encryptionConfiguration: ['{EncryptionType, KmsKey}', 'AES256 (S3-managed) or KMS / KMS_DSSE with the key ARN.'],
      }).map((d) => ({ ...d, name: pascal(d.name) })),
      { name: 'Policy', type: 'string | null', description: 'The repository policy (GetRepositoryPolicy) as a JSON string; null when none.' },
      { name: 'LifecyclePolicy', type: 'string | null', description: 'The lifecycle policy (GetLifecyclePolicy) as a JSON string; null when none.' },
      { name: 'RegistryScanningConfiguration', type: '{ScanType, Rules} | null', description: 'The registry\'s scanning configuration (GetRegistryScanningConfiguration): ScanType BASIC or ENHANCED, Rules [{ScanFrequency (SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL), RepositoryFilters [{Filter, FilterType WILDCARD}]}].' },
    ],
  };
}

export const ECR_REPOSITORY: ResourceType<EcrRepositoryRef> = makeEcrRepositoryType();
