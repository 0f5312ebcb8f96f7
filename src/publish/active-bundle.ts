/**
 * Where the uploaded policy bundle lives: one fixed key of the policy bucket (the stack's
 * PolicyBucket; the local runtime's scan bucket). The engine checks that key once per
 * BUNDLE_TTL_SECONDS (python-runtime/posture_engine/active_bundle.py; locally
 * src/local/active-bundle-evaluator.ts); absent, it uses the built-in bundle. The bucket is
 * versioned, so every earlier upload stays restorable.
 */
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export const ACTIVE_BUNDLE_KEY = 'policies/active.zip';
/**
 * Where the engine function stages the merged bundles the console previews (<contentHash>.zip;
 * python-runtime/posture_engine/console_actions.py, told by $POSTURE_DRAFTS_PREFIX): a publish
 * copies the previewed one to ACTIVE_BUNDLE_KEY. Expired by the bucket's lifecycle.
 */
export const DRAFTS_PREFIX = 'policies/drafts/';
/** How long an engine keeps using the bundle it checked last: an upload takes effect within it. */
export const BUNDLE_TTL_SECONDS = 30;

export interface S3Object {
  bucket: string;
  key: string;
}

/** `s3://bucket/key` → its parts; a one-line error naming the value otherwise. */
export function parseS3Url(url: string, what: string): S3Object {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m) throw new Error(`${what}: '${url}' is not an s3://bucket/key URL`);
  return { bucket: m[1]!, key: m[2]! };
}

/** The object's bytes, or undefined when there is no such key. */
export async function readObject(s3: S3Client, at: S3Object): Promise<Uint8Array | undefined> {
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
    return await r.Body!.transformToByteArray();
  } catch (err) {
    if (err instanceof NoSuchKey || (err as Error).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

/** The object's identity (its ETag and version), or undefined when there is no such key: one HEAD, no bytes. */
export async function objectVersion(s3: S3Client, at: S3Object): Promise<string | undefined> {
  try {
    const r = await s3.send(new HeadObjectCommand({ Bucket: at.bucket, Key: at.key }));
    return `${r.ETag ?? ''}#${r.VersionId ?? ''}#${r.LastModified?.toISOString() ?? ''}`;
  } catch (err) {
    const name = (err as Error).name;
    if (err instanceof NotFound || err instanceof NoSuchKey || name === 'NotFound' || name === 'NoSuchKey') return undefined;
    throw err;
  }
}

/** Publishes a bundle as the active one; returns the S3 version ID of the upload (if versioned). */
export async function writeActiveBundle(s3: S3Client, bucket: string, data: Uint8Array, contentHash: string): Promise<string | undefined> {
  const r = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: ACTIVE_BUNDLE_KEY,
      Body: data,
      ContentType: 'application/zip',
      // Lets an operator see which bundle is active without downloading it.
      Metadata: { 'content-hash': contentHash },
    }),
  );
  return r.VersionId;
}
