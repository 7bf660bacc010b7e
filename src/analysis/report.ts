/**
 * The analysis as files: analysis.json (every number; NaN as null, matrices as nested arrays) and
 * analysis.md (headings, tables, and a short note per section on what the numbers mean). Pure
 * formatting: the CLI writes the files.
 */
import type { Analysis, AnalysisOptions } from './analyze.js';

export interface AnalysisMeta {
  /** The run folder as given. */
  run: string;
  group: string;
  model: string;
  /** The analysed epoch, or null for the final model (model.safetensors). */
  epoch: number | null;
  /** The file the parameters came from, relative to the run folder. */
  params: string;
  N: number;
  h: number;
  keyReps: readonly string[];
  /** Where the key reps came from. */
  keyRepsSource: string;
  /** CE of the model's logits on train, test and all pairs, and their accuracies. */
  losses: { train: number; test: number; all: number; trainAcc: number; testAcc: number };
  options: AnalysisOptions;
  version: string;
}

function rows(m: Float64Array, r: number, c: number): number[][] {
  return Array.from({ length: r }, (_, i) => Array.from(m.subarray(i * c, i * c + c)));
}

/** JSON.stringify replacer: typed arrays as arrays, non-finite numbers as null. */
function replacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (v instanceof Float64Array || v instanceof Int32Array || v instanceof Float32Array) return Array.from(v, (x) => (Number.isFinite(x) ? x : null));
  return v;
}

/** The JSON document (docs/analysis.md describes its keys). */
export function analysisJson(meta: AnalysisMeta, a: Analysis): string {
  const doc = {
    meta,
    logitAttribution: a.logits,
    embeddings: a.embeddings,
    neurons: a.neurons,
    ablations: a.ablations,
    rhoExtraction: a.rhoExtraction.map((e) => ({ ...e, changeOfBasis: rows(e.changeOfBasis, e.rank, meta.h) })),
    logitComputation: {
      ...a.logitComputation,
      unembedInRepBasis: a.logitComputation.unembedInRepBasis.map((u) => ({ ...u, matrix: rows(u.matrix, u.rank, u.rank) })),
    },
    fourier: a.fourier,
    cosets: a.cosets,
    timings: a.timings,
  };
  return JSON.stringify(doc, replacer, 1) + '\n';
}

/** A number for a table: 4 significant digits, exponent form when tiny or huge, "–" when undefined. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (ax < 1e-3 || ax >= 1e5) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** Neuron indices compactly: 0-3, 7, 9-10. */
export function ranges(ns: readonly number[]): string {
  if (ns.length === 0) return '(none)';
  const out: string[] = [];
  let start = ns[0]!;
  let prev = start;
  for (const n of [...ns.slice(1), Infinity]) {
    if (n === prev + 1) {
      prev = n;
      continue;
    }
    out.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = prev = n;
  }
  return out.join(', ');
}

