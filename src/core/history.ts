/**
 * A resource history record (the ResourceHistory table, src/store/history-store.ts): a version of
 * the resource (created, changed, deleted, recreated — with its structural diff) or a compliance
 * transition of one of its policies. Declared once here, as zod, because three readers share it:
 * the store, the console API's contract (the SPA bundles it: zod and #core only) and the change
 * digest (src/compliance/change-digest.ts). The structural diff's shape is declared here too (its
 * algorithm, src/core/diff.ts, hashes with node:crypto, which the SPA cannot bundle).
 */
import { z } from 'zod';
import { provenanceSchema } from './provenance.ts';
import type { Resource } from './resource.ts';
import { SEVERITIES } from './types.ts';

export const diffEntrySchema = z.object({
  path: z.string(),
  /** JSON of the value before / after, cut to a preview (src/core/diff.ts). */
  before: z.string().optional(),
  after: z.string().optional(),
});
export type DiffEntry = z.infer<typeof diffEntrySchema>;

/** Which paths were added, removed or changed between two states of a resource (src/core/diff.ts computes it). */
export const structuralDiffSchema = z.object({
  added: z.array(diffEntrySchema),
  removed: z.array(diffEntrySchema),
  changed: z.array(diffEntrySchema),
  /** Entries beyond MAX_ENTRIES that were counted but not listed. */
  more: z.number().int().positive().optional(),
});
export type StructuralDiff = z.infer<typeof structuralDiffSchema>;

/** What a version records about the resource's state: new, different, gone, or back after being gone. */
export const VERSION_CHANGES = ['created', 'changed', 'deleted', 'recreated'] as const;
export type VersionChange = (typeof VERSION_CHANGES)[number];

const statusSchema = z.enum(['PASS', 'FAIL', 'ERROR']);

const recordBase = {
  resourceId: z.string(),
  resourceType: z.string(),
  accountId: z.string(),
  region: z.string(),
  /** When the resource was read from AWS. */
  observedAt: z.string(),
  /** When Posture wrote the record. */
  recordedAt: z.string(),
  /** scheduled, realtime:<event>, upload:<bundle>, exception:<id> (#core/types.ts Trigger). */
  trigger: z.string(),
  provenance: provenanceSchema.optional(),
};

export const versionRecordSchema = z.object({
  ...recordBase,
  kind: z.literal('version'),
  change: z.enum(VERSION_CHANGES),
  /** Against the previous stored state ('changed', 'recreated'). */
  diff: structuralDiffSchema.optional(),
  attributesHash: z.string().optional(),
});

export const findingRecordSchema = z.object({
  ...recordBase,
  kind: z.literal('finding'),
  policyId: z.string(),
  /** The verdict before (null: none yet) and after (null: the pair was removed with its resource). */
  fromStatus: statusSchema.nullable(),
  toStatus: statusSchema.nullable(),
  severity: z.enum(SEVERITIES as readonly ['Info', 'Low', 'Medium', 'High', 'Critical']),
  title: z.string().nullable(),
  /** The alert this transition opened or resolved, if any. */
  alert: z.enum(['opened', 'resolved']).optional(),
});

/** A record as the API sends it (never with the version's attributes: a timeline needs only the diffs). */
export const historyRecordSchema = z.discriminatedUnion('kind', [versionRecordSchema, findingRecordSchema]);

export type VersionRecord = z.infer<typeof versionRecordSchema> & {
  /** The full attributes (absent on a 'deleted' version, and when read without bodies). */
  attributes?: Resource;
};
export type FindingRecord = z.infer<typeof findingRecordSchema>;
export type HistoryRecord = VersionRecord | FindingRecord;
