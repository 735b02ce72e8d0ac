import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ReportData } from './data.js';

/**
 * The run report as one self-contained HTML file: the charting library (Observable Plot, with d3),
 * the styles, the data and the script that draws it are all inlined, so the file opens in any
 * browser from a disk or an e-mail, with no network. The data is the aggregate of `reportData`:
 * the file's size does not grow with the run.
 */
export function reportHtml(data: ReportData, extra: { met?: unknown } = {}): string {
  const d3 = readFileSync(packageFile('d3', 'dist/d3.min.js'), 'utf8');
  const plot = readFileSync(packageFile('@observablehq/plot', 'dist/plot.umd.min.js'), 'utf8');
  // JSON in a script element: '<' escaped, so no string in the data can close the element.
  const json = JSON.stringify({ ...data, ...extra }).replace(/</g, '\\u003c');
  const title = `winnow report: ${data.run.pipeline}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p id="summary"></p></header>
<nav id="toc"></nav>
<main id="report"></main>
<script type="application/json" id="report-data">${json}</script>
<script>${scriptSafe(d3)}</script>
<script>${scriptSafe(plot)}</script>
<script>${scriptSafe(CLIENT)}</script>
</body>
</html>
`;
}

/**
 * A file of an installed package by its path in the package: these packages' export maps do not
 * expose their browser builds, so the package folder is found from the entry Node resolves.
 */
