/**
 * The in-memory DynamoDB as an SDK v3 request handler: a DynamoDBClient built with it sends its
 * requests here instead of over HTTP, so the stores, the document client's marshalling and the SDK's
 * error classes (ConditionalCheckFailedException with its Item, TransactionCanceledException with
 * its CancellationReasons) are exactly the deployed path's; only the wire ends in this process.
 */
import { Readable } from 'node:stream';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { DynamoError, MemoryDynamoDb } from './database.ts';

const TARGET = /^DynamoDB_20120810\.(\w+)$/;

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '{}';
  if (typeof body === 'string') return body;
  // A view, not Buffer.from(body): the SDK's body adapter answers valueOf() with a warning.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

function response(statusCode: number, payload: unknown): { response: HttpResponse } {
  const body = Buffer.from(JSON.stringify(payload));
  return {
    response: {
      statusCode,
      reason: statusCode === 200 ? 'OK' : 'Bad Request',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length), 'x-amzn-requestid': 'in-memory' },
      body: Readable.from([body]),
    },
  };
}

/** A request handler for DynamoDBClient's `requestHandler` option, backed by `db`. */
export function memoryDynamoHandler(db: MemoryDynamoDb = new MemoryDynamoDb()) {
  return {
    metadata: { handlerProtocol: 'in-memory' },
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '';
      const op = TARGET.exec(target)?.[1];
      if (!op) return response(400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: `not a DynamoDB request: ${target}` });
      try {
        const req = JSON.parse(await bodyText(request.body)) as Record<string, unknown>;
        return response(200, db.run(op, req));
      } catch (err) {
        if (err instanceof DynamoError) return response(400, { __type: `com.amazonaws.dynamodb.v20120810#${err.type}`, message: err.message, ...err.extra });
        throw err;
      }
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
    destroy(): void {},
  };
}
