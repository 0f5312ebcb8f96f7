import { CreateEventBusCommand, DeleteEventBusCommand, EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEventBuses } from '../../../src/local/estate/coverage-messaging.ts';
import { EVENTBRIDGE_EVENT_BUS, makeEventBusType } from '../../../src/resources/eventbridge-event-bus.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'sa-east-1';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:events:${REGION}:${account}:event-bus/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createEventBuses(ctx.clients, REGION, '111122223333');
  await ctx.clients.get(EventBridgeClient).send(new CreateEventBusCommand({ Name: 'third' }));
});

describe('AWS.EventBridge.EventBus', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto ignores Limit and NextToken: page its full answer as EventBridge does.
    const sizes: unknown[] = [];
    const paged = intercept(ctx, EventBridgeClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListEventBusesCommand') return undefined;
      sizes.push(cmd.input.Limit);
      return (async () => {
        const all = ((await send(new ListEventBusesCommand({}))) as { EventBuses: object[] }).EventBuses;
        const from = Number(cmd.input.NextToken ?? 0);
        const to = from + Number(cmd.input.Limit);
        return { EventBuses: all.slice(from, to), NextToken: to < all.length ? String(to) : undefined };
      })();
    });
    const type = makeEventBusType({ pageSize: 2 });
    const { refs: seen, pages } = await listAll(type, paged);
    expect(pages).toBe(2);
    expect(sizes).toEqual([2, 2]);
    expect(seen.map((r) => r.name).sort()).toEqual(['default', 'orders', 'third']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a custom bus with its policy and tags', async () => {
    const res = (await EVENTBRIDGE_EVENT_BUS.describe(ctx, { name: 'orders' }))!;
    expect(typeKeys(res)).toEqual(EVENTBRIDGE_EVENT_BUS.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('orders'),
      ResourceType: 'AWS.EventBridge.EventBus',
      AccountId: account,
      Region: REGION,
      Arn: arn('orders'),
      Name: 'orders',
      Tags: { team: 'sales' },
      Description: 'order events',
      KmsKeyIdentifier: null,
      DeadLetterConfig: null,
    });
    const policy = JSON.parse(res.Policy as string) as { Statement: { Sid: string; Principal: unknown; Action: string }[] };
    expect(policy.Statement).toEqual([expect.objectContaining({ Sid: 'partner', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'events:PutEvents' })]);
  });

  it('models the default bus', async () => {
    expect(await EVENTBRIDGE_EVENT_BUS.describe(ctx, { name: 'default' })).toMatchObject({ ResourceId: arn('default'), Tags: null, Policy: null });
  });

  it('returns null for a deleted bus and lets throttling propagate', async () => {
    const events = ctx.clients.get(EventBridgeClient);
    await events.send(new CreateEventBusCommand({ Name: 'gone' }));
    await events.send(new DeleteEventBusCommand({ Name: 'gone' }));
    expect(await EVENTBRIDGE_EVENT_BUS.describe(ctx, { name: 'gone' })).toBeNull();
    const throttled = intercept(ctx, EventBridgeClient, (cmd) => (cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined));
    await expect(EVENTBRIDGE_EVENT_BUS.describe(throttled, { name: 'third' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = EVENTBRIDGE_EVENT_BUS.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('events.amazonaws.com', name, req));
    expect(refs('CreateEventBus', { name: 'b1' })).toEqual([{ name: 'b1' }]);
    expect(ev.DeleteEventBus!.action).toBe('delete');
    expect(refs('PutPermission', { action: 'events:PutEvents', principal: '111122223333', statementId: 's' })).toEqual([{ name: 'default' }]);
    expect(refs('RemovePermission', { eventBusName: 'b2', statementId: 's' })).toEqual([{ name: 'b2' }]);
    expect(refs('TagResource', { resourceARN: arn('b3') })).toEqual([{ name: 'b3' }]);
    expect(refs('TagResource', { resourceARN: `arn:aws:events:${REGION}:${account}:rule/r` })).toEqual([]);
  });
});
