/** `posture cost`'s text: the estimate of src/scan/cost.ts (shared with the console's Scans page) as lines. */
import type { CostEstimate } from '#scan/cost.ts';

export { estimateCost, PRICES, PRICE_ASSUMPTIONS, type CostEstimate, type CostLine, type PriceKey } from '#scan/cost.ts';

/** Dollars as a bill shows them: cents, thousands separators; a non-zero amount under a cent is `<$0.01`. */
export function usdText(n: number): string {
  if (n > 0 && n < 0.005) return '<$0.01';
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
export const qty = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 }));

export function renderCost(e: CostEstimate): string[] {
  const width = Math.max(...e.lines.map((l) => l.item.length));
  return [
    `Daily scan cost estimate, from scan ${e.scanId} (${e.scopes} scopes, ${e.resources} resources):`,
    ...e.lines.map((l) => `  ${l.item.padEnd(width)}  ${qty(l.quantity).padStart(12)} ${l.unit.padEnd(11)} ${usdText(l.usd).padStart(10)}`),
    `  ${'per day'.padEnd(width)}  ${''.padStart(24)} ${usdText(e.perDayUsd).padStart(10)}`,
    `  ${'per 30 days'.padEnd(width)}  ${''.padStart(24)} ${usdText(e.per30DaysUsd).padStart(10)}`,
    `  each real-time event: about ${usdText(e.perRealtimeEventUsd)} (delivery, queue, one resource rescan)`,
    'Prices assumed (USD, us-east-1 on-demand list prices; check yours):',
    ...e.prices.map((p) => `  ${p.label}: $${p.usd} per ${p.per.toLocaleString('en-US')}`),
    'Not included:',
    ...e.notIncluded.map((n) => `  - ${n}`),
  ];
}
