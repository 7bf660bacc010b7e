/**
 * The dashboard UI: a hash router over the registered pages (pages.ts). Page modules register themselves
 * when imported; the navigation lists them in import order. Add a tab: write web/src/pages/<name>.ts that
 * calls registerPage, and import it here (docs/dashboard.md).
 */
import { clear, h } from './dom.js';
import { href, pages, type PageContext } from './pages.js';
import { detectSource } from './source.js';
import './pages/runs.js';
import './pages/compare.js';
import './pages/group.js';
import './pages/run.js';
import './pages/train.js';

async function start(): Promise<void> {
  const source = await detectSource();
  const nav = document.getElementById('nav')!;
  const main = document.getElementById('page')!;
  document.getElementById('mode')!.textContent = source.mode === 'server' ? 'live: grokgroups serve' : 'static build (no server)';
  document.body.dataset.mode = source.mode;
  const ctx: PageContext = { source, go: (page, params) => (location.hash = href(page, params)) };
  let cleanup: void | (() => void);
  let generation = 0;

  const route = async () => {
    const gen = ++generation;
    if (typeof cleanup === 'function') cleanup();
    cleanup = undefined;
    const hash = location.hash.replace(/^#\/?/, '');
    const qi = hash.indexOf('?');
    const id = (qi < 0 ? hash : hash.slice(0, qi)) || (source.mode === 'server' ? 'runs' : 'group');
    const params = new URLSearchParams(qi < 0 ? '' : hash.slice(qi + 1));
    const page = pages.find((p) => p.id === id);
    clear(nav);
    for (const p of pages)
      if (p.nav && !(p.needsServer && source.mode !== 'server'))
        nav.append(h('a', { href: href(p.id), class: p.id === id ? 'active' : '', 'data-page': p.id }, p.title));
    clear(main);
    document.body.dataset.page = id;
    if (!page) {
      main.append(h('p', { class: 'error' }, `no page "${id}"`));
      return;
    }
    try {
      const c = await page.render(main, params, ctx);
      if (gen !== generation) {
        if (typeof c === 'function') c();
      } else cleanup = c;
    } catch (e) {
      main.append(h('p', { class: 'error' }, (e as Error).message));
    }
    document.body.dataset.ready = String(gen);
  };
  window.addEventListener('hashchange', () => void route());
  await route();
}

void start();
