/**
 * The Overview page's contract (GET /api/overview), declared once: the API validates its response
 * with it and the SPA parses with it. Imports only zod and #core (the SPA bundles this file).
 */
import { z } from 'zod';
import { SEVERITIES } from '#core/types.ts';

const severitySchema = z.enum(SEVERITIES as readonly ['Info', 'Low', 'Medium', 'High', 'Critical']);

export const overviewSchema = z.object({
  /** When the API computed it (the runtime's clock). */
  generatedAt: z.string(),
  /** Pass rate of the newest daily summary, 0..1 (what `posture status` shows); null: no summary yet. */
  passRate: z.number().nullable(),
  /** Change since the same day a week earlier, in percentage points; null without a week-old summary. */
  passRateChangePts: z.number().nullable(),
  /**
   * The days of the daily summaries the counts below are of (each account's newest; a scheduled scan
   * writes it); null: no account has a summary yet. The Findings page shows each verdict as it is now.
   */
  countsAsOf: z.object({ oldest: z.string(), newest: z.string() }).nullable(),
  /** The results of every onboarded account at its newest summary (failing excludes suppressed). */
  results: z.object({ pass: z.number(), fail: z.number(), error: z.number(), suppressed: z.number() }),
  /** Unsuppressed failing results per severity, most severe first. */
  failingBySeverity: z.array(z.object({ severity: severitySchema, count: z.number() })),
  accounts: z.array(
    z.object({
      accountId: z.string(),
      name: z.string(),
      failing: z.number(),
      /** The day of the account's newest summary (what `failing` is of); null: none yet. */
      summaryDay: z.string().nullable(),
      /** The account's newest scheduled scan; null: never scanned. */
      lastScan: z.object({ scanId: z.string(), finishedAt: z.string(), scopes: z.number(), ok: z.number(), notEvaluated: z.number() }).nullable(),
    }),
  ),
  /** Policies with the most unsuppressed failing resources (title: the policy's display name in the active pack). */
  topFailingPolicies: z.array(z.object({ policyId: z.string(), title: z.string().nullable(), severity: severitySchema, failing: z.number() })),
  /** Scopes whose newest ledger entry is not OK, with the reason. */
  notEvaluated: z.array(z.object({ accountId: z.string(), region: z.string(), resourceType: z.string(), outcome: z.string(), message: z.string().nullable() })),
  /** The last 30 days, oldest first; passRate null on a day without a summary (a gap). */
  trend: z.array(z.object({ day: z.string(), passRate: z.number().nullable(), passing: z.number().nullable(), failing: z.number().nullable() })),
  frameworks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      coverage: z.string(),
      controls: z.number(),
      passing: z.number(),
      failing: z.number(),
      notEvaluated: z.number(),
      notAutomatable: z.number(),
    }),
  ),
});
export type Overview = z.infer<typeof overviewSchema>;

/** How many policies the overview lists as top failing. */
export const TOP_FAILING_POLICIES = 10;
