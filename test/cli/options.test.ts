import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandHelp, HELP_OPTION, parseCommand, type CommandSpec } from '../../src/cli/options.js';
import { UsageError } from '../../src/util/errors.js';

const SPEC: CommandSpec = {
  name: 'demo2',
  usage: ['RUN [options]'],
  description: 'A command for the test.',
  positionals: [{ name: 'RUN', help: 'a run folder' }],
  options: [
    { name: 'out', kind: 'string', arg: 'DIR', help: 'where to write', default: 'runs' },
    { name: 'jobs', kind: 'int', min: 1, max: 8, help: 'jobs at a time' },
    { name: 'lr', kind: 'number', accept: (x) => x > 0, expected: 'a number > 0', help: 'learning rate' },
    { name: 'format', kind: 'choice', choices: ['md', 'csv'], help: 'output format', default: 'md' },
    { name: 'tag', kind: 'string', repeatable: true, help: 'a tag; give it again for more' },
    { name: 'queue', kind: 'string', arg: 'URL', required: true, help: 'the queue' },
    { name: 'dry', kind: 'switch', help: 'do nothing' },
    HELP_OPTION,
  ],
  epilog: 'examples:\n  grokgroups demo2 runs/x --queue q',
};

test('parseCommand reads values, switches, repeats and positionals as the table says', () => {
  const p = parseCommand(SPEC, [
    'a',
    '--out',
    'o',
    '--jobs=3',
    '--lr',
    '1e-3',
    '--tag',
    'x',
    'b',
    '--tag=y',
    '--dry',
    '--queue',
    'q',
    '--format',
    'csv',
    '--',
    '--not-an-option',
  ]);
  assert.deepEqual(p.positionals, ['a', 'b', '--not-an-option']);
  assert.equal(p.string('out'), 'o');
  assert.equal(p.number('jobs'), 3);
  assert.equal(p.number('lr'), 0.001);
  assert.equal(p.string('format'), 'csv');
  assert.deepEqual(p.list('tag'), ['x', 'y']);
  assert.equal(p.switch('dry'), true);
  assert.equal(p.has('help'), false);
  assert.equal(p.string('missing'), undefined);
  // A value starting with "-" (not "--") is a value; with "=" anything is.
  assert.equal(parseCommand(SPEC, ['--queue', '-q']).string('queue'), '-q');
  assert.equal(parseCommand(SPEC, ['--queue=--q']).string('queue'), '--q');
  // A non-repeatable option given twice keeps its last value.
  assert.equal(parseCommand(SPEC, ['--queue', 'a', '--queue', 'b']).string('queue'), 'b');
  // --help (or -h) skips the required check.
  assert.equal(parseCommand(SPEC, ['-h']).help, true);
});

test('parseCommand: every error is a UsageError naming the command and the option', () => {
  const cases: [string[], RegExp][] = [
    [['--bogus'], /^unknown option "--bogus" for demo2: expected one of --out, --jobs, --lr, --format, --tag, --queue, --dry, --help$/],
    [['--bogus=1'], /^unknown option "--bogus" for demo2/],
    [['-x'], /^unknown option "-x" for demo2/],
    [['--out'], /^option "--out" for demo2 needs a value DIR/],
    [['--out', '--dry'], /^option "--out" for demo2 needs a value DIR/],
    [['--dry=1', '--queue', 'q'], /^option --dry for demo2 takes no value/],
    [['--jobs', '9', '--queue', 'q'], /^--jobs "9": expected an integer from 1 to 8$/],
    [['--jobs', '1.5', '--queue', 'q'], /^--jobs "1.5": expected an integer from 1 to 8$/],
    [['--lr', '0', '--queue', 'q'], /^--lr "0": expected a number > 0$/],
    [['--lr', 'abc', '--queue', 'q'], /^--lr "abc": expected a number > 0$/],
    [['--format', 'pdf', '--queue', 'q'], /^--format "pdf": expected one of md, csv$/],
    [['a'], /^demo2 needs --queue URL: the queue$/],
  ];
  for (const [args, re] of cases)
    assert.throws(
      () => parseCommand(SPEC, args),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      args.join(' '),
    );
});

test('commandHelp lists the usage, the arguments and every option with its placeholder, default and marks', () => {
  const h = commandHelp(SPEC);
  const lines = h.split('\n');
  assert.equal(lines[0], 'usage: grokgroups demo2 RUN [options]');
  assert.ok(lines.includes('arguments:') && lines.includes('options:'));
  assert.match(h, /^ {2}RUN +a run folder$/m);
  assert.match(h, /^ {2}--out DIR +where to write \(default runs\)$/m);
  assert.match(h, /^ {2}--jobs N +jobs at a time$/m);
  assert.match(h, /^ {2}--format md\|csv +output format \(default md\)$/m);
  assert.match(h, /^ {2}--tag VALUE +a tag; give it again for more \(repeatable\)$/m);
  assert.match(h, /^ {2}--queue URL +the queue \(required\)$/m);
  assert.match(h, /^ {2}-h, --help +show this help$/m);
  assert.ok(h.includes('\nexamples:\n  grokgroups demo2 runs/x --queue q\n'));
  // The last line names the version (as `grokgroups --version` prints it).
  assert.match(lines.at(-1)!, /^grokgroups \d+\.\d+\.\d+\S* \(grokgroups --version\); /);
  for (const l of lines) assert.ok(l.length <= 100, l);
});
