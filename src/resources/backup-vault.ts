/**
 * AWS.Backup.Vault — regional: AWS Backup vaults. ListBackupVaults pages name the vaults;
 * `describe` reads DescribeBackupVault (encryption key, vault lock), the vault's access policy
 * (who may delete recovery points) and its tags.
 */
import {
  BackupClient,
  DescribeBackupVaultCommand,
  DescribeBackupVaultOutput$,
  GetBackupVaultAccessPolicyCommand,
  ListBackupVaultsCommand,
  ListTagsCommand,
} from '@aws-sdk/client-backup';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface BackupVaultRef {
  name: string;
}

export const BACKUP_VAULT_TYPE = 'AWS.Backup.Vault';

const NOT_FOUND = ['ResourceNotFoundException'];

export function backupVaultArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:backup:${target.region}:${target.accountId}:backup-vault:${name}`;
}

/** Every tag of a Backup resource as a map; null when none. */
export async function backupTags(backup: BackupClient, ResourceArn: string): Promise<Record<string, string> | null> {
  const out: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await backup.send(new ListTagsCommand({ ResourceArn, NextToken }));
    Object.assign(out, page.Tags ?? {});
    NextToken = page.NextToken;
  } while (NextToken);
  return Object.keys(out).length > 0 ? out : null;
}

async function model(ctx: ScanContext, name: string): Promise<Resource | null> {
  const backup = ctx.clients.get(BackupClient, ctx.region);
  const vault = await orNull(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name })), ...NOT_FOUND);
  if (!vault?.BackupVaultName) return null;
  const arn = vault.BackupVaultArn ?? backupVaultArn(ctx, name);
  try {
    const [policy, tags] = await Promise.all([
      // A vault without an access policy answers ResourceNotFoundException; the vault was just read.
      orNull(backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: name })), ...NOT_FOUND),
      backupTags(backup, arn),
    ]);
    return {
      ResourceId: arn,
      ResourceType: BACKUP_VAULT_TYPE,
      TimeCreated: iso(vault.CreationDate),
      AccountId: ctx.accountId,
      Region: ctx.region,
      Arn: arn,
      Id: null,
      Name: vault.BackupVaultName,
      Tags: tags,
      ...apiFields(shape(DescribeBackupVaultOutput$, vault)),
      Policy: policy?.Policy ?? null,
    };
  } catch (e) {
    // Deleted between DescribeBackupVault and the tag read.
    if (hasErrorCode(e, ...NOT_FOUND)) return null;
    throw e;
  }
}

/** The vault name of a Backup vault ARN (`…:backup-vault:<name>`). */
const nameOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'backup' && arn.resource.startsWith('backup-vault:') ? arn.resource.slice('backup-vault:'.length) || undefined : undefined;
};

/** The vaults an event names: request `backupVaultName`, or `resourceArn` (tag calls). */
export function backupVaultRefsOf(d: CloudTrailDetail): BackupVaultRef[] {
  return distinct([req(d, 'backupVaultName'), nameOfArn(req(d, 'resourceArn'))]).map((name) => ({ name }));
}

const rescan: EventRule<BackupVaultRef> = { action: 'rescan', refs: backupVaultRefsOf };

export interface BackupVaultOptions {
  /** ListBackupVaults MaxResults per page (1–1000). */
  pageSize?: number;
}

export function makeBackupVaultType(opts: BackupVaultOptions = {}): ResourceType<BackupVaultRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: BACKUP_VAULT_TYPE,
    asffType: 'AwsBackupBackupVault',
    service: 'backup',
    scope: 'regional',
    eventSource: 'backup.amazonaws.com',

    async list(ctx, pageToken) {
      const backup = ctx.clients.get(BackupClient, ctx.region);
      const page = await backup.send(new ListBackupVaultsCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.BackupVaultList ?? []).flatMap((v) => (v.BackupVaultName ? [{ name: v.BackupVaultName }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    describe: (ctx, ref) => model(ctx, ref.name),

    resourceId(target, ref) {
      return backupVaultArn(target, ref.name);
    },

    events: {
      CreateBackupVault: rescan,
      DeleteBackupVault: { action: 'delete', refs: backupVaultRefsOf },
      PutBackupVaultAccessPolicy: rescan,
      DeleteBackupVaultAccessPolicy: rescan,
      PutBackupVaultLockConfiguration: rescan,
      DeleteBackupVaultLockConfiguration: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit grants backup:ListBackupVaults and GetBackupVaultAccessPolicy; the vault
    // describe and the tag read are listed for the SecurityAudit versions that do not.
    // ListBackupVaults per page; per vault DescribeBackupVault, GetBackupVaultAccessPolicy, ListTags.
    apiCalls: { perPage: 1, perResource: 3, perScope: 0 },
    iamActions: ['backup:DescribeBackupVault', 'backup:ListTags'],
    // Every backup job changes the count.
    volatileAttributes: ['NumberOfRecoveryPoints'],

    attributes: [
      ...schemaAttributeDocs(DescribeBackupVaultOutput$, 'DescribeBackupVault', {
        BackupVaultName: ['string', 'The vault name (also Name).'],
        BackupVaultArn: ['string', 'The vault ARN (also ResourceId and Arn).'],
        VaultType: 'BACKUP_VAULT, LOGICALLY_AIR_GAPPED_BACKUP_VAULT or RESTORE_ACCESS_BACKUP_VAULT.',
        EncryptionKeyArn: 'The KMS key that encrypts the recovery points in the vault.',
        EncryptionKeyType: 'AWS_OWNED_KMS_KEY or CUSTOMER_MANAGED_KMS_KEY.',
        CreationDate: ['timestamp', 'When the vault was created (also TimeCreated).'],
        NumberOfRecoveryPoints: 'Recovery points stored in the vault (volatile: every backup changes it).',
        Locked: 'AWS Backup Vault Lock is on: recovery points cannot be deleted before their retention ends.',
        MinRetentionDays: 'Vault Lock minimum retention.',
        MaxRetentionDays: 'Vault Lock maximum retention.',
        LockDate: 'When the Vault Lock becomes immutable (compliance mode).',
      }),
      { name: 'Policy', type: 'string | null', description: 'The vault access policy (GetBackupVaultAccessPolicy) as a JSON string; null when none.' },
    ],
  };
}

export const BACKUP_VAULT: ResourceType<BackupVaultRef> = makeBackupVaultType();
