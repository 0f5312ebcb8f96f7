import { DisableCommand, EnableCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { beforeAll, describe, expect, it } from 'vitest';
import { INSPECTOR_META } from '../../../src/resources/inspector-meta.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { intercept, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'ap-northeast-1';
let ctx: ScanContext;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
});

describe('AWS.Inspector.Meta', () => {
  it('lists one summary per account and region, and needs BatchGetAccountStatus granted', async () => {
    expect(await INSPECTOR_META.list(ctx)).toEqual({ refs: [{}] });
    expect(INSPECTOR_META.resourceId(ctx, {})).toBe(`${account}:${REGION}:AWS.Inspector.Meta`);
    expect(INSPECTOR_META.iamActions).toEqual(['inspector2:BatchGetAccountStatus']);
  });

  it('models the account\'s scan types once Inspector is enabled', async () => {
    const inspector = ctx.clients.get(Inspector2Client);
    await inspector.send(new EnableCommand({ accountIds: [account], resourceTypes: ['EC2', 'ECR'] }));
    const res = (await INSPECTOR_META.describe(ctx, {}))!;
    expect(typeKeys(res)).toEqual(INSPECTOR_META.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: `${account}:${REGION}:AWS.Inspector.Meta`,
      ResourceType: 'AWS.Inspector.Meta',
      AccountId: account,
      Region: REGION,
      State: expect.objectContaining({ Status: 'ENABLED' }),
      ResourceState: expect.objectContaining({ Ec2: expect.objectContaining({ Status: 'ENABLED' }), Ecr: expect.objectContaining({ Status: 'ENABLED' }), Lambda: expect.objectContaining({ Status: 'DISABLED' }) }),
    });
    await inspector.send(new DisableCommand({ accountIds: [account], resourceTypes: ['EC2'] }));
    expect((await INSPECTOR_META.describe(ctx, {}))!.ResourceState).toMatchObject({ Ec2: expect.objectContaining({ Status: 'DISABLED' }) });
  });

  it('models an account Inspector has never seen as unknown (null), and fails loudly on a failed account', async () => {
    const other = await scanContext(account, 'ap-southeast-2');
    expect(await INSPECTOR_META.describe(other, {})).toMatchObject({ State: null, ResourceState: null });
    // As the Inspector API reference documents a per-account failure (failedAccounts).
    const failed = intercept(ctx, Inspector2Client, () => Promise.resolve({ accounts: [], failedAccounts: [{ accountId: account, errorCode: 'ACCESS_DENIED', errorMessage: 'denied' }] }));
    await expect(INSPECTOR_META.describe(failed, {})).rejects.toThrow(`inspector2 BatchGetAccountStatus failed for account ${account} in ${REGION}: ACCESS_DENIED denied`);
  });

  it('rescans the region on enablement events', () => {
    expect(Object.keys(INSPECTOR_META.events).sort()).toEqual(['Disable', 'Enable']);
    for (const rule of Object.values(INSPECTOR_META.events)) expect(rule.action).toBe('rescan-region');
  });
});
