/**
 * How a resource's attributes are stored in an item, shared by the Resources table and its
 * history: as a map when small, gzip-compressed above COMPRESS_ABOVE bytes of JSON, and offloaded
 * to the scan bucket (content-addressed by the change hash) when still too large compressed.
 * Nothing is dropped at DynamoDB's 400 KB item limit.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Resource } from '#core/resource.ts';
import type { BlobStore } from './blob-store.ts';
import { offloadedResourceKey } from './bucket-layout.ts';

/** Above this many bytes of JSON, attributes are stored compressed (the item limit is 400 KB). */
const COMPRESS_ABOVE = 300_000;
/** Above this many compressed bytes, attributes go to S3 (keys and indexes stay in the item). */
const OFFLOAD_ABOVE = 350_000;

export const BODY_FIELDS = ['attributes', 'attributesGz', 'attributesRef'] as const;
export type BodyField = (typeof BODY_FIELDS)[number];

/** The body fields as an item holds them (exactly one is set). */
export interface StoredBody {
  attributes?: Resource;
  attributesGz?: Uint8Array;
  /** Scan-bucket key of offloaded attributes. */
  attributesRef?: string;
}

export class ResourceTooLargeError extends Error {}

/** The field and value that store `resource` (whose change hash is `hash`). */
export async function encodeBody(resource: Resource, hash: string, blobs: BlobStore | undefined): Promise<{ field: BodyField; value: unknown }> {
  const json = JSON.stringify(resource);
  if (Buffer.byteLength(json) <= COMPRESS_ABOVE) return { field: 'attributes', value: resource };
  const gz = gzipSync(json);
  if (gz.byteLength <= OFFLOAD_ABOVE) return { field: 'attributesGz', value: gz };
  if (!blobs) throw new ResourceTooLargeError(`${resource.ResourceId}: ${gz.byteLength} bytes compressed and no scan bucket to offload to`);
  // Content-addressed: a concurrent identical write puts the same object.
  const key = offloadedResourceKey(hash);
  await blobs.putJson(key, resource);
  return { field: 'attributesRef', value: key };
}

/** The attributes an item's body holds (undefined: the item has none, e.g. a tombstone version). */
export async function decodeBody(item: StoredBody, blobs: BlobStore | undefined): Promise<Resource | undefined> {
  if (item.attributesRef) {
    if (!blobs) throw new Error(`attributes offloaded to ${item.attributesRef} and no scan bucket to read them from`);
    return blobs.getJson<Resource>(item.attributesRef);
  }
  if (item.attributesGz) return JSON.parse(gunzipSync(item.attributesGz).toString('utf8')) as Resource;
  return item.attributes;
}
