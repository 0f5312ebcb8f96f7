/**
 * The per-scope usage profile the organization-scale model (scale-model.ts) multiplies out: what
 * one scope of a scan costs in time, engine work, DynamoDB and S3, declared once as a zod schema
 * (`posture cost --model --usage-profile FILE` validates a file with it). It comes from the ledger
 * of a real scan (`profileFromLedger`) or, without one, from a bench:scan run fitted the same way.
 */
import { z } from 'zod';
import type { LedgerEntry } from '#core/ledger.ts';

export const scaleProfileSchema = z
  .object({
    /** Average resources per scope (regional types × regions and global types alike). */
    resourcesPerScope: z.number().nonnegative(),
    /** ScanScope seconds a scope takes whatever its size (its list call, stored-ID query, ledger entry). */
    secondsPerScope: z.number().nonnegative(),
    /** ScanScope seconds each resource adds (describe, diff, engine round trip, writes). */
    secondsPerResource: z.number().nonnegative(),
    /** Policy-engine milliseconds per resource evaluated. */
    engineMsPerResource: z.number().nonnegative(),
    /** DynamoDB items written per new or changed resource (the resource, each policy result, opened alerts). */
    writeItemsPerChangedResource: z.number().nonnegative(),
    /** DynamoDB reads (Get/Query/BatchGet requests) per scope and per resource. */
    readsPerScope: z.number().nonnegative(),
    readsPerResource: z.number().nonnegative(),
    /** Requests to the scan bucket per scope (seen-ID parts of scopes that span invocations, offloaded resources). */
    s3RequestsPerScope: z.number().nonnegative(),
    /** Resources per list page (pages per scope = ⌈resources / pageSize⌉, at least one). */
    pageSize: z.number().int().positive(),
    /** Share of resources that change on a steady day (rewritten with their results); the rest write nothing. */
    changedShare: z.number().min(0).max(1),
    /** Latency of one member API call, for the request-rate ceiling of a scope's parallel describes. */
    callLatencyMs: z.number().positive(),
  })
  .strict();
export type ScaleProfile = z.infer<typeof scaleProfileSchema>;

/** A profile file: any subset of the fields, over the measured or default profile. */
export const scaleProfileFileSchema = scaleProfileSchema.partial().strict();
export type ScaleProfileFile = z.infer<typeof scaleProfileFileSchema>;

/**
 * Measured by `npm run bench:scan` (2026-12-05 14:45, a quiet machine; the `scale_profile` its JSON
 * prints, fitted from its full scan's ledger with profileFromLedger): 5,398 resources of all 75 types
 * in 390 scopes on the emulator, all new, each written with its history version (a consistent read
 * of the state it replaces and a two-item transaction) and its transitions' records. The emulator
 * serves DynamoDB writes one at a time, so the durations are an upper bound for AWS.
 */
export const BENCH_SCAN_PROFILE: ScaleProfile = {
  resourcesPerScope: 13.841,
  secondsPerScope: 0.0465,
  secondsPerResource: 0.0256,
  engineMsPerResource: 0.519,
  writeItemsPerChangedResource: 6.18,
  readsPerScope: 8.87,
  readsPerResource: 1.645,
  s3RequestsPerScope: 0.015,
  pageSize: 100,
  // Assumptions, not measurements: 2 % of an estate's configuration changes in a day; 50 ms an
  // in-region control-plane call.
  changedShare: 0.02,
  callLatencyMs: 50,
};

/** Least squares y = a + b·x over the points, both clamped at 0; one distinct x: its mean, b = 0. */
function fitLine(points: readonly (readonly [number, number])[]): { a: number; b: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return { a: Math.max(0, my), b: 0 };
  const b = Math.max(0, points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx);
  return { a: Math.max(0, my - b * mx), b };
}

/**
 * A profile from one scan's ledger entries (its completed scopes with usage): scope time and reads
 * fitted as fixed + per resource, engine time and S3 requests averaged, DynamoDB items per changed
 * or deleted resource. Fields the ledger cannot tell (a first scan's changed share, page size, call
 * latency) come from `fallback`; so do write items when the scan changed nothing.
 */
export function profileFromLedger(entries: readonly LedgerEntry[], fallback: ScaleProfile = BENCH_SCAN_PROFILE): ScaleProfile {
  const scopes = entries.filter((e) => e.resourceType !== '*' && e.outcome === 'OK' && e.usage);
  if (scopes.length === 0) throw new Error('the scan has no completed scope with recorded usage');
  const resources = scopes.reduce((n, e) => n + e.resourceCount, 0);
  const changed = scopes.reduce((n, e) => n + e.changedCount + e.deletedCount, 0);
  const seconds = fitLine(scopes.map((e) => [e.resourceCount, Math.max(0, Date.parse(e.finishedAt) - Date.parse(e.startedAt)) / 1000]));
  const reads = fitLine(scopes.map((e) => [e.resourceCount, e.usage!.ddbReads]));
  const sum = (k: 'engineMs' | 'ddbWriteItems' | 's3Requests') => scopes.reduce((n, e) => n + e.usage![k], 0);
  return {
    ...fallback,
    resourcesPerScope: resources / scopes.length,
    secondsPerScope: seconds.a,
    secondsPerResource: seconds.b,
    engineMsPerResource: resources > 0 ? sum('engineMs') / resources : fallback.engineMsPerResource,
    writeItemsPerChangedResource: changed > 0 ? sum('ddbWriteItems') / changed : fallback.writeItemsPerChangedResource,
    readsPerScope: reads.a,
    readsPerResource: reads.b,
    s3RequestsPerScope: sum('s3Requests') / scopes.length,
  };
}
