import { CreateBrokerCommand, DeleteBrokerCommand, MqClient, type ListBrokersCommandOutput } from '@aws-sdk/client-mq';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMqBroker } from '../../../src/local/estate/coverage-apps.ts';
import { makeMqBrokerType, MQ_BROKER } from '../../../src/resources/mq-broker.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'sa-east-1';
let ctx: ScanContext;
let orders: string;
let legacy: string;
let bare: string;
const newBroker = (BrokerName: string) =>
  new CreateBrokerCommand({ BrokerName, EngineType: 'RABBITMQ', EngineVersion: '3.13', HostInstanceType: 'mq.m5.large', DeploymentMode: 'SINGLE_INSTANCE', PubliclyAccessible: false, AutoMinorVersionUpgrade: true, Users: [{ Username: 'u', Password: 'not-a-real-password-1' }] });

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  orders = await createMqBroker(ctx.clients, { kmsKeyArn: `arn:aws:kms:${REGION}:${account}:key/k1` });
  legacy = await createMqBroker(ctx.clients, { weak: true });
  bare = (await ctx.clients.get(MqClient).send(newBroker('bare'))).BrokerId!;
});

describe('AWS.MQ.Broker', () => {
  it('lists across pages, each ref naming its broker ARN', async () => {
    // moto ignores ListBrokers MaxResults/NextToken: paged here as the API reference documents it.
    const paged = intercept(ctx, MqClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListBrokersCommand') return undefined;
      return send(cmd).then((all) => {
        const { page, next } = sliced((all as ListBrokersCommandOutput).BrokerSummaries ?? [], cmd.input.MaxResults as number, cmd.input.NextToken as string | undefined);
        return { BrokerSummaries: page, NextToken: next };
      });
    });
    const { refs, pages } = await listAll(makeMqBrokerType({ pageSize: 2 }), paged);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.id).sort()).toEqual([orders, legacy, bare].sort());
    for (const ref of refs) {
      // AWS writes broker:<name>:<id>; moto leaves the name out. Either way the listed ARN is the ResourceId.
      expect(MQ_BROKER.resourceId(ctx, ref)).toMatch(new RegExp(`^arn:aws:mq:${REGION}:${account}:broker:([^:]+:)?${ref.id}$`));
      expect((await MQ_BROKER.describe(ctx, ref))!.ResourceId).toBe(MQ_BROKER.resourceId(ctx, ref));
    }
    // An event naming the broker by ID only: the scope is reconciled instead.
    expect(MQ_BROKER.resourceId(ctx, { id: orders })).toBeUndefined();
  });

  it('models an active/standby broker with audit logs, no password anywhere', async () => {
    const res = (await MQ_BROKER.describe(ctx, { id: orders }))!;
    expectDocumentedKeys(res, MQ_BROKER.attributes);
    expect(res).toMatchObject({
      ResourceType: 'AWS.MQ.Broker',
      Id: orders,
      Name: 'orders-mq',
      Tags: { team: 'orders' },
      EngineType: 'ACTIVEMQ',
      DeploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: true,
      Logs: expect.objectContaining({ Audit: true, General: true }),
      Users: [expect.objectContaining({ Username: 'app' })],
    });
    expect(res.ResourceId).toBe(res.BrokerArn);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(JSON.stringify(res)).not.toContain('not-a-real-broker-password');
  });

  it('models a bare broker with nulls', async () => {
    const res = (await MQ_BROKER.describe(ctx, { id: legacy }))!;
    expectDocumentedKeys(res, MQ_BROKER.attributes);
    expect(res).toMatchObject({ Tags: null, DeploymentMode: 'SINGLE_INSTANCE', PubliclyAccessible: true, AutoMinorVersionUpgrade: false });
  });

  it('returns null for a deleted broker and lets other errors propagate', async () => {
    const mq = ctx.clients.get(MqClient);
    const gone = (await mq.send(newBroker('gone'))).BrokerId!;
    await mq.send(new DeleteBrokerCommand({ BrokerId: gone }));
    expect(await MQ_BROKER.describe(ctx, { id: gone })).toBeNull();
    const denied = intercept(ctx, MqClient, (cmd) => (cmd.constructor.name === 'DescribeBrokerCommand' ? Promise.reject(awsError('ForbiddenException', 'not allowed')) : undefined));
    await expect(MQ_BROKER.describe(denied, { id: bare })).rejects.toThrow('not allowed');
  });

  it('maps CloudTrail events to refs, settling new brokers', () => {
    const ev = MQ_BROKER.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('mq.amazonaws.com', name, req, res));
    const arn = `arn:aws:mq:${REGION}:${account}:broker:orders-mq:b-1`;
    expect(refs('CreateBroker', { brokerName: 'x' }, { brokerId: 'b-0', brokerArn: arn })).toEqual([{ id: 'b-0' }]);
    expect(ev.CreateBroker!.settleSeconds).toBe(120);
    expect(ev.DeleteBroker!.action).toBe('delete');
    expect(refs('UpdateBroker', { brokerId: 'b-2', logs: { audit: true } })).toEqual([{ id: 'b-2' }]);
    expect(refs('CreateTags', { resourceArn: arn, tags: {} })).toEqual([{ id: 'b-1', arn }]);
    expect(MQ_BROKER.resourceId(ctx, { id: 'b-1', arn })).toBe(arn);
  });
});
