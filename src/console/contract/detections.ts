/**
 * The Detections area's contract (the policy editor, /api/policies…), declared once: the API
 * validates with it and the SPA parses with it. A policy's spec travels as the spec's own fields
 * (PolicyID, Severity, Tests…); the Python engine validates them when it tests, evaluates or
 * bundles a draft, so no spec rule is repeated here. Imports only zod and #core.
 */
import { z } from 'zod';
import { SEVERITIES } from '#core/types.ts';

const severitySchema = z.enum(SEVERITIES as readonly ['Info', 'Low', 'Medium', 'High', 'Critical']);

/** One policy of the active pack, with its stored verdict counts. */
export const policySummarySchema = z.object({
  policyId: z.string(),
  displayName: z.string().nullable(),
  enabled: z.boolean(),
  severity: severitySchema,
  /** Empty: every type. */
  resourceTypes: z.array(z.string()),
  /** Stored PASS verdicts, and unsuppressed FAIL verdicts (byPolicy index counts). */
  passing: z.number(),
  failing: z.number(),
  /** The frameworks its Reports map to: Posture's framework ID (cis-3.0…), else the spec's own name. */
  frameworks: z.array(z.string()),
});
export type PolicySummary = z.infer<typeof policySummarySchema>;

export const policyListSchema = z.object({
  /** Where the active pack comes from (a bundle's content hash, or the built-in directories). */
  source: z.string(),
  policies: z.array(policySummarySchema),
});

/** A spec's fields as the editor holds them (YAML keys; the engine validates the rest). */
export const policySpecSchema = z.looseObject({
  AnalysisType: z.literal('policy', { error: 'must be policy' }),
  PolicyID: z.string().min(1, 'is required'),
  Filename: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.py$/, 'must be a file name ending in .py, without a folder'),
});
export type PolicySpec = z.infer<typeof policySpecSchema>;

/** A policy as edited: its spec and its Python source. */
export const policyDraftSchema = z.object({
  spec: policySpecSchema,
  source: z.string().max(256 * 1024, 'is longer than 256 KiB'),
});
export type PolicyDraft = z.infer<typeof policyDraftSchema>;

/** GET /api/policies/{policyId}: the policy as the active pack holds it (a bundle's specs carry no Tests). */
export const policyDetailSchema = policyDraftSchema.extend({ policyId: z.string(), passing: z.number(), failing: z.number() });

/** The draft's unit tests as the engine's runner (`posture test`) reported them, PAT style. */
export const testResultsSchema = z.object({
  passed: z.number(),
  failed: z.number(),
  cases: z.array(z.object({ name: z.string(), expected: z.boolean(), passed: z.boolean(), status: z.string(), title: z.string().nullable(), problems: z.array(z.string()) })),
  /** Invalid spec, load or import errors: the draft did not run. */
  errors: z.array(z.string()),
});
export type TestResults = z.infer<typeof testResultsSchema>;

/** How many stored resources one live test evaluates at most. */
export const LIVE_TEST_LIMIT = 50;

export const liveTestRequestSchema = z.object({
  draft: policyDraftSchema,
  /** One of the spec's ResourceTypes (default: its first). */
  resourceType: z.string().optional(),
  limit: z.number().int().min(1).max(LIVE_TEST_LIMIT).default(LIVE_TEST_LIMIT),
  cursor: z.string().optional(),
});

export const liveTestResultsSchema = z.object({
  resourceType: z.string(),
  results: z.array(
    z.object({
      resourceId: z.string(),
      accountId: z.string(),
      region: z.string(),
      status: z.enum(['PASS', 'FAIL', 'ERROR']),
      title: z.string().nullable(),
      errorMessage: z.string().nullable(),
      suppressed: z.boolean(),
    }),
  ),
  /** The next page of stored resources of the type; absent on the last. */
  next: z.string().optional(),
});
export type LiveTestResults = z.infer<typeof liveTestResultsSchema>;

/** The preview's bundle pair: the confirming publish must carry it back unchanged. */
export const previewHashSchema = z.object({ fromHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a content hash'), toHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a content hash') });

/** What publishing the draft into the active pack changes on the stored findings (`posture upload --dry-run`). */
export const impactPreviewSchema = z.object({
  /** The draft leaves the active pack as it is: nothing to publish. */
  unchanged: z.boolean(),
  from: z.string(),
  hash: previewHashSchema,
  resources: z.number(),
  policies: z.array(
    z.object({
      policyId: z.string(),
      change: z.enum(['added', 'changed', 'removed', 'unchanged']),
      evaluated: z.number(),
      newFailures: z.array(z.string()),
      resolved: z.array(z.string()),
      suppressedByException: z.array(z.string()),
      newErrors: z.array(z.string()),
    }),
  ),
  totals: z.object({ newFailures: z.number(), resolved: z.number(), suppressedByException: z.number(), newErrors: z.number() }),
});
export type ImpactPreview = z.infer<typeof impactPreviewSchema>;

export const publishRequestSchema = z.object({ draft: policyDraftSchema, confirm: previewHashSchema });

export const publishResultSchema = z.object({
  contentHash: z.string(),
  versionId: z.string().nullable(),
  written: z.object({ changed: z.number(), removed: z.number(), alertsOpened: z.number(), alertsResolved: z.number() }),
});
export type PublishResult = z.infer<typeof publishResultSchema>;
