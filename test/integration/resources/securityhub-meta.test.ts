import { DisableSecurityHubCommand, EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECURITYHUB_META } from '../../../src/resources/securityhub-meta.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'ap-northeast-1';
let ctx: ScanContext;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
});

describe('AWS.SecurityHub.Meta', () => {
  it('lists one summary per account and region', async () => {
    expect(await SECURITYHUB_META.list(ctx)).toEqual({ refs: [{}] });
    expect(SECURITYHUB_META.resourceId(ctx, {})).toBe(`${account}:${REGION}:AWS.SecurityHub.Meta`);
  });

  it('models a region where Security Hub is off', async () => {
    const res = (await SECURITYHUB_META.describe(ctx, {}))!;
    expect(typeKeys(res)).toEqual(SECURITYHUB_META.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: `${account}:${REGION}:AWS.SecurityHub.Meta`,
      ResourceType: 'AWS.SecurityHub.Meta',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: null,
      Enabled: false,
      HubArn: null,
      AutoEnableControls: null,
    });
  });

  it('models a region where Security Hub is on, and again off', async () => {
    const hub = ctx.clients.get(SecurityHubClient);
    await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    const res = (await SECURITYHUB_META.describe(ctx, {}))!;
    const arn = `arn:aws:securityhub:${REGION}:${account}:hub/default`;
    expect(res).toMatchObject({ Enabled: true, Arn: arn, HubArn: arn, AutoEnableControls: true, ControlFindingGenerator: 'SECURITY_CONTROL' });
    expect(res.TimeCreated).toMatch(RFC3339);
    await hub.send(new DisableSecurityHubCommand({}));
    expect((await SECURITYHUB_META.describe(ctx, {}))!.Enabled).toBe(false);
  });

  it('lets errors other than "not subscribed" propagate', async () => {
    const denied = intercept(ctx, SecurityHubClient, () => Promise.reject(awsError('AccessDeniedException', 'no securityhub')));
    await expect(SECURITYHUB_META.describe(denied, {})).rejects.toThrow('no securityhub');
  });

  it('rescans the region on enablement events', () => {
    expect(Object.keys(SECURITYHUB_META.events).sort()).toEqual(['DisableSecurityHub', 'EnableSecurityHub', 'UpdateSecurityHubConfiguration']);
    for (const rule of Object.values(SECURITYHUB_META.events)) expect(rule.action).toBe('rescan-region');
  });
});
