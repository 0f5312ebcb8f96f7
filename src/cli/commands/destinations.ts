/**
 * `posture destinations add|list|remove|test`: where alerts go (docs/destinations.md). URLs and
 * signing keys are read from an environment variable or stdin and stored in Secrets Manager; the
 * CLI never prints them.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { OUTPUTS } from '../../../lib/outputs.ts';
import { redriveDeliveries } from '#alerts/delivery-redrive.ts';
import { sampleAlert } from '#alerts/test-alert.ts';
import { addDestination, RECOVERY_DAYS, removeDestination, type AddDestinationInput } from '#alerts/destination-admin.ts';
import { DEFAULT_TOPIC_ID, DESTINATION_TYPES, DestinationError, parseSeverity, type Destination, type DestinationType } from '#alerts/destination-config.ts';
import { SecretCache } from '#alerts/destination-secrets.ts';
import { DestinationSender } from '#alerts/destination-sender.ts';
import { effectiveDestinations } from '#alerts/routing.ts';
import { systemClock } from '#core/types.ts';
import { LOCAL_PREFIX } from '#local/bootstrap.ts';
import { documentClient } from '#store/dynamo.ts';
import { DestinationStore } from '#store/destination-store.ts';
import { renderTable } from '../table.ts';
import type { Target, TargetOptions } from '../target.ts';
import { addFormatOptions, addIdArgument, addTargetOptions, idOf, targetOrExit } from './options.ts';

interface AddOptions extends TargetOptions {
  id?: string;
  type?: string;
  minSeverity?: string;
  default?: boolean;
  urlEnv?: string;
  urlStdin?: boolean;
  signingKeyEnv?: string;
  topicArn?: string;
  description?: string;
}

const storeOf = (t: Target) => new DestinationStore(documentClient(t.clients), t.tables.Destinations);

/** The stack's alerts topic: from the stack outputs, or the local runtime's `posture-alerts`. */
export function alertsTopicArn(t: Target): string {
  if (t.kind === 'stack') {
    const arn = t.outputs[OUTPUTS.alertsTopicArn];
    if (!arn) throw new DestinationError(`--stack ${t.name}: output ${OUTPUTS.alertsTopicArn} is missing`);
    return arn;
  }
  return `arn:aws:sns:${t.clients.region}:${t.securityAccountId}:${LOCAL_PREFIX}-alerts`;
}

/** The delivery DLQ: from the stack outputs, or the local runtime's queue. */
async function deliveryQueueUrl(t: Target): Promise<string> {
  if (t.kind === 'stack') {
    const url = t.outputs[OUTPUTS.alertDeliveryDlqUrl];
    if (!url) throw new DestinationError(`--stack ${t.name}: output ${OUTPUTS.alertDeliveryDlqUrl} is missing (deploy the current version)`);
    return url;
  }
  return (await t.clients.get(SQSClient).send(new GetQueueUrlCommand({ QueueName: `${LOCAL_PREFIX}-alert-delivery-dlq` }))).QueueUrl!;
}

const senderFor = (t: Target, topicArn: string) =>
  new DestinationSender({
    secrets: new SecretCache(t.clients.get(SecretsManagerClient)),
    sns: t.clients.get(SNSClient),
    defaultTopicArn: topicArn,
    clock: systemClock,
    allowLoopbackHttp: t.kind === 'local',
  });

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new DestinationError('url-stdin: stdin is a terminal; pipe the URL in (e.g. from a password manager)');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

function fromEnv(option: string, name: string): string {
  const v = process.env[name];
  if (!v) throw new DestinationError(`${option}: environment variable ${name} is not set`);
  return v;
}

/** Parses the add options into an input (usage errors before any AWS call). */
export async function addInput(opts: AddOptions): Promise<AddDestinationInput> {
  if (!opts.id) throw new DestinationError('id: required (e.g. --id sec-slack)');
  if (!opts.type || !DESTINATION_TYPES.includes(opts.type as DestinationType)) throw new DestinationError(`type: '${opts.type ?? ''}' is not one of ${DESTINATION_TYPES.join(', ')}`);
  if (opts.urlEnv && opts.urlStdin) throw new DestinationError('url: give --url-env or --url-stdin, not both');
  const url = opts.urlEnv ? fromEnv('url-env', opts.urlEnv) : opts.urlStdin ? await readStdin() : undefined;
  return {
    destinationId: opts.id,
    type: opts.type as DestinationType,
    minSeverity: parseSeverity(opts.minSeverity ?? 'Info'),
    default: Boolean(opts.default),
    url,
    signingKey: opts.signingKeyEnv ? fromEnv('signing-key-env', opts.signingKeyEnv) : undefined,
    topicArn: opts.topicArn,
    description: opts.description,
  };
}

