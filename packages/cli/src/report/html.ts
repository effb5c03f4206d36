/**
 * The report as one self-contained HTML file: inline CSS and inline SVG charts, no script, no
 * font or image from anywhere else, so it opens offline and can be mailed or attached to a CI run.
 */
import { format, percent } from './analyze.js';
import type { MetricEntry } from './outcomes.js';
import type { DriftEntry, HistogramView, QualityEntry, ReportData, Status } from './types.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STATUS_TEXT: Record<Status, string> = {
  ok: 'OK',
  alert: 'Drift',
  insufficient_data: 'Too few values',
  error: 'Error',
};

function badge(status: Status, alertText = 'Drift'): string {
  const text = status === 'alert' ? alertText : STATUS_TEXT[status];
  const symbol = status === 'alert' ? '▲' : status === 'ok' ? '●' : '○';
  return `<span class="badge ${status}">${symbol} ${escapeHtml(text)}</span>`;
}

function binLabel(edges: (number | null)[], i: number): string {
  const lo = edges[i];
  const hi = edges[i + 1];
  if (lo === null || lo === undefined) return `< ${format(hi ?? null)}`;
  if (hi === null || hi === undefined) return `≥ ${format(lo)}`;
  return `${format(lo)}–${format(hi)}`;
}

/** Grouped bars of the reference's and the current's share per bin or category. */
export function histogramSvg(view: HistogramView, title: string): string {
  const labels = view.edges
    ? view.reference.map((_, i) => binLabel(view.edges!, i))
    : (view.categories ?? []).map((c) => c);
  const n = labels.length;
  if (n === 0) return '';
  const refTotal = view.reference.reduce((a, b) => a + b, 0) || 1;
  const curTotal = view.current.reduce((a, b) => a + b, 0) || 1;
  const shown = Math.min(n, 20);
  const width = 440;
  const height = 150;
  const left = 34;
  const bottom = 34;
  const plotH = height - bottom - 8;
  const slot = (width - left - 4) / shown;
  const bar = Math.max(2, slot * 0.38);
  let max = 0;
  for (let i = 0; i < shown; i++) {
    max = Math.max(max, view.reference[i]! / refTotal, view.current[i]! / curTotal);
  }
  max = max || 1;
  const y = (share: number) => 8 + plotH - (share / max) * plotH;
  const parts: string[] = [];
  parts.push(
    `<line x1="${left}" y1="${8 + plotH}" x2="${width - 4}" y2="${8 + plotH}" class="axis"/>`,
    `<text x="${left - 4}" y="12" class="tick" text-anchor="end">${Math.round(max * 100)}%</text>`,
    `<text x="${left - 4}" y="${8 + plotH}" class="tick" text-anchor="end">0</text>`,
  );
  for (let i = 0; i < shown; i++) {
    const x = left + i * slot + slot / 2;
    const r = view.reference[i]! / refTotal;
    const c = view.current[i]! / curTotal;
    parts.push(
      `<rect class="ref" x="${(x - bar).toFixed(1)}" y="${y(r).toFixed(1)}" width="${bar.toFixed(1)}" height="${(8 + plotH - y(r)).toFixed(1)}"><title>reference ${escapeHtml(labels[i]!)}: ${percent(r)}</title></rect>`,
      `<rect class="cur" x="${x.toFixed(1)}" y="${y(c).toFixed(1)}" width="${bar.toFixed(1)}" height="${(8 + plotH - y(c)).toFixed(1)}"><title>current ${escapeHtml(labels[i]!)}: ${percent(c)}</title></rect>`,
    );
    const label = labels[i]!.length > 12 ? `${labels[i]!.slice(0, 11)}…` : labels[i]!;
    parts.push(
      `<text class="tick" transform="translate(${x.toFixed(1)},${8 + plotH + 8}) rotate(30)">${escapeHtml(label)}</text>`,
    );
  }
  const more = n > shown ? `<p class="note">Showing ${shown} of ${n} categories.</p>` : '';
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">${parts.join('')}</svg>${more}`;
}

