/**
 * splitArgv must split exactly like supervisor's `shlex.split(command)` (posix, no comments,
 * whitespace_split) and remember where every character came from. Expected values were produced with
 * Python 3.11's shlex; when /usr/bin/python3 exists a seeded random corpus is also compared live.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { splitArgv, tokenTextRange, tokenBoundary, type ArgvResult } from '../../../server/src/core/command/argv';
import { splitShell } from '../../../server/src/core/command/shell';

const texts = (r: ArgvResult): string[] => r.tokens.map((t) => t.text);

/** Every text character must come from the recorded raw offset, in order, inside the token span. */
function assertOffsetsConsistent(s: string, r: ArgvResult): void {
  let prevEnd = 0;
  for (const tok of r.tokens) {
    assert.equal(tok.offsets.length, tok.text.length);
    assert.ok(tok.start >= prevEnd && tok.end > tok.start && tok.end <= s.length);
    for (let k = 0; k < tok.text.length; k++) {
      assert.equal(s[tok.offsets[k]], tok.text[k], `char ${k} of ${JSON.stringify(tok.text)} in ${JSON.stringify(s)}`);
      assert.ok(tok.offsets[k] >= tok.start && tok.offsets[k] < tok.end);
      if (k > 0) assert.ok(tok.offsets[k] > tok.offsets[k - 1]);
    }
    prevEnd = tok.end;
  }
}

// [input, expected tokens or 'ERR <message>'] — outputs from Python 3.11 shlex.split.
const CASES: [string, string[] | string][] = [
  ['celery -A proj worker', ['celery', '-A', 'proj', 'worker']],
  ['--x="a b"c', ['--x=a bc']],
  ["a '' b", ['a', '', 'b']],
  ['""', ['']],
  [String.raw`\"\\\"`, ['"\\"']],
  [String.raw` "a\nb" 'c\nd' e\nf `, [String.raw`a\nb`, String.raw`c\nd`, 'enf']],
  [String.raw`a\ b`, ['a b']],
  ['a\tb\nc\rd', ['a', 'b', 'c', 'd']],
  [String.raw`"a\"b" "a\\b" "a\$b" "a\b" `, ['a"b', 'a\\b', 'a\\$b', 'a\\b']],
  [String.raw`'a\'`, ['a\\']],
  [`x""''y`, ['xy']],
  ['%(ENV_VENV)s/bin/celery -n %%h@%(program_name)s', ['%(ENV_VENV)s/bin/celery', '-n', '%%h@%(program_name)s']],
  ['"unclosed', 'ERR No closing quotation'],
  ["'a", 'ERR No closing quotation'],
  ['abc\\', 'ERR No escaped character'],
  ['"abc\\', 'ERR No escaped character'],
  [`a "b" 'c'`, ['a', 'b', 'c']],
  ['-l"info" ', ['-linfo']],
  ['ünï cödé 𝄞x', ['ünï', 'cödé', '𝄞x']],
  ['a\\\nb', ['a\nb']],
  ["a 'b c' d", ['a', 'b c', 'd']],
  ['#x y', ['#x', 'y']],
  ['a;b && c', ['a;b', '&&', 'c']],
  ['', []],
  ['   \n\t ', []],
];

test('splitArgv matches Python shlex.split on hand-picked cases', () => {
  for (const [input, expected] of CASES) {
    const r = splitArgv(input);
    if (typeof expected === 'string') {
      assert.ok(r.error, `expected an error for ${JSON.stringify(input)}`);
      assert.equal('ERR ' + r.error.message, expected, JSON.stringify(input));
    } else {
      assert.equal(r.error, undefined, JSON.stringify(input));
      assert.deepEqual(texts(r), expected, JSON.stringify(input));
    }
    assertOffsetsConsistent(input, r);
  }
});

test('errors keep the tokens parsed before them and point at the culprit', () => {
  const s = 'celery -A proj worker -l "info';
  const r = splitArgv(s);
  assert.deepEqual(texts(r), ['celery', '-A', 'proj', 'worker', '-l']);
  assert.deepEqual(r.error, { message: 'No closing quotation', offset: s.indexOf('"') });

  const s2 = 'celery worker -n x\\';
  const r2 = splitArgv(s2);
  assert.deepEqual(texts(r2), ['celery', 'worker', '-n']);
  assert.deepEqual(r2.error, { message: 'No escaped character', offset: s2.length - 1 });

  // Inside double quotes a trailing backslash is 'No escaped character' too (shlex checks the escape first).
  const r3 = splitArgv('a "b\\');
  assert.equal(r3.error?.message, 'No escaped character');
  assert.equal(r3.error?.offset, 4);
});

test('token spans include quotes; offsets point at the characters', () => {
  const s = `celery --x="a b"c 'q' \\$y`;
  const r = splitArgv(s);
  const [, x, q, y] = r.tokens;
  assert.equal(s.slice(x.start, x.end), '--x="a b"c');
  assert.equal(x.text, '--x=a bc');
  assert.equal(s.slice(q.start, q.end), "'q'");
  assert.equal(q.text, 'q');
  assert.equal(q.offsets[0], s.indexOf("'q'") + 1);
  assert.equal(s.slice(y.start, y.end), '\\$y');
  assert.equal(y.offsets[0], s.indexOf('$'));
});

