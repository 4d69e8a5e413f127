/**
 * removeSpans: removing any set of options from one command in a single set of edits. Every subset of
 * the options of a command on a first line and two continuation lines is removed, in several layouts;
 * the edits must not overlap (an editor refuses the whole edit otherwise), the text must be the command
 * without those options, layout kept, and supervisor must read the command as the options left.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../../../server/src/core/analyze';
import { applyEdits } from '../../../server/src/core/applyEdits';
import { removeSpans } from '../../../server/src/core/commandEdits';
import { deleteLines } from '../../../server/src/core/edits';
import { codeActions } from '../../../server/src/core/features/codeActions';
import { checkText, overlappingEdits } from '../fuzz/invariants';
import { oracleUnavailable, runOracle } from '../../support/oracle';

/** One line of the command: its indentation ('' for the key line), its options, an inline comment. */
interface Line {
  indent: string;
  options: string[];
  comment?: string;
}

interface Layout {
  name: string;
  eol: string;
  lines: Line[];
  /** Text after the command entry ('' ends the file without a line break). */
  rest: string;
}

const FIRST: Line = { indent: '', options: ['-l info', '-Q celery'] };
const FOUR: Line = { indent: '    ', options: ['--max-tasks-per-child=100', '--max-memory-per-child 262144', '-O fair', '--soft-time-limit 60'] };
const TWO: Line = { indent: '\t', options: ['-P threads', '-c=4'] };

const LAYOUTS: Layout[] = [
  { name: 'LF', eol: '\n', lines: [FIRST, FOUR, TWO], rest: 'directory=/srv\nuser=app\n' },
  { name: 'CRLF', eol: '\r\n', lines: [FIRST, FOUR, TWO], rest: 'directory=/srv\r\nuser=app\r\n' },
  { name: 'last in a file without a final line break', eol: '\n', lines: [FIRST, FOUR, TWO], rest: '' },
  { name: 'inline comments', eol: '\n', lines: [FIRST, { ...FOUR, comment: '; the limits' }, { ...TWO, comment: '# pool' }], rest: 'directory=/srv\n' },
];

const PREFIX = 'celery -A p worker';

function lineText(line: Line, isKeyLine: boolean): string {
  const words = isKeyLine ? [`command=${PREFIX}`, ...line.options] : line.options;
  return line.indent + [...words, ...(line.comment ? [line.comment] : [])].join(' ');
}

/** The file with these command lines; a continuation line with nothing left is gone. */
function render(layout: Layout, lines: Line[]): string {
  const kept = lines.map((l, i) => ({ l, i })).filter(({ l, i }) => i === 0 || l.options.length || l.comment);
  const body = kept.map(({ l, i }) => lineText(l, i === 0));
  return ['[program:w]', ...body].join(layout.eol) + (layout.rest ? layout.eol + layout.rest : '');
}

/** The command as supervisor should read it: continuation lines joined with '\n', comments gone. */
function commandValue(lines: Line[]): string {
  return lines
    .map((l, i) => (i === 0 ? [PREFIX, ...l.options] : l.options).join(' '))
    .filter((s) => s !== '')
    .join('\n');
}

const checked: { text: string; command: string }[] = [];

after(() => {
  if (oracleUnavailable() || !checked.length) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remove-spans-'));
  try {
    const files = checked.map((c, i) => {
      const file = path.join(dir, `${i}.conf`);
      fs.writeFileSync(file, c.text);
      return { file, ...c };
    });
    const results = runOracle(files.map((f) => f.file));
    for (const f of files) {
      const r = results.get(f.file)!;
      assert.ok(r.parse === 'ok' && r.semantic === 'ok', `supervisor refuses ${JSON.stringify(f.text)}: ${r.parse} / ${r.semantic}`);
      assert.equal(r.sections?.['program:w']?.command, f.command, JSON.stringify(f.text));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const layout of LAYOUTS) {
  test(`removing any options of a command at once makes no overlapping edits and keeps the layout (${layout.name})`, () => {
    const text = render(layout, layout.lines);
    const { doc, deployment } = analyzeText(text);
    const p = deployment.celeryPrograms[0];
    const options = [...p.celery.options].sort((a, b) => a.start - b.start);
    const written = layout.lines.flatMap((l, line) => l.options.map((o) => ({ o, line })));
    assert.deepEqual(
      options.map((o) => p.command.value.slice(o.start, o.end)),
      written.map((w) => w.o),
    );
    for (let subset = 1; subset < 1 << options.length; subset++) {
      const removed = options.filter((_, k) => subset & (1 << k));
      const edits = removeSpans(doc, p.command, removed);
      const what = `removing ${removed.map((o) => o.spelling).join(', ')}`;
      assert.equal(overlappingEdits(edits), undefined, what);
      const left = layout.lines.map((l, line) => ({ ...l, options: written.filter((w, k) => w.line === line && !(subset & (1 << k))).map((w) => w.o) }));
      const expected = render(layout, left);
      assert.equal(applyEdits(text, edits), expected, what);
      checked.push({ text: expected, command: commandValue(left) });
    }
  });
}

test('no quick fix and no refactor that removes options from such commands makes overlapping edits', () => {
  for (const layout of LAYOUTS) {
    for (const pool of ['prefork', 'threads', 'solo', 'gevent']) {
      // Options the rules remove, several of them starting a continuation line or given twice, some on the file's last lines.
      const lines = [
        FIRST,
        FOUR,
        { ...TWO, options: [`-P ${pool}`, '-c=4', '--autoscale=4,2', '--time-limit 300', '--detach'] },
        { indent: '  ', options: ['--autoscale 8,2', '--maxtasksperchild=5'] },
        { indent: '  ', options: ['-O fair'] },
      ];
      const text = render(layout, lines);
      checkText(text);
      const analysis = analyzeText(text);
      const [refactor] = codeActions(analysis, analysis.doc.sections[0].entries[0].range, ['refactor']);
      if (pool !== 'gevent') assert.equal(overlappingEdits(refactor.edits), undefined, `${layout.name}, ${pool}: ${refactor.title}`);
    }
  }
});

test('deleteLines removes consecutive lines at the end of a file without a final line break as one edit', () => {
  const text = '[program:w]\ncommand=celery -A p worker\n  -l info\n  -c 4\n  -Q celery';
  const doc = analyzeText(text).doc;
  for (const [lines, expected] of [
    [[3, 4], '[program:w]\ncommand=celery -A p worker\n  -l info'],
    [[2, 3, 4], '[program:w]\ncommand=celery -A p worker'],
    [[2, 4], '[program:w]\ncommand=celery -A p worker\n  -c 4'],
    [[0, 1, 2, 3, 4], ''],
  ] as const) {
    const edits = deleteLines(doc, [...lines]);
    assert.equal(overlappingEdits(edits), undefined, JSON.stringify(lines));
    assert.equal(applyEdits(text, edits), expected, JSON.stringify(lines));
  }
});
