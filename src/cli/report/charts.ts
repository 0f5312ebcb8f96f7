/**
 * Charts as inline SVG: no script, no external asset, so the report stays one self-contained file
 * that renders the same in a browser, a mail client's preview or a CI artifact viewer. Each chart
 * has a <title> and a <desc> holding its numbers in words, and every bar carries data labels.
 */
import { CATEGORIES, type Category, type Counts, type Tally } from './report-data.ts';
import { esc } from './escape.ts';

export const CATEGORY_LABEL: Record<Category, string> = { FAIL: 'failing', ERROR: 'error', SUPPRESSED: 'suppressed', PASS: 'passing' };

const WIDTH = 760;
const LABEL_W = 290;
const VALUE_W = 190;
const BAR_W = WIDTH - LABEL_W - VALUE_W - 16;
const ROW_H = 26;
const BAR_H = 16;
const LABEL_CHARS = 42;
/** Narrower segments get no count inside (it would not fit); the row's title and end label still have it. */
const MIN_LABELLED_SEGMENT = 22;

const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const fmt = (n: number): string => n.toLocaleString('en-US');

/** "3 failing, 1 error, 10 passing of 14": the categories present, for titles and descriptions. */
export function describeCounts(c: Counts & { total: number }): string {
  if (c.total === 0) return 'no results';
  const parts = CATEGORIES.filter((k) => c[k] > 0).map((k) => `${fmt(c[k])} ${CATEGORY_LABEL[k]}`);
  return `${parts.join(', ')} of ${fmt(c.total)}`;
}

/** The PASS share, rounded down so that one failure in a thousand never shows as 100%. */
export const passPercent = (c: Counts & { total: number }): number | null => (c.total === 0 ? null : Math.floor((100 * c.PASS) / c.total));

function barRow(row: Tally, i: number, chartScale: number): string {
  const y = i * ROW_H;
  const summary = `${row.label}: ${describeCounts(row)}`;
  const pct = passPercent(row);
  // The row summing a top-N's rest may outgrow the scale the named rows set: it is shrunk to fit, and says so.
  const scale = Math.min(chartScale, row.total ? BAR_W / row.total : chartScale);
  const shrunk = scale < chartScale;
  const value = row.total === 0 ? 'no results' : `${fmt(row.total)} · ${pct}% pass${shrunk ? ' (not to scale)' : ''}`;
  let x = LABEL_W;
  const segments = CATEGORIES.filter((k) => row[k] > 0).map((k) => {
    const w = row[k] * scale;
    const seg =
      `<rect class="seg ${k.toLowerCase()}" x="${x.toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="${BAR_H}"><title>${esc(`${row.label}: ${fmt(row[k])} ${CATEGORY_LABEL[k]}`)}</title></rect>` +
      (w >= MIN_LABELLED_SEGMENT ? `<text class="seg-label" x="${(x + w / 2).toFixed(1)}" y="${y + 17}" text-anchor="middle">${fmt(row[k])}</text>` : '');
    x += w;
    return seg;
  });
  const data = CATEGORIES.map((k) => ` data-${k.toLowerCase()}="${row[k]}"`).join('');
  return (
    `<g class="bar${row.rest ? ' rest' : ''}" data-label="${esc(row.label)}"${data} data-total="${row.total}"><title>${esc(summary)}</title>` +
    `<text class="label" x="${LABEL_W - 8}" y="${y + 17}" text-anchor="end">${esc(truncate(row.label, LABEL_CHARS))}</text>` +
    segments.join('') +
    `<text class="value" x="${(LABEL_W + BAR_W + 8).toFixed(1)}" y="${y + 17}">${esc(value)}</text></g>`
  );
}

/** Horizontal stacked bars, one per row, on one absolute scale (bar length = number of results). */
export function stackedBarChart(spec: { id: string; title: string; rows: readonly Tally[] }): string {
  // The named rows set the scale; a rest row is fitted to it (barRow).
  const named = spec.rows.filter((r) => !r.rest);
  const max = Math.max(1, ...(named.length ? named : spec.rows).map((r) => r.total));
  const scale = BAR_W / max;
  const height = Math.max(1, spec.rows.length) * ROW_H + 4;
  const desc = spec.rows.length ? spec.rows.map((r) => `${r.label}: ${describeCounts(r)}`).join('; ') : 'no results';
  const body = spec.rows.length
    ? spec.rows.map((r, i) => barRow(r, i, scale)).join('')
    : `<text class="empty" x="${WIDTH / 2}" y="17" text-anchor="middle">No results</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" id="${esc(spec.id)}" role="img" aria-labelledby="${esc(spec.id)}-title ${esc(spec.id)}-desc" ` +
    `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">` +
    `<title id="${esc(spec.id)}-title">${esc(spec.title)}</title><desc id="${esc(spec.id)}-desc">${esc(desc)}</desc>${body}</svg>`
  );
}

const R = 54;
const STROKE = 22;
const CIRCUMFERENCE = 2 * Math.PI * R;

