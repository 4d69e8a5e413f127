import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

const CODE = 'stray-percent';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches Celery placeholders in a worker command with a Celery-specific message', () => {
  const text = '[program:w]\ncommand=celery -A proj worker -n w@%h --logfile=/var/log/%n%I.log\n';
  const fs = findings(text, CODE);
  assert.equal(fs.length, 3);
  assert.match(fs[0].message, /Celery's %h placeholder must be written %%h/);
  assert.equal(fs[0].severity, 'error');
  assert.equal(textAt(text, fs[0]), '%h ');
});

test('catches a literal %, a missing conversion and a number conversion of text', () => {
  assert.match(findings('[program:w]\ncommand=ls 100%\n', CODE)[0].message, /incomplete format/);
  assert.match(findings('[program:w]\ncommand=ls %(program_name)\n', CODE)[0].message, /lacks its conversion/);
  assert.match(findings('[program:w]\ncommand=ls %(program_name)d\n', CODE)[0].message, /a real number is required/);
});

/** A lone %s (or %r, %a, with a width or precision) in values supervisor converts after expanding them. */
const LONE_REFUSED = [
  '[supervisord]\n[program:w]\ncommand=ls\nautostart=%s\n',
  '[supervisord]\n[program:w]\ncommand=ls\nnumprocs=%s\n',
  '[supervisord]\n[program:w]\ncommand=ls\npriority=%s\n',
  '[supervisord]\nloglevel=%s\n',
  '[supervisord]\numask=%r\n',
  '[supervisord]\nminfds=%5.0s\n',
  '[supervisord]\n[inet_http_server]\nport=%s\n',
  '[supervisord]\n[program:w]\ncommand=ls\nautorestart=%a\n',
  '[supervisord]\n[program:w]\ncommand=ls\nstdout_logfile_maxbytes=%s\n',
  '[supervisord]\n[program:w]\ncommand=ls\n[group:g]\nprograms=w\npriority=%s\n',
  '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=tcp://localhost:%s\n',
  '[supervisord]\n[eventlistener:l]\ncommand=ls\nevents=%s\n',
];
/** ... and where the value it leaves is still one supervisor takes. */
const LONE_ACCEPTED = [
  '[supervisord]\n[program:w]\ncommand=ls %s\n',
  '[supervisord]\n[program:w]\ncommand=ls\npriority=%.0s5\n',
  '[supervisord]\n[program:w]\ncommand=ls\nprocess_name=%s\n',
  '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=unix:///tmp/%s.sock\n',
];

test('a lone %s is only a warning in a text value: supervisor accepts it', () => {
  assert.equal(findings('[program:w]\ncommand=echo 100% sure\n', CODE)[0].severity, 'warning');
  for (const text of LONE_ACCEPTED) assert.equal(findings(text, CODE)[0]?.severity, 'warning', text);
});

test('catches a lone %s in a value supervisor converts (integer, boolean, log level, port ...) as an error, without the escape fix', () => {
  for (const text of LONE_REFUSED) {
    const [f, ...rest] = findings(text, CODE);
    assert.equal(rest.length, 0, text);
    assert.equal(f?.severity, 'error', text);
    assert.match(f.message, /which is no valid \w+ value: supervisor refuses the file/, text);
    assert.deepEqual(f.fixes, [], `${text}: escaped, %s is no valid value either`);
  }
  assert.equal(findings('[supervisord]\n[program:w]\ncommand=ls\nnumprocs=0\nstdout_logfile_maxbytes=%s\n', CODE)[0].severity, 'warning', 'not read with numprocs=0');
  assert.equal(findings('[supervisord]\n[program:w]\ncommand=ls\npriority=%(ENV_P)s%s\n', CODE)[0].severity, 'error', 'not enough arguments: refused anyway');
});

test('supervisor agrees: it refuses a lone %s in a converted value and accepts it in the others', { skip: oracleUnavailable() }, () => {
  const verdicts = verdictsOf([...LONE_REFUSED, ...LONE_ACCEPTED]);
  LONE_REFUSED.forEach((t, i) => assert.notEqual(verdicts[i], 'ok', t));
  LONE_ACCEPTED.forEach((t, i) => assert.equal(verdicts[LONE_REFUSED.length + i], 'ok', t));
});

test('in process_name with numprocs <= 0 it is only a warning: supervisor expands process_name per process, and there is none', () => {
  for (const name of ['%', '%(program_name)d', '50%']) {
    for (const numprocs of ['0', '-3']) {
      const [f, ...rest] = findings(`[supervisord]\n[program:x]\ncommand=ls\nnumprocs=${numprocs}\nprocess_name=${name}\n`, CODE);
      assert.equal(rest.length, 0, name);
      assert.equal(f.severity, 'warning', `${numprocs} ${name}`);
    }
    assert.equal(findings(`[supervisord]\n[program:x]\ncommand=ls\nprocess_name=${name}\n`, CODE)[0].severity, 'error', name);
  }
});

