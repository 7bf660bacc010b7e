/** Compare runs: one measure (any log.csv or metrics.csv column) of several runs overlaid. */
import { acrossRunFigures } from '../../../src/figures/figure-set.js';
import { lineChart } from '../../../src/figures/svg/line-chart.js';
import { svgDocument } from '../../../src/figures/svg/panel.js';
import { color } from '../../../src/figures/svg/theme.js';
import type { CsvTable } from '../../../src/serve/api-types.js';
import { clear, h } from '../dom.js';
import { registerPage } from '../pages.js';
import { runData, type KeyRepFiles } from '../run-data.js';

registerPage({
  id: 'compare',
  title: 'Compare',
  nav: true,
  async render(root, params, ctx) {
    const src = ctx.source;
    const chosen = new Set((params.get('ids') ?? '').split(',').filter((s) => s));
    const runs = await src.listRuns();
    root.append(h('h2', {}, 'Compare runs'));
    if (runs.length === 0) {
      root.append(h('p', { class: 'muted' }, 'No runs.'));
      return;
    }
    if (chosen.size === 0) runs.slice(0, 3).forEach((r) => chosen.add(r.id));
    const tables = new Map<string, { log: CsvTable; metrics: CsvTable; keys: KeyRepFiles }>();
    for (const id of chosen)
      if (runs.some((r) => r.id === id))
        tables.set(id, { log: await src.table(id, 'log'), metrics: await src.table(id, 'metrics'), keys: await src.run(id) });
    const cols = [...new Set([...tables.values()].flatMap((t) => [...t.log.columns, ...t.metrics.columns]))].filter((c) => c !== 'epoch');
    const col = params.get('col') ?? (cols.includes('test_acc') ? 'test_acc' : (cols[0] ?? 'test_acc'));
    const logY = params.has('log') ? params.get('log') === '1' : /loss|ratio/.test(col);
    const go = (next: { ids?: string[]; col?: string; log?: boolean }) =>
      ctx.go('compare', { ids: (next.ids ?? [...chosen]).join(','), col: next.col ?? col, log: (next.log ?? logY) ? '1' : '0' });

    const pick = h(
      'div',
      { class: 'picklist', id: 'compare-runs' },
      ...runs.map((r) => {
        const cb = h('input', { type: 'checkbox', value: r.id, checked: chosen.has(r.id) });
        cb.addEventListener('change', () => go({ ids: runs.filter((q) => (q.id === r.id ? cb.checked : chosen.has(q.id))).map((q) => q.id) }));
        return h(
          'label',
          { style: 'display:block' },
          cb,
          ` ${r.id}`,
          h('span', { class: 'muted' }, ` ${r.group ?? ''} ${r.model ?? ''} seed ${r.seed ?? '–'}`),
        );
      }),
    );
    const sel = h('select', { id: 'compare-column' }, ...cols.map((c) => h('option', { value: c, selected: c === col }, c)));
    sel.addEventListener('change', () => go({ col: sel.value, log: /loss|ratio/.test(sel.value) }));
    const logBox = h('input', { type: 'checkbox', id: 'compare-log', checked: logY });
    logBox.addEventListener('change', () => go({ log: logBox.checked }));
    root.append(h('div', { class: 'row' }, pick, h('div', {}, h('div', {}, 'measure ', sel), h('label', {}, logBox, ' log y'))));

    const series = [...tables.entries()].flatMap(([id, t], k) => {
      const table = t.log.columns.includes(col) ? t.log : t.metrics;
      const ci = table.columns.indexOf(col);
      const ei = table.columns.indexOf('epoch');
      if (ci < 0 || ei < 0) return [];
      return [{ name: id, x: table.rows.map((r) => r[ei] ?? NaN), y: table.rows.map((r) => r[ci] ?? NaN), color: color(k) }];
    });
    const fig = h('div', { class: 'figure', id: 'compare-figure' });
    clear(fig);
    fig.innerHTML = svgDocument(
      lineChart({ series, xLabel: 'epoch', yLabel: col, y: logY ? 'log' : 'linear', xFormat: 'count', legend: 'right', width: 860, height: 440 }),
    );
    root.append(fig);
    if (tables.size > 1) {
      // the paper's figures across seeds: median curves with each run faded, mean logit similarity, the key irreps'
      // learning order, key irreps
      const set = acrossRunFigures([...tables.entries()].map(([id, t]) => runData(id, t.log, t.metrics, t.keys)));
      const figs = h('div', { class: 'figures', id: 'across-runs' });
      for (const f of set.figures) {
        const box = h('div', { class: 'figure', 'data-figure': f.name });
        box.innerHTML = svgDocument(f.panel); // our own SVG, texts escaped by src/figures/svg
        box.append(h('div', { class: 'caption' }, f.name));
        figs.append(box);
      }
      root.append(h('h3', {}, `Across the ${tables.size} runs`), figs);
      if (set.skipped.length) root.append(h('p', { class: 'muted' }, `Not drawn: ${set.skipped.map((x) => `${x.name} (${x.why})`).join('; ')}`));
    }
  },
});
