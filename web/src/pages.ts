/**
 * The dashboard's pages (top-level tabs). Each page registers itself with `registerPage`; main.ts imports
 * the page modules in the order the navigation shows them. A page renders into the element it is given
 * and may return a cleanup function (called when the user leaves it: close event streams, stop timers).
 * See docs/dashboard.md, "Adding a tab".
 */
import type { Source } from './source.js';

export interface PageContext {
  source: Source;
  /** Navigates to another page: go('run', {id: 'x'}). */
  go(page: string, params?: Record<string, string>): void;
}

export interface Page {
  /** The route: #/<id>?params. */
  id: string;
  /** Navigation label. */
  title: string;
  /** Shown in the navigation bar (pages such as a run's page are reached by links only). */
  nav: boolean;
  /** Hidden from the navigation in the static build (no server). */
  needsServer?: boolean;
  render(root: HTMLElement, params: URLSearchParams, ctx: PageContext): void | (() => void) | Promise<void | (() => void)>;
}

export const pages: Page[] = [];

export function registerPage(p: Page): void {
  if (pages.some((q) => q.id === p.id)) throw new Error(`page "${p.id}" registered twice`);
  pages.push(p);
}

export function href(page: string, params: Record<string, string> = {}): string {
  const q = new URLSearchParams(params).toString();
  return `#/${page}${q ? '?' + q : ''}`;
}