test('tokenTextRange tiles the raw token: leading quotes go with the first character, closing ones with the end', () => {
  const s = `--loglevel="INFO" -l'info' "--pool"=gevent \\$HOME`;
  const [a, b, c, d] = splitArgv(s).tokens;
  const sl = (r: { start: number; end: number }): string => s.slice(r.start, r.end);
  assert.equal(sl(tokenTextRange(a, 0, 10)), '--loglevel');
  assert.equal(sl(tokenTextRange(a, 11, a.text.length)), '"INFO"');
  assert.equal(sl(tokenTextRange(b, 0, 2)), '-l');
  assert.equal(sl(tokenTextRange(b, 2, b.text.length)), "'info'");
  assert.equal(sl(tokenTextRange(c, 0, 6)), '"--pool');
  assert.equal(sl(tokenTextRange(c, 7, c.text.length)), 'gevent');
  assert.equal(sl(tokenTextRange(d, 0, d.text.length)), '\\$HOME');
  assert.equal(sl(tokenTextRange(d, 1, 5)), 'HOME');
  // empty ranges and clamping
  assert.deepEqual(tokenTextRange(a, a.text.length, a.text.length), { start: a.end, end: a.end });
  assert.deepEqual(tokenTextRange(a, -5, 999), { start: a.start, end: a.end });
  assert.deepEqual(tokenTextRange(a, 5, 2), tokenTextRange(a, 5, 5));
  assert.deepEqual(tokenTextRange(a, Number.NaN, Number.NaN), { start: a.start, end: a.end });
  // boundaries are monotonic and tile the token
  for (const tok of [a, b, c, d]) {
    for (let k = 0; k < tok.text.length; k++) assert.ok(tokenBoundary(tok, k) <= tokenBoundary(tok, k + 1));
    assert.equal(tokenBoundary(tok, 0), tok.start);
    assert.equal(tokenBoundary(tok, tok.text.length), tok.end);
  }
});

test('splitArgv never throws and is linear on big or hostile input', () => {
  assert.deepEqual(splitArgv(undefined as unknown as string), { tokens: [] });
  const big = 'celery -A proj worker '.repeat(20000) + '"' + 'x\\"'.repeat(50000) + '"' + "'".repeat(10001);
  const t0 = Date.now();
  const r = splitArgv(big);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(r.error?.message, 'No closing quotation');
  const t1 = Date.now();
  splitArgv('\\'.repeat(200001));
  splitArgv(' '.repeat(200000));
  splitArgv('"'.repeat(200000));
  assert.ok(Date.now() - t1 < 2000);
});

test('splitShell: operators, redirections and substitutions in bash -c scripts', () => {
  const r = splitShell(`cd /x&&A=1 exec celery -l "info" 2>&1 | tee "$(date +%F) log";echo \`a b\` \${X:-y z}\nnext`);
  assert.equal(r.error, undefined);
  assert.deepEqual(
    r.tokens.map((t) => (t.op ? `<${t.op}:${t.text}>` : t.text)),
    ['cd', '/x', '<control:&&>', 'A=1', 'exec', 'celery', '-l', 'info', '<redirect:2>&>', '1', '<control:|>', 'tee', '$(date +%F) log', '<control:;>', 'echo', '`a b`', '${X:-y z}', '<control:\n>', 'next'],
  );
  assert.equal(splitShell(`echo 'x`).error?.message, 'No closing quotation');
  assert.deepEqual(
    splitShell('%(ENV_VENV)s/bin/celery -n %(program_name)s_%(process_num)02d@%%h;x').tokens.map((t) => t.text),
    ['%(ENV_VENV)s/bin/celery', '-n', '%(program_name)s_%(process_num)02d@%%h', ';', 'x'],
  );
  assert.deepEqual(
    splitShell('a\\\nb "c\\\nd" # comment\ne').tokens.map((t) => t.text),
    ['ab', 'cd', '\n', 'e'],
  );
});

const PYTHON = '/usr/bin/python3';
const noPython = fs.existsSync(PYTHON) ? undefined : `${PYTHON} not found`;

test('splitArgv agrees with Python shlex on a seeded random corpus', { skip: noPython }, () => {
  const alphabet = ['a', 'b', ' ', '\t', '\n', '"', "'", '\\', '=', '-', '%', '(', ')', 'é', '\r', '𝄞'];
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const cases: string[] = [];
  for (let i = 0; i < 4000; i++) {
    let s = '';
    const n = 1 + rnd(14);
    for (let j = 0; j < n; j++) s += alphabet[rnd(alphabet.length)];
    cases.push(s);
  }
  const py = [
    'import sys, json, shlex',
    'out = []',
    'for s in json.load(sys.stdin):',
    '    try: out.append({"t": shlex.split(s)})',
    '    except ValueError as e: out.append({"e": str(e)})',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', py], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(run.status, 0, run.stderr);
  const expected = JSON.parse(run.stdout) as { t?: string[]; e?: string }[];
  cases.forEach((s, i) => {
    const got = splitArgv(s);
    const e = expected[i];
    if (e.e !== undefined) assert.equal(got.error?.message, e.e, JSON.stringify(s));
    else {
      assert.equal(got.error, undefined, JSON.stringify(s));
      assert.deepEqual(texts(got), e.t, JSON.stringify(s));
    }
    assertOffsetsConsistent(s, got);
  });
});
