/**
 * The Destinations table: alert destinations the operator manages at run time (`posture
 * destinations`). Few items, read whole. An item that no longer validates is reported by ID and
 * left out, so one bad row cannot stop delivery to the others.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DestinationError, validateDestination, type Destination } from '#alerts/destination-config.ts';
import { isConditionFailure, scanAll } from './dynamo.ts';

export interface LoadedDestinations {
  destinations: Destination[];
  /** One line per item that failed validation (ID and field). */
  errors: string[];
}

export class DestinationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Creates or replaces a destination (validated first). */
  async put(input: Destination, now: Date): Promise<Destination> {
    const item = validateDestination({ ...input, updatedAt: now.toISOString() });
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
    return item;
  }

  async load(): Promise<LoadedDestinations> {
    const items = await scanAll<Record<string, unknown>>(this.doc, { TableName: this.table, ConsistentRead: true });
    const out: LoadedDestinations = { destinations: [], errors: [] };
    for (const item of items) {
      try {
        out.destinations.push(validateDestination(item));
      } catch (err) {
        if (!(err instanceof DestinationError)) throw err;
        out.errors.push(err.message);
      }
    }
    out.destinations.sort((a, b) => a.destinationId.localeCompare(b.destinationId));
    return out;
  }

  /** Returns the removed item, or undefined when there was none. */
  async remove(destinationId: string): Promise<Destination | undefined> {
    try {
      const r = await this.doc.send(
        new DeleteCommand({ TableName: this.table, Key: { destinationId }, ConditionExpression: 'attribute_exists(destinationId)', ReturnValues: 'ALL_OLD' }),
      );
      return r.Attributes as Destination | undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }
}