function driftRow(d: DriftEntry): string {
  const threshold =
    d.threshold === null ? '—' : `${d.threshold_direction === 'upper' ? '≤' : '≥'} ${format(d.threshold)}`;
  return `<tr class="${d.status}"><td><a href="#f-${anchor(d.column)}">${escapeHtml(d.column)}</a></td><td>${d.type}</td><td>${d.method.replaceAll('_', '-')}</td><td class="num">${format(d.value)}</td><td class="num">${threshold}</td><td>${badge(d.status)}</td></tr>`;
}

function anchor(name: string): string {
  return encodeURIComponent(name).replace(/%/g, '_');
}

function driftCard(d: DriftEntry): string {
  const reason = d.reason ? `<p class="note">${escapeHtml(d.reason)}</p>` : '';
  const means =
    d.type === 'numeric'
      ? `<dt>Mean</dt><dd>${format(d.reference_mean)} → ${format(d.current_mean)}</dd>`
      : '';
  return `<section class="card feature ${d.status}" id="f-${anchor(d.column)}">
<h3>${escapeHtml(d.column)} ${badge(d.status)}</h3>
<dl><dt>Method</dt><dd>${d.method.replaceAll('_', '-')} distance</dd><dt>Value</dt><dd>${format(d.value)}</dd><dt>Threshold</dt><dd>${format(d.threshold)} (${escapeHtml(d.threshold_source ?? '—')})</dd><dt>Values</dt><dd>${d.reference_size.toLocaleString('en-US')} ref · ${d.current_size.toLocaleString('en-US')} cur</dd>${means}</dl>
${d.histogram ? histogramSvg(d.histogram, `${d.column}: reference and current distribution`) : ''}${reason}</section>`;
}

