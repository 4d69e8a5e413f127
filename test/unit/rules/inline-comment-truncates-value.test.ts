import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'inline-comment-truncates-value';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

const program = (line: string) => `[program:worker]\n${line}\n`;

test("catches ' ;' inside a quoted bash -c script, anchored on the text supervisor drops", () => {
  const text = program(`command=bash -c 'cd /srv ; exec celery -A proj worker'`);
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), `; exec celery -A proj worker'`);
  assert.match(f.message, /No closing quotation/);
  assert.match(f.message, /bash -c 'cd \/srv/);
});

test("catches ' #' and several cuts in one value, and a real comment after the quote", () => {
  assert.equal(findings(program(`command=sh -c "echo job #1 ; exec celery -A p worker"`), CODE).length, 1);
  const text = program(`command=bash -c 'a ; b ; c' ; the real comment`);
  const [f] = findings(text, CODE);
  assert.equal(textAt(text, f), `; b ; c'`);
  assert.equal(applyFix(text, CODE), program(`command=bash -c 'a; b; c' ; the real comment`));
});

test('catches environment= cuts as errors: supervisor refuses the file', () => {
  const text = program(`command=celery -A p worker\nenvironment=GREETING="hi ;there",B="x"`);
  const [f] = findings(text, CODE);
  assert.equal(f.severity, 'error');
  assert.equal(applyFix(text, CODE), program(`command=celery -A p worker\nenvironment=GREETING="hi;there",B="x"`));
  assert.equal(findings(`[supervisord]\nenvironment=A="x ;y"\n`, CODE).length, 1);
});

test('catches a cut on a continuation line of the command', () => {
  const text = `[program:w]\ncommand=bash -c "cd /srv &&\n    celery -A p worker ; echo done"\n`;
  assert.equal(applyFix(text, CODE), `[program:w]\ncommand=bash -c "cd /srv &&\n    celery -A p worker; echo done"\n`);
});

test('does not catch comments after a complete value, or values that never close their quote', () => {
  assert.deepEqual(findings(program(`command=celery -A proj worker ; the worker`), CODE), []);
  assert.deepEqual(findings(program(`command=bash -c 'a;b' # fine`), CODE), []);
  assert.deepEqual(findings(program(`command=bash -c 'never closed`), CODE), []);
  assert.deepEqual(findings(program(`command=bash -c 'never closed ; either`), CODE), []);
  assert.deepEqual(findings(`[program:w]\ncommand=bash -c 'a ; b\n    c'\n`, CODE), [], 'the quote closes on the next line');
});

test('does not catch keys that are not split with shlex', () => {
  assert.deepEqual(findings(program(`command=x\ndirectory=/srv/it's ; here`), CODE), []);
  assert.deepEqual(findings(`[group:g]\nprograms="a ;b"\n`, CODE), []);
});

test("prefers the fix only for ';' (removing the space before '#' changes what a shell reads)", () => {
  assert.equal(findings(program(`command=bash -c 'a ; b'`), CODE)[0].fixes[0].isPreferred, true);
  assert.equal(findings(program(`command=bash -c 'a #b'`), CODE)[0].fixes[0].isPreferred, false);
});

test('the fix is safe: CRLF, comment lines, tabs', () => {
  assert.equal(checker.checkAll(`; w\r\n[program:worker]\r\ncommand=bash -c 'cd /srv\t; celery -A p worker'\r\nuser=app\r\n`, undefined, [CODE]), 1);
  assert.equal(checker.checkAll(`[program:w]\ncommand=celery -A p worker\nenvironment=A="1 ; 2 # 3",B=x\n`, undefined, [CODE]), 1);
});

test('finds each cut value among many sections, whatever else carries an inline comment', () => {
  const text = [
    'x=1 ; before any header',
    '[supervisord] ; a header comment',
    'logfile=/tmp/s.log ; plain',
    '[program:a] ; header',
    'user=app ; plain',
    `command=bash -c 'a ; b'`,
    'autostart=true ; plain',
    '[program:b]',
    `environment=A="x",`,
    `  B="z ;w"`,
    '[program:c]',
    'command=celery -A p worker ; complete',
    '[program:a]',
    `environment=C="1 ;2"`,
    'priority=1 ; plain',
    '',
  ].join('\n');
  const lines = findings(text, CODE).map((f) => f.range.start.line);
  assert.deepEqual(lines, [5, 9, 13]);
});
