/**
 * The Cloud Resources area's contract: the filtered, cursor-paginated resource list
 * (GET /api/resources), one resource with its verdicts (GET /api/resource) and a verdict as a
 * policy unit test (GET /api/resource/unit-test) and its history (GET /api/resource/history).
 * Imports only zod and #core (the SPA bundles it).
 */
import { z } from 'zod';
import { historyRecordSchema } from '#core/history.ts';
import { RESOURCE_COMPLIANCE } from '#core/resource-compliance.ts';
import { parseSince } from '#core/since.ts';
import { SEVERITIES } from '#core/types.ts';

const severitySchema = z.enum(SEVERITIES as readonly ['Info', 'Low', 'Medium', 'High', 'Critical']);
export const complianceSchema = z.enum(RESOURCE_COMPLIANCE);

export const resourceListQuerySchema = z.object({
  type: z.string().min(1).optional(),
  account: z.string().regex(/^\d{12}$/, 'a 12-digit account ID').optional(),
  region: z.string().min(1).optional(),
  /** passing / failing / error (a resource's verdicts summed up, #core/resource-compliance.ts); none: no policy applies. */
  compliance: complianceSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).optional(),
});
export type ResourceListQuery = z.infer<typeof resourceListQuerySchema>;

const countsSchema = z.object({ pass: z.number(), fail: z.number(), error: z.number(), suppressed: z.number() });

export const resourceRowSchema = z.object({
  resourceId: z.string(),
  resourceType: z.string(),
  accountId: z.string(),
  region: z.string(),
  lastChanged: z.string(),
  compliance: complianceSchema,
  counts: countsSchema,
});
export type ResourceRow = z.infer<typeof resourceRowSchema>;

export const resourcePageSchema = z.object({
  resources: z.array(resourceRowSchema),
  /** Continue with this cursor; absent: the last page. A page may be short when the filter matched few of what it read. */
  next: z.string().optional(),
  /** Every resource type the scanner stores (the type filter's values). */
  resourceTypes: z.array(z.string()),
  /** The onboarded accounts (the account filter's values). */
  accounts: z.array(z.object({ accountId: z.string(), name: z.string() })),
});
export type ResourcePage = z.infer<typeof resourcePageSchema>;

export const resourceIdQuerySchema = z.object({ id: z.string().min(1) });

export const policyResultSchema = z.object({
  policyId: z.string(),
  title: z.string().nullable(),
  severity: severitySchema,
  status: z.enum(['PASS', 'FAIL', 'ERROR']),
  suppressed: z.boolean(),
  errorMessage: z.string().nullable(),
  lastChanged: z.string(),
  observedAt: z.string().nullable(),
});

export const resourceDetailSchema = z.object({
  resourceId: z.string(),
  resourceType: z.string(),
  accountId: z.string(),
  region: z.string(),
  firstSeen: z.string(),
  lastChanged: z.string(),
  observedAt: z.string().nullable(),
  deleted: z.boolean(),
  /** The stored resource as the policies see it (secret attributes were redacted at scan time). */
  attributes: z.record(z.string(), z.unknown()),
  compliance: complianceSchema,
  counts: countsSchema,
  /** Its verdict per policy, failing first. */
  results: z.array(policyResultSchema),
  /** When its scope was last read completely, and by what; null: never. */
  lastVerified: z.object({ finishedAt: z.string(), trigger: z.string() }).nullable(),
});
export type ResourceDetail = z.infer<typeof resourceDetailSchema>;

export const unitTestQuerySchema = z.object({
  id: z.string().min(1),
  policyId: z.string().min(1),
  name: z.string().min(1).max(200).optional(),
});

export const unitTestSchema = z.object({
  policyId: z.string(),
  expectedResult: z.boolean(),
  /** A one-entry YAML list to paste under the policy spec's `Tests:`. */
  yaml: z.string(),
});
export type UnitTest = z.infer<typeof unitTestSchema>;

const sinceOk = (v: string): boolean => {
  try {
    parseSince(v, new Date());
    return true;
  } catch {
    return false;
  }
};

export const resourceHistoryQuerySchema = z.object({
  id: z.string().min(1),
  /** Only records observed since: a duration back from now (30d, 24h, 90m) or an ISO time; absent: the whole retention. */
  since: z.string().refine(sinceOk, 'a duration like 30d, 24h or 90m, or an ISO time').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).optional(),
});
export type ResourceHistoryQuery = z.infer<typeof resourceHistoryQuerySchema>;

export const resourceHistorySchema = z.object({
  /** Newest first: versions (with their diffs, never the attributes) and verdict transitions, each with its provenance. */
  records: z.array(historyRecordSchema),
  /** Older records follow: continue with this cursor. */
  next: z.string().optional(),
});
export type ResourceHistory = z.infer<typeof resourceHistorySchema>;
