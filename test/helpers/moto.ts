/**
 * Test access to the shared moto server. Each test file works in its own emulated account
 * (moto keeps separate state per account ID and switches on AssumeRole), so files can run in
 * parallel without seeing each other's resources.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { inject } from 'vitest';
import { createClients, type AwsClients } from '../../src/aws/clients.ts';
import type { ScanContext } from '../../src/resources/types.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../../src/local/emulator-retry.ts';

export const motoEndpoint = (): string => inject('motoEndpoint');

const base = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** A fresh, random 12-digit account ID, so that each test file has private emulator state. */
export function randomAccountId(): string {
  return String(100000000000 + Math.floor(Math.random() * 899999999999));
}

/** Credentials acting inside `accountId` (moto switches account state on AssumeRole). */
export async function accountCredentials(accountId: string): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: base });
  const r = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'test' }),
  );
  const c = r.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

/** SDK clients acting inside `accountId`. */
export async function accountClients(accountId: string, region = 'us-east-1'): Promise<AwsClients> {
  return createClients({ region, endpoint: motoEndpoint(), credentials: await accountCredentials(accountId), ...EMULATOR_CLIENT_OPTIONS });
}

/** A scan context for a registry type's list/describe in `accountId` / `region`. */
export async function scanContext(accountId: string, region = 'us-east-1'): Promise<ScanContext> {
  return { accountId, region, partition: 'aws', clients: await accountClients(accountId, region), cache: new Map(), now: () => new Date() };
}
