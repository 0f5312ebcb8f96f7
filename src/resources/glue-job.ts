/**
 * AWS.Glue.Job — regional. GetJobs pages return whole jobs (SecurityAudit grants glue:GetJobs,
 * not glue:ListJobs): `list` keeps them in the scope cache; `describe` adds GetTags. A
 * real-time rescan reads the one job with GetJob, the only call SecurityAudit does not grant.
 *
 * Secrets: job arguments (`--db-password …`) are values of DefaultArguments and
 * NonOverridableArguments; they are never stored, their names are.
 */
import { GetJobCommand, GetJobsCommand, GetTagsCommand, GlueClient, Job$, type Job } from '@aws-sdk/client-glue';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { remember, take } from './scope-cache.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface GlueJobRef {
  name: string;
}

export const GLUE_JOB_TYPE = 'AWS.Glue.Job';

const cacheKey = (region: string, name: string) => `glue:job:${region}:${name}`;

export function glueJobArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:glue:${target.region}:${target.accountId}:job/${name}`;
}

/** The job of a Glue ARN (`…:job/<name>`). */
const nameOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'glue' ? /^job\/(.+)$/.exec(arn.resource)?.[1] : undefined;
};

/** The jobs an event names: request `name` (CreateJob) or `jobName` (Update/Delete), the ARN
 *  `resourceArn` of the tag calls, and the response's `name`. */
export function glueJobRefsOf(d: CloudTrailDetail): GlueJobRef[] {
  const created = d.eventName === 'CreateJob' ? (req(d, 'name') ?? res(d, 'name')) : undefined;
  return distinct([created, req(d, 'jobName'), nameOfArn(req(d, 'resourceArn'))]).map((name) => ({ name }));
}

const rescan: EventRule<GlueJobRef> = { action: 'rescan', refs: glueJobRefsOf };

export interface GlueJobOptions {
  /** GetJobs MaxResults per page (1–1000). */
  pageSize?: number;
}

export function makeGlueJobType(opts: GlueJobOptions = {}): ResourceType<GlueJobRef> {
  const pageSize = opts.pageSize ?? 200;
  return {
    type: GLUE_JOB_TYPE,
    service: 'glue',
    scope: 'regional',
    eventSource: 'glue.amazonaws.com',

    async list(ctx, pageToken) {
      const glue = ctx.clients.get(GlueClient, ctx.region);
      const page = await glue.send(new GetJobsCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs: GlueJobRef[] = [];
      for (const job of page.Jobs ?? []) {
        if (!job.Name) continue;
        remember(ctx, cacheKey(ctx.region, job.Name), job);
        refs.push({ name: job.Name });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const glue = ctx.clients.get(GlueClient, ctx.region);
      try {
        const job: Job | undefined = (await take<Job>(ctx, cacheKey(ctx.region, ref.name))) ?? (await glue.send(new GetJobCommand({ JobName: ref.name }))).Job;
        if (!job?.Name) return null;
        const arn = glueJobArn(ctx, job.Name);
        const { Tags } = await glue.send(new GetTagsCommand({ ResourceArn: arn }));
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: GLUE_JOB_TYPE,
          TimeCreated: iso(job.CreatedOn),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: null,
          Name: job.Name,
          Tags: Tags && Object.keys(Tags).length > 0 ? Tags : null,
          ...apiFields(shape(Job$, job), 'Name'),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'EntityNotFoundException')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return glueJobArn(target, ref.name);
    },

    events: {
      CreateJob: rescan,
      UpdateJob: rescan,
      DeleteJob: { action: 'delete', refs: glueJobRefsOf },
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit grants glue:GetJobs and glue:GetTags, not glue:GetJob: a real-time rescan
    // of one job reads it with GetJob instead of paging every job of the region.
    // GetJobs per page (jobs are described from it); GetTags per job.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: ['glue:GetJob'],
    secretAttributes: ['DefaultArguments.*', 'NonOverridableArguments.*', 'SourceControlDetails.AuthToken'],

    attributes: [
      { name: 'JobMode', type: 'string | null', description: 'SCRIPT, VISUAL or NOTEBOOK: how the job was authored.' },
      { name: 'JobRunQueuingEnabled', type: 'boolean | null', description: 'Whether runs queue when limits are reached.' },
      { name: 'Description', type: 'string | null', description: 'The job description.' },
      { name: 'LogUri', type: 'string | null', description: 'Unused by Glue (reserved).' },
      { name: 'Role', type: 'string', description: 'The IAM role the job runs as.' },
      { name: 'CreatedOn', type: 'timestamp', description: 'When the job was created (also TimeCreated).' },
      { name: 'LastModifiedOn', type: 'timestamp', description: 'When the job was last changed.' },
      { name: 'ExecutionProperty', type: '{MaxConcurrentRuns} | null', description: 'Concurrent runs allowed.' },
      { name: 'Command', type: '{Name, ScriptLocation, PythonVersion, Runtime}', description: 'glueetl (Spark), gluestreaming, pythonshell or glueray, and the script.' },
      { name: 'DefaultArguments', type: 'map<string, string> | null', description: 'Default run arguments by name (`--job-language`, `--enable-continuous-cloudwatch-log`, …); every value is replaced by "<redacted by Posture>" (arguments can carry credentials).' },
      { name: 'NonOverridableArguments', type: 'map<string, string> | null', description: 'Arguments runs cannot override; values redacted like DefaultArguments.' },
      { name: 'Connections', type: '{Connections} | null', description: 'Glue connections the job uses.' },
      { name: 'MaxRetries', type: 'integer | null', description: 'Retries of a failed run.' },
      { name: 'AllocatedCapacity', type: 'integer | null', description: 'Deprecated DPU count (see MaxCapacity).' },
      { name: 'Timeout', type: 'integer | null', description: 'Run timeout in minutes.' },
      { name: 'MaxCapacity', type: 'number | null', description: 'DPUs of a Python shell job or of a Spark job without WorkerType.' },
      { name: 'WorkerType', type: 'string | null', description: 'G.1X, G.2X, G.4X, G.8X, G.025X, Z.2X, …' },
      { name: 'NumberOfWorkers', type: 'integer | null', description: 'Workers of a run.' },
      { name: 'SecurityConfiguration', type: 'string | null', description: 'The Glue security configuration (S3, CloudWatch Logs and bookmark encryption); null when none.' },
      { name: 'NotificationProperty', type: '{NotifyDelayAfter} | null', description: 'Minutes before a delay notification.' },
      { name: 'GlueVersion', type: 'string | null', description: 'The Glue version (Spark and Python runtime), e.g. 4.0; null means 0.9 for Spark jobs.' },
      { name: 'CodeGenConfigurationNodes', type: 'map<string, CodeGenConfigurationNode> | null', description: 'The visual job graph (Glue Studio).' },
      { name: 'ExecutionClass', type: 'string | null', description: 'STANDARD or FLEX.' },
      { name: 'SourceControlDetails', type: '{Provider, Repository, Owner, Branch, Folder, LastCommitId, AuthStrategy, AuthToken} | null', description: 'The Git repository of the job; AuthToken, when AWS returns one, is redacted.' },
      { name: 'MaintenanceWindow', type: 'string | null', description: 'Maintenance window of a streaming job.' },
      { name: 'ProfileName', type: 'string | null', description: 'The Glue usage profile.' },
      { name: 'AutoUpgradeMetadata', type: 'object | null', description: 'Automatic Glue version upgrade state, when AWS reports it.' },
    ],
  };
}

export const GLUE_JOB: ResourceType<GlueJobRef> = makeGlueJobType();
