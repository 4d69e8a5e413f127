import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, textAt } from '../../support/rules';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

const CODE = 'default-section';

/** [DEFAULT] values supervisor refuses in a section that takes them. */
const REFUSED = [
  '[DEFAULT]\nautostart=maybe\n[supervisord]\n[program:x]\ncommand=ls\n',
  '[DEFAULT]\nloglevel=bogus\n[supervisord]\n',
  '[DEFAULT]\ncommand=celery -A p worker -n w@%h\n[supervisord]\n[program:x]\n',
  '[DEFAULT]\npriority=%(program_name)s\n[supervisord]\n[program:x]\ncommand=ls\n',
];
/** ... and ones it accepts. */
const ACCEPTED = [
  '[DEFAULT]\nautostart=true\n[supervisord]\n[program:x]\ncommand=ls\n',
  '[DEFAULT]\nautostart=maybe\n[supervisord]\n[program:x]\ncommand=ls\nautostart=false\n',
  '[DEFAULT]\nfoo=bar\n[supervisord]\n',
  '[DEFAULT]\nstdout_logfile=/var/log/%(program_name)s.log\n[supervisord]\n[program:x]\ncommand=ls\n',
];

test('catches a [DEFAULT] value supervisor refuses in a section that takes it, as an error naming the section', () => {
  const [f, ...rest] = findings(REFUSED[0], CODE);
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(REFUSED[0], f), 'maybe');
  assert.match(f.message, /autostart=maybe in \[DEFAULT\] applies to every section that does not set autostart, and in \[program:x\] supervisor refuses the file \("not a valid boolean value: 'maybe'"\)/);
  for (const text of REFUSED) assert.equal(findings(text, CODE)[0]?.severity, 'error', text);
  assert.equal(findings('[DEFAULT]\nstdout_logfile_maxbytes=50M\n[supervisord]\n[program:x]\nnumprocs=0\n', CODE)[0].severity, 'warning', 'not read with numprocs=0');
});

test('catches every other [DEFAULT] key as a warning: the sections that take it, or none', () => {
  const [taken] = findings('[DEFAULT]\ncommand=ls\n[supervisord]\n[program:a]\n[program:b]\n[eventlistener:l]\nevents=TICK_5\n[program:c]\ncommand=ls\n', CODE);
  assert.equal(taken.severity, 'warning');
  assert.match(taken.message, /supervisor reads it in \[program:a\], \[program:b\] and \[eventlistener:l\], which is rarely what was meant/);
  const [unused] = findings(ACCEPTED[2], CODE);
  assert.equal(unused.severity, 'warning');
  assert.equal(unused.tag, 'unnecessary');
  assert.match(unused.message, /no section of this file reads foo/);
  const rpc = '[DEFAULT]\nfoo=bar\n[supervisord]\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n';
  assert.match(findings(rpc, CODE)[0].message, /passes it to \[rpcinterface:supervisor\] as a setting of the factory/);
});

test('does not catch a file without [DEFAULT], nor count a section that sets the key itself', () => {
  assert.deepEqual(findings('[supervisord]\n[program:x]\ncommand=ls\nautostart=maybe\n', CODE), []);
  assert.equal(findings(ACCEPTED[1], CODE)[0].severity, 'warning');
  assert.match(findings(ACCEPTED[1], CODE)[0].message, /no section of this file reads autostart/);
});

test('supervisor agrees: it refuses the [DEFAULT] values reported as errors and accepts the others', { skip: oracleUnavailable() }, () => {
  const verdicts = verdictsOf([...REFUSED, ...ACCEPTED]);
  REFUSED.forEach((t, i) => assert.notEqual(verdicts[i], 'ok', t));
  ACCEPTED.forEach((t, i) => {
    assert.equal(verdicts[REFUSED.length + i], 'ok', t);
    assert.deepEqual(findings(t).filter((f) => f.severity === 'error'), [], t);
  });
});
