/** `posture cost` prints amounts as a bill does: cents, thousands separators, sub-cent as `<$0.01`. */
import { describe, expect, it } from 'vitest';
import { estimateCost, renderCost, usdText } from '../../src/cli/cost.ts';
import type { LedgerEntry } from '../../src/core/ledger.ts';
import { emptyUsage } from '../../src/core/usage.ts';

describe('usdText', () => {
  it('rounds to cents, separates thousands and marks sub-cent amounts', () => {
    expect(usdText(0.0123)).toBe('$0.01');
    expect(usdText(0.004)).toBe('<$0.01');
    expect(usdText(0.0000004)).toBe('<$0.01');
    expect(usdText(0)).toBe('$0.00');
    expect(usdText(1234.5)).toBe('$1,234.50');
    expect(usdText(1234567.891)).toBe('$1,234,567.89');
  });
});

describe('renderCost', () => {
  it('shows no raw floating-point amounts', () => {
    const entry = {
      scanId: 'scan-1',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:02.000Z',
      resourceCount: 40,
      usage: { ...emptyUsage(), ddbWriteItems: 120, ddbReads: 30, s3Requests: 12, engineMs: 800, engineCalls: 2, memberApiCalls: 60 },
    } as unknown as LedgerEntry;
    const text = renderCost(estimateCost('scan-1', [entry]));
    const amounts = text.slice(1, text.indexOf('Prices assumed (USD, us-east-1 on-demand list prices; check yours):')).join('\n').match(/<?\$[\d,.]+/g)!;
    expect(amounts.length).toBeGreaterThan(5);
    for (const a of amounts) expect(a).toMatch(/^(<\$0\.01|\$\d{1,3}(,\d{3})*\.\d\d)$/);
    expect(text.join('\n')).not.toMatch(/e-\d/); // no 1.2e-7
  });
});
