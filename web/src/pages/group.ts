/**
 * A group's character table and real irreps, computed in the browser with the same code as
 * `grokgroups irreps` (src/groups, src/reps), so it works in the static build too; pick an element to see
 * every irrep's matrix of it.
 */
import { conjugacyClasses, elementOrders } from '../../../src/groups/classes.js';
import { parseGroup } from '../../../src/groups/parse.js';
import { irreps } from '../../../src/reps/irreps.js';
import { clear, fmt, h } from '../dom.js';
import { heatmapElement } from '../heatmap.js';
import { href, registerPage } from '../pages.js';

/** Largest group order the page builds irreps of (bigger ones would freeze the tab for long). */
export const MAX_BROWSER_ORDER = 720;

const ch = (v: number) => {
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-9 ? String(r + 0) : v.toFixed(3);
};

/** What the character table's FS column is. */
const FS_HELP =
  'Frobenius–Schur indicator ν(χ) = (1/|G|) Σ_g χ(g²) of the complex irreducible character χ the real irrep comes from: ' +
  '1 = real type (ρ ⊗ C is χ itself), 0 = complex type (ρ ⊗ C = χ ⊕ χ̄, dim 2χ(1)), ' +
  '−1 = quaternionic type (ρ ⊗ C = χ ⊕ χ, dim 2χ(1)); the "type" column names the same thing.';

registerPage({
  id: 'group',
  title: 'Groups & irreps',
  nav: true,
  render(root, params, ctx) {
    const name = params.get('name') ?? 'S4';
    const input = h('input', { id: 'group-name', value: name, size: 16 });
    const form = h(
      'form',
      { class: 'row' },
      'group ',
      input,
      h('button', { type: 'submit' }, 'show'),
      h('span', { class: 'muted' }, 'C<n>, D<n>, S<n>, A<n>, Q8, products such as C2xS3, perm:(1,2,3);(1,2)'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.go('group', { name: input.value.trim() });
    });
    root.append(h('h2', {}, 'Groups and their real irreps'), form);
    const out = h('div', { id: 'group' });
    root.append(out);
    let G;
    try {
      G = parseGroup(name);
      if (G.order > MAX_BROWSER_ORDER)
        throw new Error(
          `${G.name} has order ${G.order}: the page builds irreps up to order ${MAX_BROWSER_ORDER} (use \`grokgroups irreps ${name}\`)`,
        );
    } catch (e) {
      out.append(h('p', { class: 'error' }, (e as Error).message));
      return;
    }
    const list = irreps(G);
    const { classes } = conjugacyClasses(G);
    const orders = elementOrders(G);
    const reps = classes.map((c) => c[0]!);
    out.append(h('p', {}, `${G.name}: order ${G.order}, ${classes.length} conjugacy classes, ${list.length} real irreps`));
    const headRow = (label: string, cells: string[]) => h('tr', {}, h('th', { class: 'l', colspan: 4 }, label), ...cells.map((c) => h('th', {}, c)));
    out.append(
      h(
        'table',
        { class: 'data', id: 'character-table' },
        h(
          'thead',
          {},
          headRow(
            'class',
            classes.map((_, k) => String(k + 1)),
          ),
          headRow(
            'size',
            classes.map((c) => String(c.length)),
          ),
          headRow(
            'order',
            reps.map((g) => String(orders[g])),
          ),
          headRow(
            'representative',
            reps.map((g) => G.labels[g]!),
          ),
          h(
            'tr',
            {},
            ...['irrep', 'dim', 'type'].map((t) => h('th', { class: 'l' }, t)),
            h('th', { class: 'l', id: 'fs-head', title: FS_HELP }, h('abbr', { title: FS_HELP }, 'FS')),
            ...classes.map(() => h('th', {}, '')),
          ),
        ),
        h(
          'tbody',
          {},
          ...list.map((rho) =>
            h(
              'tr',
              { 'data-irrep': rho.name },
              h('td', { class: 'l' }, rho.name),
              h('td', { class: 'l' }, rho.dim),
              h('td', { class: 'l' }, rho.type),
              h('td', { class: 'l' }, rho.indicator),
              ...reps.map((g) => h('td', {}, ch(rho.character[g]!))),
            ),
          ),
        ),
      ),
    );
    out.append(h('p', { class: 'muted', id: 'fs-legend' }, `FS: ${FS_HELP}`));
    const sel = h('select', { id: 'element' }, ...G.labels.map((l, g) => h('option', { value: g }, `${g}: ${l} (order ${orders[g]})`)));
    const mats = h('div', { class: 'heatmaps' });
    const showMatrices = () => {
      const g = Number(sel.value);
      clear(mats);
      for (const rho of list) {
        const d = rho.dim;
        const values = Array.from(rho.matrices.subarray(g * d * d, (g + 1) * d * d));
        const table = h(
          'table',
          { class: 'matrix' },
          ...Array.from({ length: d }, (_, i) =>
            h('tr', {}, ...values.slice(i * d, (i + 1) * d).map((v) => h('td', {}, fmt(Math.abs(v) < 1e-12 ? 0 : v, 3)))),
          ),
        );
        mats.append(
          h(
            'div',
            {},
            heatmapElement({ title: `${rho.name}(${G.labels[g]})`, rows: d, cols: d, values }, { size: Math.min(160, d * 32), range: 1 }),
            d <= 6 ? table : null,
          ),
        );
      }
    };
    sel.addEventListener('change', showMatrices);
    out.append(
      h('h3', {}, 'Irrep matrices'),
      h('div', { class: 'row' }, 'element ', sel, h('span', { class: 'muted' }, 'orthogonal matrices, entries in [-1, 1]')),
      mats,
    );
    showMatrices();
    out.append(
      h(
        'p',
        { class: 'muted' },
        'As JSON: ',
        ctx.source.mode === 'server'
          ? h('a', { href: `api/group?name=${encodeURIComponent(name)}` }, `api/group?name=${name}`)
          : `grokgroups irreps ${name} --json`,
        ' · ',
        h('a', { href: href('runs') }, 'runs'),
      ),
    );
  },
});
