import { AthenaClient, CreateWorkGroupCommand, DeleteWorkGroupCommand, type ListWorkGroupsCommandOutput } from '@aws-sdk/client-athena';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkGroup } from '../../../src/local/estate/coverage-apps.ts';
import { ATHENA_WORKGROUP, makeWorkGroupType } from '../../../src/resources/athena-workgroup.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-north-1';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:athena:${REGION}:${account}:workgroup/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createWorkGroup(ctx.clients, { resultsBucket: 'results', kmsKeyArn: `arn:aws:kms:${REGION}:${account}:key/k1` });
  await createWorkGroup(ctx.clients, { resultsBucket: 'results', weak: true });
});

describe('AWS.Athena.WorkGroup', () => {
  it('lists across pages with resolvable refs (the primary workgroup included)', async () => {
    // moto ignores ListWorkGroups MaxResults/NextToken: paged here as the API reference documents it.
    const paged = intercept(ctx, AthenaClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListWorkGroupsCommand') return undefined;
      return send(cmd).then((all) => {
        const { page, next } = sliced((all as ListWorkGroupsCommandOutput).WorkGroups ?? [], cmd.input.MaxResults as number, cmd.input.NextToken as string | undefined);
        return { WorkGroups: page, NextToken: next };
      });
    });
    const type = makeWorkGroupType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, paged);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.name).sort()).toEqual(['adhoc', 'analytics', 'primary']);
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models an encrypted, enforced workgroup', async () => {
    const res = (await ATHENA_WORKGROUP.describe(ctx, { name: 'analytics' }))!;
    expectDocumentedKeys(res, ATHENA_WORKGROUP.attributes);
    expect(res).toMatchObject({
      ResourceId: arn('analytics'),
      ResourceType: 'AWS.Athena.WorkGroup',
      Name: 'analytics',
      Tags: { team: 'analytics' },
      State: 'ENABLED',
      Description: 'Analytics queries',
      Configuration: expect.objectContaining({
        ResultConfiguration: expect.objectContaining({ OutputLocation: 's3://results/athena/', EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: `arn:aws:kms:${REGION}:${account}:key/k1` } }),
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
      }),
    });
  });

  it('models a bare workgroup with nulls', async () => {
    const res = (await ATHENA_WORKGROUP.describe(ctx, { name: 'adhoc' }))!;
    expectDocumentedKeys(res, ATHENA_WORKGROUP.attributes);
    expect(res).toMatchObject({ Tags: { env: 'dev' }, Description: null, Configuration: expect.objectContaining({ PublishCloudWatchMetricsEnabled: false, ResultConfiguration: expect.objectContaining({ EncryptionConfiguration: null }) }) });
  });

  it('returns null for a deleted workgroup and lets other errors propagate', async () => {
    const athena = ctx.clients.get(AthenaClient);
    await athena.send(new CreateWorkGroupCommand({ Name: 'gone' }));
    await athena.send(new DeleteWorkGroupCommand({ WorkGroup: 'gone' }));
    // moto answers a null WorkGroup; AWS answers InvalidRequestException (answered here as documented).
    expect(await ATHENA_WORKGROUP.describe(ctx, { name: 'gone' })).toBeNull();
    const aws = intercept(ctx, AthenaClient, (cmd) => (cmd.constructor.name === 'GetWorkGroupCommand' ? Promise.reject(awsError('InvalidRequestException', 'WorkGroup gone is not found.')) : undefined));
    expect(await ATHENA_WORKGROUP.describe(aws, { name: 'gone' })).toBeNull();
    const other = intercept(ctx, AthenaClient, (cmd) => (cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('InvalidRequestException', 'bad request')) : undefined));
    await expect(ATHENA_WORKGROUP.describe(other, { name: 'adhoc' })).rejects.toThrow('bad request');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = ATHENA_WORKGROUP.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('athena.amazonaws.com', name, req));
    expect(refs('CreateWorkGroup', { name: 'w1', configuration: {} })).toEqual([{ name: 'w1' }]);
    expect(refs('UpdateWorkGroup', { workGroup: 'w2', configurationUpdates: {} })).toEqual([{ name: 'w2' }]);
    expect(ev.DeleteWorkGroup!.action).toBe('delete');
    expect(refs('DeleteWorkGroup', { workGroup: 'w3' })).toEqual([{ name: 'w3' }]);
    expect(refs('TagResource', { resourceARN: arn('w4'), tags: [] })).toEqual([{ name: 'w4' }]);
    expect(refs('TagResource', { resourceARN: `arn:aws:athena:${REGION}:${account}:datacatalog/c1` })).toEqual([]);
  });
});
