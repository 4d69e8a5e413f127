/**
 * readMemmonCommand follows memmon.py's getopt call exactly; parseByteSize is supervisor's byte_size.
 * When /usr/bin/python3 exists, seeded random corpora are compared with Python's getopt and with
 * supervisor's SuffixMultiplier (copied verbatim into the oracle script below).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { readMemmonCommand, parseByteSize, type MemmonCommand } from '../../../server/src/core/command/memmon';

function read(command: string): MemmonCommand {
  const m = readMemmonCommand(command);
  assert.ok(m, `not recognised as memmon: ${JSON.stringify(command)}`);
  return m;
}

test('-p / -g / -a with names, sizes and exact spans', () => {
  const command = '/home/allianceserver/venv/auth/bin/memmon -p worker_00=256MB -gmyauth=1GB --program worker_01=512MB --any=2gb -c';
  const m = read(command);
  assert.equal(m.executable, '/home/allianceserver/venv/auth/bin/memmon');
  assert.equal(command.slice(m.executableStart, m.executableEnd), m.executable);
  assert.equal(m.programs.length, 2);
  const [p0, p1] = m.programs;
  assert.deepEqual([p0.option, p0.spelling, p0.name, p0.size, p0.bytes], ['-p', '-p', 'worker_00', '256MB', 256 * 1024 * 1024]);
  assert.equal(command.slice(p0.start, p0.end), '-p worker_00=256MB');
  assert.equal(command.slice(p0.nameStart, p0.nameEnd), 'worker_00');
  assert.equal(command.slice(p0.sizeStart, p0.sizeEnd), '256MB');
  assert.equal(command.slice(p0.optionStart, p0.optionEnd), '-p');
  assert.deepEqual([p1.spelling, p1.name, p1.bytes], ['--program', 'worker_01', 512 * 1024 * 1024]);
  assert.equal(command.slice(p1.sizeStart, p1.sizeEnd), '512MB');
  const [g] = m.groups;
  assert.deepEqual([g.option, g.name, g.size, g.bytes], ['-g', 'myauth', '1GB', 1024 ** 3]);
  assert.equal(command.slice(g.nameStart, g.nameEnd), 'myauth');
  assert.equal(command.slice(g.start, g.end), '-gmyauth=1GB');
  assert.ok(m.any);
  assert.deepEqual([m.any.option, m.any.spelling, m.any.name, m.any.size, m.any.bytes], ['-a', '--any', undefined, '2gb', 2 * 1024 ** 3]);
  assert.equal(command.slice(m.any.sizeStart, m.any.sizeEnd), '2gb');
  assert.ok(m.cumulative);
  assert.equal(command.slice(m.cumulative.start, m.cumulative.end), '-c');
  assert.equal(m.endOffset, command.length);
  assert.equal(m.optionError, undefined);
  assert.equal(m.noArguments, false);
});

test('getopt details: combined flags, unique long prefixes, --groupname rejected, stop at first positional', () => {
  const c = read('memmon -cp w=1MB --prog=x=2MB --gro=g=3MB --sendmail=/usr/sbin/sendmail -m a@b.c -u 2d -n label -h');
  assert.ok(c.cumulative);
  assert.deepEqual(c.programs.map((p) => [p.spelling, p.name, p.bytes]), [
    ['-p', 'w', 1024 * 1024],
    ['--prog', 'x', 2 * 1024 * 1024],
  ]);
  assert.deepEqual(c.groups.map((g) => [g.spelling, g.name]), [['--gro', 'g']]);
  assert.deepEqual(c.others.map((o) => [o.option, o.long, o.value ?? null]), [
    ['-s', 'sendmail_program', '/usr/sbin/sendmail'],
    ['-m', 'email', 'a@b.c'],
    ['-u', 'uptime', '2d'],
    ['-n', 'name', 'label'],
    ['-h', 'help', null],
  ]);

  const bad = read('memmon -p a=1MB --groupname=x=1MB -p b=1MB');
  assert.equal(bad.optionError?.message, 'option --groupname not recognized');
  assert.equal(bad.programs.length, 1, 'nothing after the error is parsed');
  assert.equal(read('memmon --=x').optionError?.message, 'option -- not a unique prefix');
  assert.equal(read('memmon -x').optionError?.message, 'option -x not recognized');
  assert.equal(read('memmon -p').optionError?.message, 'option -p requires argument');
  assert.equal(read('memmon --cumulative=1').optionError?.message, 'option --cumulative must not have an argument');

  const stop = 'memmon -p a=1MB extra -p b=1MB';
  const s = read(stop);
  assert.equal(s.programs.length, 1);
  assert.deepEqual(s.ignoredArgs.map((a) => a.text), ['extra', '-p', 'b=1MB']);
  assert.equal(stop.slice(0, s.endOffset), 'memmon -p a=1MB');
  assert.equal(read('memmon').noArguments, true);
  assert.equal(read('memmon').endOffset, 'memmon'.length);
  assert.deepEqual(read('memmon -- -p x=1').ignoredArgs.map((a) => a.text), ['-p', 'x=1']);
});

test('malformed pairs and bad sizes', () => {
  const m = read('memmon -p worker -p a=b=c -p w=256M -p w=256 -g g=1.5GB -a 256MiB');
  const [noEq, twoEq, m256M, bytes256] = m.programs;
  assert.equal(noEq.malformed, true);
  assert.equal(noEq.name, undefined);
  assert.equal(twoEq.malformed, true);
  assert.equal(m256M.bytes, undefined);
  assert.equal(bytes256.bytes, 256);
  assert.equal(m.groups[0].bytes, undefined);
  assert.equal(m.any?.bytes, undefined);
  // an empty name is accepted by memmon
  assert.equal(read('memmon -p =1KB').programs[0].name, '');
});

test('memmon shapes: python -m superlance.memmon, env, bash -c, %(ENV_VENV)s, quoted values', () => {
  const py = read('/venv/bin/python -m superlance.memmon -p w=1MB');
  assert.equal(py.viaPythonM, true);
  assert.equal(py.programs[0].name, 'w');
  assert.equal(read('%(ENV_VENV)s/bin/memmon -a 1GB').any?.bytes, 1024 ** 3);
  const command = `bash -c "exec %(here)s/venv/bin/memmon -p 'worker_00=256MB' -c"`;
  const b = read(command);
  assert.equal(b.viaShell && b.shellExec, true);
  const p = b.programs[0];
  assert.equal(command.slice(p.nameStart, p.nameEnd), "'worker_00");
  assert.equal(command.slice(p.sizeStart, p.sizeEnd), "256MB'");
  assert.equal(command.slice(p.start, p.end), "-p 'worker_00=256MB'");
  assert.equal(command.slice(0, b.endOffset), `bash -c "exec %(here)s/venv/bin/memmon -p 'worker_00=256MB' -c`);
  assert.equal(readMemmonCommand('celery -A proj worker'), undefined);
  assert.equal(readMemmonCommand('memmonx -p a=1'), undefined);
  assert.equal(readMemmonCommand(undefined as unknown as string), undefined);
});

test('parseByteSize is supervisor byte_size', () => {
  const cases: [string, number | undefined][] = [
    ['256MB', 256 * 1024 * 1024],
    ['256mb', 256 * 1024 * 1024],
    ['1kb', 1024],
    ['2GB', 2 * 1024 ** 3],
    ['1024', 1024],
    ['256 MB', 256 * 1024 * 1024],
    [' 256MB', 256 * 1024 * 1024],
    ['256MB ', undefined],
    ['256 ', 256],
    ['-5MB', -5 * 1024 * 1024],
    ['+5kb', 5 * 1024],
    ['1_000', 1000],
    ['1__0', undefined],
    ['_1', undefined],
    ['0010', 10],
    ['256M', undefined],
    ['1.5GB', undefined],
    ['256MiB', undefined],
    ['1TB', undefined],
    ['B', undefined],
    ['MB', undefined],
    ['', undefined],
    ['٣KB', 3 * 1024],
    ['5\u212aB', 5 * 1024],
  ];
  for (const [input, expected] of cases) assert.equal(parseByteSize(input), expected, JSON.stringify(input));
  assert.equal(parseByteSize(undefined as unknown as string), undefined);
});

const PYTHON = '/usr/bin/python3';
const noPython = fs.existsSync(PYTHON) ? undefined : `${PYTHON} not found`;

function lcg(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

test('memmon option parsing agrees with Python getopt on a seeded random corpus', { skip: noPython }, () => {
  const pool = ['-p', '-pworker=1MB', '--prog', '--program=x', '--group=a=1', '--groupname=x', '-c', '-cp', '-h', '--cum', '--c=', '--', '-', 'foo', 'a=1MB', '-x', '--=x', '--s', '-a', '--any', '-ca5', '--sendmail=/usr/bin/x', '-u', '--e', '--help', '--help=', '-ppp', '"-p"', "'--name'", '-n', '--p=a=b=c', '-gx'];
  const rnd = lcg(99);
  const cases: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const a = ['memmon'];
    const n = rnd(6);
    for (let j = 0; j < n; j++) a.push(pool[rnd(pool.length)]);
    cases.push(a.join(' '));
  }
  const py = [
    'import sys, json, getopt, shlex',
    'out = []',
    'for s in json.load(sys.stdin):',
    '    argv = shlex.split(s)[1:]',
    '    try:',
    '        opts, args = getopt.getopt(argv, "hcp:g:a:s:m:n:u:", ["help", "cumulative", "program=", "group=", "any=", "sendmail_program=", "email=", "uptime=", "name="])',
    '        out.append({"opts": opts, "args": args})',
    '    except getopt.GetoptError as e:',
    '        out.append({"err": str(e)})',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', py], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(run.status, 0, run.stderr);
  const expected = JSON.parse(run.stdout) as { opts?: [string, string][]; args?: string[]; err?: string }[];
  cases.forEach((s, i) => {
    const m = read(s);
    const e = expected[i];
    if (e.err !== undefined) {
      assert.equal(m.optionError?.message, e.err, s);
      return;
    }
    assert.equal(m.optionError, undefined, s);
    assert.deepEqual(
      m.all.map((o) => [o.spelling.startsWith('--') ? '--' + o.long : o.option, o.value ?? '']),
      e.opts,
      s,
    );
    assert.deepEqual(m.ignoredArgs.map((a) => a.text), e.args, s);
  });
});

test('parseByteSize agrees with supervisor SuffixMultiplier on a seeded random corpus', { skip: noPython }, () => {
  const alpha = ['1', '2', '0', '9', ' ', '\t', 'k', 'K', 'm', 'M', 'g', 'G', 'b', 'B', '_', '-', '+', '.', '٣', '\u00a0', '\u3000', '\u212a', 'x', '\x1c', '１', '\u0085', '\u2028'];
  const rnd = lcg(4242);
  const cases: string[] = [];
  for (let i = 0; i < 5000; i++) {
    let s = '';
    const n = 1 + rnd(7);
    for (let j = 0; j < n; j++) s += alpha[rnd(alpha.length)];
    cases.push(s);
  }
  const py = [
    'import sys, json',
    'class SuffixMultiplier:',
    '    def __init__(self, d, default=1):',
    '        self._d = d; self._default = default; self._keysz = 2',
    '    def __call__(self, v):',
    '        v = v.lower()',
    '        for s, m in self._d.items():',
    '            if v[-self._keysz:] == s:',
    '                return int(v[:-self._keysz]) * m',
    '        return int(v) * self._default',
    "byte_size = SuffixMultiplier({'kb': 1024, 'mb': 1024*1024, 'gb': 1024*1024*1024})",
    'out = []',
    'for s in json.load(sys.stdin):',
    '    try: out.append(byte_size(s))',
    '    except ValueError: out.append(None)',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', py], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(run.status, 0, run.stderr);
  const expected = JSON.parse(run.stdout) as (number | null)[];
  cases.forEach((s, i) => assert.equal(parseByteSize(s), expected[i] ?? undefined, JSON.stringify(s)));
});

test('memmon parsing never throws and stays fast on hostile input', () => {
  const t0 = Date.now();
  for (const s of ['memmon ' + '-c'.repeat(50000), 'memmon -p' + 'x'.repeat(200000), 'memmon ' + '--p=a=1 '.repeat(20000), 'memmon "' + 'a'.repeat(100000)]) {
    const m = readMemmonCommand(s);
    assert.ok(m);
  }
  assert.ok(Date.now() - t0 < 3000);
  assert.equal(parseByteSize('9'.repeat(100000)), Infinity);
});
