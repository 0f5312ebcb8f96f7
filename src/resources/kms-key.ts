/**
 * AWS.KMS.Key — regional, customer-managed and AWS-managed keys. DescribeKey's KeyMetadata flat
 * at the top level, the default key policy (JSON string), the rotation status of symmetric
 * customer keys and the tags of customer keys.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KeyMetadata$,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  type KeyMetadata,
  type Tag,
} from '@aws-sdk/client-kms';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { isObj } from './iam-paging.ts';
import { iso, shape } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface KeyRef {
  keyId: string;
  /** The key ARN; known from listings and from events that name the key by ARN. */
  arn?: string;
}

export const KMS_KEY_TYPE = 'AWS.KMS.Key';

const keyArn = (target: ScanTarget, keyId: string) => `arn:${target.partition}:kms:${target.region}:${target.accountId}:key/${keyId}`;

/** A key ID or key ARN as a ref (management calls accept no aliases). */
function toRef(id: string): KeyRef | null {
  const m = /^arn:[^:]+:kms:[^:]+:\d{12}:key\/(.+)$/.exec(id);
  if (m) return { keyId: m[1]!, arn: id };
  if (id.startsWith('arn:') || id.startsWith('alias/')) return null;
  return { keyId: id };
}

/** Keys an event names: request `keyId`, CreateKey's response `keyMetadata`. */
export function keyRefs(d: CloudTrailDetail): KeyRef[] {
  const ids: string[] = [];
  const req = d.requestParameters?.keyId;
  if (typeof req === 'string') ids.push(req);
  const meta = d.responseElements?.keyMetadata;
  if (isObj(meta)) {
    if (typeof meta.arn === 'string') ids.push(meta.arn);
    else if (typeof meta.keyId === 'string') ids.push(meta.keyId);
  }
  const refs = new Map<string, KeyRef>();
  for (const id of ids) {
    const ref = toRef(id);
    // The ARN form wins over a bare ID of the same key.
    if (ref && (!refs.has(ref.keyId) || ref.arn)) refs.set(ref.keyId, ref);
  }
  return [...refs.values()];
}

const rescan: EventRule<KeyRef> = { action: 'rescan', refs: keyRefs };

/** GetKeyRotationStatus answers for symmetric encryption keys with KMS-generated material
 *  (automatic rotation does not exist for asymmetric, HMAC, imported or custom-store keys). AWS
 *  rotates AWS-managed keys yearly on its own; they are not asked either (Panther's model). */
export function rotationApplies(m: KeyMetadata): boolean {
  return m.KeyManager === 'CUSTOMER' && (m.KeySpec ?? m.CustomerMasterKeySpec) === 'SYMMETRIC_DEFAULT' && m.Origin === 'AWS_KMS';
}

async function tagsOf(kms: KMSClient, KeyId: string): Promise<Record<string, string> | null> {
  const tags: Tag[] = [];
  let Marker: string | undefined;
  do {
    const r = await kms.send(new ListResourceTagsCommand({ KeyId, Marker }));
    tags.push(...(r.Tags ?? []));
    Marker = r.Truncated ? r.NextMarker : undefined;
  } while (Marker);
  if (tags.length === 0) return null;
  return Object.fromEntries(tags.flatMap((t) => (t.TagKey !== undefined ? [[t.TagKey, t.TagValue ?? '']] : [])));
}

export interface KmsKeyOptions {
  /** ListKeys Limit per page (1–1000; each key costs ~4 describe calls). */
  pageSize?: number;
}

