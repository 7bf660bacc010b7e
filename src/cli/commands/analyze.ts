/**
 * `grokgroups analyze RUN [--epoch E] [options]`: the paper's analysis notebook, plus the Fourier and coset
 * views, for any run folder: RUN/analysis.json (every number) and RUN/analysis.md (readable report); with
 * --epoch E, of checkpoints/epoch_E.safetensors, into RUN/analysis_epoch_E.{json,md}. docs/analysis.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commandHelp, HELP_OPTION, onePositional, parseCommand, type CommandSpec } from '../options.js';
import { ANALYSIS_DEFAULTS, analyzeModel, type AnalysisOptions } from '../../analysis/analyze.js';
import { nonTrivialIrreps } from '../../analysis/analysis-input.js';
import { logitAttribution } from '../../analysis/logit-attribution.js';
import { allPairsLoss, rowsAccuracy, rowsLoss } from '../../analysis/losses.js';
import { analysisJson, analysisMarkdown, type AnalysisMeta, type FigureLink } from '../../analysis/report.js';
import { runFigures, type FigureSet } from '../../figures/figure-set.js';
import { modelAnalysisOf } from '../../figures/model-analysis.js';
import { modelFigures } from '../../figures/model-figures.js';
import { readRun } from '../../figures/node/read-run.js';
import { writeFigureSet } from '../../figures/node/run-figure-set.js';
import type { Group } from '../../groups/group.js';
import { KEY_REP_THRESHOLD, keyReps, keyRepsInOrder, similarityColumn } from '../../measures/key-reps.js';
import { modelView } from '../../measures/model-view.js';
import type { Irrep } from '../../reps/irrep.js';
import { irreps } from '../../reps/irreps.js';
import { writeFileAtomic } from '../../runs/atomic-write.js';
import { checkAgainstGroup, parseCfgObject, resolveConfig } from '../../runs/config.js';
import { checkpointEpochsOnDisk } from '../../runs/eval-run.js';
import { packageVersion } from '../../runs/package-root.js';
import { checkpointFile, FILES, readCsvIfExists, readJson, readParams, readSplit } from '../../runs/run-folder.js';
import { UsageError } from '../../util/errors.js';

const D = ANALYSIS_DEFAULTS;
const NON_NEGATIVE = { kind: 'number', arg: 'X', accept: (x: number) => x >= 0, expected: 'a number >= 0' } as const;

const SPEC: CommandSpec = {
  name: 'analyze',
  usage: ['RUN [--epoch E] [options]'],
  description: `Analyses the model of run folder RUN (docs/runs.md) as the paper's analysis notebook does, plus the
group Fourier transform and the coset view of every neuron (docs/analysis.md), and writes
RUN/analysis.json (every number) and RUN/analysis.md (headings, tables, what each number means). It also
draws the run's figures as SVG (docs/figures.md: those of \`grokgroups figures RUN\`, the model ones from this
analysis) into RUN/figures (with --epoch E: RUN/figures/epoch_E, curves up to E), and analysis.md shows them.`,
  positionals: [{ name: 'RUN', help: 'a run folder with cfg.json, split.json and model.safetensors' }],
  options: [
    {
      name: 'epoch',
      kind: 'int',
      arg: 'E',
      expected: 'an epoch: an integer >= 0',
      help: 'analyse checkpoints/epoch_E.safetensors instead of the final model; writes RUN/analysis_epoch_E.json and RUN/analysis_epoch_E.md',
    },
    {
      name: 'key-reps',
      kind: 'string',
      arg: 'A,B',
      help: 'the key irreps (names from `grokgroups irreps GROUP`; "none" for none). Default: RUN/key_reps.txt if present, else the non-trivial irreps whose logit similarity exceeds --key-rep-threshold',
    },
    {
      name: 'key-rep-threshold',
      kind: 'number',
      arg: 'X',
      accept: (x) => x >= -1 && x <= 1,
      expected: 'a similarity -1 <= X <= 1',
      default: KEY_REP_THRESHOLD,
      help: 'logit similarity above which an irrep is key',
    },
    {
      name: 'dead-threshold',
      ...NON_NEGATIVE,
      default: D.deadThreshold,
      help: 'a neuron is dead when the squared norms of its input-side pre-activations (E_a and E_b columns) are both below X',
    },
    {
      name: 'assign-threshold',
      ...NON_NEGATIVE,
      default: D.assignThreshold,
      help: "a neuron belongs to irrep ρ when the squared norm of its E_a or E_b column in ρ's coefficient space exceeds X",
    },
    {
      name: 'dead-hidden-threshold',
      ...NON_NEGATIVE,
      default: D.deadHiddenThreshold,
      help: "a neuron is constant after the ReLU when its centred activations' sum of squares over the N² pairs is below X",
    },
    {
      name: 'coset-threshold',
      kind: 'number',
      arg: 'X',
      accept: (x) => x > 0 && x <= 1,
      expected: 'a share 0 < X <= 1',
      default: D.cosetThreshold,
      help: "coset view: a subgroup counts for a neuron when coset membership explains at least this share of its input's variance, 0 < X <= 1",
    },
    {
      name: 'coset-max-order',
      kind: 'int',
      arg: 'N',
      min: 1,
      expected: 'an integer >= 1',
      default: D.cosetMaxOrder,
      help: 'coset view: enumerate subgroups only for groups of order <= N',
    },
    { name: 'no-figures', kind: 'switch', help: 'draw no figures; analysis.md still shows those already in the figures folder' },
    HELP_OPTION,
  ],
  epilog: `The thresholds' defaults are the notebook's values, which are absolute sums of squares chosen for the
S5 MLP (N = 120, h = 128); other groups and widths may want others.`,
};

export interface AnalyzePlan {
  run: string;
  epoch: number | null;
  keyReps: string[] | null;
  keyRepThreshold: number;
  options: AnalysisOptions;
  /** Draw the figures into the figures folder (not --no-figures). */
  figures: boolean;
}

