/** The report's aggregations and resource JSON cutting, on hand-made findings. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/findings.ts';
import { stackedBarChart, statusDonut } from '../../src/cli/report/charts.ts';
import { reportData, tally, topN } from '../../src/cli/report/report-data.ts';
import { MAX_PASSING_ROWS, renderReport } from '../../src/cli/report/report-html.ts';
import { resourceJson } from '../../src/cli/report/resource-json.ts';
import { aFinding } from '../helpers/finding.ts';

const finding = (over: Partial<Finding>): Finding => aFinding({
  accountId: '111122223333',
  resourceId: 'r1',
  policyId: 'P1',
  severity: 'High',
  status: 'PASS',
  lastChanged: '2026-11-22T00:00:00Z',
  lastVerified: null,
  verifiedBy: null,
  ...over,
});

describe('report data', () => {
  it('counts a suppressed FAIL as suppressed, not failing, and sums the rest of a top-N', () => {
    const fs = [
      finding({ policyId: 'A', status: 'FAIL' }),
      finding({ policyId: 'A', status: 'FAIL', suppressed: true }),
      finding({ policyId: 'B', status: 'ERROR' }),
      finding({ policyId: 'C' }),
      finding({ policyId: 'D', status: 'FAIL' }),
      finding({ policyId: 'D', status: 'FAIL', resourceId: 'r2' }),
    ];
    const rows = tally(fs, (f) => f.policyId).sort((a, b) => b.FAIL - a.FAIL || a.label.localeCompare(b.label));
    expect(rows.map((r) => [r.label, r.FAIL, r.SUPPRESSED, r.ERROR, r.PASS, r.total])).toEqual([
      ['D', 2, 0, 0, 0, 2],
      ['A', 1, 1, 0, 0, 2],
      ['B', 0, 0, 1, 0, 1],
      ['C', 0, 0, 0, 1, 1],
    ]);
    const top = topN(rows, 2, (k) => `${k} others`);
    expect(top.map((r) => [r.label, r.ERROR, r.PASS, r.total, r.rest])).toEqual([
      ['D', 0, 0, 2, undefined],
      ['A', 0, 0, 2, undefined],
      ['2 others', 1, 1, 2, 2],
    ]);
    expect(topN(rows, 4, (k) => `${k}`)).toHaveLength(4);
    const d = reportData({ findings: fs });
    expect(d.counts).toEqual({ FAIL: 3, ERROR: 1, SUPPRESSED: 1, PASS: 1 });
    expect(d.failing.map((f) => `${f.policyId}${f.suppressed ? '-s' : ''}`)).toEqual(['A', 'D', 'D', 'B', 'A-s']);
    expect(d.byPolicy.map((r) => r.label)).toEqual(['D', 'A', 'B', 'C']);
    expect(d.bySeverity.map((r) => [r.label, r.total])).toEqual([['Critical', 0], ['High', 6], ['Medium', 0], ['Low', 0], ['Info', 0]]);
  });

  it('draws nothing undefined for empty or all-zero data', () => {
    const svg = stackedBarChart({ id: 'c', title: 'T', rows: tally([], (f) => f.severity, ['High', 'Low']) });
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    expect(svg.match(/<g class="bar"/g)).toHaveLength(2);
    expect(statusDonut({ id: 'd', title: 'T', counts: { FAIL: 0, ERROR: 0, SUPPRESSED: 0, PASS: 0 } })).toContain('>no results</text>');
  });

  it('escapes labels and cuts long ones on screen only', () => {
    const label = `<img src=x onerror=alert(1)>${'x'.repeat(60)}`;
    const svg = stackedBarChart({ id: 'c', title: '<t>', rows: tally([finding({ policyId: label })], (f) => f.policyId) });
    expect(svg).not.toContain('<img');
    expect(svg).toContain(`data-label="&lt;img src=x onerror=alert(1)&gt;${'x'.repeat(60)}"`);
    expect(svg).toContain(`>&lt;img src=x onerror=alert(1)&gt;${'x'.repeat(13)}…</text>`);
  });
});

describe('resource JSON', () => {
  it('prints small resources whole and cuts big ones at a line end, or mid-value when one value is the bulk', () => {
    expect(resourceJson({ a: 1 })).toEqual({ text: '{\n  "a": 1\n}' });
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'.repeat(20)]));
    const cut = resourceJson(many, 500);
    expect(cut.truncatedFrom).toBe(JSON.stringify(many, null, 2).length);
    expect(cut.text.length).toBeLessThanOrEqual(500);
    expect(cut.text.endsWith(',')).toBe(true);
    const one = resourceJson({ blob: 'z'.repeat(5000) }, 500);
    expect(one.text).toHaveLength(500);
    expect(resourceJson(undefined).text).toBe('null');
  });
});

describe('passing rows', () => {
  it('lists at most MAX_PASSING_ROWS passing results and says where the rest are', () => {
    const many = Array.from({ length: MAX_PASSING_ROWS + 3 }, (_, i) => finding({ resourceId: `r${i}` }));
    const html = renderReport({ title: 't', generatedAt: new Date(0), findings: many, notEvaluated: [] });
    const table = html.slice(html.indexOf('<table id="passing" class="findings">'));
    expect(table.match(/<tr class="pass" /g)).toHaveLength(MAX_PASSING_ROWS);
    expect(html).toContain(`The first 5,000 of 5,003 passing results; posture findings --status PASS lists them all.`);
    expect(html).toContain('data-label="High" data-fail="0" data-error="0" data-suppressed="0" data-pass="5003" data-total="5003"');
  });
});
