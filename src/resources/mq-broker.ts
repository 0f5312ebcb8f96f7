/**
 * AWS.MQ.Broker — regional: Amazon MQ brokers (ActiveMQ and RabbitMQ). ListBrokers pages name
 * them; `describe` reads DescribeBroker (deployment mode, public access, logs, encryption, user
 * names — never passwords, which the API does not return — and tags).
 */
import { DescribeBrokerCommand, DescribeBrokerResponse$, ListBrokersCommand, MqClient } from '@aws-sdk/client-mq';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface MqBrokerRef {
  id: string;
  /** The broker ARN (it names the broker as well as its ID): known from listings and tag events. */
  arn?: string;
}

export const MQ_BROKER_TYPE = 'AWS.MQ.Broker';

/** A new broker is CREATION_IN_PROGRESS for up to twenty minutes. */
const BROKER_SETTLE_SECONDS = 120;

/** Broker ARNs end in `broker:<name>:<id>`; `resourceId` knows only the ID. */
export function mqBrokerArn(target: ScanTarget, id: string, name = '*'): string {
  return `arn:${target.partition}:mq:${target.region}:${target.accountId}:broker:${name}:${id}`;
}

/** The broker ID of a broker ARN (`…:broker:<name>:<id>`; `…:broker:<id>` is accepted too). */
const idOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'mq' ? /^broker:(?:[^:]+:)?([^:]+)$/.exec(arn.resource)?.[1] : undefined;
};

/** The brokers an event names: request `brokerId` (every broker and user call), the ARN
 *  `resourceArn` of the tag calls, and CreateBroker's response `brokerId`. */
export function mqBrokerRefsOf(d: CloudTrailDetail): MqBrokerRef[] {
  const tagged = req(d, 'resourceArn');
  const taggedId = idOfArn(tagged);
  return distinct([req(d, 'brokerId'), taggedId, res(d, 'brokerId')]).map((id) => (id === taggedId ? { id, arn: tagged! } : { id }));
}

const rescan: EventRule<MqBrokerRef> = { action: 'rescan', refs: mqBrokerRefsOf };

export interface MqBrokerOptions {
  /** ListBrokers MaxResults per page (1–100). */
  pageSize?: number;
}