/** Reads the arguments; throws UsageError naming any bad value. */
export function planAnalyze(args: string[]): AnalyzePlan | { print: string } {
  const p = parseCommand(SPEC, args);
  if (p.help) return { print: commandHelp(SPEC) };
  const run = onePositional(SPEC, p, { needs: 'a run folder', one: 'run folder', example: 'grokgroups analyze runs/S5_MLP_seed2' });
  const epoch = p.number('epoch') ?? null;
  const keyRepsArg = p.string('key-reps');
  const keyReps = keyRepsArg === undefined ? null : keyRepsArg.trim() === 'none' ? [] : keyRepsArg.split(',').map((s) => s.trim());
  const options: AnalysisOptions = {
    deadThreshold: p.number('dead-threshold') ?? D.deadThreshold,
    assignThreshold: p.number('assign-threshold') ?? D.assignThreshold,
    deadHiddenThreshold: p.number('dead-hidden-threshold') ?? D.deadHiddenThreshold,
    cosetThreshold: p.number('coset-threshold') ?? D.cosetThreshold,
    cosetMaxOrder: p.number('coset-max-order') ?? D.cosetMaxOrder,
  };
  const keyRepThreshold = p.number('key-rep-threshold') ?? KEY_REP_THRESHOLD;
  return { run, epoch, keyReps, keyRepThreshold, options, figures: !p.switch('no-figures') };
}

function checkNames(names: string[], irr: readonly Irrep[], G: Group, source: string): string[] {
  const ok = nonTrivialIrreps(irr).map((r) => r.name);
  for (const n of names)
    if (!ok.includes(n)) throw new UsageError(`${source}: "${n}" is not a non-trivial irrep of ${G.name}: expected ${ok.join(', ')}`);
  return names;
}

