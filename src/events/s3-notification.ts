/**
 * The S3 notifications the log-file source receives on its queue, in either delivery S3 offers:
 * direct (bucket notification → SQS, keys URL-encoded with `+` for spaces; `s3:TestEvent` when the
 * configuration is saved) or through EventBridge (`Object Created` from `aws.s3`, rule → SQS).
 * One declaration of each shape; anything else is refused with a one-line reason (→ the DLQ).
 */
import { z } from 'zod';
import { oneLine } from './envelope.ts';

export interface CreatedObject {
  bucket: string;
  key: string;
}

export type Notification = { objects: CreatedObject[] } | { test: true };

const directSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:s3'),
        eventName: z.string().startsWith('ObjectCreated:', 'must be an ObjectCreated:* event'),
        s3: z.object({ bucket: z.object({ name: z.string().min(1) }), object: z.object({ key: z.string().min(1) }) }),
      }),
    )
    .min(1),
});

const testSchema = z.object({ Service: z.literal('Amazon S3'), Event: z.literal('s3:TestEvent') });

export const S3_OBJECT_CREATED = 'Object Created';

const eventBridgeSchema = z.object({
  'detail-type': z.literal(S3_OBJECT_CREATED),
  source: z.literal('aws.s3'),
  detail: z.object({ bucket: z.object({ name: z.string().min(1) }), object: z.object({ key: z.string().min(1) }) }),
});

/** S3's direct notifications URL-encode the key, with `+` for a space. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** Parses one SQS body; throws a one-line error naming what it is not. */
export function parseS3Notification(body: string): Notification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new Error(`notification is not JSON: ${oneLine((err as Error).message)}`);
  }
  if (testSchema.safeParse(json).success) return { test: true };
  const eb = eventBridgeSchema.safeParse(json);
  // EventBridge's detail carries the key as S3 stored it (no URL encoding).
  if (eb.success) return { objects: [{ bucket: eb.data.detail.bucket.name, key: eb.data.detail.object.key }] };
  const direct = directSchema.safeParse(json);
  if (direct.success) {
    try {
      return { objects: direct.data.Records.map((r) => ({ bucket: r.s3.bucket.name, key: decodeS3Key(r.s3.object.key) })) };
    } catch {
      throw new Error('notification: Records.s3.object.key: not a URL-encoded key');
    }
  }
  const looksDirect = typeof json === 'object' && json !== null && 'Records' in json;
  const issue = (looksDirect ? direct : eb).error!.issues[0]!;
  const what = looksDirect ? 'S3 notification' : 'EventBridge S3 event';
  throw new Error(`not an S3 object-created notification (${what}: ${oneLine(issue.path.join('.'), 100) || '(root)'}: ${oneLine(issue.message)})`);
}
