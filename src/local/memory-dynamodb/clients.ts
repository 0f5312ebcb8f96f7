/**
 * SDK clients whose DynamoDB is the in-memory database: `posture scan`'s one-shot store. Any other
 * service called through them fails with one line naming it (a one-shot scan has no queues, topic
 * or bus: nothing outlives the run).
 */
import { createClients, type AwsClients } from '#aws/clients.ts';
import { MemoryDynamoDb } from './database.ts';
import { memoryDynamoHandler } from './handler.ts';

export function memoryStoreClients(db: MemoryDynamoDb = new MemoryDynamoDb()): AwsClients {
  return createClients({
    region: 'us-east-1',
    // Never dialled: the handler answers in process. The SDK still signs, so it needs credentials.
    endpoint: 'http://posture-memory-store.invalid',
    credentials: { accessKeyId: 'memory', secretAccessKey: 'memory' },
    requestHandler: memoryDynamoHandler(db),
    maxAttempts: 1,
    // No network: no cap needed on requests in flight.
    concurrency: { dynamodb: 1_000 },
  });
}
