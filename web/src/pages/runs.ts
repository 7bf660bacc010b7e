/** The runs table: every run with its status, group, model, seed, progress and grokking epoch. */
import { epochOfLast } from '../../../src/runs/epochs.js';
import type { RunInfo } from '../../../src/serve/api-types.js';
import { clear, fmt, h } from '../dom.js';
import { readLocalRuns } from '../local-runs.js';
import { href, registerPage } from '../pages.js';
import { StaticSource } from '../source.js';

const REFRESH_MS = 2000;

function runsTable(runs: readonly RunInfo[]): HTMLElement {
  const head = ['run', 'status', 'group', 'model', 'seed', 'epoch', 'train acc', 'test acc', 'test loss', 'grokked at', 'updated'];
  return h(
    'table',
    { class: 'data', id: 'runs-table' },
    h('thead', {}, h('tr', {}, ...head.map((t, i) => h('th', { class: i < 4 ? 'l' : '' }, t)))),
    h(
      'tbody',
      {},
      ...runs.map((r) =>
        h(
          'tr',
          { 'data-run-id': r.id, 'data-status': r.status },
          h('td', { class: 'l' }, h('a', { href: href('run', { id: r.id }) }, r.id)),
          h('td', { class: 'l' }, h('span', { class: `status status-${r.status}` }, r.status)),
          h('td', { class: 'l' }, r.group ? h('a', { href: href('group', { name: r.group }) }, r.group) : '–'),
          h('td', { class: 'l' }, r.model ?? '–'),
          h('td', {}, fmt(r.seed)),
          h('td', { title: 'last logged epoch / last epoch (epochs count from 0)' }, epochOfLast(r.lastEpoch, r.epochs)),
          h('td', {}, fmt(r.trainAcc, 3)),
          h('td', {}, fmt(r.testAcc, 3)),
          h('td', {}, fmt(r.testLoss, 3)),
          h('td', { class: 'grok' }, r.grokEpoch === null ? '–' : String(r.grokEpoch)),
          h('td', { class: 'muted' }, r.updated ? new Date(r.updated).toLocaleString() : ''),
        ),
      ),
    ),
  );
}

registerPage({
  id: 'runs',
  title: 'Runs',
  nav: true,
  render(root, params, ctx) {
    const src = ctx.source;
    const box = h('div', {});
    root.append(h('h2', {}, 'Runs'));
    if (src instanceof StaticSource) {
      const load = async (files: File[]) => {
        for (const r of await readLocalRuns(files)) src.runs.set(r.id, r);
        void refresh();
      };
      const input = h('input', { type: 'file', multiple: true, webkitdirectory: true, id: 'pick-runs' });
      input.addEventListener('change', () => void load([...(input.files ?? [])]));
      const drop = h(
        'div',
        { class: 'drop' },
        'No server here (static build): pick a runs folder, or drop run files (log.csv, metrics.csv, cfg.json, analysis.md) here. ',
        input,
      );
      drop.addEventListener('dragover', (e) => (e.preventDefault(), drop.classList.add('over')));
      drop.addEventListener('dragleave', () => drop.classList.remove('over'));
      drop.addEventListener('drop', (e) => {
        e.preventDefault();
        drop.classList.remove('over');
        void load([...(e.dataTransfer?.files ?? [])]);
      });
      root.append(drop);
    }
    const filter = h('input', {
      id: 'runs-filter',
      type: 'search',
      placeholder: 'filter: name, group, model, status',
      size: 32,
      value: params.get('q') ?? '',
    });
    const applyFilter = () => {
      const words = filter.value
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w);
      for (const tr of box.querySelectorAll<HTMLTableRowElement>('#runs-table tbody tr'))
        tr.hidden = !words.every((w) => (tr.textContent ?? '').toLowerCase().includes(w));
    };
    filter.addEventListener('input', applyFilter);
    root.append(h('div', { class: 'row' }, filter), box);
    let stopped = false;
    const refresh = async () => {
      try {
        const runs = await src.listRuns();
        if (stopped) return;
        clear(box);
        box.append(
          runs.length
            ? runsTable(runs)
            : h(
                'p',
                { class: 'muted' },
                src.mode === 'server' ? 'No run folders here yet (folders with cfg.json, log.csv or metrics.csv).' : 'No runs loaded.',
              ),
        );
        applyFilter();
        if (runs.length > 1)
          box.append(
            h(
              'p',
              {},
              h(
                'a',
                {
                  href: href('compare', {
                    ids: runs
                      .slice(0, 5)
                      .map((r) => r.id)
                      .join(','),
                  }),
                },
                'compare these runs →',
              ),
            ),
          );
      } catch (e) {
        clear(box);
        box.append(h('p', { class: 'error' }, String((e as Error).message)));
      }
    };
    void refresh();
    const timer = src.mode === 'server' ? setInterval(() => void refresh(), REFRESH_MS) : undefined;
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  },
});
