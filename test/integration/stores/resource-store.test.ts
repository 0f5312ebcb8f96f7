/**
 * Diff-only resource writes, tombstones and large items, on moto's DynamoDB and on the one-shot
 * in-memory store — with and without a history (a versioned write decides from a read and writes in
 * a transaction: the outcomes must be the same).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ResourceStore } from '../../../src/store/resource-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { HistoryStore } from '../../../src/store/history-store.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { randomBytes } from 'node:crypto';
import type { Resource } from '../../../src/core/resource.ts';
import { STORE_BACKENDS } from '../../helpers/store-backends.ts';

const CASES = STORE_BACKENDS.flatMap((backend) => [
  { ...backend, history: false, label: 'without history' },
  { ...backend, history: true, label: 'with history' },
]);

describe.each(CASES)('on $name, $label', (backend) => {
  let store: ResourceStore;
  const scope = '111111111111#global#AWS.S3.Bucket';
  const bucket = (name: string, extra: Record<string, unknown> = {}): Resource => ({
    ResourceId: `arn:aws:s3:::${name}`,
    ResourceType: 'AWS.S3.Bucket',
    TimeCreated: '2026-01-01T00:00:00.000Z',
    AccountId: '111111111111',
    Region: 'us-east-1',
    Arn: `arn:aws:s3:::${name}`,
    Id: null,
    Name: name,
    Tags: null,
    ...extra,
  });

  beforeAll(async () => {
    const clients = await backend.clients();
    const tables = await ensureTables(clients, 'res');
    const bucket = `res-blobs-${Date.now()}`;
    const doc = documentClient(clients);
    const blobs = await backend.blobs(clients, bucket);
    store = new ResourceStore(doc, tables.Resources, blobs, backend.history ? new HistoryStore(doc, tables.ResourceHistory, 90, blobs) : undefined);
  });

  describe('ResourceStore', () => {
    it('writes a resource once, skips identical rewrites, and records changes', async () => {
      const t1 = new Date('2026-01-01T00:00:00Z');
      expect(await store.putIfChanged(bucket('a', { Versioning: null }), scope, t1)).toBe('written');
      expect(await store.putIfChanged(bucket('a', { Versioning: null }), scope, new Date('2026-01-02T00:00:00Z'))).toBe('unchanged');
      expect(await store.putIfChanged(bucket('a', { Versioning: 'Enabled' }), scope, new Date('2026-01-03T00:00:00Z'))).toBe('written');
      const stored = await store.get('arn:aws:s3:::a');
      expect(stored).toMatchObject({ firstSeen: '2026-01-01T00:00:00.000Z', lastChanged: '2026-01-03T00:00:00.000Z', deleted: false, scope });
      expect(stored?.attributes.Versioning).toBe('Enabled');
      expect((await store.scopeIndex(scope)).get('arn:aws:s3:::a')).toMatchObject({ deleted: false });
    });

    it('tombstones once and revives on reappearance', async () => {
      await store.putIfChanged(bucket('b'), scope, new Date());
      expect(await store.tombstone('arn:aws:s3:::b', new Date())).toBe('written');
      expect(await store.tombstone('arn:aws:s3:::b', new Date())).toBe('unchanged');
      expect(await store.tombstone('arn:aws:s3:::never-seen', new Date())).toBe('unchanged');
      expect((await store.get('arn:aws:s3:::b'))?.deleted).toBe(true);
      expect(await store.putIfChanged(bucket('b'), scope, new Date())).toBe('written');
      const revived = await store.get('arn:aws:s3:::b');
      expect(revived?.deleted).toBe(false);
      expect(revived?.deletedAt).toBeUndefined();
    });

    it('never replaces a newer observation: racing writers in both orders leave the newest state', async () => {
      const t1 = new Date('2026-02-01T00:00:01Z');
      const t2 = new Date('2026-02-01T00:00:02Z');
      const later = new Date('2026-02-01T00:05:00Z');
      const open = bucket('race-1', { Acl: 'public-read' });
      const closed = bucket('race-1', { Acl: 'private' });
      // The newer observation (a real-time rescan at t2) is written first; the slow scan page read at t1 comes after.
      expect(await store.putIfChanged(closed, scope, later, undefined, t2)).toBe('written');
      expect(await store.putIfChanged(open, scope, later, undefined, t1)).toBe('stale');
      expect((await store.get(open.ResourceId))?.attributes.Acl).toBe('private');
      // An identical older write is simply unchanged, not stale.
      expect(await store.putIfChanged(closed, scope, later, undefined, t1)).toBe('unchanged');

      // The other order: the older observation lands first and the newer replaces it.
      const a = bucket('race-2', { Acl: 'public-read' });
      const b = bucket('race-2', { Acl: 'private' });
      expect(await store.putIfChanged(a, scope, later, undefined, t1)).toBe('written');
      expect(await store.putIfChanged(b, scope, later, undefined, t2)).toBe('written');
      expect((await store.get(a.ResourceId))?.attributes.Acl).toBe('private');
      expect((await store.get(a.ResourceId))?.observedAt).toBe(t2.toISOString());
    });

    it('a deletion observed before the resource was last seen alive does not tombstone it', async () => {
      const t1 = new Date('2026-03-01T00:00:01Z');
      const t2 = new Date('2026-03-01T00:00:02Z');
      const r = bucket('recreated');
      // Recreated and rescanned in real time at t2, after a scan's listing (t1) missed it.
      expect(await store.putIfChanged(r, scope, t2, undefined, t2)).toBe('written');
      expect(await store.tombstone(r.ResourceId, new Date(), t1)).toBe('stale');
      expect((await store.get(r.ResourceId))?.deleted).toBe(false);
      // Observed gone after it was last seen: tombstoned.
      expect(await store.tombstone(r.ResourceId, new Date(), new Date('2026-03-01T00:00:03Z'))).toBe('written');
      // A write observed before that deletion does not revive it.
      expect(await store.putIfChanged(bucket('recreated', { Acl: 'x' }), scope, new Date(), undefined, t2)).toBe('stale');
      expect((await store.get(r.ResourceId))?.deleted).toBe(true);
    });

    it('stores a resource larger than the DynamoDB item limit whole and reads it back identical', async () => {
      const policy = JSON.stringify({ Statement: Array.from({ length: 9000 }, (_, i) => ({ Sid: `s${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::big/${i}/*` })) });
      const big = bucket('big', { Policy: policy });
      expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(400_000);
      expect(await store.putIfChanged(big, scope, new Date())).toBe('written');
      expect((await store.get('arn:aws:s3:::big'))?.attributes).toEqual(big);
      expect(await store.putIfChanged(big, scope, new Date())).toBe('unchanged');
    });

    it('offloads a resource that stays too large when compressed to S3, and reads it back identical', async () => {
      // Random bytes do not compress: ~1.3 MB of base64 stays above the item limit gzipped.
      const noise = bucket('noise', { Policy: randomBytes(1_000_000).toString('base64') });
      expect(await store.putIfChanged(noise, scope, new Date())).toBe('written');
      expect((await store.get('arn:aws:s3:::noise'))?.attributes).toEqual(noise);
      expect(await store.putIfChanged(noise, scope, new Date())).toBe('unchanged');
      // Shrinking again moves it back into the item.
      expect(await store.putIfChanged(bucket('noise'), scope, new Date())).toBe('written');
      expect((await store.get('arn:aws:s3:::noise'))?.attributes).toEqual(bucket('noise'));
    });
  });
});