/** The figures in dir/rel (SVG, else PNG), as links relative to dir: those named in `order` in that order, then the rest by name. */
function figureLinks(dir: string, rel: string, order: readonly string[]): FigureLink[] {
  const folder = join(dir, ...rel.split('/'));
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder);
  const found = new Set(files.map((f) => /^(.+)\.(svg|png)$/.exec(f)?.[1]).filter((n): n is string => n !== undefined));
  const names = [...order.filter((n) => found.has(n)), ...[...found].filter((n) => !order.includes(n)).sort()];
  return names.map((name) => ({ name, path: `${rel}/${name}.${files.includes(`${name}.svg`) ? 'svg' : 'png'}` }));
}

/** The run's config, group, split and the float64 view of the model analysed (model.safetensors or --epoch's checkpoint). */
function loadModel(p: AnalyzePlan) {
  const { run: dir } = p;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`run folder "${dir}" does not exist`);
  const cfgPath = join(dir, FILES.cfg);
  if (!existsSync(cfgPath)) throw new UsageError(`"${dir}" is not a run folder: it has no ${FILES.cfg}`);
  const cfg = resolveConfig(parseCfgObject(readJson(cfgPath), cfgPath, 'cfg'), {});
  const G = checkAgainstGroup(cfg, `${cfgPath}: frac_train`);
  if (!existsSync(join(dir, FILES.split))) throw new UsageError(`"${dir}" has no ${FILES.split}`);
  const { train, test } = readSplit(dir);
  const paramsFile = p.epoch === null ? FILES.model : checkpointFile(p.epoch);
  if (!existsSync(join(dir, paramsFile))) {
    if (p.epoch === null) throw new UsageError(`"${dir}" has no ${FILES.model} (not finished?); pass --epoch E to analyse a checkpoint`);
    const have = checkpointEpochsOnDisk(dir);
    const near = have.length
      ? `checkpoints from ${have[0]} to ${have.at(-1)} (${have.length}), nearest ${have.reduce((b, e) => (Math.abs(e - p.epoch!) < Math.abs(b - p.epoch!) ? e : b))}`
      : 'no checkpoints';
    throw new UsageError(`--epoch ${p.epoch}: "${dir}" has no ${paramsFile}; it has ${near}`);
  }
  const view = modelView(cfg.model, readParams(join(dir, paramsFile)), G.order);
  return { dir, cfg, G, irr: irreps(G), train, test, paramsFile, view };
}

type Loaded = ReturnType<typeof loadModel>;

/** The key reps and where they came from: --key-reps, else key_reps.txt, else this model's logit similarities; in learning order when metrics.csv can tell. */
function chooseKeyReps(p: AnalyzePlan, m: Loaded): { keys: string[]; source: string } {
  const { dir, G, irr, view, train, test } = m;
  let keys: string[];
  let source: string;
  const keyFile = join(dir, 'key_reps.txt');
  if (p.keyReps) {
    keys = checkNames(p.keyReps, irr, G, '--key-reps');
    source = '--key-reps';
  } else if (existsSync(keyFile)) {
    keys = checkNames(
      readFileSync(keyFile, 'utf8')
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
      irr,
      G,
      keyFile,
    );
    source = 'key_reps.txt';
  } else {
    const sims = logitAttribution({ group: G, irreps: irr, view, train, test, keyReps: [] }).similarity;
    const row: Record<string, number> = {};
    for (const [n, s] of Object.entries(sims)) row[similarityColumn(n)] = s;
    keys = keyReps(row, irr, p.keyRepThreshold);
    source = `logit similarity > ${p.keyRepThreshold} on this model`;
  }
  // learning order, when metrics.csv has the similarity columns
  const metrics = readCsvIfExists(join(dir, FILES.metrics));
  if (keys.length > 1 && metrics.length > 0 && similarityColumn(keys[0]!) in metrics[0]!) {
    keys = keyRepsInOrder(metrics, keys);
    source += ', in learning order (metrics.csv)';
  }
  return { keys, source };
}

/**
 * The run's figures as `grokgroups figures RUN` draws them, the model ones from this analysis (no second
 * computation), written as SVG into figRel (relative to the run folder); returns their names in order and the line saying so.
 */
