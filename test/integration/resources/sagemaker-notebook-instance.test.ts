import { CreateNotebookInstanceCommand, DeleteNotebookInstanceCommand, SageMakerClient, StopNotebookInstanceCommand } from '@aws-sdk/client-sagemaker';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNotebook } from '../../../src/local/estate/coverage-apps.ts';
import { makeNotebookInstanceType, SAGEMAKER_NOTEBOOK_INSTANCE } from '../../../src/resources/sagemaker-notebook-instance.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-central-1';
let ctx: ScanContext;
let subnet: string;
const arn = (name: string) => `arn:aws:sagemaker:${REGION}:${account}:notebook-instance/${name.toLowerCase()}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const ec2 = ctx.clients.get(EC2Client);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.80.0.0/16' }))).Vpc!.VpcId!;
  subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.80.1.0/24' }))).Subnet!.SubnetId!;
  await createNotebook(ctx.clients, { acct: account, subnetId: subnet, securityGroupIds: [], kmsKeyArn: `arn:aws:kms:${REGION}:${account}:key/k1` });
  await createNotebook(ctx.clients, { acct: account, weak: true });
  await ctx.clients.get(SageMakerClient).send(new CreateNotebookInstanceCommand({ NotebookInstanceName: 'Third', InstanceType: 'ml.t3.medium', RoleArn: `arn:aws:iam::${account}:role/x` }));
});

describe('AWS.SageMaker.NotebookInstance', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeNotebookInstanceType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, ctx);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.name).sort()).toEqual(['Third', 'research', 'scratch-notebook']);
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models an instance kept off the internet', async () => {
    const res = (await SAGEMAKER_NOTEBOOK_INSTANCE.describe(ctx, { name: 'research' }))!;
    expectDocumentedKeys(res, SAGEMAKER_NOTEBOOK_INSTANCE.attributes);
    expect(res).toMatchObject({
      ResourceId: arn('research'),
      ResourceType: 'AWS.SageMaker.NotebookInstance',
      Arn: arn('research'),
      Name: 'research',
      Tags: { team: 'research' },
      SubnetId: subnet,
      DirectInternetAccess: 'Disabled',
      RootAccess: 'Disabled',
      KmsKeyId: `arn:aws:kms:${REGION}:${account}:key/k1`,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
  });

  it('models a default instance with nulls, its ResourceId in lower case', async () => {
    const res = (await SAGEMAKER_NOTEBOOK_INSTANCE.describe(ctx, { name: 'Third' }))!;
    expectDocumentedKeys(res, SAGEMAKER_NOTEBOOK_INSTANCE.attributes);
    expect(res).toMatchObject({ ResourceId: arn('third'), Name: 'Third', Tags: null, SubnetId: null, KmsKeyId: null });
    expect((await SAGEMAKER_NOTEBOOK_INSTANCE.describe(ctx, { name: 'scratch-notebook' }))!).toMatchObject({ DirectInternetAccess: 'Enabled', RootAccess: 'Enabled' });
  });

  it('returns null for a deleted instance and lets other errors propagate', async () => {
    const sm = ctx.clients.get(SageMakerClient);
    await sm.send(new CreateNotebookInstanceCommand({ NotebookInstanceName: 'gone', InstanceType: 'ml.t3.medium', RoleArn: `arn:aws:iam::${account}:role/x` }));
    await sm.send(new StopNotebookInstanceCommand({ NotebookInstanceName: 'gone' }));
    await sm.send(new DeleteNotebookInstanceCommand({ NotebookInstanceName: 'gone' }));
    expect(await SAGEMAKER_NOTEBOOK_INSTANCE.describe(ctx, { name: 'gone' })).toBeNull();
    // Any other validation error is not "gone".
    const invalid = intercept(ctx, SageMakerClient, (cmd) => (cmd.constructor.name === 'ListTagsCommand' ? Promise.reject(awsError('ValidationException', 'bad ARN')) : undefined));
    await expect(SAGEMAKER_NOTEBOOK_INSTANCE.describe(invalid, { name: 'Third' })).rejects.toThrow('bad ARN');
  });

  it('maps CloudTrail events to refs, settling new instances', () => {
    const ev = SAGEMAKER_NOTEBOOK_INSTANCE.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('sagemaker.amazonaws.com', name, req));
    expect(refs('CreateNotebookInstance', { notebookInstanceName: 'n1', instanceType: 'ml.t3.medium' })).toEqual([{ name: 'n1' }]);
    expect(ev.CreateNotebookInstance!.settleSeconds).toBe(60);
    expect(ev.DeleteNotebookInstance!.action).toBe('delete');
    expect(refs('UpdateNotebookInstance', { notebookInstanceName: 'n2', rootAccess: 'Disabled' })).toEqual([{ name: 'n2' }]);
    expect(refs('AddTags', { resourceArn: arn('n3'), tags: [] })).toEqual([{ name: 'n3' }]);
    expect(refs('AddTags', { resourceArn: `arn:aws:sagemaker:${REGION}:${account}:endpoint/e1` })).toEqual([]);
  });
});
