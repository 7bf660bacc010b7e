/**
 * One run: its curves (the figures of src/figures, redrawn as rows arrive over Server-Sent Events), the
 * model's heatmaps (logit cubes, neurons, change of basis), the analysis report and its settings.
 */
import { runFigures } from '../../../src/figures/figure-set.js';
import { svgDocument } from '../../../src/figures/svg/panel.js';
import { lastEpoch } from '../../../src/runs/epochs.js';
import type { CsvTable, ModelJson, RunInfo, TableEvent } from '../../../src/serve/api-types.js';
import { clear, fmt, h } from '../dom.js';
import { heatmapGroup, scaleFor } from '../heatmap.js';
import { markdownHtml } from '../markdown.js';
import { href, registerPage, type PageContext } from '../pages.js';
import { runData, type KeyRepFiles } from '../run-data.js';

const TABS = [
  ['curves', 'Curves'],
  ['model', 'Model heatmaps'],
  ['analysis', 'Analysis'],
  ['settings', 'Settings'],
] as const;

function statusLine(info: RunInfo): HTMLElement {
  return h(
    'div',
    { class: 'row', id: 'run-status' },
    h('span', { class: `status status-${info.status}` }, info.status),
    info.group ? h('a', { href: href('group', { name: info.group }) }, `group ${info.group}`) : null,
    h('span', {}, `model ${info.model ?? '–'}, seed ${fmt(info.seed)}`),
    h(
      'span',
      { title: 'last logged epoch / last epoch (epochs count from 0)' },
      `epoch `,
      h('b', { id: 'last-epoch' }, fmt(info.lastEpoch)),
      info.epochs !== null ? ` / ${lastEpoch(info.epochs)}` : '',
    ),
    h('span', {}, `train acc ${fmt(info.trainAcc, 3)}, test acc ${fmt(info.testAcc, 3)}`),
    h('span', {}, `grokked at ${info.grokEpoch ?? '–'}`),
  );
}

function curves(root: HTMLElement, id: string, ctx: PageContext): () => void {
  const tables: Record<'log' | 'metrics', CsvTable> = { log: { columns: [], rows: [] }, metrics: { columns: [], rows: [] } };
  const status = h('div', {});
  const counts = h('div', { class: 'muted', id: 'row-counts' });
  const figs = h('div', { class: 'figures', id: 'curves' });
  root.append(status, counts, figs);
  let pending = false;
  let keys: KeyRepFiles | undefined; // key_reps*.txt: written when a run with full measures ends
  let lastStatus = '';
  const loadKeys = () =>
    void ctx.source.run(id).then(
      (d) => {
        keys = d;
        schedule();
      },
      () => undefined,
    );
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(draw);
    }
  };
  const draw = () => {
    pending = false;
    counts.textContent = `log.csv ${tables.log.rows.length} rows, metrics.csv ${tables.metrics.rows.length} rows`;
    counts.dataset.logRows = String(tables.log.rows.length);
    counts.dataset.metricsRows = String(tables.metrics.rows.length);
    if (tables.log.rows.length + tables.metrics.rows.length === 0) {
      clear(figs);
      figs.append(h('p', { class: 'muted' }, 'No rows logged yet.'));
      return;
    }
    const set = runFigures(runData(id, tables.log, tables.metrics, keys));
    clear(figs);
    for (const f of set.figures) figs.append(svgFigureBox(svgDocument(f.panel), f.name));
    if (set.skipped.length) figs.append(h('p', { class: 'muted' }, `Not drawn: ${set.skipped.map((s) => `${s.name} (${s.why})`).join('; ')}`));
  };
  const onTable = (e: TableEvent) => {
    const t = tables[e.file];
    if (e.reset) tables[e.file] = { columns: e.columns, rows: e.rows };
    else {
      t.rows.length = e.from;
      t.rows.push(...e.rows);
    }
    schedule();
  };
  const onStatus = (info: RunInfo) => {
    clear(status);
    status.append(statusLine(info));
    if (info.status !== lastStatus) loadKeys();
    lastStatus = info.status;
  };
  return ctx.source.watch(id, onTable, onStatus);
}

function svgFigureBox(svg: string, name: string): HTMLElement {
  const box = h('div', { class: 'figure', 'data-figure': name });
  box.innerHTML = svg; // our own SVG: src/figures/svg escapes every text it writes
  box.append(h('div', { class: 'caption' }, name));
  return box;
}

