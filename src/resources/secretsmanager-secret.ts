/**
 * AWS.SecretsManager.Secret — regional, METADATA ONLY. ListSecrets, then per secret DescribeSecret
 * and GetResourcePolicy. Posture never calls GetSecretValue or BatchGetSecretValue: the secret's
 * value is never read, so it cannot be stored, hashed, evaluated or sent. The member role is not
 * granted secretsmanager:GetSecretValue (SecurityAudit does not grant it either).
 */
import {
  DescribeSecretCommand,
  DescribeSecretResponse$,
  GetResourcePolicyCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface SecretRef {
  /** The secret ARN, or (from events that name it so) its name. */
  id: string;
}

export const SECRETSMANAGER_SECRET_TYPE = 'AWS.SecretsManager.Secret';

/** Secrets an event names: request `secretId` (ARN or name), CreateSecret's `name`, response `aRN`/`arn`. */
export function secretRefsOf(d: CloudTrailDetail): SecretRef[] {
  const arnOrName = [req(d, 'secretId'), res(d, 'aRN'), res(d, 'arn')];
  const created = d.eventName === 'CreateSecret' && !res(d, 'aRN') && !res(d, 'arn') ? req(d, 'name') : undefined;
  // A responseElements ARN and a request secretId that is the same ARN collapse to one ref.
  return distinct([...arnOrName, created]).map((id) => ({ id }));
}

const rescan: EventRule<SecretRef> = { action: 'rescan', refs: secretRefsOf };

export interface SecretsManagerSecretOptions {
  /** ListSecrets MaxResults per page (1–100). */
  pageSize?: number;
}

export function makeSecretsManagerSecretType(opts: SecretsManagerSecretOptions = {}): ResourceType<SecretRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: SECRETSMANAGER_SECRET_TYPE,
    asffType: 'AwsSecretsManagerSecret',
    service: 'secretsmanager',
    scope: 'regional',
    eventSource: 'secretsmanager.amazonaws.com',

    async list(ctx, pageToken) {
      const sm = ctx.clients.get(SecretsManagerClient, ctx.region);
      const page = await sm.send(new ListSecretsCommand({ MaxResults: pageSize, NextToken: pageToken, IncludePlannedDeletion: true }));
      const refs = (page.SecretList ?? []).flatMap((s) => (s.ARN ? [{ id: s.ARN }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const sm = ctx.clients.get(SecretsManagerClient, ctx.region);
      try {
        const secret = await sm.send(new DescribeSecretCommand({ SecretId: ref.id }));
        if (!secret.ARN) return null;
        const policy = await sm.send(new GetResourcePolicyCommand({ SecretId: secret.ARN }));
        const fields = apiFields(shape(DescribeSecretResponse$, secret), 'Tags');
        const resource: Resource = {
          ResourceId: secret.ARN,
          ResourceType: SECRETSMANAGER_SECRET_TYPE,
          TimeCreated: iso(secret.CreatedDate),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: secret.ARN,
          Id: secret.ARN,
          Name: secret.Name ?? null,
          Tags: tagMap(secret.Tags),
          ...fields,
          ResourcePolicy: policy.ResourcePolicy ?? null,
        };
        return resource;
      } catch (e) {
        // Deleted (after its recovery window) before or during the describe calls.
        if (hasErrorCode(e, 'ResourceNotFound')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      // A ref from an event may carry the name only: the real-time path then reconciles the scope.
      return parseArn(ref.id)?.service === 'secretsmanager' ? ref.id : undefined;
    },

    events: {
      CreateSecret: rescan,
      // Deletion schedules (DeletedDate is set) unless ForceDeleteWithoutRecovery: rescan, and a
      // describe that finds nothing tombstones it.
      DeleteSecret: rescan,
      RestoreSecret: rescan,
      UpdateSecret: rescan,
      RotateSecret: rescan,
      CancelRotateSecret: rescan,
      PutResourcePolicy: rescan,
      DeleteResourcePolicy: rescan,
      TagResource: rescan,
      UntagResource: rescan,
      ReplicateSecretToRegions: rescan,
      RemoveRegionsFromReplication: rescan,
      StopReplicationToReplica: rescan,
      // A new value moves version stages (VersionIdsToStages, LastChangedDate); the value itself is never read.
      PutSecretValue: rescan,
      UpdateSecretVersionStage: rescan,
    },

    // SecurityAudit covers every call: secretsmanager:ListSecrets, DescribeSecret, GetResourcePolicy.
    // Never GetSecretValue. ListSecrets per page; per secret DescribeSecret and GetResourcePolicy.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],
    // The last access date moves with use (AWS rounds it to the day), not with configuration.
    volatileAttributes: ['LastAccessedDate'],

    attributes: [
      { name: 'ARN', type: 'string', description: 'The secret ARN (also ResourceId, Arn and Id).' },
      { name: 'Description', type: 'string | null', description: 'The secret description.' },
      { name: 'KmsKeyId', type: 'string | null', description: 'The KMS key encrypting the secret value; null when the AWS managed key aws/secretsmanager is used.' },
      { name: 'RotationEnabled', type: 'boolean | null', description: 'Whether automatic rotation is turned on (null: never configured).' },
      { name: 'RotationLambdaARN', type: 'string | null', description: 'The Lambda function that rotates the secret.' },
      { name: 'RotationRules', type: '{AutomaticallyAfterDays, Duration, ScheduleExpression} | null', description: 'The rotation schedule.' },
      { name: 'ExternalSecretRotationMetadata', type: 'list<{Key, Value}> | null', description: 'Rotation metadata of a secret managed by a partner (external secret).' },
      { name: 'ExternalSecretRotationRoleArn', type: 'string | null', description: 'The role used to rotate an external secret.' },
      { name: 'LastRotatedDate', type: 'timestamp | null', description: 'When the secret was last rotated.' },
      { name: 'LastChangedDate', type: 'timestamp | null', description: 'When the secret (metadata or value) last changed.' },
      { name: 'LastAccessedDate', type: 'timestamp | null', description: 'The day the secret value was last retrieved (volatile: left out of the change hash).' },
      { name: 'DeletedDate', type: 'timestamp | null', description: 'When the secret is scheduled to be deleted; null unless deletion is pending.' },
      { name: 'NextRotationDate', type: 'timestamp | null', description: 'The next scheduled rotation.' },
      { name: 'VersionIdsToStages', type: 'map<string, list<string>> | null', description: 'Version IDs and their staging labels (AWSCURRENT, AWSPREVIOUS, AWSPENDING); version IDs only, never values.' },
      { name: 'OwningService', type: 'string | null', description: 'The AWS service that manages the secret (e.g. rds), or null.' },
      { name: 'CreatedDate', type: 'timestamp', description: 'When the secret was created (also TimeCreated).' },
      { name: 'PrimaryRegion', type: 'string | null', description: 'The primary region of a replicated secret.' },
      { name: 'ReplicationStatus', type: 'list<{Region, KmsKeyId, Status, StatusMessage, LastAccessedDate}> | null', description: 'The secret replicas.' },
      { name: 'Type', type: 'string | null', description: 'The secret type reported by DescribeSecret, when AWS reports one.' },
      { name: 'ResourcePolicy', type: 'string | null', description: 'GetResourcePolicy: the resource-based policy as a JSON string; null when none.' },
    ],
  };
}

export const SECRETSMANAGER_SECRET: ResourceType<SecretRef> = makeSecretsManagerSecretType();
