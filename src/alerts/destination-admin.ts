/**
 * Adding and removing destinations (`posture destinations`): the Destinations item and, for Slack
 * and webhooks, the secret `posture/destinations/<id>` that holds the URL (and signing key). The
 * URL comes from an environment variable or stdin, never from the command line, and is never
 * printed. Re-adding an existing destination without a new URL keeps its secret (and so a
 * webhook's signing key): changing a minimum severity does not rotate anything.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  RestoreSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { Severity } from '#core/types.ts';
import type { DestinationStore } from '#store/destination-store.ts';
import {
  DEFAULT_TOPIC_ID,
  DestinationError,
  secretName,
  validateDeliveryUrl,
  validateDestination,
  type Destination,
  type DestinationType,
} from './destination-config.ts';

export interface AddDestinationInput {
  destinationId: string;
  type: DestinationType;
  minSeverity: Severity;
  default: boolean;
  /** slack / webhook: the delivery URL (required when the destination is new). */
  url?: string;
  /** webhook: the HMAC key; generated (32 random bytes, hex) when the destination is new. */
  signingKey?: string;
  /** sns: the topic. */
  topicArn?: string;
  description?: string;
}

export interface AdminPorts {
  store: DestinationStore;
  secrets: SecretsManagerClient;
  now: Date;
  allowLoopbackHttp: boolean;
}

export interface AddResult {
  destination: Destination;
  secret?: { name: string; created: boolean; updated: boolean; keyGenerated: boolean };
}

/** The current secret (ARN and JSON fields; a non-JSON value reads as no fields), or undefined. */
async function readSecret(client: SecretsManagerClient, name: string): Promise<{ arn: string; fields: Record<string, unknown> } | undefined> {
  let r;
  try {
    r = await client.send(new GetSecretValueCommand({ SecretId: name }));
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    // Removed earlier and still in its recovery window: restore it, then update it.
    if ((err as Error).name !== 'InvalidRequestException' || !/deleted|deletion/i.test((err as Error).message)) throw err;
    await client.send(new RestoreSecretCommand({ SecretId: name }));
    r = await client.send(new GetSecretValueCommand({ SecretId: name }));
  }
  let fields: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(r.SecretString ?? '');
    if (parsed && typeof parsed === 'object') fields = parsed as Record<string, unknown>;
  } catch {
    // Replaced below with a valid value.
  }
  return { arn: r.ARN!, fields };
}

export async function addDestination(input: AddDestinationInput, ports: AdminPorts): Promise<AddResult> {
  const { destinationId: id, type } = input;
  // Validate the item's shape first (ID, severity), so a usage error costs no AWS call.
  const probe = { destinationId: id, type, minSeverity: input.minSeverity, default: input.default, description: input.description };
  if (type === 'sns') {
    if (input.url || input.signingKey) throw new DestinationError(`destination ${id}: an sns destination takes --topic-arn, not a URL or signing key`);
    if (id === DEFAULT_TOPIC_ID && input.topicArn) throw new DestinationError(`destination ${id}: the built-in topic's ARN is the stack's; only --min-severity and --default can change`);
    const destination = validateDestination(probe.destinationId === DEFAULT_TOPIC_ID ? probe : { ...probe, topicArn: input.topicArn });
    return { destination: await ports.store.put(destination, ports.now) };
  }
  if (id === DEFAULT_TOPIC_ID) throw new DestinationError(`destination ${id}: reserved for the stack's SNS topic`);
  if (input.topicArn) throw new DestinationError(`destination ${id}: --topic-arn is for sns destinations`);
  if (type === 'slack' && input.signingKey) throw new DestinationError(`destination ${id}: a signing key is for webhook destinations`);
  validateDestination({ ...probe, secretArn: 'pending' });
  const checkUrl = (url: string) => {
    try {
      validateDeliveryUrl(url, { allowLoopbackHttp: ports.allowLoopbackHttp });
    } catch (err) {
      throw err instanceof DestinationError ? new DestinationError(`destination ${id}: ${err.message}`) : err;
    }
  };
  if (input.url !== undefined) checkUrl(input.url);
  if (input.signingKey !== undefined && input.signingKey.length < 32) throw new DestinationError(`destination ${id}: signing key: at least 32 characters`);

  const name = secretName(id);
  const current = await readSecret(ports.secrets, name);
  const existing = current?.fields;
  const url = input.url?.trim() ?? (typeof existing?.url === 'string' ? existing.url : undefined);
  if (!url) throw new DestinationError(`destination ${id}: url: required for a new ${type} destination (--url-env NAME or --url-stdin)`);
  checkUrl(url);
  let keyGenerated = false;
  let signingKey: string | undefined;
  if (type === 'webhook') {
    signingKey = input.signingKey ?? (typeof existing?.signingKey === 'string' ? existing.signingKey : undefined);
    if (!signingKey) {
      signingKey = randomBytes(32).toString('hex');
      keyGenerated = true;
    }
  }
  const value = JSON.stringify(type === 'webhook' ? { url, signingKey } : { url });
  let secretArn: string;
  let created = false;
  let updated = false;
  if (!current) {
    const r = await ports.secrets.send(
      new CreateSecretCommand({ Name: name, SecretString: value, Description: `Posture alert destination ${id} (${type})`, Tags: [{ Key: 'posture:destination', Value: id }] }),
    );
    secretArn = r.ARN!;
    created = true;
  } else {
    const fields = current.fields;
    const same = fields.url === url && (type !== 'webhook' || fields.signingKey === signingKey) && Object.keys(fields).length === (type === 'webhook' ? 2 : 1);
    if (same) {
      secretArn = current.arn;
    } else {
      secretArn = (await ports.secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }))).ARN!;
      updated = true;
    }
  }
  const destination = await ports.store.put(validateDestination({ ...probe, secretArn }), ports.now);
  return { destination, secret: { name, created, updated, keyGenerated } };
}

export interface RemoveResult {
  removed: Destination | undefined;
  /** The secret scheduled for deletion (recoverable for RECOVERY_DAYS). */
  secretDeleted?: string;
}

export const RECOVERY_DAYS = 7;

export async function removeDestination(destinationId: string, ports: Pick<AdminPorts, 'store' | 'secrets'>): Promise<RemoveResult> {
  const removed = await ports.store.remove(destinationId);
  if (!removed || !removed.secretArn) return { removed };
  try {
    await ports.secrets.send(new DeleteSecretCommand({ SecretId: removed.secretArn, RecoveryWindowInDays: RECOVERY_DAYS }));
    return { removed, secretDeleted: secretName(destinationId) };
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return { removed };
    throw err;
  }
}
