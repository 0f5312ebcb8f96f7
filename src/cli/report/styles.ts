/** The report's stylesheet (inline: the page loads nothing; the CSP allows it by hash). Colours are the chart categories'. */
export const REPORT_CSS = `
:root{--fail:#c62828;--error:#e08600;--suppressed:#8a8a99;--pass:#2e7d32;--line:#dcdce2;--muted:#5f6170;--nav-h:2.6rem}
html{scroll-padding-top:calc(var(--nav-h) + 2.4rem)}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1c22;background:#f6f7f9}
header{background:#1f2433;color:#fff;padding:1.25rem 2rem}header h1{margin:0;font-size:1.5rem}header p{margin:.25rem 0 0;color:#c9cbd6;font-size:.9rem}
main{padding:1.5rem 2rem;max-width:1600px}
h2{font-size:1.15rem;margin:2rem 0 .75rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:.75rem}
.card{color:inherit;text-decoration:none;background:#fff;border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem;border-top:4px solid #8c93a8}
.card b{display:block;font-size:1.6rem;line-height:1.2}.card span{color:var(--muted);font-size:.85rem}
.card.fail{border-top-color:var(--fail)}.card.error{border-top-color:var(--error)}.card.suppressed{border-top-color:var(--suppressed)}.card.pass{border-top-color:var(--pass)}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;overflow-x:auto}
.panel h3{margin:0 0 .5rem;font-size:1rem}
.overview{display:flex;gap:2rem;align-items:center;flex-wrap:wrap}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(620px,1fr));gap:1rem;align-items:start}.charts .wide{grid-column:1/-1}
svg.bars{max-width:100%;height:auto}
.legend{display:flex;gap:1rem;flex-wrap:wrap;list-style:none;padding:0;margin:.25rem 0 .75rem;font-size:.85rem;color:var(--muted)}
.legend.stacked{flex-direction:column;gap:.4rem;font-size:.95rem;color:#1b1c22}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.35rem;vertical-align:-1px}
.swatch.fail,.seg.fail{background:var(--fail);fill:var(--fail)}.swatch.error,.seg.error{background:var(--error);fill:var(--error)}
.swatch.suppressed,.seg.suppressed{background:var(--suppressed);fill:var(--suppressed)}.swatch.pass,.seg.pass{background:var(--pass);fill:var(--pass)}
svg text{font-size:12px;fill:#1b1c22}svg .seg-label{fill:#fff;font-weight:600;font-size:11px}svg .value{fill:var(--muted)}svg .empty{fill:var(--muted)}
svg .track{stroke:#eceef2}svg .arc.fail{stroke:var(--fail)}svg .arc.error{stroke:var(--error)}svg .arc.suppressed{stroke:var(--suppressed)}svg .arc.pass{stroke:var(--pass)}
svg .centre{font-size:24px;font-weight:700}svg .centre-sub{fill:var(--muted)}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.85rem}
th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef0f4;font-weight:600;position:sticky;top:var(--nav-h);z-index:1;overflow-wrap:normal}
td.status{font-weight:600;overflow-wrap:normal}td.status small{font-weight:400}td.nw{white-space:nowrap;overflow-wrap:normal}td.policy{min-width:16rem}tr.fail td.status{color:var(--fail)}tr.error td.status{color:var(--error)}tr.suppressed td.status{color:var(--suppressed)}tr.pass td.status{color:var(--pass)}
code{font-size:.8rem}
code.id,small.id{word-break:normal;overflow-wrap:normal}code.id>span,a>span{white-space:nowrap}td.resource{min-width:14rem}td.changed{white-space:nowrap}td.changed small{display:block}td.changed small.cause{white-space:normal;min-width:14rem;max-width:24rem}td.num{text-align:right;font-variant-numeric:tabular-nums}small{color:var(--muted);overflow-wrap:anywhere}
details summary{cursor:pointer;color:#2f4fb0;font-size:.8rem}
details pre{max-width:24rem;background:#f3f4f7;border:1px solid var(--line);border-radius:6px;padding:.6rem;max-height:28rem;overflow:auto;font-size:.75rem;white-space:pre}
.framework{margin-bottom:1.5rem}.framework h3{font-size:1rem;margin:.5rem 0}ul.evidence{margin:0;padding-left:1rem}
.note{color:var(--muted);font-size:.8rem}.empty-state{color:var(--muted);font-style:italic}
nav.toc{position:sticky;top:0;z-index:2;height:var(--nav-h);display:flex;gap:.25rem 1rem;align-items:center;overflow-x:auto;white-space:nowrap;background:#fff;border-bottom:1px solid var(--line);padding:0 2rem;font-size:.85rem}
nav.toc a{color:#2f4fb0;text-decoration:none}nav.toc a:hover{text-decoration:underline}nav.toc a.sub{color:var(--muted);font-size:.8rem}
header time{color:#fff;font-weight:600}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;background:#fff;border:1px solid var(--line);border-radius:8px;padding:.6rem .9rem;margin-bottom:.5rem;font-size:.85rem}
.toolbar label{display:flex;flex-direction:column;gap:.15rem;color:var(--muted)}.toolbar input{width:22rem;max-width:100%}
.toolbar input,.toolbar select,.toolbar button{font:inherit;padding:.3rem .4rem;border:1px solid #b9bcc8;border-radius:4px;background:#fff}.toolbar output{color:var(--muted);margin-left:auto}
p.shown:empty{display:none}p.shown{color:var(--muted);font-size:.8rem;margin:.25rem 0}
table.findings th{white-space:nowrap}th button.sort{all:unset;cursor:pointer;font-weight:600}th button.sort::after{content:" ↕";color:#a3a6b4}
th[aria-sort=ascending] button.sort::after{content:" ▲";color:#1b1c22}th[aria-sort=descending] button.sort::after{content:" ▼";color:#1b1c22}
details.remediation{margin-top:.35rem}details.remediation[open]{background:#f8f9fb;border-left:3px solid #2f4fb0;padding:.2rem .6rem}
details.remediation h4{margin:.4rem 0 .1rem;font-size:.8rem}.runbook{white-space:pre-wrap;margin:.1rem 0}.description{margin:.3rem 0}.reference{font-size:.8rem}
tr.landed td{background:#fff8d6}details.resource-json{scroll-margin-top:calc(var(--nav-h) + 2.4rem)}
ul.outcomes{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.25rem 0 .75rem}
ul.outcomes li{background:#fff;border:1px solid var(--line);border-left:4px solid var(--error);border-radius:6px;padding:.3rem .6rem;font-size:.85rem}
ul.reasons{margin:0;padding-left:1rem}td.types code{white-space:nowrap}
.framework.panel{margin-bottom:1rem}.fw-head{display:flex;flex-wrap:wrap;gap:1rem 2.5rem;align-items:flex-start;margin-bottom:.5rem}
.fw-status{flex:1 1 24rem}svg.control-bar{display:block;width:100%;height:14px;border-radius:3px;background:#eceef2}
svg.control-bar .seg.fail{fill:var(--fail)}svg.control-bar .seg.error{fill:var(--error)}svg.control-bar .seg.pass{fill:var(--pass)}svg.control-bar .seg.suppressed{fill:var(--suppressed)}
svg.trend .grid{stroke:#eceef2}svg.trend .line{stroke:#2f4fb0;stroke-width:2}svg.trend .pt{fill:#2f4fb0}
details.controls>summary{margin:.25rem 0 .5rem}
p.more button{font:inherit;padding:.3rem .6rem;border:1px solid #b9bcc8;border-radius:4px;background:#fff;cursor:pointer}
@media print{nav.toc,.toolbar,p.more{display:none}th{position:static}html{scroll-padding-top:0}}
`;
