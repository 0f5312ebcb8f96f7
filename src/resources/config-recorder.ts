/**
 * AWS.Config.Recorder — regional, the region's customer-managed configuration recorder (one per
 * region; ResourceId `<acct>:<region>:AWS.Config.Recorder`).
 *
 * The Config API names its members camelCase (`recordingGroup`, `roleARN`); Panther's model — and
 * the policies written for it (`RecordingGroup.IncludeGlobalResourceTypes`, `Status.Recording`,
 * `Status.LastErrorCode`) — uses the PascalCase names of the other SDKs, so the shapes are rebuilt
 * with every modeled member and PascalCase keys. The recorder's fields are at the top level as
 * Panther has them, and whole under `Recorder`.
 */
import {
  ConfigServiceClient,
  ConfigurationRecorder$,
  ConfigurationRecorderStatus$,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  type ConfigurationRecorder,
} from '@aws-sdk/client-config-service';
import { hasErrorCode } from './aws-errors.ts';
import { shape } from './shape.ts';
import type { EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface RecorderRef {
  /** The recorder's name, when known (the region has at most one customer-managed recorder). */
  name?: string;
}

export const CONFIG_RECORDER_TYPE = 'AWS.Config.Recorder';

export const recorderResourceId = (target: Pick<ScanTarget, 'accountId' | 'region'>) => `${target.accountId}:${target.region}:${CONFIG_RECORDER_TYPE}`;

const pascal = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);

/** `value` with every object key PascalCase (values untouched). */
export function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [pascal(k), pascalKeys(v)]));
}

/** The region's customer-managed recorder (DescribeConfigurationRecorders without names answers
 *  with it; service-linked recorders carry a servicePrincipal and are not it), or null. */
export async function customerRecorder(client: ConfigServiceClient): Promise<ConfigurationRecorder | null> {
  const out = await client.send(new DescribeConfigurationRecordersCommand({}));
  return (out.ConfigurationRecorders ?? []).find((r) => r.name && !r.servicePrincipal) ?? null;
}

/** Whether a recorder records IAM's global resource types: all supported types with global ones
 *  included, or IAM types listed explicitly. */
export function recordsGlobalTypes(r: ConfigurationRecorder): boolean {
  const g = r.recordingGroup;
  if (!g) return false;
  if (g.allSupported && g.includeGlobalResourceTypes) return true;
  return (g.resourceTypes ?? []).some((t) => t.startsWith('AWS::IAM::'));
}

const cacheKey = (region: string) => `config:recorder:${region}`;

async function describeRecorder(ctx: ScanContext): Promise<Resource | null> {
  const client = ctx.clients.get(ConfigServiceClient, ctx.region);
  const listed = await take<ConfigurationRecorder>(ctx, cacheKey(ctx.region));
  try {
    const recorder = listed ?? (await customerRecorder(client));
    if (!recorder?.name) return null;
    const status = await client.send(new DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: [recorder.name] }));
    const fields = pascalKeys(shape(ConfigurationRecorder$, recorder)) as Record<string, unknown>;
    const resource: Resource = {
      ResourceId: recorderResourceId(ctx),
      ResourceType: CONFIG_RECORDER_TYPE,
      TimeCreated: null,
      AccountId: ctx.accountId,
      Region: ctx.region,
      Arn: recorder.arn ?? null,
      Id: null,
      Name: recorder.name,
      Tags: null,
      ...fields,
      Recorder: fields,
      Status: pascalKeys(shape(ConfigurationRecorderStatus$, status.ConfigurationRecordersStatus?.find((s) => s.name === recorder.name))),
    };
    return resource;
  } catch (e) {
    // Deleted between the two calls.
    if (hasErrorCode(e, 'NoSuchConfigurationRecorderException')) return null;
    throw e;
  }
}

const regionRecorder = (): RecorderRef[] => [{}];
const rescan: EventRule<RecorderRef> = { action: 'rescan', refs: regionRecorder };

export const CONFIG_RECORDER: ResourceType<RecorderRef> = {
  type: CONFIG_RECORDER_TYPE,
  service: 'config',
  scope: 'regional',
  eventSource: 'config.amazonaws.com',

  async list(ctx) {
    const recorder = await customerRecorder(ctx.clients.get(ConfigServiceClient, ctx.region));
    if (!recorder?.name) return { refs: [] };
    remember(ctx, cacheKey(ctx.region), recorder);
    return { refs: [{ name: recorder.name }] };
  },

  describe: describeRecorder,

  resourceId(target) {
    return recorderResourceId(target);
  },

  events: {
    PutConfigurationRecorder: rescan,
    DeleteConfigurationRecorder: { action: 'delete', refs: regionRecorder },
    StartConfigurationRecorder: rescan,
    StopConfigurationRecorder: rescan,
    // The recorder's resource types (AssociateResourceTypes) and its delivery (LastStatus).
    AssociateResourceTypes: rescan,
    DisassociateResourceTypes: rescan,
    PutDeliveryChannel: rescan,
    DeleteDeliveryChannel: rescan,
  },

  // SecurityAudit covers every call (config:Describe*).
  // DescribeConfigurationRecorders per page (the only page); per recorder DescribeConfigurationRecorderStatus.
  apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
  iamActions: [],

  attributes: [
    { name: 'RecordingGroup', type: '{AllSupported, IncludeGlobalResourceTypes, ResourceTypes, ExclusionByResourceTypes, RecordingStrategy} | null', description: 'What the recorder records (as Panther has it, at the top level).' },
    { name: 'RoleARN', type: 'string | null', description: 'The IAM role the recorder uses.' },
    { name: 'RecordingMode', type: '{RecordingFrequency, RecordingModeOverrides} | null', description: 'CONTINUOUS or DAILY recording, with per-type overrides.' },
    { name: 'RecordingScope', type: 'string | null', description: 'INTERNAL or PAID (service-linked recorders); null when not reported.' },
    { name: 'ServicePrincipal', type: 'string | null', description: 'Set only on service-linked recorders (which this type does not model): null.' },
    { name: 'ConnectorArn', type: 'string | null', description: 'Connector of a recorder that records another provider; null otherwise.' },
    { name: 'ScopeConfiguration', type: 'object | null', description: 'Scope configuration of a connector recorder; null otherwise.' },
    { name: 'Recorder', type: 'ConfigurationRecorder', description: 'The whole DescribeConfigurationRecorders entry {Arn, Name, RoleARN, RecordingGroup, RecordingMode, RecordingScope, ServicePrincipal, ConnectorArn, ScopeConfiguration}, PascalCase, every member present.' },
    { name: 'Status', type: 'ConfigurationRecorderStatus | null', description: 'DescribeConfigurationRecorderStatus {Arn, Name, LastStartTime, LastStopTime, Recording, LastStatus, LastErrorCode, LastErrorMessage, LastStatusChangeTime, ServicePrincipal}; LastStatus is PENDING, SUCCESS or FAILURE.' },
  ],
};
