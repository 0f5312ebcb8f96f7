/**
 * The report's only script, inline so the page stays one file that loads nothing: search, filter
 * and sort of the findings tables, and the resource-JSON links. It reads the rows' data attributes
 * once, then toggles `hidden` and reorders rows (no re-render), so a page of thousands of rows stays
 * responsive. Plain ES2017 in a string: it runs as written, not through the TypeScript build. The
 * page's Content-Security-Policy allows this script and stylesheet by hash and nothing else.
 */
import { createHash } from 'node:crypto';

/**
 * Rows a findings table shows at once (more on request): laying out a row costs Chromium about
 * 0.3 ms, so showing 1,700 failing rows at once stalls the page for a second; filtering does not.
 */
export const PAGE_ROWS = 200;

export const PAGE_SCRIPT = `(function () {
  'use strict';
  var PAGE = ${PAGE_ROWS};
  var doc = document;
  var bar = doc.getElementById('finding-filters');
  var field = function (n) { return bar.querySelector('[name="' + n + '"]'); };
  var sets = Array.prototype.map.call(doc.querySelectorAll('table.findings'), function (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (tr) {
      var d = tr.dataset;
      return {
        tr: tr,
        text: [d.policy, d.res, d.acct, d.region, d.type, d.err || '', d.q || ''].join(' ').toLowerCase(),
        sev: Number(d.sev), cat: d.cat, acct: d.acct, type: d.type
      };
    });
    var set = { table: table, body: body, rows: rows, limit: PAGE, count: doc.querySelector('[data-count-for="' + table.id + '"]'), more: doc.querySelector('[data-more-for="' + table.id + '"]') };
    if (set.more) set.more.addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (!b) return;
      set.limit = b.name === 'all' ? set.rows.length : set.limit + PAGE;
      apply(true);
    });
    return set;
  });
  var total = sets.reduce(function (n, s) { return n + s.rows.length; }, 0);
  var fmt = function (n) { return n.toLocaleString('en-US'); };

  // keepPages: a "show more" or a sort keeps each table's page count; a new filter starts again at one page.
  function apply(keepPages) {
    if (!bar) return;
    var words = field('q').value.toLowerCase().split(/\\s+/).filter(Boolean);
    var sev = field('sev').value === '' ? 99 : Number(field('sev').value);
    var cat = field('cat').value, acct = field('acct').value, type = field('type').value;
    var shown = 0;
    sets.forEach(function (set) {
      if (!keepPages) set.limit = PAGE;
      var n = 0;
      for (var i = 0; i < set.rows.length; i++) {
        var r = set.rows[i];
        var ok = r.sev <= sev && (!cat || r.cat === cat) && (!acct || r.acct === acct) && (!type || r.type === type);
        for (var j = 0; ok && j < words.length; j++) ok = r.text.indexOf(words[j]) !== -1;
        var show = ok && n < set.limit;
        if (r.tr.hidden === show) r.tr.hidden = !show;
        if (ok) n++;
      }
      shown += n;
      var msg = n === set.rows.length ? '' : fmt(n) + ' of ' + fmt(set.rows.length) + ' rows match the filters';
      if (n > set.limit) msg = (msg ? msg + '; ' : fmt(n) + ' rows; ') + 'showing the first ' + fmt(set.limit) + ' in the table\u2019s order';
      if (set.count) set.count.textContent = msg;
      if (set.more) set.more.hidden = n <= set.limit;
    });
    // The filters the rows now reflect (tests wait on it; the debounce would otherwise race them).
    bar.dataset.applied = FIELDS.map(function (n) { return field(n).value; }).join('|');
    field('result').value = shown === total ? fmt(total) + ' results' : fmt(shown) + ' of ' + fmt(total) + ' results match';
  }

  var FIELDS = ['q', 'sev', 'cat', 'acct', 'type'];
  var timer = 0;
  if (bar) {
    bar.addEventListener('input', function (e) {
      clearTimeout(timer);
      timer = setTimeout(function () { apply(false); }, e.target.name === 'q' ? 80 : 0);
    });
    field('reset').addEventListener('click', function () {
      FIELDS.forEach(function (n) { field(n).value = ''; });
      apply(false);
    });
  }

  // Sort: a header's button sorts its table by that column, ascending then descending.
  sets.forEach(function (set) {
    set.table.tHead.addEventListener('click', function (e) {
      var btn = e.target.closest('button.sort');
      if (!btn) return;
      var th = btn.parentNode;
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      var key = btn.dataset.key, num = btn.hasAttribute('data-num');
      Array.prototype.forEach.call(set.table.tHead.rows[0].cells, function (c) { c.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var order = set.rows.map(function (r, i) { return { r: r, i: i, v: r.tr.dataset[key] || '' }; });
      order.sort(function (a, b) {
        var c = num ? Number(a.v) - Number(b.v) : a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
        return c * dir || a.i - b.i;
      });
      // Reordered while detached: one removal and one insertion for the page, not one per row.
      var next = set.body.nextSibling;
      set.table.removeChild(set.body);
      set.rows = order.map(function (o) { set.body.appendChild(o.r.tr); return o.r; });
      set.table.insertBefore(set.body, next);
      apply(true);
    });
  });

  // A link to a resource's JSON printed on another row: show that row (clearing filters that hide it), open the block, bring it into view.
  doc.addEventListener('click', function (e) {
    var a = e.target.closest('a.json-link');
    if (!a) return;
    var target = doc.getElementById(a.getAttribute('href').slice(1));
    if (!target) return;
    e.preventDefault();
    var row = target.closest('tr');
    if (row && row.hidden && bar) {
      // Hidden by a filter or beyond the rows shown: clear the filters and show pages up to it.
      FIELDS.forEach(function (n) { field(n).value = ''; });
      sets.forEach(function (set) {
        var at = set.rows.findIndex(function (r) { return r.tr === row; });
        if (at >= 0) set.limit = Math.max(PAGE, Math.ceil((at + 1) / PAGE) * PAGE);
      });
      apply(true);
    }
    var outer = target.closest('details.passing');
    if (outer) outer.open = true;
    target.open = true;
    doc.querySelectorAll('tr.landed').forEach(function (r) { r.classList.remove('landed'); });
    if (row) row.classList.add('landed');
    history.replaceState(null, '', '#' + target.id);
    (row || target).scrollIntoView({ block: 'start' });
    target.querySelector('summary').focus({ preventScroll: true });
  });
  apply(false);
})();`;

/** The CSP source allowing exactly this text inline ('sha256-…'). */
export const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
