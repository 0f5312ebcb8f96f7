/**
 * AWS.ECS.Cluster — regional. Each ListClusters page is described with one DescribeClusters call
 * (up to 100 clusters) kept in the scope cache; `describe` adds the cluster's services
 * (ListServices + DescribeServices, 10 a call) and running tasks (ListTasks + DescribeTasks, 100
 * a call).
 *
 * The ECS API names members in camelCase; the model capitalizes them (`clusterName` →
 * `ClusterName`) at every depth, as Panther's model does.
 */
import {
  Cluster$,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  Service$,
  Task$,
  type Cluster,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { hasErrorCode } from './aws-errors.ts';
import { apiFields, pascalShape } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface EcsClusterRef {
  name: string;
}

export const ECS_CLUSTER_TYPE = 'AWS.ECS.Cluster';

const INCLUDE = ['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'] as const;

const cacheKey = (region: string, name: string) => `ecs:cluster:${region}:${name}`;

export function ecsClusterArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:ecs:${target.region}:${target.accountId}:cluster/${name}`;
}

/** The cluster name of a name or an ECS ARN: `cluster/<name>`, and the new-format
 *  `service/<cluster>/<name>`, `task/<cluster>/<id>`, `container-instance/<cluster>/<id>`. */
export function clusterNameOf(value: string | undefined): string | undefined {
  const arn = parseArn(value);
  if (!arn) return value;
  if (arn.service !== 'ecs') return undefined;
  const [kind, first, second] = arn.resource.split('/');
  if (kind === 'cluster') return first || undefined;
  if ((kind === 'service' || kind === 'task' || kind === 'container-instance' || kind === 'task-set') && second) return first;
  return undefined;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function listAll(fetch: (token?: string) => Promise<{ arns?: string[]; nextToken?: string }>): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.arns ?? []));
    token = page.nextToken;
  } while (token);
  return out;
}

async function services(ecs: ECSClient, cluster: string): Promise<Service[]> {
  const arns = await listAll(async (nextToken) => {
    const r = await ecs.send(new ListServicesCommand({ cluster, maxResults: 100, nextToken }));
    return { arns: r.serviceArns, nextToken: r.nextToken };
  });
  const described = await Promise.all(
    chunks(arns, 10).map((batch) => ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }))),
  );
  return described.flatMap((r) => r.services ?? []);
}

async function tasks(ecs: ECSClient, cluster: string): Promise<Task[]> {
  const arns = await listAll(async (nextToken) => {
    const r = await ecs.send(new ListTasksCommand({ cluster, maxResults: 100, nextToken }));
    return { arns: r.taskArns, nextToken: r.nextToken };
  });
  const described = await Promise.all(
    chunks(arns, 100).map((batch) => ecs.send(new DescribeTasksCommand({ cluster, tasks: batch, include: ['TAGS'] }))),
  );
  return described.flatMap((r) => r.tasks ?? []);
}

/** A service as Panther-model JSON, without `Events`: the service's event log (the last 100
 *  scheduler messages) changes on its own and is no configuration. */
const serviceModel = (s: Service) => apiFields(pascalShape(Service$, s), 'Events');

function tagsOf(cluster: Cluster): Record<string, string> | null {
  const tags = (cluster.tags ?? []).filter((t) => t.key !== undefined);
  return tags.length > 0 ? Object.fromEntries(tags.map((t) => [t.key!, t.value ?? ''])) : null;
}

async function model(ctx: ScanContext, ecs: ECSClient, cluster: Cluster): Promise<Resource | null> {
  const arn = cluster.clusterArn!;
  let svc: Service[];
  let run: Task[];
  try {
    [svc, run] = await Promise.all([services(ecs, arn), tasks(ecs, arn)]);
  } catch (e) {
    // Deleted between the cluster describe and the service/task calls.
    if (hasErrorCode(e, 'ClusterNotFoundException')) return null;
    throw e;
  }
  return {
    ResourceId: arn,
    ResourceType: ECS_CLUSTER_TYPE,
    TimeCreated: null,
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: null,
    Name: cluster.clusterName ?? null,
    Tags: tagsOf(cluster),
    ...apiFields(pascalShape(Cluster$, cluster), 'Tags'),
    Services: svc.length > 0 ? svc.map(serviceModel) : null,
    Tasks: run.length > 0 ? run.map((t) => pascalShape(Task$, t)) : null,
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The cluster an event names. Calls that take a cluster default to the cluster named
 *  "default" when the request names none, as the ECS API does. */
function clusterRefs(d: CloudTrailDetail, defaultCluster: boolean): EcsClusterRef[] {
  const named = distinct([
    clusterNameOf(res(d, 'cluster', 'clusterName')),
    clusterNameOf(req(d, 'clusterName')),
    clusterNameOf(req(d, 'cluster')),
    clusterNameOf(res(d, 'service', 'clusterArn')),
    clusterNameOf(req(d, 'resourceArn')),
  ]);
  if (named.length === 0 && defaultCluster && d.requestParameters) named.push('default');
  return named.map((name) => ({ name }));
}

export const clusterRefsOf = (d: CloudTrailDetail) => clusterRefs(d, true);
const taggedClusterRefs = (d: CloudTrailDetail) => clusterRefs(d, false);

const rescan: EventRule<EcsClusterRef> = { action: 'rescan', refs: clusterRefsOf };

export interface EcsClusterOptions {
  /** ListClusters maxResults per page (1–100; DescribeClusters takes up to 100). */
  pageSize?: number;
}

export function makeEcsClusterType(opts: EcsClusterOptions = {}): ResourceType<EcsClusterRef> {
  const pageSize = Math.min(opts.pageSize ?? 100, 100);
  return {
    type: ECS_CLUSTER_TYPE,
    asffType: 'AwsEcsCluster',
    service: 'ecs',
    scope: 'regional',
    eventSource: 'ecs.amazonaws.com',

    async list(ctx, pageToken) {
      const ecs = ctx.clients.get(ECSClient, ctx.region);
      const page = await ecs.send(new ListClustersCommand({ maxResults: pageSize, nextToken: pageToken }));
      const arns = page.clusterArns ?? [];
      const refs: EcsClusterRef[] = [];
      if (arns.length > 0) {
        const described = await ecs.send(new DescribeClustersCommand({ clusters: arns, include: [...INCLUDE] }));
        for (const cluster of described.clusters ?? []) {
          // Deleted clusters stay visible as INACTIVE for a while.
          if (!cluster.clusterName || cluster.status === 'INACTIVE') continue;
          remember(ctx, cacheKey(ctx.region, cluster.clusterName), cluster);
          refs.push({ name: cluster.clusterName });
        }
      }
      return { refs, ...(page.nextToken ? { nextPageToken: page.nextToken } : {}) };
    },

    async describe(ctx, ref) {
      const ecs = ctx.clients.get(ECSClient, ctx.region);
      let cluster = await take<Cluster>(ctx, cacheKey(ctx.region, ref.name));
      if (!cluster) {
        const out = await ecs.send(new DescribeClustersCommand({ clusters: [ref.name], include: [...INCLUDE] }));
        // A missing cluster is answered in `failures` (reason MISSING), not as an error.
        cluster = out.clusters?.find((c) => c.clusterName === ref.name);
      }
      if (!cluster?.clusterArn || cluster.status === 'INACTIVE') return null;
      return model(ctx, ecs, cluster);
    },

    resourceId(target, ref) {
      return ecsClusterArn(target, ref.name);
    },

    events: {
      CreateCluster: rescan,
      DeleteCluster: { action: 'delete', refs: clusterRefsOf },
      UpdateCluster: rescan,
      UpdateClusterSettings: rescan,
      PutClusterCapacityProviders: rescan,
      CreateService: rescan,
      UpdateService: rescan,
      DeleteService: rescan,
      CreateTaskSet: rescan,
      UpdateTaskSet: rescan,
      DeleteTaskSet: rescan,
      UpdateServicePrimaryTaskSet: rescan,
      RunTask: rescan,
      StartTask: rescan,
      StopTask: rescan,
      RegisterContainerInstance: rescan,
      DeregisterContainerInstance: rescan,
      TagResource: { action: 'rescan', refs: taggedClusterRefs },
      UntagResource: { action: 'rescan', refs: taggedClusterRefs },
    },

    // SecurityAudit covers every call: ecs:List* (ListClusters, ListServices, ListTasks),
    // ecs:Describe* (DescribeClusters, DescribeServices, DescribeTasks).
    // ListClusters and DescribeClusters per page; per cluster ListServices and ListTasks (+ one
    // DescribeServices per 10 services and one DescribeTasks per 100 tasks).
    apiCalls: { perPage: 2, perResource: 2, perScope: 0 },
    iamActions: [],
    // A task's container overrides carry environment values (RunTask overrides.containerOverrides).
    secretAttributes: ['Tasks[].Overrides.ContainerOverrides[].Environment[].Value'],

    attributes: [
      { name: 'ClusterArn', type: 'string', description: 'The cluster ARN (also ResourceId and Arn).' },
      { name: 'ClusterName', type: 'string', description: 'The cluster name (also Name).' },
      { name: 'Configuration', type: '{ExecuteCommandConfiguration, ManagedStorageConfiguration} | null', description: 'ECS Exec settings (KmsKeyId, Logging, LogConfiguration) and managed storage encryption.' },
      { name: 'Status', type: 'string', description: 'ACTIVE, PROVISIONING, DEPROVISIONING or FAILED (INACTIVE clusters are deleted and not modeled).' },
      { name: 'RegisteredContainerInstancesCount', type: 'integer', description: 'Registered container instances.' },
      { name: 'RunningTasksCount', type: 'integer', description: 'Tasks in the RUNNING state.' },
      { name: 'PendingTasksCount', type: 'integer', description: 'Tasks in the PENDING state.' },
      { name: 'ActiveServicesCount', type: 'integer', description: 'Services in the ACTIVE state.' },
      { name: 'Statistics', type: 'list<{Name, Value}> | null', description: 'Task counts by launch type.' },
      { name: 'Settings', type: 'list<{Name, Value}> | null', description: 'Cluster settings, e.g. containerInsights enabled/disabled.' },
      { name: 'CapacityProviders', type: 'list<string> | null', description: 'Capacity providers of the cluster.' },
      { name: 'DefaultCapacityProviderStrategy', type: 'list<{CapacityProvider, Weight, Base}> | null', description: 'The default capacity provider strategy.' },
      { name: 'Attachments', type: 'list<Attachment> | null', description: 'Resources attached by capacity providers {Id, Type, Status, Details}.' },
      { name: 'AttachmentsStatus', type: 'string | null', description: 'Status of the capacity provider attachments.' },
      { name: 'ServiceConnectDefaults', type: '{Namespace} | null', description: 'The default Service Connect namespace.' },
      { name: 'Services', type: 'list<Service> | null', description: 'DescribeServices of the cluster\'s services (PascalCase members: ServiceName, ServiceArn, LaunchType, PlatformVersion, TaskDefinition, NetworkConfiguration, LoadBalancers, Deployments, EnableExecuteCommand, Tags, …; the Events log is left out); null when none.' },
      { name: 'Tasks', type: 'list<Task> | null', description: 'DescribeTasks of the cluster\'s running tasks (PascalCase members: TaskArn, TaskDefinitionArn, LastStatus, LaunchType, Containers, Attachments, EnableExecuteCommand, Overrides, Tags, …; the Value of each Overrides.ContainerOverrides[].Environment entry is redacted); null when none.' },
    ],
  };
}

export const ECS_CLUSTER: ResourceType<EcsClusterRef> = makeEcsClusterType();