export function makeMqBrokerType(opts: MqBrokerOptions = {}): ResourceType<MqBrokerRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: MQ_BROKER_TYPE,
    asffType: 'AwsAmazonMqBroker',
    service: 'mq',
    scope: 'regional',
    eventSource: 'mq.amazonaws.com',

    async list(ctx, pageToken) {
      const mq = ctx.clients.get(MqClient, ctx.region);
      const page = await mq.send(new ListBrokersCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.BrokerSummaries ?? []).flatMap((b) => (b.BrokerId ? [{ id: b.BrokerId, arn: b.BrokerArn ?? mqBrokerArn(ctx, b.BrokerId, b.BrokerName) }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const mq = ctx.clients.get(MqClient, ctx.region);
      try {
        const broker = await mq.send(new DescribeBrokerCommand({ BrokerId: ref.id }));
        if (!broker.BrokerId || broker.BrokerState === 'DELETION_IN_PROGRESS') return null;
        const arn = broker.BrokerArn ?? mqBrokerArn(ctx, broker.BrokerId, broker.BrokerName);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: MQ_BROKER_TYPE,
          TimeCreated: iso(broker.Created),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: broker.BrokerId,
          Name: broker.BrokerName ?? null,
          Tags: broker.Tags && Object.keys(broker.Tags).length > 0 ? broker.Tags : null,
          ...apiFields(shape(DescribeBrokerResponse$, broker), 'Tags'),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe call.
        if (hasErrorCode(e, 'NotFoundException')) return null;
        throw e;
      }
    },

    // An event that names the broker by ID only leaves its ARN unknown: the scope is reconciled.
    resourceId(_target, ref) {
      return ref.arn;
    },

    events: {
      CreateBroker: { action: 'rescan', refs: mqBrokerRefsOf, settleSeconds: BROKER_SETTLE_SECONDS },
      UpdateBroker: rescan,
      RebootBroker: rescan,
      DeleteBroker: { action: 'delete', refs: mqBrokerRefsOf },
      CreateUser: rescan,
      UpdateUser: rescan,
      DeleteUser: rescan,
      CreateTags: rescan,
      DeleteTags: rescan,
    },

    // SecurityAudit covers every call: mq:ListBrokers, mq:DescribeBroker.
    // ListBrokers per page; DescribeBroker per broker.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'ActionsRequired', type: 'list<{ActionRequiredCode, ActionRequiredInfo}> | null', description: 'Actions the broker needs from you (e.g. a configuration that cannot be applied).' },
      { name: 'AuthenticationStrategy', type: 'string | null', description: 'SIMPLE, LDAP or CONFIG_MANAGED.' },
      { name: 'AutoMinorVersionUpgrade', type: 'boolean', description: 'Whether minor engine upgrades are applied in the maintenance window.' },
      { name: 'BrokerArn', type: 'string', description: 'The broker ARN (also ResourceId and Arn).' },
      { name: 'BrokerId', type: 'string', description: 'The broker ID (also Id).' },
      { name: 'BrokerInstances', type: 'list<{ConsoleURL, Endpoints, IpAddress}> | null', description: 'The broker instances and their endpoints.' },
      { name: 'BrokerName', type: 'string', description: 'The broker name (also Name).' },
      { name: 'BrokerState', type: 'string', description: 'CREATION_IN_PROGRESS, CREATION_FAILED, RUNNING, REBOOT_IN_PROGRESS, CRITICAL_ACTION_REQUIRED or REPLICA (a broker being deleted is modeled as deleted).' },
      { name: 'Configurations', type: '{Current, History, Pending} | null', description: 'The broker configuration revisions.' },
      { name: 'Created', type: 'timestamp', description: 'When the broker was created (also TimeCreated).' },
      { name: 'DeploymentMode', type: 'string', description: 'SINGLE_INSTANCE, ACTIVE_STANDBY_MULTI_AZ or CLUSTER_MULTI_AZ.' },
      { name: 'EncryptionOptions', type: '{KmsKeyId, UseAwsOwnedKey} | null', description: 'Encryption at rest.' },
      { name: 'EngineType', type: 'string', description: 'ACTIVEMQ or RABBITMQ.' },
      { name: 'EngineVersion', type: 'string', description: 'The engine version.' },
      { name: 'HostInstanceType', type: 'string', description: 'Instance type, e.g. mq.m5.large.' },
      { name: 'LdapServerMetadata', type: 'LdapServerMetadataOutput | null', description: 'LDAP settings (the service account password is never returned).' },
      { name: 'Logs', type: '{Audit, AuditLogGroup, General, GeneralLogGroup, Pending} | null', description: 'Publishing of general and (ActiveMQ) audit logs to CloudWatch Logs.' },
      { name: 'MaintenanceWindowStartTime', type: '{DayOfWeek, TimeOfDay, TimeZone} | null', description: 'The weekly maintenance window.' },
      { name: 'PendingAuthenticationStrategy', type: 'string | null', description: 'Authentication strategy applied at the next reboot.' },
      { name: 'PendingEngineVersion', type: 'string | null', description: 'Engine version applied at the next reboot.' },
      { name: 'PendingHostInstanceType', type: 'string | null', description: 'Instance type applied at the next reboot.' },
      { name: 'PendingLdapServerMetadata', type: 'LdapServerMetadataOutput | null', description: 'LDAP settings applied at the next reboot.' },
      { name: 'PendingSecurityGroups', type: 'list<string> | null', description: 'Security groups applied at the next reboot.' },
      { name: 'PubliclyAccessible', type: 'boolean', description: 'Whether the broker has a public endpoint.' },
      { name: 'SecurityGroups', type: 'list<string> | null', description: 'VPC security groups.' },
      { name: 'StorageType', type: 'string | null', description: 'EBS or EFS.' },
      { name: 'SubnetIds', type: 'list<string> | null', description: 'The broker subnets.' },
      { name: 'Users', type: 'list<{PendingChange, Username}> | null', description: 'The broker users (names only: Amazon MQ never returns passwords).' },
      { name: 'DataReplicationMetadata', type: 'object | null', description: 'Cross-Region data replication of the broker.' },
      { name: 'DataReplicationMode', type: 'string | null', description: 'NONE or CRDR.' },
      { name: 'PendingDataReplicationMetadata', type: 'object | null', description: 'Replication settings applied at the next reboot.' },
      { name: 'PendingDataReplicationMode', type: 'string | null', description: 'Replication mode applied at the next reboot.' },
    ],
  };
}

export const MQ_BROKER: ResourceType<MqBrokerRef> = makeMqBrokerType();
