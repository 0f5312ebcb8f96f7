/**
 * Writes follow change, for every type of the registry: an account scanned twice with nothing
 * changed in between leaves every scope OK with nothing changed or deleted the second time — even
 * where the account holds only what AWS creates itself (Meta types, Athena's `primary` workgroup,
 * default VPCs), whose volatile fields must not read as a change (the deployed rehearsal checks the
 * same on its estate; this is the fast guard for a new type).
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { createMember } from '../../helpers/member.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

let rt: LocalRuntime | undefined;
afterAll(async () => {
  await rt?.close();
});

it('an unchanged rescan of an account with the full registry changes and deletes nothing', async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  const member = await createMember(securityAccountId);
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  member.account.excludeRegions = regions.filter((r) => r !== 'us-east-1');
  await rt.deps.accounts.put(member.account);
  await rt.scan({ accountIds: [member.account.accountId] });
  const second = await rt.deps.ledger.forScan(await rt.scan({ accountIds: [member.account.accountId] }));
  expect(second.length).toBeGreaterThan(60);
  expect(second.filter((e) => e.changedCount || e.deletedCount || e.outcome !== 'OK').map((e) => [e.scope, e.outcome, e.changedCount, e.deletedCount, e.message])).toEqual([]);
}, 300_000);
