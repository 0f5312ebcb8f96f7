/**
 * Scans (read): GET /api/scans?accountId= — an account's scan history from the ledger, newest
 * first, one Query of its byAccount index per page (plus one Query per scan listed, for its
 * summary); GET /api/scans/{scanId}?accountId= — the scan's scopes with the reason of each one not
 * evaluated (summarizeScan) and its cost estimate (estimateCost, as `posture cost` prints it).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { summarizeScan } from '#compliance/scan-summary.ts';
import { estimateCost } from '#scan/cost.ts';
import { scanDetailSchema, scanHistoryQuerySchema, scanHistorySchema } from '../contract/scans.ts';
import { allow, ERROR_RESPONSES, type ConsoleApp } from '../route-kit.ts';

const json = <S extends z.ZodType>(schema: S, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...ERROR_RESPONSES });

/** The cursor: the index's LastEvaluatedKey and the scan the page ended in (its entries may continue on the next page; it is not listed twice). */
interface Cursor {
  k: Record<string, unknown>;
  skip?: string;
}
const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(cursor: string, accountId: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (c && typeof c.k === 'object' && c.k.accountId === accountId) return c;
  } catch {
    // reported below
  }
  throw new HTTPException(400, { message: `cursor: '${cursor.slice(0, 40)}' is not a cursor of account ${accountId}'s scans` });
}

const history = createRoute({
  method: 'get',
  path: '/scans',
  summary: "An account's scans, newest first (paginated ledger reads)",
  request: { query: scanHistoryQuerySchema },
  responses: json(scanHistorySchema, 'One page of scans'),
});
const detail = createRoute({
  method: 'get',
  path: '/scans/{scanId}',
  summary: "One scan of one account: its scopes, the reasons of those not evaluated, and the cost estimate",
  request: { params: z.object({ scanId: z.string().min(1) }), query: z.object({ accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID') }) },
  responses: json(scanDetailSchema, 'The scan'),
});

export function registerScans(app: ConsoleApp): void {
  app.openapi(history, async (c) => {
    allow(c, 'read');
    const { accountId, limit, cursor } = c.req.valid('query');
    const ledger = c.get('ports').ledger;
    const from = cursor ? decode(cursor, accountId) : undefined;
    const page = await ledger.historyPage(accountId, { limit, ...(from ? { startKey: from.k } : {}) });
    const order: string[] = [];
    const trigger = new Map<string, string>();
    for (const h of page.heads) {
      if (h.scanId === from?.skip || trigger.has(h.scanId)) continue;
      order.push(h.scanId);
      trigger.set(h.scanId, h.trigger ?? 'scheduled');
    }
    const scans = await Promise.all(order.map(async (id) => ({ ...summarizeScan(id, await ledger.forScanOf(id, accountId)), trigger: trigger.get(id)! })));
    const last = page.heads.at(-1)?.scanId;
    return c.json({ scans, ...(page.next ? { next: encode({ k: page.next, ...(last ? { skip: last } : {}) }) } : {}) }, 200);
  });

  app.openapi(detail, async (c) => {
    allow(c, 'read');
    const { scanId } = c.req.valid('param');
    const { accountId } = c.req.valid('query');
    const entries = await c.get('ports').ledger.forScanOf(scanId, accountId);
    if (entries.length === 0) throw new HTTPException(404, { message: `scan ${scanId}: no ledger entries of account ${accountId}` });
    const cost = estimateCost(scanId, entries);
    return c.json(
      {
        accountId,
        summary: summarizeScan(scanId, entries),
        entries: entries.map((e) => ({ scope: e.scope, region: e.region, resourceType: e.resourceType, outcome: e.outcome, message: e.message, resourceCount: e.resourceCount, startedAt: e.startedAt, finishedAt: e.finishedAt })),
        cost: {
          lines: cost.lines.map((l) => ({ item: l.item, quantity: l.quantity, unit: l.unit, usd: l.usd })),
          perDayUsd: cost.perDayUsd,
          per30DaysUsd: cost.per30DaysUsd,
          perRealtimeEventUsd: cost.perRealtimeEventUsd,
          resources: cost.resources,
          notIncluded: cost.notIncluded,
        },
      },
      200,
    );
  });
}
