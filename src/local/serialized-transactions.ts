/**
 * An emulator workaround, injected by the local runtime (never written into the stores): moto's
 * TransactWriteItems is not safe against concurrent transactions (they fail with HTTP 500), so
 * against the emulator a document client runs its transactions one at a time. DynamoDB isolates
 * transactions itself, and the stores' optimistic-version logic under test is the same either way.
 */
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** `doc` with its TransactWriteCommands queued behind each other; every other command as is. */
export function serializeTransactWrites(doc: DynamoDBDocumentClient): DynamoDBDocumentClient {
  let queue: Promise<unknown> = Promise.resolve();
  return new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
      return (command: unknown, ...rest: unknown[]) => {
        const send = () => (target.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
        if (!(command instanceof TransactWriteCommand)) return send();
        const mine = queue.then(send, send);
        queue = mine.catch(() => undefined);
        return mine;
      };
    },
  });
}