async function drawFigures(p: AnalyzePlan, m: Loaded, keys: string[], analysis: ReturnType<typeof analyzeModel>, figRel: string) {
  const { dir, G, irr, view } = m;
  const set: FigureSet = { figures: [], skipped: [] };
  let runData;
  try {
    runData = readRun(dir);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    set.skipped.push({ name: 'grokking_loss', why: e.message });
  }
  if (runData) {
    const r = runFigures(runData, p.epoch === null ? {} : { trim: p.epoch });
    set.figures.push(...r.figures);
    set.skipped.push(...r.skipped);
  }
  const mf = modelFigures({ group: G, irreps: irr, view, keyReps: keys, analysis: modelAnalysisOf(analysis) });
  set.figures.push(...mf.figures);
  set.skipped.push(...mf.skipped);
  const out = join(dir, ...figRel.split('/'));
  await writeFigureSet(set, out, ['svg'], dir, () => {});
  const line = `  ${set.figures.length} figures in ${out}${set.skipped.length ? `, ${set.skipped.length} skipped (\`grokgroups figures ${dir}\` says why)` : ''}`;
  return { order: set.figures.map((f) => f.name), line };
}

export async function run(args: string[]): Promise<number> {
  const p = planAnalyze(args);
  if ('print' in p) {
    console.log(p.print);
    return 0;
  }
  const m = loadModel(p);
  const { dir, cfg, G, irr, view, train, test, paramsFile } = m;
  const { keys, source } = chooseKeyReps(p, m);
  const analysis = analyzeModel({ group: G, irreps: irr, view, train, test, keyReps: keys }, p.options);
  const meta: AnalysisMeta = {
    run: dir,
    group: G.name,
    model: cfg.model,
    epoch: p.epoch,
    params: paramsFile,
    N: G.order,
    h: view.h,
    keyReps: keys,
    keyRepsSource: source,
    losses: {
      train: rowsLoss(G, view.logits, train),
      test: rowsLoss(G, view.logits, test),
      all: allPairsLoss(G, view.logits),
      trainAcc: rowsAccuracy(G, view.logits, train),
      testAcc: rowsAccuracy(G, view.logits, test),
    },
    options: p.options,
    version: packageVersion(),
  };
  const base = p.epoch === null ? 'analysis' : `analysis_epoch_${p.epoch}`;
  const figRel = p.epoch === null ? 'figures' : `figures/epoch_${p.epoch}`; // relative to dir, '/'-separated for Markdown
  const drawn = p.figures ? await drawFigures(p, m, keys, analysis, figRel) : null;
  writeFileAtomic(join(dir, `${base}.json`), analysisJson(meta, analysis));
  writeFileAtomic(join(dir, `${base}.md`), analysisMarkdown(meta, analysis, figureLinks(dir, figRel, drawn?.order ?? [])));
  const a = analysis;
  const live = view.h - a.neurons.dead.length;
  console.log(
    [
      `${join(dir, base)}.{json,md}: ${G.name} ${cfg.model}${p.epoch === null ? '' : ` epoch ${p.epoch}`}, key reps ${keys.join(', ') || '(none)'}`,
      `  logits explained ${a.logits.percentExplained.toFixed(4)}; embeddings by key reps x ${a.embeddings.keyTotals.x.toFixed(4)}, unembed ${a.embeddings.keyTotals.unembed.toFixed(4)}`,
      `  neurons: ${a.neurons.dead.length} dead, ${
        a.neurons.clusters
          .filter((c) => c.neurons.length)
          .map((c) => `${c.neurons.length} ${c.irrep}`)
          .join(', ') || 'none in clusters'
      }, ${a.neurons.unaccounted.length} unaccounted (of ${live} live)`,
      `  loss ${meta.losses.all.toPrecision(4)}; rebuilt from key reps ${a.logitComputation.rebuiltHidden.loss.toPrecision(4)}`,
      ...(drawn ? [drawn.line] : []),
    ].join('\n'),
  );
  return 0;
}