export function makeKmsKeyType(opts: KmsKeyOptions = {}): ResourceType<KeyRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: KMS_KEY_TYPE,
    asffType: 'AwsKmsKey',
    service: 'kms',
    scope: 'regional',
    eventSource: 'kms.amazonaws.com',

    async list(ctx, pageToken) {
      const kms = ctx.clients.get(KMSClient, ctx.region);
      const page = await kms.send(new ListKeysCommand({ Limit: pageSize, Marker: pageToken }));
      const refs = (page.Keys ?? []).flatMap((k) => (k.KeyId ? [{ keyId: k.KeyId, ...(k.KeyArn ? { arn: k.KeyArn } : {}) }] : []));
      return { refs, ...(page.Truncated && page.NextMarker ? { nextPageToken: page.NextMarker } : {}) };
    },

    async describe(ctx, ref) {
      const kms = ctx.clients.get(KMSClient, ctx.region);
      const KeyId = ref.arn ?? ref.keyId;
      try {
        const { KeyMetadata: meta } = await kms.send(new DescribeKeyCommand({ KeyId }));
        if (!meta?.Arn || !meta.KeyId) return null;
        const customer = meta.KeyManager === 'CUSTOMER';
        const [policy, rotation, tags] = await Promise.all([
          kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' })),
          // A key pending deletion or import answers KMSInvalidStateException: status unknown.
          rotationApplies(meta)
            ? orNull(kms.send(new GetKeyRotationStatusCommand({ KeyId })), 'KMSInvalidStateException', 'UnsupportedOperationException')
            : null,
          // Some AWS-managed keys (aws/acm) deny ListResourceTags to every caller; AWS-managed keys carry no tags.
          customer ? tagsOf(kms, KeyId) : null,
        ]);
        const metadata = shape(KeyMetadata$, meta) as Record<string, unknown>;
        const resource: Resource = {
          ResourceId: meta.Arn,
          ResourceType: KMS_KEY_TYPE,
          TimeCreated: iso(meta.CreationDate),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: meta.Arn,
          Id: meta.KeyId,
          Name: null,
          Tags: tags,
          ...metadata,
          KeyRotationEnabled: rotation?.KeyRotationEnabled ?? null,
          Policy: policy.Policy ?? null,
        };
        return resource;
      } catch (e) {
        // Deleted (after its waiting period) before or during the describe calls.
        if (hasErrorCode(e, 'NotFoundException')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return ref.arn ?? keyArn(target, ref.keyId);
    },

    events: {
      CreateKey: rescan,
      // Deletion only schedules: the key stays (KeyState PendingDeletion) until the waiting
      // period ends; the daily scan then reconciles it away.
      ScheduleKeyDeletion: rescan,
      CancelKeyDeletion: rescan,
      EnableKey: rescan,
      DisableKey: rescan,
      EnableKeyRotation: rescan,
      DisableKeyRotation: rescan,
      RotateKeyOnDemand: rescan,
      PutKeyPolicy: rescan,
      UpdateKeyDescription: rescan,
      TagResource: rescan,
      UntagResource: rescan,
      ImportKeyMaterial: rescan,
      DeleteImportedKeyMaterial: rescan,
      // The primary's MultiRegionConfiguration lists its replicas.
      ReplicateKey: rescan,
      UpdatePrimaryRegion: rescan,
    },

    // SecurityAudit covers every call: kms:Describe*, kms:Get*, kms:List*.
    // ListKeys per page; per key DescribeKey and GetKeyPolicy (+ GetKeyRotationStatus and ListResourceTags for customer keys).
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'AWSAccountId', type: 'string', description: 'The account that owns the key.' },
      { name: 'KeyId', type: 'string', description: 'The key ID (a UUID, or mrk-... for multi-Region keys).' },
      { name: 'CreationDate', type: 'timestamp', description: 'When the key was created.' },
      { name: 'Enabled', type: 'boolean', description: 'Whether the key is enabled.' },
      { name: 'Description', type: 'string', description: 'The key description ("" when none).' },
      { name: 'KeyUsage', type: 'string', description: 'ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC or KEY_AGREEMENT.' },
      { name: 'KeyState', type: 'string', description: 'Enabled, Disabled, PendingDeletion, PendingImport, PendingReplicaDeletion, Unavailable, Creating, Updating.' },
      { name: 'DeletionDate', type: 'timestamp | null', description: 'When a key pending deletion will be deleted; null otherwise.' },
      { name: 'ValidTo', type: 'timestamp | null', description: 'When imported key material expires; null when it does not.' },
      { name: 'Origin', type: 'string', description: 'Source of the key material: AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE.' },
      { name: 'CustomKeyStoreId', type: 'string | null', description: 'The custom key store of the key; null when none.' },
      { name: 'CloudHsmClusterId', type: 'string | null', description: 'The CloudHSM cluster of a key in a CloudHSM key store; null otherwise.' },
      { name: 'ExpirationModel', type: 'string | null', description: 'KEY_MATERIAL_EXPIRES or KEY_MATERIAL_DOES_NOT_EXPIRE for imported material; null otherwise.' },
      { name: 'KeyManager', type: 'string', description: '"CUSTOMER" or "AWS" (AWS-managed keys, aliases aws/<service>).' },
      { name: 'CustomerMasterKeySpec', type: 'string', description: 'Deprecated synonym of KeySpec.' },
      { name: 'KeySpec', type: 'string', description: 'SYMMETRIC_DEFAULT, RSA_*, ECC_*, HMAC_*, ML_DSA_*, SM2.' },
      { name: 'EncryptionAlgorithms', type: 'list<string> | null', description: 'Encryption algorithms the key supports; null for non-encryption keys.' },
      { name: 'SigningAlgorithms', type: 'list<string> | null', description: 'Signing algorithms the key supports; null for non-signing keys.' },
      { name: 'KeyAgreementAlgorithms', type: 'list<string> | null', description: 'Key agreement algorithms; null for other keys.' },
      { name: 'EncapsulationAlgorithms', type: 'list<string> | null', description: 'Key encapsulation algorithms; null for other keys.' },
      { name: 'MultiRegion', type: 'boolean', description: 'Whether the key is a multi-Region key.' },
      { name: 'MultiRegionConfiguration', type: '{MultiRegionKeyType, PrimaryKey, ReplicaKeys} | null', description: 'Primary and replicas of a multi-Region key; null otherwise.' },
      { name: 'PendingDeletionWindowInDays', type: 'integer | null', description: 'Waiting period of a pending deletion; null otherwise.' },
      { name: 'MacAlgorithms', type: 'list<string> | null', description: 'MAC algorithms of an HMAC key; null otherwise.' },
      { name: 'XksKeyConfiguration', type: '{Id} | null', description: 'The external key of an external key store key; null otherwise.' },
      { name: 'CurrentKeyMaterialId', type: 'string | null', description: 'The current key material of a symmetric key; null when not reported.' },
      { name: 'KeyRotationEnabled', type: 'boolean | null', description: 'GetKeyRotationStatus of a symmetric customer key with KMS-generated material; null for every other key (AWS-managed keys rotate yearly on their own; asymmetric, HMAC, imported and custom-store keys cannot rotate automatically) and while a key is pending deletion or import.' },
      { name: 'Policy', type: 'string', description: 'The default key policy as a JSON string.' },
    ],
  };
}

export const KMS_KEY: ResourceType<KeyRef> = makeKmsKeyType();
