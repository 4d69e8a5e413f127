/**
 * [DEFAULT]: supervisor's parser is a configparser, so a program that does not set a key reads the
 * file's [DEFAULT] one. The program view does the same (the oracle says what supervisor reads), and no
 * fix edits a [DEFAULT] line for one program's sake: every section reads it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFix as applyCheckedFix, findings } from '../../support/rules';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';
import { oracleUnavailable, runOracle } from '../../support/oracle';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';

const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
const applyFix = (text: string, code: string, title?: string | RegExp) => applyCheckedFix(text, code, title, DEFAULT_SETTINGS, checker);

const WORKER = '[program:w]\ncommand=/v/bin/celery -A p worker -l info --max-memory-per-child 262144\ndirectory=/srv/p\nuser=app\nautorestart=true\nstartsecs=10\nredirect_stderr=true\nstdout_logfile=/var/log/w.log\n';
const withDefaults = (defaults: string, worker = WORKER) => `[DEFAULT]\n${defaults}\n${worker}`;

test('a program reads the keys it does not set from [DEFAULT], as supervisor does; its own win', { skip: oracleUnavailable() }, () => {
  const text = withDefaults('killasgroup=true\nstopwaitsecs=600\nstartsecs=1\n');
  const program = buildDeployment(parse(text)).byName.get('w')!;
  assert.equal(program.get('killasgroup')?.value, 'true');
  assert.equal(program.get('stopwaitsecs')?.value, '600');
  assert.equal(program.get('startsecs')?.value, '10', 'its own value wins');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'default-'));
  try {
    const file = path.join(dir, 'a.conf');
    fs.writeFileSync(file, text);
    const read = runOracle([file]).get(file)!.sections!['program:w'];
    for (const key of ['killasgroup', 'stopwaitsecs', 'startsecs']) assert.equal(program.get(key)?.value, read[key], key);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('does not catch what [DEFAULT] already sets for the worker', () => {
  const codes = findings(withDefaults('killasgroup=true\nstopwaitsecs=600\n')).map((f) => f.code);
  assert.ok(!codes.includes('celery-killasgroup-missing'), codes.join());
  assert.ok(!codes.includes('celery-stopwaitsecs-short'), codes.join());
  assert.ok(codes.includes('default-section'), 'which still says [DEFAULT] is rarely meant');
});

test("catches a [DEFAULT] value that is wrong for the worker, and the fix overrides it in the program's own section", () => {
  const text = withDefaults('killasgroup=true\nstopwaitsecs=5\n');
  assert.equal(findings(text, 'celery-stopwaitsecs-short').length, 1);
  assert.equal(applyFix(text, 'celery-stopwaitsecs-short'), `${text}stopwaitsecs=600\n`);
  const signal = withDefaults('killasgroup=true\nstopwaitsecs=600\nstopsignal=INT\n');
  assert.equal(applyFix(signal, 'celery-stop-signal', 'Set stopsignal=TERM in this program'), `${signal}stopsignal=TERM\n`);
});

test('offers no fix that would have to edit [DEFAULT]: stopasgroup, a shared log file', () => {
  const [group] = findings(withDefaults('stopasgroup=true\nkillasgroup=true\nstopwaitsecs=600\n'), 'celery-stopasgroup-prefork');
  assert.deepEqual(group.fixes, []);
  const logs = withDefaults('killasgroup=true\nstopwaitsecs=600\nstderr_logfile=/var/log/w.log\n', WORKER.replace('redirect_stderr=true\n', ''));
  const [shared] = findings(logs, 'shared-log-file');
  assert.ok(shared, 'stdout and stderr in one file, one of them from [DEFAULT]');
  assert.deepEqual(shared.fixes, []);
});

test('a [DEFAULT] value supervisor refuses in a section: the fix overrides it there (the oracle accepts the result)', () => {
  const listener = '[DEFAULT]\nredirect_stderr=true\n\n[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_60\n';
  const [f] = findings(listener, 'eventlistener-redirect-stderr');
  assert.match(f.message, /reads redirect_stderr=true from \[DEFAULT\]/);
  assert.equal(applyFix(listener, 'eventlistener-redirect-stderr'), `${listener}redirect_stderr=false\n`);
  const group = '[DEFAULT]\nkillasgroup=false\n\n[program:w]\ncommand=/bin/cat\nstopasgroup=true\n';
  assert.equal(applyFix(group, 'stopasgroup-without-killasgroup'), `${group}killasgroup=true\n`);
  const numprocs = '[DEFAULT]\nnumprocs=2\n\n[program:w]\ncommand=/bin/cat\n';
  assert.equal(findings(numprocs, 'numprocs-without-process-num')[0].severity, 'error', 'supervisor refuses it: numprocs=2 reaches [program:w]');
  assert.equal(applyFix(numprocs, 'numprocs-without-process-num'), `${numprocs}process_name=%(program_name)s_%(process_num)02d\n`);
});

test('a misspelt key is still renamed to one that only [DEFAULT] sets (the program\'s own then overrides it)', () => {
  const text = '[DEFAULT]\nstartsecs=1\n\n[program:w]\ncommand=/bin/cat\nstartsec=10\n';
  assert.equal(applyFix(text, 'unknown-key', 'Rename to startsecs'), text.replace('startsec=10', 'startsecs=10'));
});

test('a key set both in [DEFAULT] and in the program: the fix sets the right value instead of removing the line, which would let [DEFAULT] show through', () => {
  const signal = withDefaults('killasgroup=true\nstopwaitsecs=600\nstopsignal=INT\n', `${WORKER}stopsignal=QUIT\n`);
  assert.equal(applyFix(signal, 'celery-stop-signal'), signal.replace('stopsignal=QUIT', 'stopsignal=TERM'));
  const group = '[DEFAULT]\nkillasgroup=false\n\n[program:w]\ncommand=/bin/cat\nstopasgroup=true\nkillasgroup=false\n';
  const [kill] = findings(group, 'stopasgroup-without-killasgroup');
  assert.match(kill.message, /Set killasgroup=true: without the line, \[DEFAULT\]'s killasgroup would apply/);
  assert.equal(applyFix(group, 'stopasgroup-without-killasgroup'), group.replace(/killasgroup=false\n$/, 'killasgroup=true\n'));
  const listener = '[DEFAULT]\nredirect_stderr=true\n\n[eventlistener:l]\ncommand=/bin/cat\nevents=TICK_60\nredirect_stderr=true\n';
  assert.equal(applyFix(listener, 'eventlistener-redirect-stderr'), listener.replace(/redirect_stderr=true\n$/, 'redirect_stderr=false\n'));
  const prefork = withDefaults('killasgroup=true\nstopwaitsecs=600\nstopasgroup=true\n', `${WORKER}stopasgroup=true\n`);
  assert.deepEqual(findings(prefork, 'celery-stopasgroup-prefork')[0].fixes, [], '[DEFAULT] stopasgroup=true would come back');
});

test('without [DEFAULT] the same findings still remove the line', () => {
  const signal = `${WORKER}killasgroup=true\nstopwaitsecs=600\nstopsignal=QUIT\n`;
  assert.equal(applyFix(signal, 'celery-stop-signal'), signal.replace('stopsignal=QUIT\n', ''));
  const group = '[program:w]\ncommand=/bin/cat\nstopasgroup=true\nkillasgroup=false\n';
  assert.equal(applyFix(group, 'stopasgroup-without-killasgroup'), group.replace('killasgroup=false\n', ''));
});
