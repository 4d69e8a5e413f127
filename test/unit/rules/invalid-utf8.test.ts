/** invalid-utf8: the first bytes supervisor's Python cannot decode, where a caller read the bytes (the CLI). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { analyzeText } from '../../../server/src/core/analyze';
import { decodeUtf8 } from '../../../server/src/core/model/utf8';
import { textAt } from '../../support/rules';

const CODE = 'invalid-utf8';
const PYTHON = '/usr/bin/python3';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

function found(file: Buffer) {
  const { text, utf8Error } = decodeUtf8(file);
  return { text, findings: analyzeText(text, undefined, undefined, undefined, undefined, utf8Error).findings.filter((f) => f.code === CODE) };
}

test('catches the first byte that is not UTF-8, as an error saying what supervisord says and how to fix it', () => {
  const { text, findings } = found(bytes('[supervisord]\nlogfile=/tmp/sd.log\n[program:x]\ncommand=/bin/echo caf', [0xe9], '\n; and caf', [0xe9], '\n'));
  assert.equal(findings.length, 1, 'the first only: supervisord stops there');
  const [f] = findings;
  assert.deepEqual(f.range, { start: { line: 3, character: 21 }, end: { line: 3, character: 22 } });
  assert.equal(textAt(text, f), '\ufffd');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /^This byte \(0xE9\) is not UTF-8.*"Error: 'utf-8' codec can't decode byte 0xe9 in position …: invalid continuation byte".*save it as UTF-8/);
  assert.match(f.message, /supervisord and supervisorctl stop/);
  // supervisorctl reads only the main file: in a fragment, only supervisord stops (found by a new-rules hunt).
  const fragment = found(bytes('[program:x]\ncommand=/bin/echo caf', [0xe9], '\n')).findings[0];
  assert.match(fragment.message, /supervisor reads its config as UTF-8: supervisord stops with/);
});

test('positions count UTF-16 code units of the decoded text: a byte order mark, a U+FFFD written as UTF-8, letters and emoji before it', () => {
  const { findings: [f] } = found(bytes([0xef, 0xbb, 0xbf], '[program:x]\ncommand=/bin/echo \ufffd caf\u00e9 \u{1f600} ', [0x80], '\n'));
  assert.deepEqual(f.range.start, { line: 1, character: 28 }, 'command=/bin/echo is 18, U+FFFD and a space 2, café and a space 5, the emoji (two units) and a space 3');
  assert.match(f.message, /byte 0x80 in position …: invalid start byte/);
  const { findings: [cut] } = found(bytes('[program:x]\r\ncommand=/bin/cat\r\n; ', [0xe2, 0x82]));
  assert.deepEqual(cut.range.start, { line: 2, character: 2 });
  assert.match(cut.message, /can't decode bytes in position …: unexpected end of data/);
});

test('does not catch valid UTF-8 (a U+FFFD written as UTF-8 too), nor without the bytes (an editor sends decoded text)', () => {
  assert.deepEqual(found(bytes('[program:x]\ncommand=/bin/echo caf\u00e9 \ufffd \u{1f600}\n')).findings, []);
  assert.equal(decodeUtf8(bytes('[program:x]\n')).utf8Error, undefined);
  const text = decodeUtf8(bytes('[program:x]\ncommand=/bin/echo caf', [0xe9], '\n')).text;
  assert.deepEqual(analyzeText(text).findings.filter((f) => f.code === CODE), []);
});

test('is a rule as others are: off in the settings, or with a suppression comment', () => {
  const { text, utf8Error } = decodeUtf8(bytes('; supervisor-lint: disable-file=invalid-utf8 -- supervisord runs under a Latin-1 locale\n[program:x]\ncommand=/bin/echo caf', [0xe9], '\n'));
  assert.deepEqual(analyzeText(text, undefined, undefined, undefined, undefined, utf8Error).findings, [], 'suppressed, and the suppression is used');
  const plain = decodeUtf8(bytes('[program:x]\ncommand=/bin/echo caf', [0xe9], '\n'));
  const off = { ...analyzeText('').settings, rules: { [CODE]: 'off' as const } };
  assert.deepEqual(analyzeText(plain.text, off, undefined, undefined, undefined, plain.utf8Error).findings, []);
});

test('finds the bytes, the byte and the reason Python names, for every kind of bad sequence', { skip: !fs.existsSync(PYTHON) && `${PYTHON} not found` }, () => {
  // Sequences around every boundary of UTF-8's table (overlong, surrogates, past U+10FFFF, cut short), among ASCII and good letters.
  const pieces = [[0x41], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0x80], [0xbf], [0xc0], [0xc1], [0xc2], [0xdf], [0xe0], [0xe0, 0x9f], [0xe0, 0xa0], [0xed, 0x9f], [0xed, 0xa0], [0xef, 0xbf], [0xf0, 0x8f], [0xf0, 0x90, 0x80], [0xf4, 0x8f], [0xf4, 0x90], [0xf5], [0xff], [0x0a]];
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const cases = Array.from({ length: 400 }, () => Buffer.from(Array.from({ length: 1 + random(6) }, () => pieces[random(pieces.length)]).flat()));
  const python = spawnSync(PYTHON, ['-c', 'import sys,json\nfor h in sys.stdin.read().split():\n  try:\n    bytes.fromhex(h).decode("utf-8"); print("ok")\n  except UnicodeDecodeError as e: print(e)'], {
    input: cases.map((c) => c.toString('hex')).join('\n'),
    encoding: 'utf8',
  });
  const expected = python.stdout.trim().split('\n');
  cases.forEach((c, i) => {
    const e = decodeUtf8(c).utf8Error;
    let ours = 'ok';
    if (e) {
      // The byte offset Python names: where the decoded text before it came from.
      const at = Buffer.from(decodeUtf8(c).text.slice(0, e.offset)).length;
      ours = `'utf-8' codec can't decode ${e.length === 1 ? `byte 0x${e.byte.toString(16).padStart(2, '0')} in position ${at}` : `bytes in position ${at}-${at + e.length - 1}`}: ${e.reason}`;
    }
    assert.equal(ours, expected[i], c.toString('hex'));
  });
});
