/**
 * AWS.OpenSearch.Domain — regional. ListDomainNames (one unpaged answer: `list` slices it into
 * pages), then per domain DescribeDomain and ListTags. OpenSearch and legacy Elasticsearch
 * engines are both OpenSearch Service domains and are modeled alike.
 */
import { DescribeDomainCommand, DomainStatus$, ListDomainNamesCommand, ListTagsCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { hasErrorCode } from './aws-errors.ts';
import { shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface OpenSearchDomainRef {
  name: string;
}

export const OPENSEARCH_DOMAIN_TYPE = 'AWS.OpenSearch.Domain';

/** A new domain is readable at once but takes minutes to get its configuration applied. */
const DOMAIN_SETTLE_SECONDS = 60;

export function openSearchDomainArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:es:${target.region}:${target.accountId}:domain/${name}`;
}

/** The domain name of a domain ARN (`…:domain/<name>`). */
const nameOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'es' ? /^domain\/([^/]+)$/.exec(arn.resource)?.[1] : undefined;
};

/** The domains an event names: request `domainName` (every domain call, both API generations)
 *  or the ARN of AddTags/RemoveTags (`arn`, recorded as `aRN` too), and the response's domain. */
export function openSearchDomainRefsOf(d: CloudTrailDetail): OpenSearchDomainRef[] {
  return distinct([
    req(d, 'domainName'),
    nameOfArn(req(d, 'arn')),
    nameOfArn(req(d, 'aRN')),
    nameOfArn(req(d, 'ARN')),
    res(d, 'domainStatus', 'domainName'),
  ]).map((name) => ({ name }));
}

const rescan: EventRule<OpenSearchDomainRef> = { action: 'rescan', refs: openSearchDomainRefsOf };

export interface OpenSearchDomainOptions {
  /** Domains per list page (ListDomainNames itself is not paged). */
  pageSize?: number;
}

export function makeOpenSearchDomainType(opts: OpenSearchDomainOptions = {}): ResourceType<OpenSearchDomainRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: OPENSEARCH_DOMAIN_TYPE,
    asffType: 'AwsOpenSearchServiceDomain',
    service: 'es',
    scope: 'regional',
    eventSource: 'es.amazonaws.com',

    async list(ctx, pageToken) {
      const os = ctx.clients.get(OpenSearchClient, ctx.region);
      const { DomainNames } = await os.send(new ListDomainNamesCommand({}));
      const names = (DomainNames ?? []).flatMap((d) => (d.DomainName ? [d.DomainName] : [])).sort();
      const from = Number(pageToken ?? 0);
      const to = from + pageSize;
      return { refs: names.slice(from, to).map((name) => ({ name })), ...(to < names.length ? { nextPageToken: String(to) } : {}) };
    },

    async describe(ctx, ref) {
      const os = ctx.clients.get(OpenSearchClient, ctx.region);
      try {
        const { DomainStatus: domain } = await os.send(new DescribeDomainCommand({ DomainName: ref.name }));
        if (!domain?.DomainName || domain.Deleted) return null;
        const arn = domain.ARN ?? openSearchDomainArn(ctx, domain.DomainName);
        const { TagList } = await os.send(new ListTagsCommand({ ARN: arn }));
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: OPENSEARCH_DOMAIN_TYPE,
          // DescribeDomain does not tell when the domain was created.
          TimeCreated: null,
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: domain.DomainId ?? null,
          Name: domain.DomainName,
          Tags: tagMap(TagList),
          ...apiFields(shape(DomainStatus$, domain)),
          // AWS answers "" for a domain without an access policy: unset is null in the model.
          AccessPolicies: domain.AccessPolicies || null,
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'ResourceNotFoundException')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return openSearchDomainArn(target, ref.name);
    },

    events: {
      CreateDomain: { action: 'rescan', refs: openSearchDomainRefsOf, settleSeconds: DOMAIN_SETTLE_SECONDS },
      CreateElasticsearchDomain: { action: 'rescan', refs: openSearchDomainRefsOf, settleSeconds: DOMAIN_SETTLE_SECONDS },
      DeleteDomain: { action: 'delete', refs: openSearchDomainRefsOf },
      DeleteElasticsearchDomain: { action: 'delete', refs: openSearchDomainRefsOf },
      UpdateDomainConfig: rescan,
      UpdateElasticsearchDomainConfig: rescan,
      UpgradeDomain: rescan,
      UpgradeElasticsearchDomain: rescan,
      StartServiceSoftwareUpdate: rescan,
      CancelServiceSoftwareUpdate: rescan,
      StartElasticsearchServiceSoftwareUpdate: rescan,
      CancelElasticsearchServiceSoftwareUpdate: rescan,
      AddTags: rescan,
      RemoveTags: rescan,
    },

    // SecurityAudit covers every call: es:ListDomainNames, es:Describe* (DescribeDomain), es:ListTags.
    // ListDomainNames per page; per domain DescribeDomain and ListTags.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'DomainId', type: 'string', description: 'The domain ID, `<account>/<name>` (also Id).' },
      { name: 'DomainName', type: 'string', description: 'The domain name (also Name).' },
      { name: 'ARN', type: 'string', description: 'The domain ARN (also ResourceId and Arn).' },
      { name: 'ClusterConfig', type: 'ClusterConfig', description: '{InstanceType, InstanceCount, DedicatedMasterEnabled, DedicatedMasterType, DedicatedMasterCount, ZoneAwarenessEnabled, ZoneAwarenessConfig, WarmEnabled, ColdStorageOptions, MultiAZWithStandbyEnabled, NodeOptions}.' },
      { name: 'Created', type: 'boolean', description: 'Whether domain creation has completed.' },
      { name: 'Deleted', type: 'boolean', description: 'Whether a delete is in progress (deleted domains are not modeled).' },
      { name: 'Endpoint', type: 'string | null', description: 'The public endpoint; null for a VPC domain.' },
      { name: 'EndpointV2', type: 'string | null', description: 'The dual-stack endpoint, when enabled.' },
      { name: 'Endpoints', type: 'map<string, string> | null', description: 'The VPC endpoints (key `vpc`, or `vpcv2`).' },
      { name: 'DomainEndpointV2HostedZoneId', type: 'string | null', description: 'The hosted zone of the dual-stack endpoint.' },
      { name: 'Processing', type: 'boolean', description: 'Whether a configuration change is being applied.' },
      { name: 'UpgradeProcessing', type: 'boolean', description: 'Whether a version upgrade is in progress.' },
      { name: 'EngineVersion', type: 'string', description: 'OpenSearch_X.Y or Elasticsearch_X.Y.' },
      { name: 'EBSOptions', type: '{EBSEnabled, VolumeType, VolumeSize, Iops, Throughput} | null', description: 'EBS storage of the data nodes.' },
      { name: 'AccessPolicies', type: 'string | null', description: 'The domain\'s resource-based access policy (JSON string); null when none.' },
      { name: 'IPAddressType', type: 'string | null', description: 'ipv4 or dualstack.' },
      { name: 'SnapshotOptions', type: '{AutomatedSnapshotStartHour} | null', description: 'Automated snapshot hour (legacy engines).' },
      { name: 'VPCOptions', type: '{VPCId, SubnetIds, AvailabilityZones, SecurityGroupIds} | null', description: 'VPC placement; null for a public domain.' },
      { name: 'CognitoOptions', type: '{Enabled, UserPoolId, IdentityPoolId, RoleArn} | null', description: 'Cognito authentication for Dashboards.' },
      { name: 'EncryptionAtRestOptions', type: '{Enabled, KmsKeyId} | null', description: 'Encryption at rest of data and indexes.' },
      { name: 'NodeToNodeEncryptionOptions', type: '{Enabled} | null', description: 'TLS between the nodes of the domain.' },
      { name: 'AdvancedOptions', type: 'map<string, string> | null', description: 'Advanced cluster settings, e.g. rest.action.multi.allow_explicit_index.' },
      { name: 'LogPublishingOptions', type: 'map<string, {CloudWatchLogsLogGroupArn, Enabled}> | null', description: 'Log publishing by log type: INDEX_SLOW_LOGS, SEARCH_SLOW_LOGS, ES_APPLICATION_LOGS, AUDIT_LOGS.' },
      { name: 'ServiceSoftwareOptions', type: 'ServiceSoftwareOptions | null', description: '{CurrentVersion, NewVersion, UpdateAvailable, Cancellable, UpdateStatus, Description, AutomatedUpdateDate, OptionalDeployment}.' },
      { name: 'DomainEndpointOptions', type: 'DomainEndpointOptions | null', description: '{EnforceHTTPS, TLSSecurityPolicy, CustomEndpointEnabled, CustomEndpoint, CustomEndpointCertificateArn}.' },
      { name: 'AdvancedSecurityOptions', type: 'AdvancedSecurityOptions | null', description: 'Fine-grained access control: {Enabled, InternalUserDatabaseEnabled, SAMLOptions, JWTOptions, IAMFederationOptions, AnonymousAuthDisableDate, AnonymousAuthEnabled}.' },
      { name: 'IdentityCenterOptions', type: 'IdentityCenterOptions | null', description: 'IAM Identity Center integration.' },
      { name: 'AutoTuneOptions', type: '{State, ErrorMessage, UseOffPeakWindow} | null', description: 'Auto-Tune status.' },
      { name: 'ChangeProgressDetails', type: 'ChangeProgressDetails | null', description: 'The latest configuration change {ChangeId, Message, ConfigChangeStatus, InitiatedBy, StartTime, LastUpdatedTime}.' },
      { name: 'OffPeakWindowOptions', type: '{Enabled, OffPeakWindow} | null', description: 'The daily off-peak window for updates.' },
      { name: 'SoftwareUpdateOptions', type: '{AutoSoftwareUpdateEnabled} | null', description: 'Automatic service software updates.' },
      { name: 'DomainProcessingStatus', type: 'string | null', description: 'Creating, Active, Modifying, UpgradingEngineVersion, UpdatingServiceSoftware, Isolated or Deleting.' },
      { name: 'ModifyingProperties', type: 'list<{Name, ActiveValue, PendingValue, ValueType}> | null', description: 'Properties being changed by an in-progress configuration change.' },
      { name: 'AIMLOptions', type: 'AIMLOptionsOutput | null', description: 'Machine-learning features (natural language query generation, S3 vectors, serverless vector acceleration).' },
      { name: 'DeploymentStrategyOptions', type: '{DeploymentStrategy} | null', description: 'How configuration changes are deployed (e.g. Default, CapacityOptimized).' },
      { name: 'AutomatedSnapshotPauseOptions', type: 'object | null', description: 'Whether automated snapshots are paused.' },
      { name: 'UseCase', type: 'string | null', description: 'The use case the domain was created for, when AWS reports one.' },
      { name: 'EngineMode', type: 'string | null', description: 'The engine mode, when AWS reports one.' },
    ],
  };
}

export const OPENSEARCH_DOMAIN: ResourceType<OpenSearchDomainRef> = makeOpenSearchDomainType();