function table(head: string[], body: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

/** A figure drawn for the report: its name (src/figures, docs/figures.md) and its path relative to the .md file. */
export interface FigureLink {
  name: string;
  path: string;
}

/** Which section shows which figures (names as in docs/figures.md); the rest go under "Other figures". */
const SECTION_FIGURES: [section: string, match: RegExp][] = [
  ['training', /^(grokking_(loss|acc)|sum_of_squared_weights|fve_totals)$/],
  [
    '1',
    /^(logit_cubes|logit_similarity|total_excluded_and_restricted_loss|hidden_(excluded|restricted)_loss_by_rep|test_loss_restricted_loss_ratio)$/,
  ],
  ['2', /^percent_(x_embed|y_embed|unembed)$/],
  ['3', /^(blocky_sign_neurons|percent_hidden_(x|y|xy)|total_percent_hidden|percent_hidden)$/],
  ['5', /^hidden_to_.*_rep_change_of_basis$/],
  ['6', /^unembedding_matrix_in_.*_rep_basis$/],
];

export function analysisMarkdown(meta: AnalysisMeta, a: Analysis, figures: readonly FigureLink[] = []): string {
  const out: string[] = [];
  /** Blocks (paragraphs, tables, lists), each followed by a blank line so Markdown keeps them apart. */
  const p = (blocks: readonly string[]) => {
    for (const b of blocks) out.push(b, '');
  };
  const shown = new Set<string>();
  const image = (f: FigureLink) => {
    shown.add(f.name);
    return `![${f.name.replace(/_/g, ' ')}](${f.path.split('/').map(encodeURIComponent).join('/')})`;
  };
  /** The section's figures, one paragraph each, or nothing. */
  const figs = (section: string) => {
    const re = SECTION_FIGURES.find(([s]) => s === section)?.[1];
    if (re) p(figures.filter((f) => re.test(f.name)).map(image));
  };
  p(headerSection(meta));
  if (figures.some((f) => SECTION_FIGURES[0]![1].test(f.name))) {
    p(['## Training']);
    figs('training');
  }
  const sections: [string, (meta: AnalysisMeta, a: Analysis) => string[]][] = [
    ['1', logitSection],
    ['2', embeddingSection],
    ['3', neuronSection],
    ['4', ablationSection],
    ['5', extractionSection],
    ['6', logitComputationSection],
    ['7', fourierSection],
    ['8', cosetSection],
  ];
  for (const [id, section] of sections) {
    p(section(meta, a));
    figs(id);
  }
  const other = figures.filter((f) => !shown.has(f.name));
  if (other.length) p(['## Other figures', ...other.map(image)]);
  p([
    '## Timings',
    Object.entries(a.timings)
      .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
      .join(', ') + '.',
  ]);
  return out.join('\n');
}

/** The irrep's name, bold when it is a key irrep. */
function irrepCell(name: string, K: readonly string[]): string {
  return K.includes(name) ? `**${name}**` : name;
}

function headerSection(meta: AnalysisMeta): string[] {
  const K = meta.keyReps;
  const keyList = K.length ? K.join(', ') : '(none)';
  return [
    `# Analysis of ${meta.run} (${meta.epoch === null ? 'final model' : `epoch ${meta.epoch}`})`,
    `${meta.group} (order ${meta.N}), ${meta.model}, hidden width ${meta.h}; parameters from \`${meta.params}\`. ` +
      `Key reps K: **${keyList}** (${meta.keyRepsSource}). ` +
      `Loss: train ${fmt(meta.losses.train)}, test ${fmt(meta.losses.test)}, all pairs ${fmt(meta.losses.all)}; ` +
      `accuracy: train ${fmt(meta.losses.trainAcc)}, test ${fmt(meta.losses.testAcc)}.`,
    'All shares are fractions (1 = 100%). Losses are mean cross-entropies; chance is ln N = ' +
      fmt(Math.log(meta.N)) +
      '. ' +
      'Relative changes are (loss − baseline)/baseline. docs/analysis.md defines every number.',
  ];
}

function logitSection(meta: AnalysisMeta, a: Analysis): string[] {
  const K = meta.keyReps;
  const la = a.logits;
  return [
    '## 1. Logit attribution',
    "Cosine similarity of the centred logits with each irrep's character cube χ(a·b·c⁻¹) (1: the logits are exactly that " +
      "irrep's term of the algorithm), and the losses when only that cube's component is removed (excluded, on the train pairs) " +
      'or kept (restricted, on all pairs).',
    table(
      ['irrep', 'similarity', 'excluded loss', 'restricted loss'],
      Object.keys(la.similarity).map((n) => [irrepCell(n, K), fmt(la.similarity[n]), fmt(la.excludedLoss[n]), fmt(la.restrictedLoss[n])]),
    ),
    `Percent of logits explained (Σ similarity², all irreps): **${fmt(la.percentExplained)}**. ` +
      `Key reps together: excluded loss ${fmt(la.totalExcludedLoss)}, restricted loss ${fmt(la.totalRestrictedLoss)}.`,
  ];
}

function embeddingSection(meta: AnalysisMeta, a: Analysis): string[] {
  const K = meta.keyReps;
  const em = a.embeddings;
  return [
    '## 2. Embeddings and unembedding',
    "Share of each embedding's squared norm in the span of each irrep's matrix coefficients: x for the left embedding E_a, " +
      'y for the right one E_b, unembed for U (W_U) as functions of the output c. Not centred: `trivial` holds the mean. ' +
      'The algorithm predicts the key reps explain (nearly) everything.',
    table(
      ['irrep', 'x (E_a)', 'y (E_b)', 'unembed (U)'],
      em.irreps.map((r) => [irrepCell(r.name, K), fmt(r.x), fmt(r.y), fmt(r.unembed)]),
    ),
    `Key reps: x ${fmt(em.keyTotals.x)}, y ${fmt(em.keyTotals.y)}, unembed ${fmt(em.keyTotals.unembed)}; ` +
      `residuals ${fmt(em.residuals.x)}, ${fmt(em.residuals.y)}, ${fmt(em.residuals.unembed)}.`,
  ];
}

function neuronSection(meta: AnalysisMeta, a: Analysis): string[] {
  const nu = a.neurons;
  const o = meta.options;
  return [
    '## 3. Hidden neurons',
    `Neurons are read through their input-side pre-activations left(a), right(b) (${nu.source}). ` +
      `Dead: Σ left² and Σ right² below ${o.deadThreshold} (--dead-threshold). A neuron belongs to irrep ρ when the squared norms ` +
      `of left and of right in ρ's coefficient space both exceed ${o.assignThreshold} (--assign-threshold). For each cluster, the share of its ` +
      'centred hidden activations (after the ReLU) in the spans of ρ(a) (x), ρ(b) (y), ρ(ab) (xy) and the constants (trivial, ' +
      "0 after centring, as the notebook printed it); mean share is the part of the uncentred Σ H² that is the neurons' means.",
    `Dead neurons: ${nu.dead.length} (${ranges(nu.dead)}). Nearly constant after the ReLU (centred Σ H² < ${o.deadHiddenThreshold}, ` +
      `--dead-hidden-threshold): ${nu.deadHidden.length} (${ranges(nu.deadHidden)}).`,
    table(
      ['irrep', 'neurons', 'x', 'y', 'xy', 'trivial', 'total', 'mean share'],
      nu.clusters.map((c) => [
        c.key ? `**${c.irrep}**` : c.irrep,
        c.neurons.length,
        fmt(c.fve.x),
        fmt(c.fve.y),
        fmt(c.fve.xy),
        fmt(c.fve.trivial),
        fmt(c.fve.total),
        fmt(c.meanShare),
      ]),
    ),
    nu.clusters
      .filter((c) => c.neurons.length > 0)
      .map((c) => `- ${c.irrep}: ${ranges(c.neurons)}`)
      .join('\n') || '(every cluster is empty)',
    `Unaccounted (neither dead nor in a cluster): ${nu.unaccounted.length} (${ranges(nu.unaccounted)}). ` +
      `In more than one cluster: ${nu.multiplyAssigned.length} (${ranges(nu.multiplyAssigned)}). ` +
      `Assigned by one side only: ${nu.oneSided.length} (${ranges(nu.oneSided)}).`,
  ];
}

function ablationSection(meta: AnalysisMeta, a: Analysis): string[] {
  const K = meta.keyReps;
  const ab = a.ablations;
  return [
    '## 4. Ablations in the hidden layer',
    `Loss of (H − projection) U on all pairs after removing from the hidden activations their component along ρ(ab) (xy), ` +
      `ρ(a) (x), ρ(b) (y) or the constants (trivial). Baseline CE(H U) = ${fmt(ab.baseline)}. The algorithm predicts that only ` +
      'removing ρ(ab) of a key rep hurts.',
    table(
      ['irrep', 'xy', 'x', 'y', 'trivial', 'rel. xy', 'rel. x', 'rel. y', 'rel. trivial'],
      ab.irreps.map((r) => [
        irrepCell(r.name, K),
        fmt(r.loss.xy),
        fmt(r.loss.x),
        fmt(r.loss.y),
        fmt(r.loss.trivial),
        fmt(r.relative.xy),
        fmt(r.relative.x),
        fmt(r.relative.y),
        fmt(r.relative.trivial),
      ]),
    ),
  ];
}

function extractionSection(_meta: AnalysisMeta, a: Analysis): string[] {
  return [
    '## 5. Explicit extraction of ρ(ab)',
    "For each key rep, the hidden layer projected on the span of ρ(ab) and written in the irrep's basis through the change " +
      'of basis Ĉ (coordinates of ρ(ab) -> unit vectors in neuron space; in analysis.json). Cosine 1: the neurons hold an ' +
      'isometric, uniformly scaled copy of ρ(ab); scale is that factor.',
    a.rhoExtraction.length
      ? table(
          ['irrep', 'coordinates', 'cosine with ρ(ab)', 'scale', 'min / max coordinate norm'],
          a.rhoExtraction.map((e) => [
            e.irrep,
            e.rank,
            fmt(e.cosine),
            fmt(e.scale),
            `${fmt(Math.min(...e.coordinateNorms))} / ${fmt(Math.max(...e.coordinateNorms))}`,
          ]),
        )
      : '(no key reps)',
  ];
}

function logitComputationSection(_meta: AnalysisMeta, a: Analysis): string[] {
  const lc = a.logitComputation;
  return [
    '## 6. Logit computation',
    'U in the irrep basis: Ĉ U Q_ρ[c⁻¹] (matrix in analysis.json). The algorithm reads logit(c) = tr ρ(ab)ρ(c⁻¹), a ' +
      'transposition of coordinates: "transpose similarity" is the cosine of that matrix with it (real-type irreps only).',
    lc.unembedInRepBasis.length
      ? table(
          ['irrep', 'transpose similarity'],
          lc.unembedInRepBasis.map((u) => [u.irrep, fmt(u.transposeSimilarity)]),
        )
      : '(no key reps)',
    "Share of each cluster's output weights U[neurons] in the irrep's coefficient space (as functions of c⁻¹):",
    lc.unembedExplained.length
      ? table(
          ['irrep', 'neurons', 'share of U'],
          lc.unembedExplained.map((u) => [u.irrep, u.neurons, fmt(u.fraction)]),
        )
      : '(no clusters)',
    table(
      ['logits from', 'loss', 'relative change'],
      [
        ['H U (baseline)', fmt(lc.baseline), '0'],
        ["hidden rebuilt from the key reps' ρ(ab) alone", fmt(lc.rebuiltHidden.loss), fmt(lc.rebuiltHidden.relative)],
        ["H U restricted to the key reps' output space", fmt(lc.unembedRestricted.restrictedLoss), fmt(lc.unembedRestricted.restrictedRelative)],
        ['H U on the rest (null part)', fmt(lc.unembedRestricted.nullLoss), fmt(lc.unembedRestricted.nullRelative)],
      ],
    ),
  ];
}

function fourierSection(meta: AnalysisMeta, a: Analysis): string[] {
  const K = meta.keyReps;
  const fo = a.fourier;
  const interactions = fo.neurons.map((n) => n.interaction).filter(Number.isFinite);
  const out = [
    "## 7. Group Fourier transform of the neurons' inputs",
    "f̂(ρ) = Σ_σ f(σ) ρ(σ) of each neuron's left(a) and right(b), with power d_ρ ‖f̂(ρ)‖² / (e_ρ |G|²), where e_ρ = 1, 2, 4 for real " +
      "irreps of real, complex, quaternionic type (so a real irrep's power is that of the complex irreps it contains, and the " +
      'powers sum to the mean square of f). Shares are of the mean square; "dominant" is the non-trivial irrep with the most ' +
      'power and its share of the non-constant power.',
    table(
      ['irrep', 'share of all left power', 'share of all right power', 'neurons dominated (left)'],
      fo.irreps.map((n, i) => [
        irrepCell(n, K),
        fmt(fo.totalShares.left[i]),
        fmt(fo.totalShares.right[i]),
        n === 'trivial' ? '–' : (fo.dominantCounts[n] ?? 0),
      ]),
    ),
    `Non-additive share of the pre-activation variance (0 when pre = left(a) + right(b), as in the MLP): ` +
      (interactions.length
        ? `mean ${fmt(interactions.reduce((s, x) => s + x, 0) / interactions.length)}, max ${fmt(Math.max(...interactions))}.`
        : 'no live neurons.'),
  ];
  if (fo.neurons.length <= 256)
    out.push(
      table(
        ['neuron', 'left: dominant', 'share', 'right: dominant', 'share'],
        fo.neurons.map((n) => [n.neuron, n.left.dominant ?? '–', fmt(n.left.dominantShare), n.right.dominant ?? '–', fmt(n.right.dominantShare)]),
      ),
    );
  else out.push(`(${fo.neurons.length} neurons: the per-neuron spectra are in analysis.json.)`);
  return out;
}

function cosetSection(meta: AnalysisMeta, a: Analysis): string[] {
  const co = a.cosets;
  const out = ['## 8. The coset view'];
  if (co.skipped) out.push(`Skipped: ${co.skipped}.`);
  else {
    const used = new Set<number>();
    for (const n of co.neurons) {
      if (n.left) used.add(co.subgroups[n.left.subgroup]!.conjugacyClass);
      if (n.right) used.add(co.subgroups[n.right.subgroup]!.conjugacyClass);
    }
    const cls = (i: number) => co.subgroups[i]!.conjugacyClass;
    out.push(
      `For each neuron, the largest subgroup H whose left cosets gH its left input is (nearly) constant on, and the largest K ` +
        `whose right cosets Kg its right input is constant on: score = share of the input's variance explained by coset ` +
        `membership, at least ${co.threshold} (--coset-threshold; the trivial subgroup always scores 1). ${co.subgroups.length} ` +
        `subgroups in ${co.classes.length} conjugacy classes; the classes that occur:`,
      table(
        ['class', 'order', 'index', 'conjugates', 'normal', 'cyclic', 'abelian', 'generators of one'],
        [...used]
          .sort((x, y) => x - y)
          .map((c) => {
            const s = co.subgroups[co.classes[c]![0]!]!;
            return [
              c,
              s.order,
              meta.N / s.order,
              co.classes[c]!.length,
              s.normal ? 'yes' : '',
              s.cyclic ? 'yes' : '',
              s.abelian ? 'yes' : '',
              s.generators.join('; ') || '–',
            ];
          }),
      ),
      'Neurons by the classes of their (left, right) subgroups:',
      co.pairs.length
        ? table(
            ['left class', 'right class', 'orders', 'neurons'],
            co.pairs.map((q) => [q.leftClass, q.rightClass, `${q.order[0]}, ${q.order[1]}`, q.count]),
          )
        : '(no live neurons)',
    );
    if (co.neurons.length <= 256)
      out.push(
        table(
          ['neuron', 'left subgroup (class, order)', 'score', 'right subgroup (class, order)', 'score', 'conjugate'],
          co.neurons.map((n) => [
            n.neuron,
            n.left ? `#${n.left.subgroup} (${cls(n.left.subgroup)}, ${n.left.order})` : '–',
            fmt(n.left?.score),
            n.right ? `#${n.right.subgroup} (${cls(n.right.subgroup)}, ${n.right.order})` : '–',
            fmt(n.right?.score),
            n.conjugate === null ? '–' : n.conjugate ? 'yes' : 'no',
          ]),
        ),
      );
  }
  return out;
}
