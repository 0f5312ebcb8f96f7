import { CreateStateMachineCommand, DeleteStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStateMachines } from '../../../src/local/estate/coverage-messaging.ts';
import { makeStateMachineType, STEPFUNCTIONS_STATE_MACHINE, type StateMachineRef } from '../../../src/resources/stepfunctions-state-machine.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'sa-east-1';
let ctx: ScanContext;
let arns: { orders: string; quick: string };
const arn = (name: string) => `arn:aws:states:${REGION}:${account}:stateMachine:${name}`;
const logGroup = () => `arn:aws:logs:${REGION}:${account}:log-group:/states/orders:*`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  arns = await createStateMachines(ctx.clients, account, REGION, logGroup());
  await ctx.clients.get(SFNClient).send(
    new CreateStateMachineCommand({ name: 'third', definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }), roleArn: `arn:aws:iam::${account}:role/r` }),
  );
});

describe('AWS.StepFunctions.StateMachine', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeStateMachineType({ pageSize: 2 });
    const seen: StateMachineRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(ctx, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.arn).sort()).toEqual([arn('orders-flow'), arn('quick-job'), arn('third')]);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(ref.arn);
  });

  it('models a logged, traced state machine in PascalCase with its tags', async () => {
    const res = (await STEPFUNCTIONS_STATE_MACHINE.describe(ctx, { arn: arns.orders }))!;
    expect(typeKeys(res)).toEqual(STEPFUNCTIONS_STATE_MACHINE.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('orders-flow'),
      ResourceType: 'AWS.StepFunctions.StateMachine',
      AccountId: account,
      Region: REGION,
      Arn: arn('orders-flow'),
      Id: arn('orders-flow'),
      Name: 'orders-flow',
      Tags: { team: 'sales' },
      StateMachineArn: arn('orders-flow'),
      RoleArn: `arn:aws:iam::${account}:role/states-exec`,
      Type: 'STANDARD',
      Status: 'ACTIVE',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: logGroup() } }] },
      TracingConfiguration: { Enabled: true },
    });
    expect(JSON.parse(res.Definition as string).StartAt).toBe('Done');
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreationDate);
  });

  it('models a state machine without logging', async () => {
    const res = (await STEPFUNCTIONS_STATE_MACHINE.describe(ctx, { arn: arns.quick }))!;
    expect(res.Tags).toBeNull();
    expect((res.LoggingConfiguration as { Level?: string } | null)?.Level ?? 'OFF').toBe('OFF');
  });

  it('returns null for a deleted state machine and lets throttling propagate', async () => {
    const sfn = ctx.clients.get(SFNClient);
    const gone = (await sfn.send(new CreateStateMachineCommand({ name: 'gone', definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }), roleArn: `arn:aws:iam::${account}:role/r` }))).stateMachineArn!;
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: gone }));
    expect(await STEPFUNCTIONS_STATE_MACHINE.describe(ctx, { arn: gone })).toBeNull();
    const throttled = intercept(ctx, SFNClient, (cmd) => (cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined));
    await expect(STEPFUNCTIONS_STATE_MACHINE.describe(throttled, { arn: arns.quick })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = STEPFUNCTIONS_STATE_MACHINE.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('states.amazonaws.com', name, req, res));
    expect(refs('CreateStateMachine', { name: 'm1', roleArn: 'r' }, { stateMachineArn: arn('m1'), creationDate: 'x' })).toEqual([{ arn: arn('m1') }]);
    expect(ev.DeleteStateMachine!.action).toBe('delete');
    expect(refs('UpdateStateMachine', { stateMachineArn: `${arn('m2')}:prod` })).toEqual([{ arn: arn('m2') }]);
    expect(refs('TagResource', { resourceArn: arn('m3') })).toEqual([{ arn: arn('m3') }]);
    expect(refs('TagResource', { resourceArn: `arn:aws:states:${REGION}:${account}:activity:a` })).toEqual([]);
  });
});
