import { CreateQueueCommand, DeleteQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createQueues } from '../../../src/local/estate/coverage-messaging.ts';
import { makeSqsQueueType, SQS_QUEUE, type QueueRef } from '../../../src/resources/sqs-queue.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:sqs:${REGION}:${account}:${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createQueues(ctx.clients, account, REGION, 'alias/orders');
});

describe('AWS.SQS.Queue', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto ignores MaxResults: page its full answer as SQS does.
    const sizes: unknown[] = [];
    const paged = intercept(ctx, SQSClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListQueuesCommand') return undefined;
      sizes.push(cmd.input.MaxResults);
      return (async () => {
        const all = ((await send(new ListQueuesCommand({}))) as { QueueUrls: string[] }).QueueUrls;
        const from = Number(cmd.input.NextToken ?? 0);
        const to = from + Number(cmd.input.MaxResults);
        return { QueueUrls: all.slice(from, to), NextToken: to < all.length ? String(to) : undefined };
      })();
    });
    const type = makeSqsQueueType({ pageSize: 2 });
    const seen: QueueRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(paged, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(sizes).toEqual([2, 2]);
    expect(seen.map((r) => r.name).sort()).toEqual(['failed-orders', 'orders', 'public-inbox']);
    expect(seen.every((r) => r.url?.endsWith(`/${account}/${r.name}`))).toBe(true);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models an encrypted queue with its policy, dead-letter queue and tags', async () => {
    const res = (await SQS_QUEUE.describe(ctx, { name: 'orders' }))!;
    expect(typeKeys(res)).toEqual(SQS_QUEUE.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('orders'),
      ResourceType: 'AWS.SQS.Queue',
      AccountId: account,
      Region: REGION,
      Arn: arn('orders'),
      Name: 'orders',
      Tags: { team: 'sales', env: 'prod' },
      QueueArn: arn('orders'),
      KmsMasterKeyId: 'alias/orders',
      KmsDataKeyReusePeriodSeconds: '300',
      VisibilityTimeout: '60',
      FifoQueue: null,
      RedriveAllowPolicy: null,
    });
    expect(res.Id).toBe(res.QueueUrl);
    expect(res.QueueUrl).toMatch(/\/orders$/);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(new Date(res.TimeCreated!).getTime()).toBe(Math.floor(Number(res.CreatedTimestamp) * 1000));
    expect(JSON.parse(res.RedrivePolicy as string)).toEqual({ deadLetterTargetArn: arn('failed-orders'), maxReceiveCount: 5 });
    expect(JSON.parse(res.Policy as string).Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${account}:root` });
    expect(SQS_QUEUE.volatileAttributes).toEqual(['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']);
  });

  it('models an open queue with nulls for what is unset', async () => {
    const res = (await SQS_QUEUE.describe(ctx, { name: 'public-inbox' }))!;
    expect(res).toMatchObject({ Tags: null, KmsMasterKeyId: null, RedrivePolicy: null, SqsManagedSseEnabled: 'false' });
    expect(JSON.parse(res.Policy as string).Statement[0].Principal).toBe('*');
    // A ref named by CreateQueue's queueName only: the URL is looked up.
    expect((await SQS_QUEUE.describe(ctx, { name: 'failed-orders' }))!.SqsManagedSseEnabled).toBe('true');
  });

  it('returns null for a deleted queue and lets throttling propagate', async () => {
    const sqs = ctx.clients.get(SQSClient);
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'gone' }))).QueueUrl!;
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(await SQS_QUEUE.describe(ctx, { name: 'gone', url })).toBeNull();
    expect(await SQS_QUEUE.describe(ctx, { name: 'gone' })).toBeNull();
    const throttled = intercept(ctx, SQSClient, (cmd) => (cmd.constructor.name === 'ListQueueTagsCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined));
    await expect(SQS_QUEUE.describe(throttled, { name: 'orders' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = SQS_QUEUE.events;
    const url = (name: string) => `https://sqs.${REGION}.amazonaws.com/${account}/${name}`;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('sqs.amazonaws.com', name, req, res));
    expect(refs('CreateQueue', { queueName: 'q1', attribute: {} }, { queueUrl: url('q1') })).toEqual([{ name: 'q1', url: url('q1') }]);
    expect(refs('CreateQueue', { queueName: 'q1' })).toEqual([{ name: 'q1' }]);
    expect(ev.DeleteQueue!.action).toBe('delete');
    expect(refs('DeleteQueue', { queueUrl: url('q2') })).toEqual([{ name: 'q2', url: url('q2') }]);
    expect(refs('SetQueueAttributes', { queueUrl: url('q3'), attributes: { Policy: '{}' } })).toEqual([{ name: 'q3', url: url('q3') }]);
    expect(refs('TagQueue', { queueUrl: 'not a url' })).toEqual([]);
  });
});
