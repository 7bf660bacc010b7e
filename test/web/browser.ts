/**
 * The browser tests' harness: Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) driven by
 * playwright-core. A missing Chromium is a test failure with the fix in the message, never a skip
 * (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium; `webgpu`: with WebGPU on Chromium's own SwiftShader Vulkan driver (works on machines
 * without a GPU), else with the GPU disabled (navigator.gpu gives no adapter: the pages run on wasm).
 */
export async function launchBrowser(executablePath = CHROMIUM, webgpu = false): Promise<Browser> {
  if (!existsSync(executablePath))
    throw new Error(
      `the browser tests need Chromium at ${executablePath}: install it (apt-get install -y chromium, as .ci/run does) or set $CHROMIUM to a Chromium binary`,
    );
  const gpu = webgpu ? ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader'] : ['--disable-gpu'];
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', ...gpu, '--disable-dev-shm-usage'] });
}

/** A page that fails the test on any uncaught page error or console error. */
export async function newPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return page;
}
