// The built CLI's top level (`npm test` builds first): --version, and every command's --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMMANDS } from '../../src/cli/main.js';
import { packageRoot } from '../../src/runs/package-root.js';

const root = packageRoot();
const BIN = join(root, 'bin', 'grokgroups.js');
const VERSION = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('grokgroups --version and -V print "grokgroups <package.json version>" and exit 0', () => {
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
  for (const flag of ['--version', '-V']) {
    const r = cli(flag);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `grokgroups ${VERSION}\n`);
    assert.equal(r.stderr, '');
  }
});

test('grokgroups --help lists every command and mentions --version; no help text cites REFERENCE (not in the repo)', () => {
  const top = cli('--help');
  assert.equal(top.code, 0, top.stderr);
  assert.match(top.stdout, /`grokgroups --version`/);
  for (const name of COMMANDS) assert.match(top.stdout, new RegExp(`^ {2}${name} +\\S`, 'm'));
  assert.doesNotMatch(top.stdout, /REFERENCE/);
  for (const name of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      const r = cli(name, flag);
      assert.equal(r.code, 0, `${name} ${flag}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: grokgroups ${name}\\b`), name);
      assert.doesNotMatch(r.stdout + r.stderr, /REFERENCE/, `${name} ${flag} cites REFERENCE, which is not in the repo`);
      // The last line names the version, as --version prints it.
      assert.ok(
        r.stdout.trimEnd().split('\n').at(-1)!.startsWith(`grokgroups ${VERSION} (grokgroups --version)`),
        `${name}: ${r.stdout.slice(-200)}`,
      );
    }
  }
});

/** The command modules (src/cli/commands/*.js) the CLI imports for `args`, seen by a module resolve hook. */
function commandModulesLoaded(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'gg-hooks-'));
  try {
    const log = join(dir, 'resolved.txt');
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`,
    );
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const urls = readFileSync(log, 'utf8').split('\n');
    assert.ok(
      urls.some((u) => u.endsWith('/dist/src/cli/main.js')),
      'the hook saw the CLI load',
    );
    return [
      ...new Set(urls.map((u) => /\/dist\/src\/cli\/commands\/([a-z-]+)\.js$/.exec(u)?.[1]).filter((n): n is string => n !== undefined)),
    ].sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('grokgroups --help and --version import no command module; a command imports only its own (startup stays quick)', () => {
  assert.deepEqual(commandModulesLoaded(['--help']), []);
  assert.deepEqual(commandModulesLoaded(['--version']), []);
  assert.deepEqual(commandModulesLoaded(['irreps', '--help']), ['irreps']);
  assert.deepEqual(commandModulesLoaded(['serve', '--help']), ['serve']);
});
