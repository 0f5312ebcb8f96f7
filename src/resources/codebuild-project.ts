/**
 * AWS.CodeBuild.Project — regional. ListProjects pages name the projects; each page is read
 * with one BatchGetProjects call and kept in the scope cache for `describe`.
 *
 * Secrets: the values of the build environment's variables are never stored (secretAttributes);
 * a source URL that embeds credentials (https://user:token@host/repo) keeps its shape with the
 * credential replaced, so a policy can still tell that one was there.
 */
import { BatchGetProjectsCommand, CodeBuildClient, ListProjectsCommand, Project$, type Project } from '@aws-sdk/client-codebuild';
import { iso } from './shape.ts';
import { apiFields, pascalShape } from './shape-pascal.ts';
import { REDACTED } from './redact.ts';
import { remember, take } from './scope-cache.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface CodeBuildProjectRef {
  name: string;
}

export const CODEBUILD_PROJECT_TYPE = 'AWS.CodeBuild.Project';

const cacheKey = (region: string, name: string) => `codebuild:project:${region}:${name}`;

export function codeBuildProjectArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:codebuild:${target.region}:${target.accountId}:project/${name}`;
}

/** `url` with the credentials of its user-info part replaced (`https://user:<redacted>@host/…`,
 *  `https://<redacted>@host/…` for a bare token); other values unchanged. */
export function withoutUrlCredentials(url: string | undefined): string | undefined {
  if (!url) return url;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]+)@/i, (_, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    return colon >= 0 ? `${scheme}${info.slice(0, colon)}:${REDACTED}@` : `${scheme}${REDACTED}@`;
  });
}

/** The project with the credentials of its source URLs replaced (see withoutUrlCredentials). */
function scrubbed(p: Project): Project {
  return {
    ...p,
    ...(p.source ? { source: { ...p.source, location: withoutUrlCredentials(p.source.location) } } : {}),
    ...(p.secondarySources ? { secondarySources: p.secondarySources.map((s) => ({ ...s, location: withoutUrlCredentials(s.location) })) } : {}),
  };
}

/** The project of a CodeBuild ARN (`…:project/<name>`). */
const nameOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'codebuild' ? /^project\/([^/]+)$/.exec(arn.resource)?.[1] : undefined;
};

/** The projects an event names: request `name` (Create/Update/Delete), `projectName`
 *  (webhooks), `projectArn` (UpdateProjectVisibility), and the response's project. */
export function codeBuildProjectRefsOf(d: CloudTrailDetail): CodeBuildProjectRef[] {
  return distinct([req(d, 'name'), req(d, 'projectName'), nameOfArn(req(d, 'projectArn')), res(d, 'project', 'name')]).map((name) => ({ name }));
}

const rescan: EventRule<CodeBuildProjectRef> = { action: 'rescan', refs: codeBuildProjectRefsOf };

/** BatchGetProjects of up to 100 names, by name. */
async function batchGet(cb: CodeBuildClient, names: string[]): Promise<Map<string, Project>> {
  const out = new Map<string, Project>();
  if (names.length === 0) return out;
  const { projects } = await cb.send(new BatchGetProjectsCommand({ names }));
  for (const p of projects ?? []) if (p.name) out.set(p.name, p);
  return out;
}

export interface CodeBuildProjectOptions {
  /** Projects per list page (ListProjects answers up to 100; BatchGetProjects takes up to 100). */
  pageSize?: number;
}

