/**
 * AWS.EventBridge.EventBus — regional, the default bus and custom buses (partner buses too).
 * ListEventBuses, then per bus DescribeEventBus and ListTagsForResource.
 */
import { DescribeEventBusCommand, DescribeEventBusResponse$, EventBridgeClient, ListEventBusesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-eventbridge';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface EventBusRef {
  name: string;
}

export const EVENTBRIDGE_EVENT_BUS_TYPE = 'AWS.EventBridge.EventBus';

export const eventBusArn = (target: ScanTarget, name: string) => `arn:${target.partition}:events:${target.region}:${target.accountId}:event-bus/${name}`;

const busOf = (value: string | undefined) => {
  if (!value) return undefined;
  const p = parseArn(value);
  if (!p) return value;
  return p.service === 'events' ? /^event-bus\/(.+)$/.exec(p.resource)?.[1] : undefined;
};

/** Buses an event names: `name` (Create/Update/DeleteEventBus), `eventBusName` (Put/RemovePermission,
 *  "default" when absent), a tagged `resourceARN`. */
export function eventBusRefsOf(d: CloudTrailDetail): EventBusRef[] {
  const permission = d.eventName === 'PutPermission' || d.eventName === 'RemovePermission';
  return distinct([
    d.eventName.endsWith('EventBus') ? busOf(req(d, 'name')) : undefined,
    busOf(req(d, 'eventBusName')) ?? (permission ? 'default' : undefined),
    busOf(req(d, 'resourceARN')),
  ]).map((name) => ({ name }));
}

const rescan: EventRule<EventBusRef> = { action: 'rescan', refs: eventBusRefsOf };

export interface EventBusOptions {
  /** ListEventBuses Limit per page (1–100). */
  pageSize?: number;
}

export function makeEventBusType(opts: EventBusOptions = {}): ResourceType<EventBusRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: EVENTBRIDGE_EVENT_BUS_TYPE,
    asffType: 'AwsEventsEventbus',
    service: 'events',
    scope: 'regional',
    eventSource: 'events.amazonaws.com',

    async list(ctx, pageToken) {
      const events = ctx.clients.get(EventBridgeClient, ctx.region);
      const page = await events.send(new ListEventBusesCommand({ Limit: pageSize, NextToken: pageToken }));
      const refs = (page.EventBuses ?? []).flatMap((b) => (b.Name ? [{ name: b.Name }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const events = ctx.clients.get(EventBridgeClient, ctx.region);
      try {
        const bus = await events.send(new DescribeEventBusCommand({ Name: ref.name }));
        if (!bus.Name) return null;
        const arn = bus.Arn ?? eventBusArn(ctx, bus.Name);
        const tags = await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: EVENTBRIDGE_EVENT_BUS_TYPE,
          TimeCreated: iso(bus.CreationTime),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: null,
          Name: bus.Name,
          Tags: tagMap(tags.Tags),
          ...apiFields(shape(DescribeEventBusResponse$, bus), 'Name', 'Arn'),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'ResourceNotFound')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return eventBusArn(target, ref.name);
    },

    events: {
      CreateEventBus: rescan,
      DeleteEventBus: { action: 'delete', refs: eventBusRefsOf },
      UpdateEventBus: rescan,
      PutPermission: rescan,
      RemovePermission: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: events:ListEventBuses, DescribeEventBus, ListTagsForResource.
    // ListEventBuses per page; per bus DescribeEventBus and ListTagsForResource.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Description', type: 'string | null', description: 'The bus description.' },
      { name: 'KmsKeyIdentifier', type: 'string | null', description: 'The customer managed KMS key encrypting events on the bus; null when an AWS owned key is used.' },
      { name: 'DeadLetterConfig', type: '{Arn} | null', description: 'The SQS queue that receives events the bus could not deliver to a target.' },
      { name: 'Policy', type: 'string | null', description: 'The bus\'s resource-based policy as a JSON string; null when none.' },
      { name: 'LogConfig', type: '{IncludeDetail, Level} | null', description: 'Logging of the bus\'s events, when configured.' },
      { name: 'CreationTime', type: 'timestamp | null', description: 'When the bus was created (also TimeCreated).' },
      { name: 'LastModifiedTime', type: 'timestamp | null', description: 'When the bus was last changed.' },
      { name: 'ManagedBy', type: 'string | null', description: 'The AWS service that manages the bus, if any.' },
    ],
  };
}

export const EVENTBRIDGE_EVENT_BUS: ResourceType<EventBusRef> = makeEventBusType();
