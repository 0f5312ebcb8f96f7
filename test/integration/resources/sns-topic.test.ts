import { CreateTopicCommand, DeleteTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTopics } from '../../../src/local/estate/coverage-messaging.ts';
import { SNS_TOPIC } from '../../../src/resources/sns-topic.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:sns:${REGION}:${account}:${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createTopics(ctx.clients, account, REGION, 'alias/alerts');
});

describe('AWS.SNS.Topic', () => {
  it('lists across pages (ListTopics answers 100 a page) with resolvable refs', async () => {
    const sns = ctx.clients.get(SNSClient);
    await Promise.all(Array.from({ length: 99 }, (_, i) => sns.send(new CreateTopicCommand({ Name: `bulk-${i}` }))));
    const { refs: seen, pages } = await listAll(SNS_TOPIC, ctx);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(101);
    expect(seen.map((r) => r.name)).toEqual(expect.arrayContaining(['alerts', 'public-events', 'bulk-98']));
    for (const ref of seen) expect(SNS_TOPIC.resourceId(ctx, ref)).toBe(arn(ref.name));
    await Promise.all(Array.from({ length: 99 }, (_, i) => sns.send(new DeleteTopicCommand({ TopicArn: arn(`bulk-${i}`) }))));
  });

  it('models an encrypted topic with its policy, delivery logging and tags', async () => {
    // moto keeps no delivery-status logging attributes: they are added to its answer as the SNS
    // API reference documents them (GetTopicAttributes: <protocol>SuccessFeedbackRoleArn, ...).
    const role = `arn:aws:iam::${account}:role/sns-delivery-logs`;
    const logged = intercept(ctx, SNSClient, (cmd, send) =>
      cmd.constructor.name === 'GetTopicAttributesCommand'
        ? send(cmd).then((r) => {
            const out = r as { Attributes: Record<string, string> };
            return { ...out, Attributes: { ...out.Attributes, SQSSuccessFeedbackRoleArn: role, SQSFailureFeedbackRoleArn: role, SQSSuccessFeedbackSampleRate: '100' } };
          })
        : undefined,
    );
    const res = (await SNS_TOPIC.describe(logged, { name: 'alerts' }))!;
    expect(typeKeys(res)).toEqual(SNS_TOPIC.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('alerts'),
      ResourceType: 'AWS.SNS.Topic',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: arn('alerts'),
      Id: arn('alerts'),
      Name: 'alerts',
      Tags: { team: 'secops' },
      TopicArn: arn('alerts'),
      Owner: account,
      DisplayName: 'Alerts',
      KmsMasterKeyId: 'alias/alerts',
      SQSSuccessFeedbackRoleArn: role,
      SQSFailureFeedbackRoleArn: role,
      SQSSuccessFeedbackSampleRate: '100',
      LambdaSuccessFeedbackRoleArn: null,
      FifoTopic: null,
    });
    expect(JSON.parse(res.Policy as string).Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${account}:root` });
  });

  it('models an open topic with nulls for what is unset', async () => {
    const res = (await SNS_TOPIC.describe(ctx, { name: 'public-events' }))!;
    expect(res).toMatchObject({ Tags: null, KmsMasterKeyId: null, SQSSuccessFeedbackRoleArn: null });
    expect(JSON.parse(res.Policy as string).Statement[0].Principal).toEqual({ AWS: '*' });
  });

  it('returns null for a deleted topic and lets throttling propagate', async () => {
    expect(await SNS_TOPIC.describe(ctx, { name: 'never-created' })).toBeNull();
    const throttled = intercept(ctx, SNSClient, (cmd) => (cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : undefined));
    await expect(SNS_TOPIC.describe(throttled, { name: 'alerts' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = SNS_TOPIC.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('sns.amazonaws.com', name, req, res));
    expect(refs('CreateTopic', { name: 't1' }, { topicArn: arn('t1') })).toEqual([{ name: 't1' }]);
    expect(ev.DeleteTopic!.action).toBe('delete');
    expect(refs('DeleteTopic', { topicArn: arn('t2') })).toEqual([{ name: 't2' }]);
    expect(refs('SetTopicAttributes', { topicArn: arn('t3'), attributeName: 'Policy' })).toEqual([{ name: 't3' }]);
    expect(refs('TagResource', { resourceArn: arn('t4') })).toEqual([{ name: 't4' }]);
    // A subscription ARN names no topic.
    expect(refs('TagResource', { resourceArn: `${arn('t4')}:0b2a-subscription` })).toEqual([]);
  });
});
