/**
 * The scan bucket's key layout, declared once (as tables.ts declares the tables): what each part of
 * Posture writes where, and the prefixes the CDK stack grants, expires and acknowledges by.
 */
import { scopeKey, type Scope } from '#core/types.ts';

/** Per-scan working objects (scope lists, seen-ID parts, Distributed Map results): expire with the scan. */
export const SCANS_PREFIX = 'scans/';
/** Resources too large for a DynamoDB item, content-addressed (kept while an item points at them). */
export const RESOURCES_PREFIX = 'resources/';
/** Where the Distributed Map writes its manifest and per-batch results. */
export const MAP_RESULTS_PREFIX = `${SCANS_PREFIX}results`;

/** PlanScan's scope list of one scan (read by the Distributed Map). */
export const scopeListKey = (scanId: string): string => `${SCANS_PREFIX}${scanId}/scopes.json`;
/** One part of the IDs a scope's listing saw so far (parked across time-budget continuations). */
export const seenIdsKey = (scanId: string, scope: Scope, part: number): string => `${SCANS_PREFIX}${scanId}/seen/${scopeKey(scope)}/${part}.json`;
/** An offloaded resource's attributes, by their change hash. */
export const offloadedResourceKey = (hash: string): string => `${RESOURCES_PREFIX}${hash}.json`;
