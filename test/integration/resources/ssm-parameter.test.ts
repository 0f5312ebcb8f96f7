import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createParameters } from '../../../src/local/estate/coverage-messaging.ts';
import { getResourceType } from '../../../src/resources/index.ts';
import { makeSsmParameterType, SSM_PARAMETER, type ParameterRef } from '../../../src/resources/ssm-parameter.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'ap-south-1';
const SECRET = 'param-value-that-must-never-leave-9c2d';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:ssm:${REGION}:${account}:parameter${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createParameters(ctx.clients, REGION, { kmsKeyId: 'alias/params', value: SECRET });
  await ctx.clients.get(SSMClient).send(new PutParameterCommand({ Name: '/app/third', Type: 'StringList', Value: 'a,b' }));
});

describe('AWS.SSM.Parameter', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto answers DescribeParameters 10 a page whatever MaxResults says: 12 parameters make 2 pages.
    const ssm = ctx.clients.get(SSMClient);
    const bulk = Array.from({ length: 9 }, (_, i) => `/bulk/${i}`);
    for (const Name of bulk) await ssm.send(new PutParameterCommand({ Name, Type: 'String', Value: 'v' }));
    const sizes: unknown[] = [];
    const spied = intercept(ctx, SSMClient, (cmd) => {
      sizes.push(cmd.input.MaxResults);
      return undefined;
    });
    const type = makeSsmParameterType({ pageSize: 10 });
    const seen: ParameterRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(spied, token);
      expect(page.refs.length).toBeLessThanOrEqual(10);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(sizes).toEqual([10, 10]);
    expect(seen.map((r) => r.name).sort()).toEqual(['/app/db-password', '/app/feature-flags', '/app/third', ...bulk].sort());
    for (const Name of bulk) await ssm.send(new DeleteParameterCommand({ Name }));
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a SecureString parameter from its metadata, with tags', async () => {
    const res = (await SSM_PARAMETER.describe(ctx, { name: '/app/db-password' }))!;
    expect(typeKeys(res)).toEqual(SSM_PARAMETER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('/app/db-password'),
      ResourceType: 'AWS.SSM.Parameter',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: arn('/app/db-password'),
      Id: '/app/db-password',
      Name: '/app/db-password',
      Tags: { team: 'data' },
      Type: 'SecureString',
      KeyId: 'alias/params',
      Description: 'orders database password',
      Version: 1,
      Tier: 'Standard',
      DataType: 'text',
    });
    expect(res.LastModifiedDate).toMatch(RFC3339);
  });

  it('never reads or stores a parameter value, and describes listed parameters from the listing', async () => {
    const calls: string[] = [];
    const spied = intercept(ctx, SSMClient, (cmd) => {
      calls.push(cmd.constructor.name);
      return undefined;
    });
    const type = getResourceType('AWS.SSM.Parameter');
    const page = await type.list(spied);
    const described = await Promise.all(page.refs.map((r) => type.describe(spied, r)));
    expect(described).toHaveLength(3);
    expect(JSON.stringify(described)).not.toContain(SECRET);
    expect(calls.filter((c) => c.startsWith('GetParameter'))).toEqual([]);
    expect(calls.sort()).toEqual(['DescribeParametersCommand', 'ListTagsForResourceCommand', 'ListTagsForResourceCommand', 'ListTagsForResourceCommand']);
    expect(described.find((r) => r!.Name === '/app/feature-flags')).toMatchObject({ Type: 'String', KeyId: null, Tags: null });
  });

  it('returns null for a deleted parameter and lets throttling propagate', async () => {
    const ssm = ctx.clients.get(SSMClient);
    await ssm.send(new PutParameterCommand({ Name: 'gone', Type: 'String', Value: 'x' }));
    await ssm.send(new DeleteParameterCommand({ Name: 'gone' }));
    expect(await SSM_PARAMETER.describe(ctx, { name: 'gone' })).toBeNull();
    // Deleted between the listing and the tag read.
    const between = intercept(ctx, SSMClient, (cmd) => (cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('InvalidResourceId', 'gone')) : undefined));
    expect(await SSM_PARAMETER.describe(between, { name: '/app/third' })).toBeNull();
    const throttled = intercept(ctx, SSMClient, (cmd) => (cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined));
    await expect(SSM_PARAMETER.describe(throttled, { name: '/app/third' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = SSM_PARAMETER.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('ssm.amazonaws.com', name, req));
    expect(refs('PutParameter', { name: '/p1', type: 'SecureString', overwrite: true })).toEqual([{ name: '/p1' }]);
    expect(ev.DeleteParameters!.action).toBe('delete');
    expect(refs('DeleteParameters', { names: ['/p2', '/p3'] })).toEqual([{ name: '/p2' }, { name: '/p3' }]);
    expect(refs('AddTagsToResource', { resourceType: 'Parameter', resourceId: '/p4', tags: [] })).toEqual([{ name: '/p4' }]);
    expect(refs('AddTagsToResource', { resourceType: 'Document', resourceId: 'doc' })).toEqual([]);
    expect(SSM_PARAMETER.resourceId(ctx, { name: 'plain' })).toBe(`arn:aws:ssm:${REGION}:${account}:parameter/plain`);
  });
});
