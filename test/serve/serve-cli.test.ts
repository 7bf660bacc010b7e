import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';
import { makeRunsFixture } from './runs-fixture.js';

const root = packageRoot();
const bin = join(root, 'bin', 'grokgroups.js');

test('serve: bad options are one line "grokgroups: ..." and exit 2', () => {
  for (const [args, re] of [
    [['serve', '--port', 'abc'], /--port "abc"/],
    [['serve', '--port', '70000'], /--port "70000"/],
    [['serve', '/no/such/folder'], /RUNS_DIR "\/no\/such\/folder"/],
    [['serve', 'a', 'b'], /one runs folder/],
    [['serve', '--bogus'], /unknown option "--bogus"/],
  ] as const) {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^grokgroups: /);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, re);
  }
});

test('serve RUNS_DIR --port 0 listens on 127.0.0.1, serves the UI and the API, stops on SIGTERM', async () => {
  const fx = makeRunsFixture();
  const child = spawn(process.execPath, [bin, 'serve', fx.runs, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        out += d;
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="app.js">/);
    const js = await fetch(url + 'app.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    const runs = (await (await fetch(url + 'api/runs')).json()) as { runs: { id: string }[] };
    assert.equal(runs.runs.length, 3);
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
  } finally {
    child.kill('SIGKILL');
    fx.cleanup();
  }
});
