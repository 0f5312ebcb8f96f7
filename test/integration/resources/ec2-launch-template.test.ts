import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, DeleteLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_USER_DATA, createWebLaunchTemplates } from '../../../src/local/estate/coverage-infra.ts';
import { EC2_LAUNCH_TEMPLATE, makeEc2LaunchTemplateType, type LaunchTemplateRef } from '../../../src/resources/ec2-launch-template.ts';
import { getResourceType } from '../../../src/resources/index.ts';
import { REDACTED } from '../../../src/resources/redact.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { pagedBy } from '../../helpers/paging.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;
let ids: { good: string; bad: string };

const arn = (id: string) => `arn:aws:ec2:${REGION}:${account}:launch-template/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const ec2 = ctx.clients.get(EC2Client);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.8.1.0/24' }))).Subnet!.SubnetId!;
  ids = await createWebLaunchTemplates(ctx.clients, subnetId);
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'third', LaunchTemplateData: { InstanceType: 't3.nano' } }));
});

describe('AWS.EC2.LaunchTemplate', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeEc2LaunchTemplateType({ pageSize: 2 });
    // moto answers DescribeLaunchTemplates in one page: paged here as EC2 pages it.
    const paged = pagedBy(ctx, EC2Client, { command: 'DescribeLaunchTemplatesCommand', items: 'LaunchTemplates', size: 'MaxResults', tokenIn: 'NextToken' });
    const seen: LaunchTemplateRef[] = [];
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
    expect(seen).toHaveLength(3);
    expect(seen.map((r) => r.id)).toEqual(expect.arrayContaining([ids.good, ids.bad]));
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id!));
  });

  it('models a template with its default version, user data redacted', async () => {
    const res = (await getResourceType('AWS.EC2.LaunchTemplate').describe(await scanContext(account, REGION), { id: ids.good }))!;
    expect(typeKeys(res)).toEqual(EC2_LAUNCH_TEMPLATE.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn(ids.good),
      ResourceType: 'AWS.EC2.LaunchTemplate',
      AccountId: account,
      Region: REGION,
      Id: ids.good,
      Name: 'web',
      Tags: { team: 'web' },
      LaunchTemplateName: 'web',
      DefaultVersionNumber: 1,
      DefaultVersion: expect.objectContaining({
        VersionNumber: 1,
        VersionDescription: 'hardened',
        DefaultVersion: true,
        LaunchTemplateData: expect.objectContaining({
          MetadataOptions: expect.objectContaining({ HttpTokens: 'required' }),
          NetworkInterfaces: [expect.objectContaining({ AssociatePublicIpAddress: false, DeviceIndex: 0 })],
          UserData: REDACTED,
        }),
      }),
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(JSON.stringify(res)).not.toContain(BOOTSTRAP_USER_DATA);
  });

  it('describes a template named by name only (an event without its ID)', async () => {
    const res = (await EC2_LAUNCH_TEMPLATE.describe(ctx, { name: 'legacy-web' }))!;
    expect(res).toMatchObject({ Id: ids.bad, Tags: null, DefaultVersion: expect.objectContaining({ LaunchTemplateData: expect.objectContaining({ UserData: null }) }) });
    expect(EC2_LAUNCH_TEMPLATE.resourceId(ctx, { name: 'legacy-web' })).toBeUndefined();
  });

  it('returns null for a deleted template and lets other errors propagate', async () => {
    const ec2 = ctx.clients.get(EC2Client);
    const gone = (await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'gone', LaunchTemplateData: {} }))).LaunchTemplate!.LaunchTemplateId!;
    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: gone }));
    expect(await EC2_LAUNCH_TEMPLATE.describe(ctx, { id: gone })).toBeNull();
    expect(await EC2_LAUNCH_TEMPLATE.describe(ctx, { name: 'gone' })).toBeNull();
    const between = intercept(ctx, EC2Client, (cmd) =>
      cmd.constructor.name === 'DescribeLaunchTemplateVersionsCommand' ? Promise.reject(awsError('InvalidLaunchTemplateId.NotFound', 'gone')) : undefined,
    );
    expect(await EC2_LAUNCH_TEMPLATE.describe(between, { id: ids.good })).toBeNull();
    const denied = intercept(ctx, EC2Client, (cmd) =>
      cmd.constructor.name === 'DescribeLaunchTemplateVersionsCommand' ? Promise.reject(awsError('UnauthorizedOperation', 'denied')) : undefined,
    );
    await expect(EC2_LAUNCH_TEMPLATE.describe(denied, { id: ids.good })).rejects.toThrow('denied');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = EC2_LAUNCH_TEMPLATE.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('ec2.amazonaws.com', name, req, res));
    expect(refs('CreateLaunchTemplate', { CreateLaunchTemplateRequest: { LaunchTemplateName: 'web' } }, { CreateLaunchTemplateResponse: { launchTemplate: { launchTemplateId: 'lt-0123456789abcdef0', launchTemplateName: 'web' } } })).toEqual([{ id: 'lt-0123456789abcdef0' }]);
    expect(refs('CreateLaunchTemplateVersion', { CreateLaunchTemplateVersionRequest: { LaunchTemplateId: 'lt-0123456789abcdef1' } })).toEqual([{ id: 'lt-0123456789abcdef1' }]);
    expect(refs('ModifyLaunchTemplate', { ModifyLaunchTemplateRequest: { LaunchTemplateName: 'web', SetDefaultVersion: '2' } })).toEqual([{ name: 'web' }]);
    expect(refs('CreateTags', { resourcesSet: { items: [{ resourceId: 'lt-0123456789abcdef2' }] }, tagSet: { items: [] } })).toEqual([{ id: 'lt-0123456789abcdef2' }]);
    expect(refs('CreateTags', { resourcesSet: { items: [{ resourceId: 'i-0123456789abcdef2' }] }, tagSet: { items: [] } })).toEqual([]);
    expect(ev.DeleteLaunchTemplate!.action).toBe('delete');
  });
});
