/**
 * The Scans contract: the scan ledger's history per account (one byAccount-index Query a page),
 * a scan's scopes not evaluated with their reasons, and its cost estimate (the one `posture cost`
 * prints). Imports only zod (the SPA bundles this file).
 */
import { z } from 'zod';
import { scanSummarySchema } from './accounts.ts';

export const scanHistoryQuerySchema = z.object({
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: z.string().min(1).optional(),
});

export const scanHistoryItemSchema = scanSummarySchema.extend({ trigger: z.string() });
export const scanHistorySchema = z.object({ scans: z.array(scanHistoryItemSchema), next: z.string().optional() });

export const costSchema = z.object({
  lines: z.array(z.object({ item: z.string(), quantity: z.number(), unit: z.string(), usd: z.number() })),
  perDayUsd: z.number(),
  per30DaysUsd: z.number(),
  perRealtimeEventUsd: z.number(),
  resources: z.number(),
  notIncluded: z.array(z.string()),
});

export const scanDetailSchema = z.object({
  accountId: z.string(),
  summary: scanSummarySchema,
  entries: z.array(
    z.object({ scope: z.string(), region: z.string(), resourceType: z.string(), outcome: z.string(), message: z.string().nullable(), resourceCount: z.number(), startedAt: z.string(), finishedAt: z.string() }),
  ),
  cost: costSchema.nullable(),
});