async function modelTab(root: HTMLElement, id: string, ctx: PageContext, c?: number, epoch?: number): Promise<void> {
  const box = h('div', { id: 'model' }, h('p', { class: 'muted' }, 'Building the model view…'));
  root.append(box);
  let m: ModelJson;
  let checkpoints: number[];
  try {
    [m, checkpoints] = await Promise.all([ctx.source.model(id, c, epoch), ctx.source.run(id).then((d) => d.checkpoints)]);
  } catch (e) {
    clear(box);
    box.append(h('p', { class: 'error' }, (e as Error).message));
    return;
  }
  clear(box);
  const reload = (nc: number | undefined, ne: number | undefined) => {
    root.removeChild(box);
    void modelTab(root, id, ctx, nc, ne);
  };
  const select = h('select', { id: 'slice-c' }, ...m.labels.map((l, i) => h('option', { value: i, selected: i === m.c }, `${i}: ${l}`)));
  select.addEventListener('change', () => reload(Number(select.value), epoch));
  const epochs = h(
    'select',
    { id: 'model-epoch' },
    h('option', { value: '', selected: m.epoch === null }, 'final model'),
    ...checkpoints.map((e) => h('option', { value: e, selected: e === m.epoch }, `checkpoint, epoch ${e}`)),
  );
  epochs.addEventListener('change', () => reload(m.c, epochs.value === '' ? undefined : Number(epochs.value)));
  box.append(
    h(
      'div',
      { class: 'row' },
      'parameters: ',
      epochs,
      checkpoints.length ? h('span', { class: 'muted' }, `${checkpoints.length} checkpoints`) : null,
    ),
  );
  box.append(
    h(
      'p',
      {},
      `${m.group} (order ${m.N}), ${m.kind}, hidden width ${m.h}; key irreps: ${m.keyReps.join(', ') || 'none'}. Hover a cell for its value.`,
    ),
    h('h3', {}, 'Logit cube slices'),
    h(
      'div',
      { class: 'row' },
      'output element c: ',
      select,
      h('span', { class: 'muted' }, 'each slice scaled by its largest |value|; rows a, columns b'),
    ),
    heatmapGroup(m.logitSlices, { range: 1, size: 200 }),
  );
  if (m.neuronClusters.length) {
    box.append(h('h3', {}, 'Neurons by irrep cluster (hidden activation over a, b)'));
    for (const cl of m.neuronClusters) {
      box.append(
        h(
          'div',
          { class: 'muted' },
          `${cl.irrep}${cl.key ? ' (key)' : ''}: ${cl.neurons.length} neurons${cl.neurons.length > cl.shown.length ? `, first ${cl.shown.length} shown` : ''}${cl.irrep === 'sign' ? ' — even elements first' : ''}`,
        ),
      );
      if (cl.shown.length) box.append(heatmapGroup(cl.shown, { size: 140, scale: scaleFor(cl.shown) }));
    }
  }
  if (m.changeOfBasis.length) {
    box.append(h('h3', {}, 'Change of basis: neurons → ρ(ab) coordinates'));
    for (const cb of m.changeOfBasis) box.append(heatmapGroup([cb], { size: Math.min(900, cb.cols * 8) }));
  }
  if (m.unembedInRepBasis.length) {
    box.append(h('h3', {}, 'Unembedding in the irrep basis'));
    box.append(heatmapGroup(m.unembedInRepBasis, { size: 200 }));
  }
  for (const s of m.skipped) box.append(h('p', { class: 'muted' }, `${s.name}: ${s.why}`));
}

async function analysisTab(root: HTMLElement, id: string, ctx: PageContext): Promise<void> {
  const box = h('div', { id: 'analysis' });
  root.append(box);
  try {
    const a = await ctx.source.analysis(id);
    if (a.markdown !== null) {
      const md = h('div', { class: 'markdown' });
      md.innerHTML = markdownHtml(a.markdown); // markdownHtml escapes all text
      box.append(md);
    }
    if (a.json !== null)
      box.append(
        h('details', { open: a.markdown === null }, h('summary', {}, 'analysis.json'), h('pre', { class: 'json' }, JSON.stringify(a.json, null, 2))),
      );
    if (a.markdown === null && a.json === null) box.append(h('p', { class: 'muted' }, 'No analysis yet: run `grokgroups analyze ' + id + '`.'));
  } catch (e) {
    box.append(h('p', { class: 'error' }, (e as Error).message));
  }
}

async function settingsTab(root: HTMLElement, id: string, ctx: PageContext): Promise<void> {
  const d = await ctx.source.run(id);
  root.append(
    h('h3', {}, 'cfg.json'),
    h('pre', { class: 'json' }, JSON.stringify(d.cfg, null, 2)),
    h('h3', {}, 'summary_metrics.json'),
    h('pre', { class: 'json' }, d.summary ? JSON.stringify(d.summary, null, 2) : '(none yet)'),
  );
}

registerPage({
  id: 'run',
  title: 'Run',
  nav: false,
  render(root, params, ctx) {
    const id = params.get('id') ?? '';
    const tab = params.get('tab') ?? 'curves';
    root.append(
      h('h2', {}, 'Run ', h('code', {}, id)),
      h(
        'div',
        { class: 'tabs' },
        ...TABS.map(([t, label]) => h('a', { href: href('run', { id, tab: t }), class: t === tab ? 'active' : '', 'data-tab': t }, label)),
      ),
    );
    const body = h('div', {});
    root.append(body);
    if (tab === 'model') void modelTab(body, id, ctx);
    else if (tab === 'analysis') void analysisTab(body, id, ctx);
    else if (tab === 'settings') void settingsTab(body, id, ctx).catch((e: Error) => body.append(h('p', { class: 'error' }, e.message)));
    else return curves(body, id, ctx);
    return undefined;
  },
});
