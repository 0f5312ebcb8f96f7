/**
 * The payload ScanScope takes and returns between Step Functions states, declared once: the
 * handler validates its input with these schemas and the domain's types are inferred from them,
 * so a field the cursor carries across continuations cannot be stripped by a second copy.
 */
import { z } from 'zod';
import { usageSchema } from '#core/usage.ts';

export const scopeSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  region: z.string().min(1),
  resourceType: z.string().min(1),
});

export const scanCursorSchema = z.object({
  /** Index into `scopes` of the scope in progress. */
  index: z.number().int().min(0),
  pageToken: z.string().optional(),
  /** Number of seen-ID parts parked in the scan bucket for the scope in progress. */
  seenParts: z.number().int().min(0).optional(),
  startedAt: z.string().optional(),
  resourceCount: z.number().optional(),
  changedCount: z.number().optional(),
  /** Writes of the scope dropped so far because the store held a newer observation. */
  staleCount: z.number().optional(),
  /** What the scope used in earlier invocations (summed into its ledger entry). */
  usage: usageSchema.optional(),
});
export type ScanCursor = z.infer<typeof scanCursorSchema>;

export const scanBatchInputSchema = z.object({
  scanId: z.string().min(1),
  scopes: z.array(scopeSchema),
  cursor: scanCursorSchema.optional(),
});
export type ScanBatchInput = z.infer<typeof scanBatchInputSchema>;

export const scanBatchOutputSchema = scanBatchInputSchema.extend({ cursor: scanCursorSchema, done: z.boolean() });
export type ScanBatchOutput = z.infer<typeof scanBatchOutputSchema>;

/** PlanScan's input (the schedule sends {}; a baseline scan names its accounts). */
export const planScanInputSchema = z.object({ accountIds: z.array(z.string().regex(/^\d{12}$/)).optional() }).passthrough();

/** PlanScan's output: where the scope list is (never the list itself: it can be huge). */
export const planScanOutputSchema = z.object({ scanId: z.string().min(1), bucket: z.string().min(1), key: z.string().min(1), scopeCount: z.number().int().min(0) });
export type PlanScanOutput = z.infer<typeof planScanOutputSchema>;

/** RecordBatchFailure's input: the batch ScanScope was given, and the Catch's error under `failure`. */
export const batchFailureInputSchema = scanBatchInputSchema.pick({ scanId: true, scopes: true }).extend({
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).passthrough(),
});
export type BatchFailureInput = z.infer<typeof batchFailureInputSchema>;
