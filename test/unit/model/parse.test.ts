/** Focused cases for the configparser-faithful model; the differential test covers the rest against supervisor itself. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineCommentStart, parse } from '../../../server/src/core/model/parse';
import { lineText, positionToValueOffset, valueOffsetToPosition, valueSpanToRange } from '../../../server/src/core/model/document';

test('inline comments start only after whitespace, with configparser round order', () => {
  assert.equal(inlineCommentStart('a ;b'), 2);
  assert.equal(inlineCommentStart('a;b'), -1);
  assert.equal(inlineCommentStart('http://x/#frag'), -1);
  assert.equal(inlineCommentStart('a#b #c ;d'), 7); // the ';' round wins over the earlier ' #'
  assert.equal(inlineCommentStart('; whole line'), 0);
  assert.equal(inlineCommentStart('x\u00a0;y'), 2); // any Python whitespace counts
});

test('sections carry kind, label and exact ranges', () => {
  const doc = parse('[program:worker]\ncommand=celery\n');
  const s = doc.sections[0];
  assert.equal(s.name, 'program:worker');
  assert.equal(s.kind, 'program');
  assert.equal(s.label, 'worker');
  assert.deepEqual(s.headerRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 16 } });
  assert.deepEqual(s.nameRange, { start: { line: 0, character: 1 }, end: { line: 0, character: 15 } });
  assert.equal(doc.sections[0].endLine, 2);
});

test('entries: lower-cased keys, raw key kept, value ranges exclude comments and spaces', () => {
  const doc = parse('[program:a]\n  AutoStart = true   ; yes\n');
  const e = doc.sections[0].entries[0];
  assert.equal(e.key, 'autostart');
  assert.equal(e.rawKey, 'AutoStart');
  assert.equal(e.value, 'true');
  assert.deepEqual(e.keyRange, { start: { line: 1, character: 2 }, end: { line: 1, character: 11 } });
  assert.deepEqual(e.valueRange, { start: { line: 1, character: 14 }, end: { line: 1, character: 18 } });
  assert.equal(doc.comments[0].text, '; yes');
  assert.equal(doc.comments[0].inline, true);
});

test('a comment knows its line without its columns, on every line ending', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const doc = parse(['; top', '[program:a]', 'user=x ; inline', '', '  # indented'].join(eol));
    assert.deepEqual(doc.comments.map((c) => c.line), [0, 2, 4], JSON.stringify(eol));
    assert.deepEqual(doc.comments.map((c) => c.line), doc.comments.map((c) => c.range.start.line));
  }
});

test('continuation lines join with newlines and map back to their positions', () => {
  const doc = parse('[program:a]\ncommand=celery -A p worker\n    -l info ; level\n\n    -c 4\nuser=x\n');
  const e = doc.sections[0].entries[0];
  assert.equal(e.value, 'celery -A p worker\n-l info\n\n-c 4');
  const at = e.value.indexOf('-c 4');
  assert.deepEqual(valueOffsetToPosition(e, at), { line: 4, character: 4 });
  assert.equal(positionToValueOffset(e, { line: 4, character: 4 }), at);
  assert.deepEqual(valueSpanToRange(e, e.value.indexOf('info'), e.value.indexOf('info') + 4), {
    start: { line: 2, character: 7 },
    end: { line: 2, character: 11 },
  });
  assert.deepEqual(e.valueRange.end, { line: 4, character: 8 });
});

test('multiLineEntries lists the entries with continuation lines, once each, in file order', () => {
  const doc = parse('[program:a]\ncommand=x\n  -a\n  -b\nuser=u\n[program:b]\nenvironment=\n  A="1",\n  B="2"\nnumprocs=1\n');
  assert.deepEqual(doc.multiLineEntries.map((e) => `${e.key}@${e.keyRange.start.line}`), ['command@1', 'environment@6']);
  assert.deepEqual(parse('[a]\nx=1\ny=2\n').multiLineEntries, []);
});

test('text before the first section makes the file unreadable, reported once', () => {
  const doc = parse('command=x\nmore=y\n[program:a]\ncommand=z\n');
  assert.equal(doc.unreadable, true);
  assert.deepEqual(doc.problems.map((p) => [p.code, p.range.start.line]), [['missing-section-header', 0]]);
});

test('a line without = or : is a parse error; comments and blank lines are not', () => {
  const doc = parse('[program:a]\n; note\n# note\n\nnonsense here\n');
  assert.deepEqual(doc.problems.map((p) => [p.code, p.severity, p.range.start.line]), [['invalid-line', 'error', 4]]);
});

test('duplicate sections and keys are warnings and later values win', () => {
  const doc = parse('[program:a]\ncommand=1\ncommand=2\n[program:a]\ncommand=3\n');
  assert.deepEqual(doc.problems.map((p) => [p.code, p.severity, p.range.start.line]), [
    ['duplicate-key', 'warning', 2],
    ['duplicate-section', 'warning', 3],
    ['duplicate-key', 'warning', 4],
  ]);
  assert.equal(doc.sections[1].duplicateOf, 0);
});

test('a byte order mark is an error: supervisor reads it as text before the first header', () => {
  const doc = parse('\ufeff[supervisord]\n');
  assert.equal(doc.unreadable, true);
  assert.deepEqual(doc.problems.map((p) => p.code), ['utf8-bom']);
  assert.equal(doc.sections[0].name, 'supervisord');
  assert.equal(doc.sections[0].headerRange.start.character, 1);
});

test('line endings: CRLF and CR split lines like LSP, and the dominant one is remembered', () => {
  const crlf = parse('[a]\r\nb=1\r\nc=2\r\n');
  assert.equal(crlf.eol, '\r\n');
  assert.equal(crlf.sections[0].entries[1].range.start.line, 2);
  assert.equal(lineText(crlf, 1), 'b=1');
  const cr = parse('[a]\rb=1\r');
  assert.equal(cr.eol, '\r');
  assert.equal(cr.sections[0].entries[0].value, '1');
});

test('positions count UTF-16 code units', () => {
  const doc = parse('[program:x]\ncommand=echo \u{1F600} -l info\n');
  const e = doc.sections[0].entries[0];
  const i = e.value.indexOf('-l');
  assert.equal(valueOffsetToPosition(e, i).character, 8 + 'echo '.length + 2 + 1);
});

test('never throws on hostile input', () => {
  for (const text of ['', '\0', '[', ']', '[]', '=', ':', '\r\r\n\n', '[a]\n\t\t\t', '%('.repeat(1000), '\ud800[a]']) {
    assert.doesNotThrow(() => parse(text));
  }
});

test('entries read the same whether or not their columns and section index fit the packed form', () => {
  // Indents, gaps around the separator and key cases on both sides of the packing limits.
  const lines: string[] = [];
  const expected: { key: string; rawKey: string; keyStart: number; delim: number; valueStart: number; sep: string }[] = [];
  let n = 0;
  for (const indent of [0, 3, 15, 16, 40]) {
    lines.push(`[program:p${n++}]`);
    for (const keyGap of [0, 1, 31, 32]) {
      for (const valueGap of [0, 7, 8]) {
        for (const sep of ['=', ':']) {
          const rawKey = keyGap === 1 ? `Key${expected.length}` : `key${expected.length}`;
          const line = `${' '.repeat(indent)}${rawKey}${' '.repeat(keyGap)}${sep}${' '.repeat(valueGap)}v${expected.length}`;
          lines.push(line);
          expected.push({ key: rawKey.toLowerCase(), rawKey, keyStart: indent, delim: indent + rawKey.length + keyGap, valueStart: indent + rawKey.length + keyGap + 1 + valueGap, sep });
        }
      }
    }
  }
  const doc = parse(lines.join('\n'));
  const entries = doc.sections.flatMap((s) => s.entries);
  assert.equal(entries.length, expected.length);
  entries.forEach((e, i) => {
    const x = expected[i];
    const line = e.keyRange.start.line;
    assert.equal(e.key, x.key);
    assert.equal(e.rawKey, x.rawKey);
    assert.equal(e.separator, x.sep);
    assert.deepEqual(e.keyRange, { start: { line, character: x.keyStart }, end: { line, character: x.keyStart + x.rawKey.length } });
    assert.deepEqual(e.separatorRange, { start: { line, character: x.delim }, end: { line, character: x.delim + 1 } });
    assert.deepEqual(e.valueRange, { start: { line, character: x.valueStart }, end: { line, character: x.valueStart + e.value.length } });
    assert.equal(doc.sections[e.sectionIndex].entries.includes(e), true);
  });
  // More sections than the packed section index holds.
  const many = parse(Array.from({ length: 70000 }, (_, i) => `[s${i}]\nk = v${i}`).join('\n'));
  for (const i of [0, 65535, 65536, 69999]) {
    const e = many.sections[i].entries[0];
    assert.equal(e.sectionIndex, i);
    assert.equal(e.value, `v${i}`);
    assert.deepEqual(e.valueRange, { start: { line: 2 * i + 1, character: 4 }, end: { line: 2 * i + 1, character: 4 + e.value.length } });
  }
});