export function destinationRows(list: readonly Destination[]): string[][] {
  return list.map((d) => [
    d.destinationId,
    d.type,
    d.minSeverity,
    d.default ? 'yes' : 'no',
    // The secret's name (the part of its ARN before the random suffix), never its value.
    d.secretArn ? (d.secretArn.split(':secret:')[1] ?? d.secretArn).replace(/-[A-Za-z0-9]{6}$/, '') : (d.topicArn ?? ''),
    d.description ?? '',
  ]);
}

/** Reports a DestinationError as one line with exit code 2; anything else propagates. */
async function usage(verb: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    console.error(`posture destinations ${verb}: ${err.message}`);
    process.exitCode = 2;
  }
}

export function registerDestinations(program: Command): void {
  const cmd = program.command('destinations').description(`where alerts go: the stack's topic (${DEFAULT_TOPIC_ID}), Slack, signed webhooks, other topics`);

  addTargetOptions(
    cmd
      .command('add')
      .description('add or update a destination (URL and signing key go to Secrets Manager as posture/destinations/<id>)')
      .option('--id <id>', 'destination ID (lower-case letters, digits, -); policies name it in OutputIds / destinations()')
      .option('--type <type>', DESTINATION_TYPES.join(' | '))
      .option('--min-severity <severity>', 'lowest severity delivered: Info, Low, Medium, High, Critical', 'Info')
      .option('--default', 'also receives alerts whose policy names no destination')
      .option('--url-env <name>', 'slack/webhook: read the URL from this environment variable')
      .option('--url-stdin', 'slack/webhook: read the URL from stdin')
      .option('--signing-key-env <name>', 'webhook: HMAC key from this environment variable (default: keep the current one, or generate one)')
      .option('--topic-arn <arn>', 'sns: a topic in the stack account and region named posture-*')
      .option('--description <text>', 'what it is for'),
  ).action((opts: AddOptions) =>
    usage('add', async () => {
      const input = await addInput(opts);
      const target = await targetOrExit('destinations add', opts);
      if (!target) return;
      const r = await addDestination(input, { store: storeOf(target), secrets: target.clients.get(SecretsManagerClient), now: new Date(), allowLoopbackHttp: target.kind === 'local' });
      const d = r.destination;
      console.log(`${d.destinationId}: ${d.type}, min severity ${d.minSeverity}${d.default ? ', default' : ''}`);
      if (r.secret) {
        const what = r.secret.created ? 'created' : r.secret.updated ? 'updated' : 'unchanged';
        console.log(`secret ${r.secret.name}: ${what}`);
        if (r.secret.keyGenerated) {
          console.log(`a signing key was generated; give it to the receiver from Secrets Manager (field signingKey): aws secretsmanager get-secret-value --secret-id ${r.secret.name}`);
        }
      }
      console.log(`applies to alerts dispatched from now on (deployed: within a minute); check it with posture destinations test --id ${d.destinationId}`);
    }),
  );

  addTargetOptions(addFormatOptions(cmd.command('list').description('list destinations (the built-in topic included); secrets are not read'), ['table', 'json'], 'table')).action(
    (opts: TargetOptions & { json?: boolean }) =>
      usage('list', async () => {
        const target = await targetOrExit('destinations list', opts);
        if (!target) return;
        const loaded = await storeOf(target).load();
        for (const e of loaded.errors) console.error(`posture destinations list: ${e} (ignored by the dispatcher)`);
        const all = effectiveDestinations(loaded.destinations, alertsTopicArn(target));
        if (opts.json) console.log(JSON.stringify(all, null, 2));
        else console.log(renderTable(['ID', 'TYPE', 'MIN SEVERITY', 'DEFAULT', 'SECRET / TOPIC', 'DESCRIPTION'], destinationRows(all), 80));
      }),
  );

  const remove = cmd.command('remove').description('remove a destination; its secret is scheduled for deletion');
  addTargetOptions(addIdArgument(remove, 'the destination ID')).action(
    (arg: string | undefined, opts: TargetOptions & { id?: string }) =>
      usage('remove', async () => {
        opts.id = idOf(remove, arg, opts.id);
        const target = await targetOrExit('destinations remove', opts);
        if (!target) return;
        const r = await removeDestination(opts.id, { store: storeOf(target), secrets: target.clients.get(SecretsManagerClient) });
        if (!r.removed) {
          console.error(`posture destinations remove: no destination ${opts.id}${opts.id === DEFAULT_TOPIC_ID ? ' override (the built-in topic cannot be removed)' : ''}`);
          process.exitCode = 1;
          return;
        }
        if (opts.id === DEFAULT_TOPIC_ID) console.log(`${DEFAULT_TOPIC_ID}: back to its defaults (min severity Info, default)`);
        else console.log(`removed ${opts.id}${r.secretDeleted ? `; secret ${r.secretDeleted} is deleted after ${RECOVERY_DAYS} days (restored if the ID is added again before)` : ''}`);
        console.log('policies that still name it fall back to the default destinations');
      }),
  );

  const test = cmd.command('test').description('send a sample alert to one destination (its minimum severity is ignored) and report the answer');
  addTargetOptions(addIdArgument(test, 'the destination ID').option('--severity <severity>', 'severity of the sample alert', 'High')).action((arg: string | undefined, opts: TargetOptions & { id?: string; severity: string }) =>
    usage('test', async () => {
      opts.id = idOf(test, arg, opts.id);
      const severity = parseSeverity(opts.severity);
      const target = await targetOrExit('destinations test', opts);
      if (!target) return;
      const topicArn = alertsTopicArn(target);
      const loaded = await storeOf(target).load();
      const d = effectiveDestinations(loaded.destinations, topicArn).find((x) => x.destinationId === opts.id);
      if (!d) throw new DestinationError(`id: no destination ${opts.id} (see posture destinations list)`);
      try {
        const { attempts } = await senderFor(target, topicArn).deliverTo(d, sampleAlert({ name: target.name, securityAccountId: target.securityAccountId, region: target.clients.region }, severity, new Date()));
        console.log(`delivered a ${severity} test alert to ${d.destinationId} (${d.type}) in ${attempts} attempt${attempts === 1 ? '' : 's'}`);
      } catch (err) {
        console.error(`posture destinations test: ${d.destinationId}: ${(err as Error).message}`);
        process.exitCode = 1;
      }
    }),
  );

  addTargetOptions(
    cmd
      .command('redrive')
      .description('re-deliver alerts parked on the delivery DLQ to their destination (deleted from the queue once delivered)')
      .option('--id <id>', 'only this destination')
      .option('--max <n>', 'at most this many messages', '100'),
  ).action((opts: TargetOptions & { id?: string; max: string }) =>
    usage('redrive', async () => {
      const max = Number(opts.max);
      if (!Number.isInteger(max) || max < 1) throw new DestinationError(`max: '${opts.max}' is not a positive integer`);
      const target = await targetOrExit('destinations redrive', opts);
      if (!target) return;
      const topicArn = alertsTopicArn(target);
      const loaded = await storeOf(target).load();
      const r = await redriveDeliveries(
        {
          sqs: target.clients.get(SQSClient),
          queueUrl: await deliveryQueueUrl(target),
          destinations: effectiveDestinations(loaded.destinations, topicArn),
          sender: senderFor(target, topicArn),
          resources: target.resources,
        },
        { destinationId: opts.id, max },
      );
      for (const d of r.delivered) console.log(`delivered ${d.alertKey} to ${d.destinationId}`);
      for (const f of r.failed) console.error(`posture destinations redrive: ${f.destinationId}: ${f.alertKey}: ${f.reason} (left on the queue)`);
      console.log(`${r.delivered.length} redelivered, ${r.failed.length} still failing${r.skipped ? `, ${r.skipped} left for other destinations` : ''}`);
      if (r.failed.length) process.exitCode = 1;
    }),
  );
}
