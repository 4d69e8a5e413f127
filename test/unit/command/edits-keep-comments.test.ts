/**
 * Fixes that edit a span over several lines of a continued command= value change only the value text:
 * a comment line between the lines and an inline comment ending a line are not part of the value
 * (configparser skips them), so they stay. Found by fix fuzzing: removals (removeSpans) and replaceSpan
 * over a line ending in an inline comment deleted them. Every fixed file goes through FixChecker, and
 * supervisor must read the command as intended.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFix as applyCheckedFix } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { oracleUnavailable, runOracle } from '../../support/oracle';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const checker = new FixChecker();
const commands: { text: string; command: string }[] = [];

after(() => {
  checker.verifyWithSupervisor();
  if (oracleUnavailable() || !commands.length) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edits-keep-comments-'));
  try {
    const files = commands.map((c, i) => {
      const file = path.join(dir, `${i}.conf`);
      fs.writeFileSync(file, c.text);
      return { file, ...c };
    });
    const results = runOracle(files.map((f) => f.file));
    for (const f of files) assert.equal(results.get(f.file)!.sections?.['program:w']?.command, f.command, JSON.stringify(f.text));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Applies the fix (checked by FixChecker) and queues the command supervisor must read from the result. */
function fixed(text: string, code: string, title: string | RegExp, command: string): string {
  const after = applyCheckedFix(text, code, title, DEFAULT_SETTINGS, checker);
  commands.push({ text: after, command });
  return after;
}

const conf = (...commandLines: string[]) => `[program:w]\ncommand=${commandLines.join('\n')}\ndirectory=/srv\n`;

test('removing an option whose value is on a later line keeps the comment line between them', () => {
  assert.equal(
    fixed(conf('celery -A proj worker -l info -P', '  ; was: solo', '  prefork -P gevent'), 'celery-pool-not-patched', 'Keep only the last pool option (-P gevent)', 'celery -A proj worker -l info\n-P gevent'),
    conf('celery -A proj worker -l info', '  ; was: solo', '  -P gevent'),
  );
  assert.equal(
    fixed(conf('celery -A proj beat -l info -Q', '  ; queues', '  high,low'), 'celery-unknown-option', 'Remove -Q', 'celery -A proj beat -l info'),
    conf('celery -A proj beat -l info', '  ; queues'),
  );
});

test('removing an option whose value is on the next line keeps the inline comment ending its line', () => {
  assert.equal(
    fixed(conf('celery -A proj worker -l info -P  ; default pool for now', '  prefork -P gevent'), 'celery-pool-not-patched', 'Keep only the last pool option (-P gevent)', 'celery -A proj worker -l info\n-P gevent'),
    conf('celery -A proj worker -l info  ; default pool for now', '  -P gevent'),
  );
  assert.equal(
    fixed(conf('celery -A proj worker -l info -P threads --max-memory-per-child ; 200 MB', '  200000'), 'celery-memory-limit-ignored', /^Remove --max-memory-per-child/, 'celery -A proj worker -l info -P threads'),
    conf('celery -A proj worker -l info -P threads ; 200 MB'),
  );
});

test('replacing a value that goes on over the next line keeps the inline comment ending the first line', () => {
  // The second line keeps only its indentation: replaceSpan does not see the document, so it cannot tell
  // whether more follows on that line; configparser reads a blank line there as nothing.
  assert.equal(
    fixed(conf('celery -A proj worker -c 4 -l \\ ; log level', '  info'), 'celery-invalid-option-value', 'Change to info', 'celery -A proj worker -c 4 -l info'),
    conf('celery -A proj worker -c 4 -l info ; log level', '  '),
  );
});
