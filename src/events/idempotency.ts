/**
 * At-most-once rescans per CloudTrail event, with Powertools idempotency on the Idempotency table.
 * The key is the eventID plus the target (one event can name several resources or types).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { OncePerEvent } from './realtime.ts';

export interface PowertoolsOnce {
  once: OncePerEvent;
  /** Lets an in-progress record expire with the invocation (a crashed invocation must not block retries). */
  registerLambdaContext(context: Pick<Context, 'getRemainingTimeInMillis'>): void;
}

export function powertoolsOnce(tableName: string, client: DynamoDBClient, expiresAfterSeconds = 24 * 3600): PowertoolsOnce {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'idempotencyKey', expiresAfterSeconds });
  const runners = new Map<string, () => Promise<void>>();
  const run = makeIdempotent(
    async (input: { idempotencyKey: string; runner: string }) => {
      await runners.get(input.runner)!();
      return { done: true };
    },
    {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client }),
      config,
    },
  );
  const once: OncePerEvent = async (target, fn) => {
    const runner = randomUUID();
    runners.set(runner, fn);
    try {
      await run({ idempotencyKey: `${target.eventID}#${target.resourceType}#${JSON.stringify(target.ref ?? target.action)}`, runner });
    } finally {
      runners.delete(runner);
    }
  };
  return { once, registerLambdaContext: (context) => config.registerLambdaContext(context as Context) };
}