function qualityTable(entries: QualityEntry[]): string {
  if (entries.length === 0) return '<p>No features to check.</p>';
  const rows = entries
    .filter((q) => q.status !== 'ok' || q.metric === 'missing_rate')
    .map(
      (q) =>
        `<tr class="${q.status}"><td>${escapeHtml(q.column)}</td><td>${q.metric.replaceAll('_', ' ')}</td><td class="num">${percent(q.value)}</td><td class="num">${q.reference_value === null ? '—' : percent(q.reference_value)}</td><td class="num">≤ ${percent(q.threshold)}</td><td>${badge(q.status, 'Alert')}</td></tr>`,
    );
  return `<table><thead><tr><th>Column</th><th>Check</th><th>Current</th><th>Reference</th><th>Limit</th><th>Status</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const CSS = `
:root{--ok:#1a7f37;--alert:#c62828;--muted:#5f6b7a;--ref:#6b8fd6;--cur:#f28c28;--line:#dfe3e8;--bg:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1080px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 12px;border-bottom:1px solid var(--line);padding-bottom:6px}
h3{font-size:15px;margin:0 0 8px;display:flex;gap:8px;align-items:center;justify-content:space-between}.meta{color:var(--muted);margin:0}
.verdict{border-radius:8px;padding:14px 16px;margin:16px 0;font-size:16px;border:1px solid var(--line);background:var(--bg)}.verdict.alert{border-color:#f1b5b5;background:#fdf1f1}.verdict.ok{border-color:#b7e1c1;background:#f0faf3}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px}.stat{border:1px solid var(--line);border-radius:8px;padding:12px}.stat b{display:block;font-size:22px}.stat span{color:var(--muted)}
ol.first li{margin:4px 0}table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line)}th{background:var(--bg);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.alert td:first-child{border-left:3px solid var(--alert)}.badge{font-size:12px;padding:1px 8px;border-radius:10px;white-space:nowrap;border:1px solid currentColor}.badge.ok{color:var(--ok)}.badge.alert{color:var(--alert);font-weight:600}.badge.insufficient_data,.badge.error{color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}.card{border:1px solid var(--line);border-radius:8px;padding:12px}.card.alert{border-color:#f1b5b5}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0 0 8px;font-size:13px}dt{color:var(--muted)}dd{margin:0}svg{width:100%;height:auto;display:block}
rect.ref{fill:var(--ref)}rect.cur{fill:var(--cur)}.axis{stroke:#9aa4b0}.tick{font-size:9px;fill:var(--muted)}.legend{display:flex;gap:16px;color:var(--muted);font-size:13px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:middle}.note{color:var(--muted);font-size:12px;margin:6px 0 0}
footer{color:var(--muted);font-size:12px;margin-top:40px;border-top:1px solid var(--line);padding-top:12px}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}:root{--line:#30363d;--bg:#161b22;--muted:#9aa4b0}.verdict.alert{background:#2d1214;border-color:#6e2a2a}.verdict.ok{background:#0f2a18;border-color:#2a6e3f}}
`;

function metricTable(metrics: MetricEntry[], reference = true): string {
  const rows = metrics.map((m) => {
    const threshold =
      m.threshold_lower !== null && m.threshold_upper !== null
        ? `${format(m.threshold_lower)} – ${format(m.threshold_upper)}`
        : m.threshold_lower !== null
          ? `≥ ${format(m.threshold_lower)}`
          : m.threshold_upper !== null
            ? `≤ ${format(m.threshold_upper)}`
            : '—';
    const reason = m.reason ? `<br><span class="note">${escapeHtml(m.reason)}</span>` : '';
    return `<tr class="${m.status}"><td>${escapeHtml(m.metric.replaceAll('_', ' '))}${reason}</td><td class="num">${format(m.value)}</td>${reference ? `<td class="num">${format(m.reference_value)}</td>` : ''}<td class="num">${threshold}</td><td class="num">${Math.round(m.sample_size).toLocaleString('en-US')}</td><td>${badge(m.status, 'Alert')}</td></tr>`;
  });
  return `<table><thead><tr><th>Metric</th><th>Current</th>${reference ? '<th>Reference</th>' : ''}<th>Threshold</th><th>Rows</th><th>Status</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function outcomeSections(report: ReportData): string {
  const parts: string[] = [];
  const mv = report.multivariate;
  if (mv) {
    parts.push(
      `<h2 id="multivariate">Multivariate drift</h2><p class="meta">Data reconstruction error: a PCA (${mv.components ?? '—'} components) fitted on the reference compresses each row of ${mv.features.length} features; the mean error rises when the relations between features change, which no per-feature test sees.</p>${metricTable([{ ...mv, metric: 'reconstruction_error' }])}`,
    );
  }
  const p = report.performance;
  if (p) {
    parts.push(
      `<h2 id="performance">Performance</h2><p class="meta">${p.labelled_rows.toLocaleString('en-US')} labelled rows (${percent(p.label_coverage)} of the current data)${p.positive_class !== null ? `; positive class <b>${escapeHtml(p.positive_class)}</b>` : ''}. Bands from the reference's value and the spread of its chunks.</p>${metricTable(p.metrics)}`,
    );
  }
  const e = report.estimated_performance;
  if (e) {
    parts.push(
      `<h2 id="estimated">Estimated performance (CBPE)</h2><p class="meta">${p ? 'Estimated from the scores alone, to compare with the measured performance above.' : 'The current data has no labels: performance is estimated from the scores, calibrated on the reference.'} ${e.scored_rows.toLocaleString('en-US')} scored rows; positive class <b>${escapeHtml(e.positive_class)}</b>.</p>${metricTable(e.metrics)}`,
    );
  }
  const f = report.fairness;
  if (f) {
    const groups = f.groups
      .map(
        (g) =>
          `<tr><td>${escapeHtml(g.group)}</td><td class="num">${g.count.toLocaleString('en-US')}</td><td class="num">${percent(g.selection_rate)}</td><td class="num">${g.true_positive_rate === null ? '—' : percent(g.true_positive_rate)}</td><td>${g.included ? 'yes' : 'too small'}</td></tr>`,
      )
      .join('');
    parts.push(
      `<h2 id="fairness">Fairness by ${escapeHtml(f.attribute)}</h2><p class="meta">Favourable outcome <b>${escapeHtml(f.favourable)}</b>; selection rate = share predicted favourable.</p>${metricTable(f.metrics, false)}<table style="margin-top:12px"><thead><tr><th>Group</th><th>Rows</th><th>Selection rate</th><th>True positive rate</th><th>Compared</th></tr></thead><tbody>${groups}</tbody></table>`,
    );
  }
  return parts.join('');
}

export function renderHtml(report: ReportData, extraSections: string[] = []): string {
  const s = report.summary;
  const features = report.drift.features;
  const drifted = s.drifted_features.length;
  const verdictStatus =
    drifted > 0 || s.quality_alerts > 0 || s.performance_alerts > 0 || s.fairness_alerts > 0 ? 'alert' : 'ok';
  const verdict =
    drifted === 0
      ? `No feature drifted (${s.evaluated_features} compared).`
      : `${drifted} of ${s.evaluated_features} features drifted (${percent(s.drift_share)})${s.dataset_drift ? ': the dataset drifted' : ''}.`;
  const lookFirst =
    s.look_first.length === 0
      ? '<p>Nothing stands out: every check is within its threshold.</p>'
      : `<ol class="first">${s.look_first.map((l) => `<li>${l.column ? `<a href="#f-${anchor(l.column)}">` : ''}${escapeHtml(l.message)}${l.column ? '</a>' : ''}</li>`).join('')}</ol>`;
  const sorted = [...features].sort(
    (a, b) =>
      Number(b.status === 'alert') - Number(a.status === 'alert') ||
      (b.value ?? -1) / (b.threshold || 1) - (a.value ?? -1) / (a.threshold || 1),
  );
  const approximations =
    report.approximations.length > 0
      ? `<div class="verdict"><b>Approximate numbers:</b><ul>${report.approximations.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul></div>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Vigil report: ${escapeHtml(report.current.file)} vs ${escapeHtml(report.reference.file)}</title><style>${CSS}</style></head>
<body><main>
<h1>Data drift report</h1>
<p class="meta">Reference <b>${escapeHtml(report.reference.file)}</b> (${report.reference.rows.toLocaleString('en-US')} rows) · current <b>${escapeHtml(report.current.file)}</b> (${report.current.rows.toLocaleString('en-US')} rows) · ${escapeHtml(report.settings.task.replaceAll('_', ' '))} · ${escapeHtml(report.generated_at)}</p>
<section id="summary"><div class="verdict ${verdictStatus}">${escapeHtml(verdict)}</div>
<div class="cards">
<div class="stat"><b>${percent(s.drift_share)}</b><span>features drifted (dataset drift at ${percent(report.settings.drift_share_threshold)})</span></div>
<div class="stat"><b>${drifted}</b><span>drifted features</span></div>
<div class="stat"><b>${s.quality_alerts}</b><span>data-quality alerts</span></div>
<div class="stat"><b>${s.checks.performance === 'not_evaluated' ? '—' : s.performance_alerts}</b><span>performance alerts</span></div>
${s.checks.fairness === 'not_evaluated' ? '' : `<div class="stat"><b>${s.fairness_alerts}</b><span>fairness alerts</span></div>`}
</div>
<h2>Look at first</h2>${lookFirst}${approximations}</section>
<h2 id="quality">Data quality</h2>${qualityTable(report.quality.entries)}
<h2 id="drift">Feature drift</h2>
<p class="legend"><span><i style="background:var(--ref)"></i>reference</span><span><i style="background:var(--cur)"></i>current</span><span>Thresholds meet a budget of ${report.settings.false_alarms_per_week} false alarm per week over ${report.settings.budgeted_monitors} monitors at ${report.settings.window} windows, as the server's default monitors.</span></p>
<table><thead><tr><th>Feature</th><th>Type</th><th>Method</th><th>Value</th><th>Threshold</th><th>Status</th></tr></thead><tbody>${sorted.map(driftRow).join('')}</tbody></table>
<div class="grid" style="margin-top:12px">${sorted.map(driftCard).join('')}</div>
${report.drift.outputs.length > 0 ? `<h2 id="outputs">Prediction and target drift</h2><div class="grid">${report.drift.outputs.map(driftCard).join('')}</div>` : ''}
${extraSections.join('')}
${outcomeSections(report)}
<footer>Made by ${escapeHtml(report.generator)} with the methods and thresholds of Vigil's default monitors: numeric columns are binned on the reference's deciles, categories counted; distances are compared with thresholds calibrated on the reference's own chunks and on sampling noise.</footer>
</main></body></html>
`;
}
