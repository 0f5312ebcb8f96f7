import { CreateRepositoryCommand, DeleteRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { beforeAll, describe, expect, it } from 'vitest';
import { createShopRepositories } from '../../../src/local/estate/coverage-infra.ts';
import { ECR_REPOSITORY, makeEcrRepositoryType, type EcrRepositoryRef } from '../../../src/resources/ecr-repository.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { pagedBy } from '../../helpers/paging.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;

const arn = (name: string) => `arn:aws:ecr:${REGION}:${account}:repository/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createShopRepositories(ctx.clients);
  await ctx.clients.get(ECRClient).send(new CreateRepositoryCommand({ repositoryName: 'third' }));
});

describe('AWS.ECR.Repository', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeEcrRepositoryType({ pageSize: 2 });
    // moto answers DescribeRepositories in one page: paged here as ECR pages it.
    const paged = pagedBy(ctx, ECRClient, { command: 'DescribeRepositoriesCommand', items: 'repositories', size: 'maxResults', tokenIn: 'nextToken' });
    const seen: EcrRepositoryRef[] = [];
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
    expect(seen.map((r) => r.name).sort()).toEqual(['scratch', 'shop/api', 'third']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a configured repository with its policies and the registry scanning rules', async () => {
    const res = (await ECR_REPOSITORY.describe(await scanContext(account, REGION), { name: 'shop/api' }))!;
    expect(typeKeys(res)).toEqual(ECR_REPOSITORY.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('shop/api'),
      ResourceType: 'AWS.ECR.Repository',
      AccountId: account,
      Region: REGION,
      Arn: arn('shop/api'),
      Name: 'shop/api',
      Tags: { team: 'shop' },
      RepositoryName: 'shop/api',
      RegistryId: account,
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: expect.stringContaining(':kms:') },
      RegistryScanningConfiguration: {
        ScanType: 'ENHANCED',
        Rules: [{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: 'shop/*', FilterType: 'WILDCARD' }] }],
      },
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreatedAt);
    expect(JSON.parse(res.Policy as string).Statement[0].Principal.AWS).toBe('arn:aws:iam::111122223333:root');
    expect(JSON.parse(res.LifecyclePolicy as string).rules[0].action.type).toBe('expire');
  });

  it('models a bare repository with nulls', async () => {
    const res = (await ECR_REPOSITORY.describe(ctx, { name: 'scratch' }))!;
    expect(res).toMatchObject({ Tags: null, Policy: null, LifecyclePolicy: null, ImageTagMutability: 'MUTABLE', ImageScanningConfiguration: { ScanOnPush: false } });
  });

  it('returns null for a deleted repository and lets other errors propagate', async () => {
    const ecr = ctx.clients.get(ECRClient);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'gone' }));
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'gone' }));
    expect(await ECR_REPOSITORY.describe(ctx, { name: 'gone' })).toBeNull();
    const between = intercept(ctx, ECRClient, (cmd) =>
      cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('RepositoryNotFoundException', 'gone')) : undefined,
    );
    expect(await ECR_REPOSITORY.describe(between, { name: 'third' })).toBeNull();
    const denied = intercept(ctx, ECRClient, (cmd) =>
      cmd.constructor.name === 'GetRepositoryPolicyCommand' ? Promise.reject(awsError('AccessDeniedException', 'denied')) : undefined,
    );
    await expect(ECR_REPOSITORY.describe(denied, { name: 'third' })).rejects.toThrow('denied');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = ECR_REPOSITORY.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('ecr.amazonaws.com', name, req));
    expect(refs('CreateRepository', { repositoryName: 'a/b', imageTagMutability: 'MUTABLE' })).toEqual([{ name: 'a/b' }]);
    expect(ev.DeleteRepository!.action).toBe('delete');
    expect(refs('PutImageScanningConfiguration', { repositoryName: 'x', imageScanningConfiguration: { scanOnPush: true } })).toEqual([{ name: 'x' }]);
    expect(refs('TagResource', { resourceArn: arn('team/app'), tags: [] })).toEqual([{ name: 'team/app' }]);
    expect(refs('UntagResource', { resourceArn: 'arn:aws:s3:::bucket' })).toEqual([]);
    expect(ev.PutRegistryScanningConfiguration!.action).toBe('rescan-region');
  });
});