/** A donut of the share of each status; the centre says the PASS share. */
export function statusDonut(spec: { id: string; title: string; counts: Counts }): string {
  const total = CATEGORIES.reduce((n, k) => n + spec.counts[k], 0);
  const size = 2 * (R + STROKE);
  const c = size / 2;
  let offset = 0;
  const arcs = CATEGORIES.filter((k) => spec.counts[k] > 0).map((k) => {
    const len = (spec.counts[k] / total) * CIRCUMFERENCE;
    // Start at 12 o'clock and go clockwise: the circle is rotated by -90°.
    const arc =
      `<circle class="arc ${k.toLowerCase()}" data-count="${spec.counts[k]}" cx="${c}" cy="${c}" r="${R}" fill="none" stroke-width="${STROKE}" ` +
      `stroke-dasharray="${len.toFixed(2)} ${(CIRCUMFERENCE - len).toFixed(2)}" stroke-dashoffset="${(-offset).toFixed(2)}" transform="rotate(-90 ${c} ${c})">` +
      `<title>${esc(`${fmt(spec.counts[k])} ${CATEGORY_LABEL[k]} (${Math.round((100 * spec.counts[k]) / total)}%)`)}</title></circle>`;
    offset += len;
    return arc;
  });
  const pct = passPercent({ ...spec.counts, total });
  const centre = pct === null ? 'no results' : `${pct}%`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart donut" id="${esc(spec.id)}" role="img" aria-labelledby="${esc(spec.id)}-title ${esc(spec.id)}-desc" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}">` +
    `<title id="${esc(spec.id)}-title">${esc(spec.title)}</title><desc id="${esc(spec.id)}-desc">${esc(describeCounts({ ...spec.counts, total }))}</desc>` +
    `<circle class="track" cx="${c}" cy="${c}" r="${R}" fill="none" stroke-width="${STROKE}"/>${arcs.join('')}` +
    `<text class="centre" x="${c}" y="${c + (pct === null ? 4 : 2)}" text-anchor="middle">${esc(centre)}</text>` +
    (pct === null ? '' : `<text class="centre-sub" x="${c}" y="${c + 18}" text-anchor="middle">pass</text>`) +
    `</svg>`
  );
}

const TREND_W = 280;
const TREND_H = 56;
const TREND_PAD = 4;

/**
 * The daily pass rate as a line, oldest day left, 0–100 % bottom to top; a day without a summary
 * breaks the line (a gap is not a zero). Each point's title gives its day and rate.
 */
export function trendChart(spec: { id: string; title: string; points: readonly { day: string; passRate: number | null }[] }): string {
  const n = spec.points.length;
  const x = (i: number) => TREND_PAD + (n <= 1 ? (TREND_W - 2 * TREND_PAD) / 2 : (i * (TREND_W - 2 * TREND_PAD)) / (n - 1));
  const y = (rate: number) => TREND_PAD + (1 - rate) * (TREND_H - 2 * TREND_PAD);
  const runs: string[][] = [[]];
  const dots: string[] = [];
  spec.points.forEach((p, i) => {
    if (p.passRate === null) {
      if (runs[runs.length - 1]!.length) runs.push([]);
      return;
    }
    runs[runs.length - 1]!.push(`${x(i).toFixed(1)},${y(p.passRate).toFixed(1)}`);
    dots.push(`<circle class="pt" cx="${x(i).toFixed(1)}" cy="${y(p.passRate).toFixed(1)}" r="2.5"><title>${esc(`${p.day}: ${(p.passRate * 100).toFixed(1)}% pass`)}</title></circle>`);
  });
  const lines = runs.filter((r) => r.length > 1).map((r) => `<polyline class="line" fill="none" points="${r.join(' ')}"/>`);
  const rated = spec.points.filter((p) => p.passRate !== null);
  const desc = rated.length
    ? `${rated.length} of ${n} days with a summary; from ${(rated[0]!.passRate! * 100).toFixed(1)}% on ${rated[0]!.day} to ${(rated[rated.length - 1]!.passRate! * 100).toFixed(1)}% on ${rated[rated.length - 1]!.day}`
    : 'no daily summary';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="trend" id="${esc(spec.id)}" role="img" aria-labelledby="${esc(spec.id)}-title ${esc(spec.id)}-desc" viewBox="0 0 ${TREND_W} ${TREND_H}" width="${TREND_W}" height="${TREND_H}">` +
    `<title id="${esc(spec.id)}-title">${esc(spec.title)}</title><desc id="${esc(spec.id)}-desc">${esc(desc)}</desc>` +
    `<line class="grid" x1="0" x2="${TREND_W}" y1="${y(1)}" y2="${y(1)}"/><line class="grid" x1="0" x2="${TREND_W}" y1="${y(0.5)}" y2="${y(0.5)}"/><line class="grid" x1="0" x2="${TREND_W}" y1="${y(0)}" y2="${y(0)}"/>` +
    `${lines.join('')}${dots.join('')}</svg>`
  );
}
