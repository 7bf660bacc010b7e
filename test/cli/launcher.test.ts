// Killing a long-running command leaves nothing behind: the built CLI (`npm test` builds first) started
// directly, and started the way npx / npm exec / npm start start it (npm -> `sh -c` -> node, where the shell
// dies of npm's forwarded SIGTERM without passing it on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/runs/package-root.js';

const root = packageRoot();
const BIN = join(root, 'bin', 'grokgroups.js');

/** Whether pid is a live process (a zombie, exited but not yet reaped by whoever adopted it, is not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: kill(pid, 0) is all we know
  }
}

/** The pids whose parent is `pid` (from /proc, else POSIX ps). */
function childrenOf(pid: number): number[] {
  if (existsSync('/proc/self/stat')) {
    const out: number[] = [];
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
      } catch {
        // gone meanwhile
      }
    }
    return out;
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([, ppid]) => ppid === pid)
    .map(([p]) => p!);
}

async function until<T>(what: string, f: () => T | undefined | false, ms: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Collects a child's stdout+stderr; resolves the port of the dashboard URL it prints. */
function servePort(child: ChildProcess, output: { text: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL printed: ${output.text}`)), 15000);
    const on = (d: Buffer) => {
      output.text += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output.text);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output.text}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** npm's way of running a bin: `sh -c "'node' BIN ARGS"` with npm_command in the environment (as npx sets it). */
function viaShell(args: string[], npm: boolean): ChildProcess {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const env = { ...process.env };
  delete env.npm_command; // `npm test` puts its own in
  if (npm) env.npm_command = 'exec';
  return spawn('sh', ['-c', [process.execPath, BIN, ...args].map(quote).join(' ')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

const killLater: number[] = [];
function cleanup(): void {
  for (const pid of killLater.splice(0))
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
}

test('serve: SIGTERM to the launcher pid stops it (exit 0), frees the port, leaves no process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-launch-'));
  const child = spawn(process.execPath, [BIN, 'serve', dir, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  killLater.push(child.pid!);
  try {
    const out = { text: '' };
    const port = await servePort(child, out);
    assert.equal(await portFree(port), false, 'the dashboard listens');
    assert.deepEqual(childrenOf(child.pid!), [], 'the launcher runs the command itself, no child process');
    child.kill('SIGTERM');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.equal(alive(child.pid!), false);
    assert.equal(await portFree(port), true, 'the port is free again');
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve started as npx starts it: killing the shell in between stops the command too (no orphan on the port)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-launch-'));
  const sh = viaShell(['serve', dir, '--port', '0'], true);
  killLater.push(sh.pid!);
  try {
    const out = { text: '' };
    const port = await servePort(sh, out);
    const [node] = await until('the node process under sh', () => childrenOf(sh.pid!).length === 1 && childrenOf(sh.pid!), 5000);
    killLater.push(node!);
    sh.kill('SIGTERM'); // what npm does to its child when npm is sent SIGTERM
    await exited(sh);
    await until(`node (pid ${node}) to stop after its launcher went`, () => !alive(node!), 5000);
    assert.equal(await portFree(port), true, 'the port is free again');
    assert.match(out.text, /grokgroups: the launching process \(pid \d+\) is gone: stopping as on SIGTERM/);
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('started from a shell without npm, the command outlives the shell (as `grokgroups serve &` in a script is meant to)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-launch-'));
  const sh = viaShell(['serve', dir, '--port', '0'], false);
  killLater.push(sh.pid!);
  try {
    const out = { text: '' };
    const port = await servePort(sh, out);
    const [node] = await until('the node process under sh', () => childrenOf(sh.pid!).length === 1 && childrenOf(sh.pid!), 5000);
    killLater.push(node!);
    sh.kill('SIGTERM');
    await exited(sh);
    await new Promise((r) => setTimeout(r, 1000)); // 4 polls of the launcher watch, were it on
    assert.equal(alive(node!), true);
    assert.equal(await portFree(port), false);
    process.kill(node!, 'SIGTERM');
    await until('node to stop on SIGTERM', () => !alive(node!), 5000);
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

const SPEC = {
  name: 'k',
  measures: 'basic',
  // Long enough to be running when it is killed; each epoch is short, so a stop is quick.
  overrides: { group: 'S4', embed_dim: 16, hidden_dim: 32, frac_train: 0.6, num_epochs: 10000000, checkpoints: 'none' },
  runs: [{ seeds: 1 }],
};
const RUN = 'S4_MLP_hidden_dim_32_seed1';

/** The pid of the run process, from the header spawnBatch writes at the top of the run's log. */
function runChildPid(out: string): number | undefined {
  const log = join(out, '.sweep', 'logs', `${RUN}.log`);
  if (!existsSync(log)) return undefined;
  const m = / pid (\d+)/.exec(readFileSync(log, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

for (const how of ['directly', 'as npx starts it']) {
  test(`sweep started ${how}: killing its launcher stops the training child with its state saved (exit 130)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-launch-'));
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(SPEC));
    const out = join(dir, 'out');
    const args = ['sweep', spec, '--out', out, '--jobs', '1'];
    const launcher =
      how === 'directly' ? spawn(process.execPath, [BIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }) : viaShell(args, true);
    killLater.push(launcher.pid!);
    const output = { text: '' };
    launcher.stdout!.on('data', (d: Buffer) => (output.text += d.toString()));
    launcher.stderr!.on('data', (d: Buffer) => (output.text += d.toString()));
    try {
      const child = await until('the run process', () => runChildPid(out), 15000);
      killLater.push(child);
      const sweepPid = how === 'directly' ? launcher.pid! : await until('the sweep under sh', () => childrenOf(launcher.pid!)[0], 5000);
      killLater.push(sweepPid);
      // Training has started (the run folder holds its first rows) before it is stopped.
      await until(
        'the first epochs',
        () => existsSync(join(out, RUN, 'log.csv')) && readFileSync(join(out, RUN, 'log.csv'), 'utf8').split('\n').length > 2,
        15000,
      );
      launcher.kill('SIGTERM');
      const end = await exited(launcher);
      if (how === 'directly') assert.deepEqual(end, { code: 130, signal: null }, output.text);
      await until(`the sweep (pid ${sweepPid}) to stop`, () => !alive(sweepPid), 10000);
      assert.equal(alive(child), false, `the run process (pid ${child}) is gone`);
      const log = readFileSync(join(out, '.sweep', 'logs', `${RUN}.log`), 'utf8');
      assert.match(log, /--- exit 130 \(interrupted\)/, 'the run stopped on SIGTERM with its state saved, not killed by its parent going');
      assert.ok(existsSync(join(out, RUN, 'state.safetensors')), 'the run can resume');
    } finally {
      cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