test('does not catch escapes, expansions, unknown keys, templates; supervisorctl-only sections are warnings', () => {
  assert.deepEqual(findings('[program:w]\ncommand=celery worker -n w@%%h %(process_num)02d %(numprocs)d %(ENV_X)s\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand=ls\nfoo=100%\n', CODE), []);
  assert.deepEqual(findings('[program:w]\ncommand={% if x %}a{% endif %}\n', CODE), []);
  assert.equal(findings('[supervisorctl]\nprompt=50%\n', CODE)[0].severity, 'warning');
});

test('does not catch the socket keys of an fcgi-program a group lists: supervisor never reads them', () => {
  for (const keys of ['socket=unix:///tmp/f.sock 5%', 'socket=unix:///tmp/%(program_name)d.sock']) {
    const alone = `[supervisord]\n[fcgi-program:f]\ncommand=ls\n${keys}\n`;
    assert.equal(findings(alone, CODE)[0]?.severity, 'error', keys);
    assert.deepEqual(findings(`${alone}[group:g]\nprograms=f\n`, CODE), [], keys);
  }
});

test('the fixes double the % (four times in keys expanded twice) and are safe', () => {
  assert.equal(applyFix('[program:w]\ncommand=celery -A p worker -n w@%h\n', CODE), '[program:w]\ncommand=celery -A p worker -n w@%%h\n');
  assert.equal(applyFix('[program:w]\ncommand=ls\nstdout_logfile=/tmp/50%.log\n', CODE), '[program:w]\ncommand=ls\nstdout_logfile=/tmp/50%%%%.log\n');
  assert.equal(applyFix('[program:w]\ncommand=ls %(program_name)\n', CODE), '[program:w]\ncommand=ls %(program_name)s\n');
  assert.ok(checker.checkAll('[program:w]\r\ncommand=celery -A p worker ; x\r\n    -n w@%h\r\n    --logfile=%n.log\r\n', undefined, [CODE]) >= 2);
});

test('catches every stray % of a command continued over 25,000 lines, each on its own line', () => {
  const n = 25_000;
  const lines = Array.from({ length: n }, (_, i) => `  %(foo${i})s 5%`);
  const text = `[program:w]\ncommand=celery -A p worker\n${lines.join('\n')}\n`;
  const fs = findings(text, CODE);
  assert.equal(fs.length, n);
  fs.forEach((f, i) => {
    const col = lines[i].length - 1;
    // The '%' and the character after it: the joining newline, then the next line's first character.
    const end = i < n - 1 ? { line: i + 3, character: 2 } : { line: i + 2, character: col + 1 };
    assert.deepEqual(f.range, { start: { line: i + 2, character: col }, end });
    assert.deepEqual(f.fixes[0].edits, [{ range: { start: { line: i + 2, character: col }, end: { line: i + 2, character: col + 1 } }, newText: '%%' }]);
  });
});

// With [include] in play supervisor replaces %(here)s before it expands (expand_here), the one in %%(here)s
// too (found by a multi-file hunt).
const ESCAPED_HERE = '[supervisord]\n[include]\nfiles=none/*.conf\n[program:a]\ncommand=/bin/echo %%(here)s\n';

test('catches %%(here)s where [include] is in play: a main file with [include], and a fragment', () => {
  const [f] = findings(ESCAPED_HERE, CODE);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(ESCAPED_HERE, f), '%%(here)s');
  assert.match(f.message, /replaces every %\(here\)s .*\("unsupported format character '\/' \(0x2f\)"/);
  assert.equal(findings('[program:a]\ncommand=/bin/echo %%(here)s\n', CODE).length, 1, 'a fragment');
});

test('does not catch %%(here)s in a main file without [include], nor %%%(here)s', () => {
  assert.deepEqual(findings('[supervisord]\n[program:a]\ncommand=/bin/echo %%(here)s\n', CODE), []);
  assert.deepEqual(findings('[supervisord]\n[include]\nfiles=none/*.conf\n[program:a]\ncommand=/bin/echo %%%(here)s\n', CODE), []);
});

test('supervisor agrees on %%(here)s with and without [include]', { skip: oracleUnavailable() }, () => {
  const [refused, accepted] = verdictsOf([ESCAPED_HERE, '[supervisord]\n[program:a]\ncommand=/bin/echo %%(here)s\n']);
  assert.match(refused, /unsupported format character '\/'/);
  assert.equal(accepted, 'ok');
});
