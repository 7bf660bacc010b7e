/**
 * "Train in browser": trains a small group in this tab with the command line's WebAssembly kernels, in a
 * Web Worker (src/browser/), and draws what it reports as it arrives: the grokking curves and per-irrep
 * measures (the same figures as a run's page, src/figures), the current logit similarity per irrep, and at
 * the end the key irreps and the analysis report. The session lives in this module, so it keeps training
 * while another tab is shown; coming back redraws it.
 */
import { BROWSER_PRESETS } from '../../../src/browser/presets.js';
import { lastEpoch } from '../../../src/runs/epochs.js';
import type { SessionMessage, SessionRequest } from '../../../src/browser/session-types.js';
import { availableThreads, startTraining, type TrainingHandle } from '../../../src/browser/train-client.js';
import { runFigures } from '../../../src/figures/figure-set.js';
import { similarityColumn } from '../../../src/measures/columns.js';
import { barChart } from '../../../src/figures/svg/bar-chart.js';
import { svgDocument } from '../../../src/figures/svg/panel.js';
import { clear, fmt, h } from '../dom.js';
import { markdownHtml } from '../markdown.js';
import { registerPage } from '../pages.js';
import type { Row } from '../../../src/figures/run-data.js';

type Start = Extract<SessionMessage, { type: 'start' }>;
type Log = Extract<SessionMessage, { type: 'log' }>;
type Done = Extract<SessionMessage, { type: 'done' }>;

/** One session's state: everything the page draws. */
interface Session {
  request: SessionRequest;
  state: 'starting' | 'running' | 'done' | 'error';
  start: Start | null;
  log: Row[];
  lastLog: Log | null;
  metrics: Row[];
  status: string;
  done: Done | null;
  error: string | null;
  handle: TrainingHandle;
  stopRequested: boolean;
  unsharedMemory: boolean;
}

let session: Session | null = null;
/** The page's redraw while it is shown. */
let listener: (() => void) | null = null;
let lastForm: SessionRequest = { ...BROWSER_PRESETS[1]!.request };

const FIELDS: { key: keyof SessionRequest; label: string; kind: 'text' | 'int' | 'num' | 'model' }[] = [
  { key: 'group', label: 'group', kind: 'text' },
  { key: 'model', label: 'model', kind: 'model' },
  { key: 'seed', label: 'seed', kind: 'int' },
  { key: 'frac_train', label: 'frac train', kind: 'num' },
  { key: 'num_epochs', label: 'epochs', kind: 'int' },
  { key: 'lr', label: 'lr', kind: 'num' },
  { key: 'weight_decay', label: 'weight decay', kind: 'num' },
  { key: 'embed_dim', label: 'embed dim', kind: 'int' },
  { key: 'hidden_dim', label: 'hidden dim', kind: 'int' },
  { key: 'threads', label: 'threads', kind: 'int' },
];

function begin(request: SessionRequest, unsharedMemory: boolean): void {
  session?.handle.kill();
  const s: Session = {
    request,
    state: 'starting',
    start: null,
    log: [],
    lastLog: null,
    metrics: [],
    status: 'starting the worker and compiling the kernels…',
    done: null,
    error: null,
    stopRequested: false,
    unsharedMemory,
    handle: null as unknown as TrainingHandle,
  };
  const onMessage = (m: SessionMessage) => {
    if (session !== s) return;
    switch (m.type) {
      case 'start':
        s.start = m;
        s.state = 'running';
        s.status = `training ${m.group} (order ${m.N}), ${m.model}: ${m.nTrain} train and ${m.nTest} test pairs, ${m.backend === 'webgpu' ? `on WebGPU (${m.adapter ?? 'GPU'})` : `${m.threads} kernel thread${m.threads > 1 ? 's' : ''}`}; measures on the ${m.measuresOn === 'webgpu' ? 'GPU' : 'CPU'}`;
        break;
      case 'log':
        s.lastLog = m;
        s.log.push({ epoch: m.epoch, train_loss: m.train_loss, test_loss: m.test_loss, train_acc: m.train_acc, test_acc: m.test_acc });
        break;
      case 'measures':
        s.metrics.push({ epoch: m.epoch, ...m.row });
        break;
      case 'status':
        s.status = m.text;
        break;
      case 'done':
        s.done = m;
        s.state = 'done';
        s.status = `${m.stopped ? 'stopped' : 'done'} after ${m.epochs} epochs in ${(m.elapsedMs / 1000).toFixed(1)} s (${m.stepsPerSec.toFixed(0)} steps/s)`;
        break;
      case 'error':
        s.error = m.message;
        s.state = 'error';
        break;
    }
    listener?.();
  };
  session = s;
  s.handle = startTraining(request, onMessage, { workerUrl: new URL('train-worker.js', import.meta.url).href, unsharedMemory });
}