function packageFile(name: string, path: string): string {
  const entry = createRequire(import.meta.url).resolve(name);
  const root = entry.slice(0, entry.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}/`.length);
  return join(root, path);
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A script's text inlined in a script element: a literal `</script` inside it would end the element early. */
const scriptSafe = (code: string): string => code.replace(/<\/script/gi, '<\\/script');

const STYLE = `
:root { --kept: #2a9d8f; --dropped: #e76f51; --ink: #222; --muted: #666; --rule: #ddd; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 0 20px 60px; }
header h1 { font-size: 22px; margin: 24px 0 4px; }
#summary { color: var(--muted); margin: 0 0 8px; }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--rule); padding: 6px 0; z-index: 1; font-size: 13px; }
nav a { margin-right: 12px; color: #1d4e89; text-decoration: none; }
section { margin-top: 28px; }
section h2 { font-size: 17px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
.note { color: var(--muted); font-size: 12.5px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 18px; }
.chart h3 { font-size: 13px; margin: 0 0 2px; font-weight: 600; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
details { border: 1px solid var(--rule); border-radius: 4px; padding: 6px 10px; margin: 6px 0; }
summary { cursor: pointer; font-weight: 600; }
.doc { border-top: 1px dashed var(--rule); padding: 6px 0; }
.doc .text { white-space: pre-wrap; font: 12.5px/1.4 ui-monospace, Menlo, monospace; background: #fafafa; padding: 6px; max-height: 12em; overflow: auto; }
mark.redacted { background: #ffe08a; border-radius: 2px; }
u.shared { text-decoration: underline 2px #6d597a; text-underline-offset: 2px; }
.value { font-variant-numeric: tabular-nums; }
.fail { color: var(--dropped); font-weight: 600; }
.legend-kept { color: var(--kept); font-weight: 600; } .legend-dropped { color: var(--dropped); font-weight: 600; }
`;

/**
 * The report's script: reads the embedded data and draws every section with Plot. Plain
 * browser JavaScript (no build step), run once on load; each section draws into its own element,
 * so one that fails leaves the others standing and says so in place.
 */
const CLIENT = String.raw`
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const main = document.getElementById('report');
  const toc = document.getElementById('toc');
  const n = (x) => (x == null ? 'n/a' : Number(x).toLocaleString('en-US'));
  const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) + '%' : 'n/a');
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  };
  const colors = { domain: ['kept', 'dropped'], range: ['#2a9d8f', '#e76f51'] };
  function section(id, title, draw) {
    const s = el('section', { id, 'data-section': id }, el('h2', {}, title));
    main.append(s);
    toc.append(el('a', { href: '#' + id }, title));
    try {
      draw(s);
      s.setAttribute('data-rendered', 'true');
    } catch (err) {
      s.append(el('p', { class: 'fail' }, 'This section could not be drawn: ' + err.message));
      console.error(err);
    }
  }
  function table(headers, rows, numeric) {
    const t = el('table');
    t.append(el('tr', {}, ...headers.map((h, i) => el('th', numeric[i] ? { class: 'n' } : {}, h))));
    for (const r of rows) t.append(el('tr', {}, ...r.map((v, i) => el('td', numeric[i] ? { class: 'n' } : {}, v))));
    return t;
  }

  const d = data.documents;
  document.getElementById('summary').textContent =
    'run ' + data.run.id + ', iteration ' + data.run.iteration + ', ' + data.run.started_at + ' to ' + data.run.finished_at +
    '; ' + n(d.input) + ' documents in, ' + n(d.curated) + ' kept (' + pct(d.curated, d.input) + '); winnow ' + data.run.winnow;
  // An earlier iteration's report: sections whose files a later iteration recomputed say where they come from.
  const replaced = data.replaced || [];
  if (replaced.length > 0) {
    document.querySelector('header').append(el('p', { class: 'note', id: 'replaced' },
      'Iteration ' + data.run.iteration + ' is not the run\'s latest. ' + replaced.map((r) => r.section + ': ' +
        (r.from ? 'from the report drawn when it ran' : 'not shown') + ' (iteration ' + r.by_iteration + ' recomputed ' + r.phase + ')').join('; ') + '.'));
  }

  section('funnel', 'Funnel', (s) => {
    s.append(Plot.plot({
      marginLeft: 170, marginRight: 120, width: 900, height: 40 + 28 * data.funnel.length, x: { label: 'documents', grid: true },
      marks: [
        Plot.barX(data.funnel, { y: 'stage', x: 'documents', fill: '#457b9d', sort: { y: null } }),
        Plot.text(data.funnel, { y: 'stage', x: 'documents', text: (r) => n(r.documents) + ' (' + pct(r.documents, data.funnel[0].documents) + ')', dx: 4, textAnchor: 'start' }),
      ],
    }));
    const v = data.volume;
    s.append(el('p', { class: 'note' },
      'Text: ' + n(v.bytes_in) + ' bytes in, ' + n(v.bytes_kept) + ' kept (' + pct(v.bytes_kept, v.bytes_in) + ')' +
      (v.words_in != null ? '; words: ' + n(v.words_in) + ' in, ' + n(v.words_kept) + ' kept (' + pct(v.words_kept, v.words_in) + ')' : '') +
      '. Each step removes the documents whose first (primary) reason is of that family, in the order decide applies them.'));
  });

  section('rules', 'Drops per rule', (s) => {
    const rows = data.rules.filter((r) => r.any > 0);
    // Overlaid, not stacked: a rule's lone drops are among its primary ones, and those among all of them.
    const kinds = { domain: ['all its drops', 'as the primary reason', 'alone (no other reason)'], range: ['#cfd8e3', '#7b9cc4', '#1d4e89'] };
    s.append(el('p', { class: 'note' }, 'Documents each rule drops: all of them, those for which it is the primary (first) reason, and those it drops alone (no other reason: the documents it alone keeps out).'));
    s.append(Plot.plot({
      marginLeft: 220, marginRight: 60, width: 900, height: 60 + 22 * rows.length, x: { label: 'documents', grid: true }, color: { ...kinds, legend: true },
      marks: [
        Plot.barX(rows, { y: 'rule', x: 'any', fill: () => 'all its drops', sort: { y: '-x' } }),
        Plot.barX(rows, { y: 'rule', x: 'primary', fill: () => 'as the primary reason', insetTop: 3, insetBottom: 3 }),
        Plot.barX(rows, { y: 'rule', x: 'alone', fill: () => 'alone (no other reason)', insetTop: 6, insetBottom: 6 }),
      ],
    }));
    s.append(table(['rule', 'signal', 'op', 'threshold', 'drops (any)', 'primary', 'alone'],
      data.rules.map((r) => [r.rule, r.signal ?? '', r.op ?? '', r.threshold ?? '', n(r.any), n(r.primary), n(r.alone)]), [0, 0, 0, 0, 1, 1, 1]));
  });

  if (data.sources.length > 0) section('sources', 'Keep rate per source', (s) => {
    const rows = data.sources.map((r) => ({ ...r, rate: r.input ? r.curated / r.input : 0 }));
    s.append(Plot.plot({
      marginLeft: 200, width: 900, height: 40 + 22 * rows.length, x: { label: 'kept (share of the source)', domain: [0, 1], percent: true, grid: true },
      marks: [Plot.barX(rows, { y: 'source', x: 'rate', fill: '#2a9d8f', sort: { y: '-x' } }),
              Plot.text(rows, { y: 'source', x: 'rate', text: (r) => n(r.curated) + ' / ' + n(r.input), dx: 4, textAnchor: 'start' })],
    }));
  });

  function histogram(h) {
    const rows = h.bins.flatMap((b) => [
      { x0: b.x0, x1: b.x1, outcome: 'kept', documents: b.kept },
      { x0: b.x0, x1: b.x1, outcome: 'dropped', documents: b.dropped },
    ]);
    const box = el('div', { class: 'chart', 'data-signal': h.signal });
    box.append(el('h3', {}, h.signal + (h.rules.length ? ': ' + h.rules.map((r) => r.rule + ' ' + r.op + ' ' + Number(r.threshold).toPrecision(4)).join(', ') : '')));
    box.append(Plot.plot({
      width: 360, height: 170, x: { label: h.signal }, y: { label: 'documents', grid: true }, color: { ...colors, legend: false },
      marks: [
        Plot.rectY(rows, Plot.stackY({ x1: 'x0', x2: 'x1', y: 'documents', fill: 'outcome', inset: 0.5 })),
        Plot.ruleX(h.rules, { x: 'threshold', stroke: '#111', strokeDasharray: '4,3' }),
        Plot.ruleY([0]),
      ],
    }));
    return box;
  }
  const ruleHistograms = data.histograms.filter((h) => h.kind === 'rule');
  const scoreHistograms = data.histograms.filter((h) => h.kind === 'score');
  if (ruleHistograms.length > 0) section('signals', 'Thresholded signals', (s) => {
    s.append(el('p', { class: 'note' }, 'Each signal a rule thresholds: documents per bin, ', el('span', { class: 'legend-kept' }, 'kept'), ' and ', el('span', { class: 'legend-dropped' }, 'dropped'), ' (for any reason); the dashed line is the threshold. Bins span the 0.5th to 99.5th percentiles, the extremes in the outer bins.'));
    const grid = el('div', { class: 'grid' });
    for (const h of ruleHistograms) grid.append(histogram(h));
    s.append(grid);
  });
  if (scoreHistograms.length > 0) section('scores', 'Model scores', (s) => {
    const grid = el('div', { class: 'grid' });
    for (const h of scoreHistograms) grid.append(histogram(h));
    s.append(grid);
  });

  if (data.near) section('near', 'Near-duplicate clusters', (s) => {
    s.append(Plot.plot({
      width: 700, height: 220, x: { label: 'cluster size (documents)', type: 'band' }, y: { label: 'clusters', grid: true },
      marks: [Plot.barY(data.near.sizes, { x: 'size', y: 'clusters', fill: '#6d597a' }), Plot.ruleY([0])],
    }));
    s.append(el('p', { class: 'note' }, 'The largest clusters (each keeps one document):'));
    s.append(table(['cluster (first document)', 'documents', 'kept document'], data.near.largest.map((c) => [c.cluster, n(c.size), c.keeper_id ?? '']), [0, 1, 0]));
  });

  if (data.boilerplate.length > 0) section('boilerplate', 'Boilerplate lines most repeated', (s) => {
    s.append(table(['line', 'documents'], data.boilerplate.map((b) => [b.unit, n(b.documents)]), [0, 1]));
  });

  if (data.languages.length > 0) section('languages', 'Language mix', (s) => {
    const rows = data.languages.flatMap((l) => [{ language: l.language, outcome: 'kept', documents: l.kept }, { language: l.language, outcome: 'dropped', documents: l.dropped }]);
    s.append(Plot.plot({
      marginLeft: 80, width: 800, height: 40 + 22 * data.languages.length, x: { label: 'documents', grid: true }, color: { ...colors, legend: true },
      marks: [Plot.barX(rows, Plot.stackX({ y: 'language', x: 'documents', fill: 'outcome', sort: { y: '-x' } }))],
    }));
  });

  if (data.met) section('met', 'Medical Entity Tree coverage', (s) => {
    s.append(el('p', { class: 'note' }, 'Documents mentioning a rare disease: ' + n(data.met.with_rare.before) + ' before filtering, ' + n(data.met.with_rare.after) +
      ' after (' + pct(data.met.with_rare.after, data.met.with_rare.before) + '); any node of the tree: ' + n(data.met.with_entities.before) + ' before, ' + n(data.met.with_entities.after) + ' after.'));
    const b = data.met.balance;
    if (b) s.append(el('p', { class: 'note' }, 'Balancing weights (temperature ' + b.settings.temperature + ', at most ' + b.settings.max_repeat + 'x, at least ' + b.settings.min_weight +
      'x) over ' + n(b.documents) + ' kept documents with entities: the rare-disease share of node mass goes from ' + pct(b.distribution.before.tail_share, 1) + ' to ' +
      pct(b.distribution.after.tail_share, 1) + ', the effective number of nodes from ' + n(Math.round(b.distribution.before.effective_nodes)) + ' to ' +
      n(Math.round(b.distribution.after.effective_nodes)) + ', the top 1% of nodes\' share from ' + pct(b.distribution.before.top1_share, 1) + ' to ' + pct(b.distribution.after.top1_share, 1) + '.'));
    if (data.met_branches.length > 0) {
      // A tree map of the branches the corpus mentions, in one of three measures (a control redraws it).
      const weighted = data.met_branches.some((x) => x.weighted != null);
      const modes = {
        before: { label: 'documents before filtering', area: (x) => x.before, colour: (x) => (x.before ? x.after / x.before : 0), scale: { type: 'linear', domain: [0, 1], scheme: 'RdYlGn', label: 'share kept' } },
        after: { label: 'kept documents', area: (x) => x.after, colour: (x) => (x.before ? x.after / x.before : 0), scale: { type: 'linear', domain: [0, 1], scheme: 'RdYlGn', label: 'share kept' } },
        weighted: { label: 'kept documents, weighted', area: (x) => x.weighted || 0, colour: (x) => (x.after ? (x.weighted || 0) / x.after : 1),
          scale: { type: 'log', domain: [0.25, 4], scheme: 'PuOr', reverse: true, ticks: [0.25, 0.5, 1, 2, 4], tickFormat: (x) => x + 'x', label: 'weight per kept document (mean)' } },
      };
      const box = el('div', { class: 'treemap' });
      const picker = el('p', { class: 'note' }, 'Area: ');
      for (const [key, m] of Object.entries(modes)) {
        if (key === 'weighted' && !weighted) continue;
        const input = el('input', { type: 'radio', name: 'met-area', value: key, id: 'met-area-' + key });
        if (key === 'before') input.checked = true;
        input.addEventListener('change', () => draw(key));
        picker.append(input, el('label', { for: 'met-area-' + key }, m.label + '  '));
      }
      s.append(el('p', { class: 'note' }, 'Each type\'s most mentioned branches: area, the documents mentioning the branch (or anything under it) in the chosen measure; colour, the share of them kept, or (weighted) the mean weight of the kept ones. Rare-disease branches are marked with *.'), picker, box);
      const width = 1040, height = 520;
      const types = [...new Set(data.met_branches.map((x) => x.type))];
      function draw(key) {
        const m = modes[key];
        const root = d3.hierarchy({ children: types.map((type) => ({ type, children: data.met_branches.filter((x) => x.type === type) })) })
          .sum((x) => (x.type && x.id ? m.area(x) : 0)).sort((a, c) => c.value - a.value);
        d3.treemap().size([width, height]).paddingTop(18).paddingInner(2).round(true)(root);
        const leaves = root.leaves().filter((l) => l.value > 0).map((l) => ({ ...l.data, x0: l.x0, x1: l.x1, y0: l.y0, y1: l.y1, colour: m.colour(l.data) }));
        const groups = (root.children || []).filter((g) => g.value > 0).map((g) => ({ type: g.data.type, x0: g.x0, y0: g.y0, value: g.value }));
        box.replaceChildren(Plot.plot({
          width, height, margin: 0, x: { type: 'identity' }, y: { type: 'identity' }, color: { ...m.scale, legend: true },
          marks: [
            Plot.rect(leaves, { x1: 'x0', x2: 'x1', y1: 'y0', y2: 'y1', fill: 'colour', title: (x) => x.label + ' (' + x.id + '): ' + n(x.before) + ' documents before, ' + n(x.after) + ' kept' + (x.weighted != null ? ', ' + n(Math.round(x.weighted)) + ' weighted' : '') }),
            Plot.text(leaves.filter((x) => x.x1 - x.x0 > 60 && x.y1 - x.y0 > 18), { x: 'x0', y: 'y0', dx: 3, dy: 9, text: (x) => (x.rare ? '* ' : '') + x.label, textAnchor: 'start', fontSize: 10, clip: true }),
            Plot.text(groups, { x: 'x0', y: 'y0', dx: 2, dy: 9, text: (g) => g.type + ' (' + n(Math.round(g.value)) + ')', textAnchor: 'start', fontWeight: 'bold' }),
          ],
        }));
        box.setAttribute('data-mode', key);
      }
      draw('before');
    }
    // Overlaid: the leaves covered after filtering are among those covered before.
    const rows = Object.entries(data.met.by_type).map(([type, c]) => ({ type, before: c.leaves_with_1.before / c.leaves, after: c.leaves_with_1.after / c.leaves }));
    const when = { domain: ['before filtering', 'after filtering'], range: ['#cfd8e3', '#1d4e89'] };
    s.append(el('p', { class: 'note' }, 'Share of each type\'s leaves mentioned by at least one document, before and after filtering:'));
    s.append(Plot.plot({
      marginLeft: 90, width: 800, height: 60 + 30 * rows.length, x: { label: 'leaves covered', percent: true, grid: true }, color: { ...when, legend: true },
      marks: [
        Plot.barX(rows, { y: 'type', x: 'before', fill: () => 'before filtering' }),
        Plot.barX(rows, { y: 'type', x: 'after', fill: () => 'after filtering', insetTop: 4, insetBottom: 4 }),
      ],
    }));
  });

  section('timings', 'Timings and memory', (s) => {
    s.append(Plot.plot({
      marginLeft: 90, width: 800, height: 40 + 24 * data.timings.length, x: { label: 'CPU seconds', grid: true },
      marks: [Plot.barX(data.timings, { y: 'phase', x: 'cpu_seconds', fill: '#457b9d', sort: { y: null } }),
              Plot.text(data.timings, { y: 'phase', x: 'cpu_seconds', text: (t) => t.seconds.toFixed(1) + ' s wall, ' + n(t.peak_rss_mb) + ' MB peak', dx: 4, textAnchor: 'start' })],
    }));
  });

  // Escaped text, redaction placeholders (<EMAIL>, <PHONE>, ...) marked, and the words in
  // \`shared\` (indexes of the text's words) underlined: what a duplicate shares with its kept copy.
  function textBox(raw, shared) {
    const box = el('div', { class: 'text' });
    const esc = (t) => t.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
    let word = -1;
    box.innerHTML = raw.split(/(\s+)/).map((part) => {
      if (part === '' || /^\s+$/.test(part)) return esc(part);
      word++;
      const html = esc(part).replace(/&lt;([A-Z][A-Z_]+)&gt;/g, '<mark class="redacted">&lt;$1&gt;</mark>');
      return shared && shared.has(word) ? '<u class="shared">' + html + '</u>' : html;
    }).join('');
    return box;
  }
  // The words of each text inside a run of 5 words both texts hold (the shingles near-dedup compares).
  function sharedWords(a, b) {
    const words = (t) => t.split(/\s+/).filter(Boolean);
    const wa = words(a), wb = words(b), k = 5;
    const grams = (w) => { const m = new Map(); for (let i = 0; i + k <= w.length; i++) { const g = w.slice(i, i + k).join(' '); if (!m.has(g)) m.set(g, []); m.get(g).push(i); } return m; };
    const ga = grams(wa), gb = grams(wb);
    const mark = (g, other) => { const s = new Set(); for (const [gram, starts] of g) if (other.has(gram)) for (const i of starts) for (let j = i; j < i + k; j++) s.add(j); return s; };
    return { a: mark(ga, gb), b: mark(gb, ga) };
  }

  section('samples', 'Dropped documents, by primary reason', (s) => {
    s.append(el('p', { class: 'note' }, 'A few documents per primary reason (a deterministic sample), with every reason: the measured value against the threshold. Redacted spans are marked.'));
    for (const group of data.samples) {
      const box = el('details', { 'data-reason': group.reason }, el('summary', {}, group.reason + ' (' + group.documents.length + ' shown)'));
      for (const doc of group.documents) {
        const div = el('div', { class: 'doc' }, el('div', {}, (doc.id ?? '(no id)') + ' (key ' + doc.key + ')' + (doc.source ? ', source ' + doc.source : '')));
        div.append(table(['reason', 'signal', 'value', 'must be', 'threshold'],
          doc.reasons.map((r) => [r.rule, r.signal, r.value, r.op, r.threshold]), [0, 0, 1, 0, 1]));
        const shared = doc.keeper && doc.keeper.text ? sharedWords(doc.text ?? '', doc.keeper.text) : null;
        div.append(textBox(doc.text ?? '(no text: bad input)', shared && shared.a));
        if (doc.keeper) {
          div.append(el('div', { class: 'note' }, 'its kept copy, ' + doc.keeper.key + ' (text they share underlined):'));
          div.append(textBox(doc.keeper.text ?? '(not found)', shared && shared.b));
        }
        box.append(div);
      }
      s.append(box);
    }
  });
})();
`;
