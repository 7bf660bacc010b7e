// Every command in README.md's ```sh blocks, run in README order in a fresh folder laid out like a clone
// (bin, dist, build, configs, scripts, package.json and node_modules linked to this checkout), after the
// README's first command. What "as written" allows, and nothing else:
//   - `npx grokgroups` runs as `node bin/grokgroups.js` (npx only adds its own start-up; bin/ is the same);
//   - `npm ci && X` runs X (npm ci is what set this checkout up before the tests);
//   - the placeholders `HOST:6379` (a throwaway redis-server on loopback) and `/shared/` (a folder in the
//     temp dir) are filled in;
//   - commands that run until stopped (serve, worker, the paper's 30-minute S5 run) must start and show
//     that they work (the page is served, a worker waits for runs, training epochs go by), then are stopped
//     as a user would stop them (SIGINT / SIGTERM) and must exit cleanly;
//   - `python3` is a python3 that imports torch ($GROKGROUPS_PYTHON, python3 or /usr/bin/python3, as
//     test/python; Debian's torch is for /usr/bin/python3, which need not be first on PATH);
//   - `npm ci && npm test` is this suite itself and is not run again from inside it.
// Every other command must exit 0. A new README example is run by this test as soon as it is written.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, type RedisServer } from '../sweeps/redis-server.js';

const root = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The README's shell commands, comments stripped, in order. */
function readmeCommands(md: string): string[] {
  const out: string[] = [];
  for (const block of md.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const line of block[1]!.split('\n')) {
      const cmd = line.replace(/\s+#.*$/, '').trim();
      if (cmd && !cmd.startsWith('#')) out.push(cmd);
    }
  return out;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How a long-running command shows that it works before it is stopped. */
interface UntilStopped {
  /** Resolves true once the output shows the command at work. */
  ready(out: string): boolean;
  /** Extra check while it runs (e.g. fetch the page it serves). */
  probe?(out: string): Promise<void>;
  signal: NodeJS.Signals;
}

function run(cmd: string, cwd: string, untilStopped?: UntilStopped, limitMs = 240_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `exec ${cmd}`], { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopping = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`"${cmd}" did not ${untilStopped ? 'show it works' : 'finish'} within ${limitMs / 1000} s\n${stdout}\n${stderr}`));
    }, limitMs);
    const check = () => {
      if (!untilStopped || stopping || !untilStopped.ready(stdout + stderr)) return;
      stopping = true;
      (untilStopped.probe ? untilStopped.probe(stdout + stderr) : Promise.resolve()).then(
        () => child.kill(untilStopped.signal),
        (e: unknown) => {
          child.kill('SIGKILL');
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), check()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), check()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The first python3 that imports torch (the loader's only need); the README's `python3` runs as it. */
function torchPython(): string {
  for (const py of [process.env.GROKGROUPS_PYTHON, 'python3', '/usr/bin/python3'])
    if (py && spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return py;
  throw new Error('the README runs python/grokgroups_torch.py: no python3 with torch (apt-get install -y python3-torch; .ci/run installs it)');
}

const dir = mkdtempSync(join(tmpdir(), 'grokgroups-readme-'));
let redis: RedisServer | null = null;
after(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('every README command works as written, in README order', { timeout: 900_000 }, async () => {
  for (const name of ['bin', 'dist', 'build', 'configs', 'scripts', 'web', 'python', 'package.json', 'node_modules'])
    symlinkSync(join(root, name), join(dir, name));
  const commands = readmeCommands(readme);
  assert.ok(commands.length >= 20, `found only ${commands.length} README commands`);
  assert.equal(commands[0], 'npm ci && npm start', 'the README leads with the command that sets up and runs the main job');
  const node = `node ${join(dir, 'bin', 'grokgroups.js')}`;
  const ran: string[] = [];
  for (const written of commands) {
    if (written === 'npm ci && npm test') continue; // this suite itself
    let cmd = written.replace(/^npm ci && /, '').replace(/\bnpx grokgroups\b/g, node);
    if (cmd.includes('HOST:6379')) {
      redis ??= await startRedis();
      cmd = cmd.replaceAll('redis://HOST:6379', redis.url);
    }
    cmd = cmd.replaceAll('/shared/', `${dir}/shared/`);
    if (cmd.startsWith('python3 ')) cmd = `${torchPython()} ${cmd.slice('python3 '.length)}`;
    let untilStopped: UntilStopped | undefined;
    if (/ serve\b/.test(cmd))
      untilStopped = {
        ready: (out) => /http:\/\/127\.0\.0\.1:\d+/.test(out),
        probe: async (out) => {
          const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)![0];
          const { runs } = (await (await fetch(`${url}/api/runs`)).json()) as { runs: { id: string }[] };
          assert.ok(
            runs.some((r) => r.id === 'demo'),
            `${written}: /api/runs does not list the demo run: ${JSON.stringify(runs)}`,
          );
          assert.equal((await fetch(`${url}/`)).status, 200);
        },
        signal: 'SIGTERM',
      };
    else if (/ worker\b/.test(cmd)) untilStopped = { ready: (out) => /\bstart \S+ \(pid/.test(out), signal: 'SIGTERM' };
    else if (/--preset S5_MLP\b/.test(cmd) && / train\b/.test(cmd)) untilStopped = { ready: (out) => /epoch [1-9]\d*\//.test(out), signal: 'SIGINT' };
    const r = await run(cmd, dir, untilStopped);
    const shown = `README command: ${written}\n(ran: ${cmd})\nexit ${r.code} ${r.signal ?? ''}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
    if (untilStopped) {
      // a stopped command exits on its own after the signal (no orphan, nothing killed hard)
      assert.notEqual(r.signal, 'SIGKILL', shown);
      assert.ok(r.code === 0 || r.code === 130 || r.code === 143 || r.signal === untilStopped.signal, shown);
    } else assert.equal(r.code, 0, shown);
    assert.doesNotMatch(r.stderr, /\b(TypeError|ReferenceError|RangeError|at file:\/\/)/, shown);
    ran.push(written);
  }
  // what the README promises its first command leaves behind
  for (const f of ['runs/demo/metrics.csv', 'runs/demo/analysis.md', 'runs/demo/figures'])
    assert.ok(existsSync(join(dir, f)), `npm start left no ${f}`);
  assert.equal(ran.length, commands.length - 1);
});