function readForm(form: HTMLFormElement): SessionRequest {
  const r: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const el = form.elements.namedItem(f.key) as HTMLInputElement | HTMLSelectElement;
    const v = el.value.trim();
    r[f.key] = f.kind === 'text' || f.kind === 'model' ? v : v === '' ? NaN : Number(v);
  }
  return { ...lastForm, ...(r as Partial<SessionRequest>) } as SessionRequest;
}

function formView(onStart: (r: SessionRequest) => void, onStop: () => void): HTMLElement {
  const maxT = availableThreads();
  const form = h('form', { id: 'train-form', class: 'train-form' }) as HTMLFormElement;
  const preset = h(
    'select',
    { id: 'train-preset' },
    h('option', { value: '' }, 'custom'),
    ...BROWSER_PRESETS.map((p) => h('option', { value: p.name }, p.label)),
  );
  const fill = (r: SessionRequest) => {
    for (const f of FIELDS) {
      const el = form.elements.namedItem(f.key) as HTMLInputElement | HTMLSelectElement | null;
      if (el) el.value = String(f.key === 'threads' ? Math.min(r.threads ?? 1, maxT) : (r[f.key] ?? ''));
    }
  };
  preset.addEventListener('change', () => {
    const p = BROWSER_PRESETS.find((q) => q.name === preset.value);
    if (p) fill({ ...p.request, threads: lastForm.threads });
  });
  const inputs = FIELDS.map((f) =>
    h(
      'label',
      {},
      f.label + ' ',
      f.kind === 'model'
        ? h('select', { name: f.key }, ...['mlp', 'bilinear', 'transformer'].map((m) => h('option', { value: m }, m)))
        : h('input', {
            name: f.key,
            size: f.kind === 'text' ? 8 : 7,
            ...(f.key === 'threads' ? { type: 'number', min: 1, title: `at most ${maxT} here (more are run as ${maxT})` } : {}),
          }),
    ),
  );
  form.append(
    h('div', { class: 'row' }, 'preset ', preset),
    h('div', { class: 'row' }, ...inputs),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit', id: 'train-start' }, 'Train'),
      h('button', { type: 'button', id: 'train-stop', onclick: () => onStop() }, 'Stop'),
      h(
        'span',
        { class: 'muted' },
        maxT > 1
          ? `cross-origin isolated: up to ${maxT} kernel threads`
          : 'one kernel thread (this page is not cross-origin isolated: no shared memory between workers)',
      ),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    preset.value =
      BROWSER_PRESETS.find((p) => FIELDS.every((f) => f.key === 'threads' || String(p.request[f.key]) === String(readForm(form)[f.key])))?.name ?? '';
    lastForm = readForm(form);
    onStart(lastForm);
  });
  fill({ ...lastForm, threads: lastForm.threads ?? 1 });
  preset.value = BROWSER_PRESETS.find((p) => FIELDS.every((f) => f.key === 'threads' || p.request[f.key] === lastForm[f.key]))?.name ?? '';
  return form;
}

function figureBox(svg: string, name: string): HTMLElement {
  const box = h('div', { class: 'figure', 'data-figure': name });
  box.innerHTML = svg; // our own SVG: src/figures/svg escapes every text it writes
  box.append(h('div', { class: 'caption' }, name));
  return box;
}

/** The last logit similarity of each non-trivial irrep, as a bar chart. */
function similarityBars(s: Session): HTMLElement | null {
  const last = s.metrics.at(-1);
  if (!last || !s.start) return null;
  const names = s.start.irreps.map((r) => r.name).filter((n) => n !== 'trivial');
  const values = names.map((n) => last[similarityColumn(n)] ?? NaN);
  const key = new Set(s.done?.keyReps ?? []);
  const panel = barChart({
    categories: names,
    values,
    color: names.map((n) => (key.has(n) ? '#d62728' : '#1f77b4')),
    yLabel: 'logit similarity',
    title: `Logit similarity per irrep at epoch ${last.epoch}${s.done ? ' (key irreps in red)' : ''}`,
    yMax: 1,
  });
  return figureBox(svgDocument(panel), 'similarity_now');
}

function statusView(s: Session): HTMLElement {
  const l = s.lastLog;
  const box = h(
    'div',
    {
      id: 'train-status',
      'data-state': s.state,
      'data-epoch': l?.epoch ?? '',
      'data-train-acc': l?.train_acc ?? '',
      'data-test-acc': l?.test_acc ?? '',
      'data-final-train-acc': s.done?.final.train_acc ?? '',
      'data-final-train-loss': s.done?.final.train_loss ?? '',
      'data-threads': s.start?.threads ?? '',
      'data-backend': s.start?.backend ?? '',
      'data-memory': s.unsharedMemory ? 'unshared' : 'shared',
    },
    h(
      'div',
      { class: 'row' },
      h('span', { class: `status status-${s.state === 'error' ? 'failed' : s.state === 'done' ? 'done' : 'running'}` }, s.state),
      s.status,
    ),
  );
  if (l)
    box.append(
      h(
        'div',
        { class: 'row' },
        h('span', {}, 'epoch ', h('b', {}, String(l.epoch)), s.start ? ` / ${lastEpoch(s.start.numEpochs)}` : ''),
        h('span', {}, `loss ${fmt(l.train_loss)} / ${fmt(l.test_loss)}`),
        h('span', {}, `accuracy train ${fmt(l.train_acc, 3)}, test ${fmt(l.test_acc, 3)}`),
        h('span', { class: 'muted' }, `${l.stepsPerSec.toFixed(0)} steps/s`),
      ),
    );
  if (s.error) box.append(h('p', { class: 'error', id: 'train-error' }, s.error));
  return box;
}