export function makeCodeBuildProjectType(opts: CodeBuildProjectOptions = {}): ResourceType<CodeBuildProjectRef> {
  const pageSize = Math.min(opts.pageSize ?? 100, 100);
  return {
    type: CODEBUILD_PROJECT_TYPE,
    asffType: 'AwsCodeBuildProject',
    service: 'codebuild',
    scope: 'regional',
    eventSource: 'codebuild.amazonaws.com',

    async list(ctx, pageToken) {
      const cb = ctx.clients.get(CodeBuildClient, ctx.region);
      // ListProjects takes no page size (it answers up to 100 names): the token carries AWS's
      // token and the offset reached in that answer, and each page is one BatchGetProjects.
      const at = pageToken ? (JSON.parse(pageToken) as { t?: string; o: number }) : { o: 0 };
      const page = await cb.send(new ListProjectsCommand({ sortBy: 'NAME', sortOrder: 'ASCENDING', nextToken: at.t }));
      const names = (page.projects ?? []).slice(at.o, at.o + pageSize);
      for (const [name, p] of await batchGet(cb, names)) remember(ctx, cacheKey(ctx.region, name), p);
      const next = at.o + pageSize < (page.projects ?? []).length ? { t: at.t, o: at.o + pageSize } : page.nextToken ? { t: page.nextToken, o: 0 } : undefined;
      return { refs: names.map((name) => ({ name })), ...(next ? { nextPageToken: JSON.stringify(next) } : {}) };
    },

    async describe(ctx, ref) {
      const cb = ctx.clients.get(CodeBuildClient, ctx.region);
      const project = (await take<Project>(ctx, cacheKey(ctx.region, ref.name))) ?? (await batchGet(cb, [ref.name])).get(ref.name);
      // BatchGetProjects answers a deleted project in projectsNotFound.
      if (!project?.name) return null;
      const arn = project.arn ?? codeBuildProjectArn(ctx, project.name);
      const resource: Resource = {
        ResourceId: arn,
        ResourceType: CODEBUILD_PROJECT_TYPE,
        TimeCreated: iso(project.created),
        AccountId: ctx.accountId,
        Region: ctx.region,
        Arn: arn,
        Id: null,
        Name: project.name,
        Tags: project.tags?.length ? Object.fromEntries(project.tags.map((t) => [t.key ?? '', t.value ?? ''])) : null,
        ...apiFields(pascalShape(Project$, scrubbed(project)), 'Name', 'Arn', 'Tags'),
      };
      return resource;
    },

    resourceId(target, ref) {
      return codeBuildProjectArn(target, ref.name);
    },

    events: {
      CreateProject: rescan,
      UpdateProject: rescan,
      UpdateProjectVisibility: rescan,
      DeleteProject: { action: 'delete', refs: codeBuildProjectRefsOf },
      CreateWebhook: rescan,
      UpdateWebhook: rescan,
      DeleteWebhook: rescan,
    },

    // SecurityAudit covers every call: codebuild:ListProjects, codebuild:BatchGetProjects.
    // ListProjects and BatchGetProjects per page (projects are described from it).
    apiCalls: { perPage: 2, perResource: 0, perScope: 0 },
    iamActions: [],
    // Build environment variables hold plaintext values, Parameter Store names or Secrets Manager references.
    secretAttributes: ['Environment.EnvironmentVariables[].Value'],

    attributes: [
      { name: 'Description', type: 'string | null', description: 'The project description.' },
      { name: 'Source', type: 'ProjectSource', description: '{Type (CODECOMMIT, CODEPIPELINE, GITHUB, GITHUB_ENTERPRISE, GITLAB, BITBUCKET, S3, NO_SOURCE), Location (credentials in a URL replaced by "<redacted by Posture>"), GitCloneDepth, GitSubmodulesConfig, Buildspec, Auth {Type, Resource}, ReportBuildStatus, BuildStatusConfig, InsecureSsl, SourceIdentifier}.' },
      { name: 'SecondarySources', type: 'list<ProjectSource> | null', description: 'Further sources (Location scrubbed the same way).' },
      { name: 'SourceVersion', type: 'string | null', description: 'The branch, tag or commit built by default.' },
      { name: 'SecondarySourceVersions', type: 'list<{SourceIdentifier, SourceVersion}> | null', description: 'Versions of the secondary sources.' },
      { name: 'Artifacts', type: 'ProjectArtifacts', description: '{Type (CODEPIPELINE, S3, NO_ARTIFACTS), Location, Path, NamespaceType, Name, Packaging, OverrideArtifactName, EncryptionDisabled, ArtifactIdentifier, BucketOwnerAccess}.' },
      { name: 'SecondaryArtifacts', type: 'list<ProjectArtifacts> | null', description: 'Further build outputs.' },
      { name: 'Cache', type: '{Type, Location, Modes, CacheNamespace} | null', description: 'Build cache (NO_CACHE, S3, LOCAL).' },
      { name: 'Environment', type: 'ProjectEnvironment', description: '{Type, Image, ComputeType, ComputeConfiguration, Fleet, EnvironmentVariables [{Name, Value (redacted), Type (PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER)}], PrivilegedMode, Certificate, RegistryCredential, ImagePullCredentialsType, DockerServer}.' },
      { name: 'ServiceRole', type: 'string', description: 'The IAM role the builds run as.' },
      { name: 'TimeoutInMinutes', type: 'integer', description: 'Build timeout.' },
      { name: 'QueuedTimeoutInMinutes', type: 'integer', description: 'How long a build may wait in the queue.' },
      { name: 'EncryptionKey', type: 'string | null', description: 'The KMS key of build output artifacts (alias/aws/s3 by default).' },
      { name: 'Created', type: 'timestamp', description: 'When the project was created (also TimeCreated).' },
      { name: 'LastModified', type: 'timestamp', description: 'When the project was last changed.' },
      { name: 'Webhook', type: 'Webhook | null', description: 'The source webhook {Url, PayloadUrl, BuildType, FilterGroups, ManualCreation, ScopeConfiguration, Status, LastModifiedSecret, …} (its secret is never returned).' },
      { name: 'VpcConfig', type: '{VpcId, Subnets, SecurityGroupIds} | null', description: 'VPC the builds run in.' },
      { name: 'Badge', type: '{BadgeEnabled, BadgeRequestUrl} | null', description: 'The build badge.' },
      { name: 'LogsConfig', type: '{CloudWatchLogs {Status, GroupName, StreamName}, S3Logs {Status, Location, EncryptionDisabled, BucketOwnerAccess}} | null', description: 'Where build logs go.' },
      { name: 'FileSystemLocations', type: 'list<ProjectFileSystemLocation> | null', description: 'EFS file systems mounted into builds.' },
      { name: 'BuildBatchConfig', type: 'ProjectBuildBatchConfig | null', description: 'Batch build settings.' },
      { name: 'ConcurrentBuildLimit', type: 'integer | null', description: 'Maximum concurrent builds.' },
      { name: 'ProjectVisibility', type: 'string | null', description: 'PUBLIC_READ or PRIVATE: whether build results are public.' },
      { name: 'PublicProjectAlias', type: 'string | null', description: 'The alias of a public project.' },
      { name: 'ResourceAccessRole', type: 'string | null', description: 'The role the public can read logs and artifacts through.' },
      { name: 'AutoRetryLimit', type: 'integer | null', description: 'Automatic retries of a failed build.' },
    ],
  };
}

export const CODEBUILD_PROJECT: ResourceType<CodeBuildProjectRef> = makeCodeBuildProjectType();
