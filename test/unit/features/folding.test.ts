import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { foldingRanges } from '../../../server/src/core/features/folding';

/** Each fold as `first line .. last line` (its kind after it), in the order the server sends them. */
function folds(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  return foldingRanges(parse(text)).map((f) => `${lines[f.startLine]} .. ${lines[f.endLine]}${f.kind ? ` (${f.kind})` : ''}`);
}

test('a section folds over the options commented out after its last key, not over the blank lines before the next header', () => {
  const text = [
    '[program:worker]',
    'command=celery -A proj worker',
    ';stopwaitsecs=600',
    ';killasgroup=true',
    '',
    '',
    '[program:beat]',
    'command=celery -A proj beat',
    '',
  ].join('\n');
  assert.deepEqual(folds(text), [
    '[program:worker] .. ;killasgroup=true',
    ';stopwaitsecs=600 .. ;killasgroup=true (comment)',
    '[program:beat] .. command=celery -A proj beat',
  ]);
});

test('a comment block right above the next header introduces that section: it stays outside the fold', () => {
  const text = [
    '[program:worker]',
    'command=celery -A proj worker',
    ';stopwaitsecs=600',
    '',
    '; the scheduler',
    '; (one only)',
    '[program:beat]',
    'command=celery -A proj beat',
    '; the last section keeps its trailing comments',
  ].join('\n');
  assert.deepEqual(folds(text), [
    '[program:worker] .. ;stopwaitsecs=600',
    '; the scheduler .. ; (one only) (comment)',
    '[program:beat] .. ; the last section keeps its trailing comments',
  ]);
  // Touching both the last key and the next header, a comment reads as the next section's.
  assert.deepEqual(folds('[program:a]\ncommand=x\nuser=app\n; b\n[program:b]\ncommand=y\n'), ['[program:a] .. user=app', '[program:b] .. command=y']);
});

test('a section of commented-out options only folds; multi-line values and comment blocks keep their folds', () => {
  assert.deepEqual(folds('[program:old]\n;command=celery -A proj worker\n;autostart=true\n\n[program:new]\n'), [
    '[program:old] .. ;autostart=true',
    ';command=celery -A proj worker .. ;autostart=true (comment)',
  ]);
  assert.deepEqual(folds('; header comment\n; of the file\n[program:w]\ncommand=celery -A proj worker\n  -l info\n; inline # not a block\n\n'), [
    '; header comment .. ; of the file (comment)',
    '[program:w] .. ; inline # not a block',
    'command=celery -A proj worker ..   -l info',
  ]);
  assert.deepEqual(folds('[supervisord]\n\n\n[program:w]\r\n;x\r\n\r\n'), ['[program:w] .. ;x'], 'a header alone does not fold; CRLF lines');
});