function resultView(d: Done): HTMLElement {
  const box = h('div', { id: 'train-result' });
  box.append(
    h('h3', {}, 'Key irreps'),
    h(
      'p',
      {},
      h('span', { id: 'train-key-reps' }, d.keyReps.join(', ') || '(none)'),
      h('span', { class: 'muted' }, ` — learned in the order ${d.keyRepsInOrder.join(' → ') || '–'}`),
    ),
  );
  if (d.analysisSummary) {
    const a = d.analysisSummary;
    box.append(
      h(
        'p',
        { class: 'muted' },
        `Analysis of the trained model (${a.seconds.toFixed(1)} s): percent of logits explained ${fmt(a.percentLogitsExplained, 3)}, ${a.deadNeurons} dead neurons; neuron clusters: ${
          a.clusters
            .filter((c) => c.neurons > 0)
            .map((c) => `${c.irrep} ${c.neurons}`)
            .join(', ') || 'none'
        }.`,
      ),
    );
  }
  if (d.analysisMarkdown) {
    const md = h('div', { class: 'markdown', id: 'train-analysis' });
    md.innerHTML = markdownHtml(d.analysisMarkdown); // markdownHtml escapes all text
    box.append(h('details', { open: true }, h('summary', {}, 'Analysis report'), md));
  }
  return box;
}

registerPage({
  id: 'train',
  title: 'Train in browser',
  nav: true,
  render(root, params) {
    // #/train?memory=unshared: the kernels on an unshared memory (one thread), as in a browser without shared memory
    const unshared = params.get('memory') === 'unshared';
    // #/train?backend=wasm|webgpu: choose the trainer (default auto: WebGPU where the browser has an adapter)
    const backendParam = params.get('backend');
    const backend = backendParam === 'wasm' || backendParam === 'webgpu' ? backendParam : 'auto';
    root.append(
      h('h2', {}, 'Train in the browser'),
      h(
        'p',
        { class: 'muted' },
        'Trains with the same trainers as ',
        h('code', {}, 'grokgroups train'),
        ' (WebGPU where this browser has a GPU adapter, else the WebAssembly kernels), in a Web Worker of this tab; the curves and per-irrep measures update as it groks. Nothing is saved.',
      ),
    );
    const status = h('div', {});
    const figs = h('div', { class: 'figures', id: 'train-curves' });
    const result = h('div', {});
    root.append(
      formView(
        (r) => {
          begin({ ...r, backend }, unshared);
          drawnRows = '';
          draw();
        },
        () => {
          if (session && session.state !== 'done' && session.state !== 'error') {
            session.stopRequested = true;
            session.status = 'stopping after this epoch…';
            session.handle.stop();
            draw();
          }
        },
      ),
      status,
      figs,
      result,
    );
    let pending = false;
    let lastFigures = 0;
    /** What the figures were last drawn from: row counts and the session's state. */
    let drawnRows = '';
    function draw(): void {
      pending = false;
      const s = session;
      clear(status);
      if (!s) {
        status.append(h('p', { class: 'muted', id: 'train-status', 'data-state': 'idle' }, 'Pick a preset or set the options, then Train.'));
        return;
      }
      status.append(statusView(s));
      // Figures are redrawn at most twice a second (and once more at the end).
      const rows = `${s.log.length} ${s.metrics.length} ${s.state}`;
      const now = performance.now();
      if (rows !== drawnRows && (now - lastFigures > 500 || s.state === 'done' || s.state === 'error')) {
        drawnRows = rows;
        lastFigures = now;
        clear(figs);
        if (s.log.length) {
          const set = runFigures({ name: `${s.request.group} in browser`, log: s.log, metrics: s.metrics, keyReps: s.done?.keyReps });
          const bars = similarityBars(s);
          if (bars) figs.append(bars);
          for (const f of set.figures) figs.append(figureBox(svgDocument(f.panel), f.name));
        }
      } else if (rows !== drawnRows && !pending) {
        pending = true;
        setTimeout(() => requestAnimationFrame(draw), 500);
      }
      clear(result);
      if (s.done) result.append(resultView(s.done));
    }
    listener = () => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(draw);
      }
    };
    draw();
    return () => {
      listener = null;
    };
  },
});
