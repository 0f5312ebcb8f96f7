import { BackupClient, CreateBackupVaultCommand, DeleteBackupVaultCommand } from '@aws-sdk/client-backup';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackups, documentedVaultPolicy } from '../../../src/local/estate/coverage-infra.ts';
import { BACKUP_VAULT, makeBackupVaultType, type BackupVaultRef } from '../../../src/resources/backup-vault.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { pagedBy } from '../../helpers/paging.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let moto: ScanContext;
let ctx: ScanContext;
let keyArn: string;

const TAGGED = ':backup-vault:central';
const arn = (name: string) => `arn:aws:backup:${REGION}:${account}:backup-vault:${name}`;

beforeAll(async () => {
  moto = await scanContext(account, REGION);
  keyArn = (await moto.clients.get(KMSClient).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  await createBackups(moto.clients, keyArn);
  await moto.clients.get(BackupClient).send(new CreateBackupVaultCommand({ BackupVaultName: 'third' }));
  // moto does not implement GetBackupVaultAccessPolicy: answered as the AWS Backup API reference
  // documents it — the policy of `central`, ResourceNotFoundException for a vault without one.
  ctx = withVaultPolicies(moto);
});

function withVaultPolicies(base: ScanContext): ScanContext {
  return intercept(base, BackupClient, (cmd) => {
    if (cmd.constructor.name !== 'GetBackupVaultAccessPolicyCommand') return undefined;
    const name = cmd.input.BackupVaultName as string;
    return name === 'central' ? Promise.resolve(documentedVaultPolicy(account, REGION, name)) : Promise.reject(awsError('ResourceNotFoundException', `${name} has no access policy`));
  });
}

/** moto's ListTags answers {} for the SDK's request path (it reads the ARN from the wrong path
 *  segment), though TagResource stored the tags: ListTags is answered as the AWS Backup API
 *  reference documents it, {Tags: map}, for the estate's tagged resource. */
function withTags(base: ScanContext): ScanContext {
  return intercept(base, BackupClient, (cmd, send) =>
    cmd.constructor.name === 'ListTagsCommand' && String(cmd.input.ResourceArn).endsWith(TAGGED) ? Promise.resolve({ Tags: { team: 'platform' } }) : cmd.constructor.name === 'ListTagsCommand' ? send(cmd) : undefined,
  );
}

describe('AWS.Backup.Vault', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeBackupVaultType({ pageSize: 2 });
    // moto answers ListBackupVaults in one page: paged here as AWS Backup pages it.
    const paged = pagedBy(ctx, BackupClient, { command: 'ListBackupVaultsCommand', items: 'BackupVaultList', size: 'MaxResults', tokenIn: 'NextToken' });
    const seen: BackupVaultRef[] = [];
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
    expect(seen.map((r) => r.name).sort()).toEqual(['central', 'scratch', 'third']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a vault with its key, lock settings, tags and access policy', async () => {
    const res = (await BACKUP_VAULT.describe(withTags(withVaultPolicies(await scanContext(account, REGION))), { name: 'central' }))!;
    expect(typeKeys(res)).toEqual(BACKUP_VAULT.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('central'),
      ResourceType: 'AWS.Backup.Vault',
      AccountId: account,
      Region: REGION,
      Arn: arn('central'),
      Name: 'central',
      Tags: { team: 'platform' },
      BackupVaultName: 'central',
      EncryptionKeyArn: keyArn,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(JSON.parse(res.Policy as string).Statement[0].Effect).toBe('Deny');
    expect(BACKUP_VAULT.volatileAttributes).toEqual(['NumberOfRecoveryPoints']);
  });

  it('models a vault without a policy or tags with nulls', async () => {
    expect(await BACKUP_VAULT.describe(ctx, { name: 'scratch' })).toMatchObject({ Tags: null, Policy: null });
  });

  it('returns null for a deleted vault and lets other errors propagate', async () => {
    const backup = moto.clients.get(BackupClient);
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'gone' }));
    await backup.send(new DeleteBackupVaultCommand({ BackupVaultName: 'gone' }));
    expect(await BACKUP_VAULT.describe(ctx, { name: 'gone' })).toBeNull();
    const between = intercept(ctx, BackupClient, (cmd) => (cmd.constructor.name === 'ListTagsCommand' ? Promise.reject(awsError('ResourceNotFoundException', 'gone')) : undefined));
    expect(await BACKUP_VAULT.describe(withVaultPolicies(between), { name: 'third' })).toBeNull();
    const denied = intercept(ctx, BackupClient, (cmd) => (cmd.constructor.name === 'GetBackupVaultAccessPolicyCommand' ? Promise.reject(awsError('AccessDeniedException', 'denied')) : undefined));
    await expect(BACKUP_VAULT.describe(denied, { name: 'central' })).rejects.toThrow('denied');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = BACKUP_VAULT.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('backup.amazonaws.com', name, req));
    expect(refs('CreateBackupVault', { backupVaultName: 'v1', encryptionKeyArn: keyArn })).toEqual([{ name: 'v1' }]);
    expect(refs('PutBackupVaultAccessPolicy', { backupVaultName: 'v2', policy: '{}' })).toEqual([{ name: 'v2' }]);
    expect(refs('TagResource', { resourceArn: arn('v3'), tags: {} })).toEqual([{ name: 'v3' }]);
    expect(refs('TagResource', { resourceArn: `arn:aws:backup:${REGION}:${account}:backup-plan:abc`, tags: {} })).toEqual([]);
    expect(ev.DeleteBackupVault!.action).toBe('delete');
  });
});
