import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, textAt } from '../../support/rules';
import { analyzeDeployment } from '../../../server/src/core/analyze';
import { oracleUnavailable, verdictsOf } from '../../support/oracle';

const CODE = 'group-fcgi-program';

/** Socket keys supervisor refuses in an fcgi-program of its own, and never reads in a grouped one. */
const BAD_SOCKETS = [
  '',
  'socket=tcp://:1',
  'socket=bogus',
  'socket=unix://relative.sock',
  'socket=unix:///tmp/%(process_num)s.sock',
  'socket=unix:///tmp/%(bogus)s.sock',
  'socket=unix:///tmp/f.sock 5%',
  'socket=unix:///tmp/f.sock\nsocket_mode=999',
  'socket=tcp://localhost:9000\nsocket_backlog=0',
  'socket=tcp://localhost:9000\nsocket_backlog=x',
  'socket=tcp://localhost:9000\nsocket_owner=nobody',
];

const fcgi = (keys: string) => `[supervisord]\n\n[fcgi-program:f]\ncommand=/bin/cat\n${keys ? `${keys}\n` : ''}`;
const grouped = (keys: string) => `${fcgi(keys)}\n[group:g]\nprograms=f\n`;

test('catches an fcgi-program a group lists, on its header, naming the socket keys supervisor never reads', () => {
  const text = grouped('socket=unix:///tmp/f.sock\nsocket_mode=0770');
  const [f, ...rest] = findings(text, CODE);
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '[fcgi-program:f]');
  assert.match(f.message, /\[group:g\] lists \[fcgi-program:f\].*plain program.*opens no socket and never reads socket= and socket_mode=/);
  assert.equal(f.related?.length, 1);
  assert.equal(textAt(text, { ...f, range: f.related![0].range }), 'f', 'the related location is the item of programs=');
  assert.match(findings(grouped(''), CODE)[0].message, /opens no socket, so/, 'without socket=, no key to name');
});

test('catches it when the group is in another file of the deployment, linking there', () => {
  const files = [
    { path: '/etc/supervisor/supervisord.conf', text: '[supervisord]\n[include]\nfiles=conf.d/*.conf\n[group:site]\nprograms=php,web\n' },
    { path: '/etc/supervisor/conf.d/php.conf', text: '[fcgi-program:php]\ncommand=/usr/bin/php-cgi\n[program:web]\ncommand=/bin/cat\n' },
  ];
  const [main, fragment] = analyzeDeployment(files);
  assert.deepEqual(main.findings.filter((f) => f.code === CODE || f.severity === 'error'), []);
  const ours = fragment.findings.filter((f) => f.code === CODE);
  assert.equal(ours.length, 1);
  assert.equal(ours[0].related?.[0].file, files[0].path);
  assert.match(ours[0].message, /\[group:site\] in \/etc\/supervisor\/supervisord\.conf lists \[fcgi-program:php\]/);
  assert.deepEqual(fragment.findings.filter((f) => f.severity === 'error'), [], 'no socket= needed');
});

test('does not catch an fcgi-program of its own, a grouped [program:x], a label supervisor cannot look up, or a name that is both', () => {
  assert.deepEqual(findings(fcgi('socket=unix:///tmp/f.sock'), CODE), []);
  assert.deepEqual(findings('[supervisord]\n[program:f]\ncommand=ls\n[group:g]\nprograms=f\n', CODE), []);
  // supervisor looks members up as "fcgi-program:" + name: [fcgi-program: f] is not the member f.
  assert.deepEqual(findings('[supervisord]\n[fcgi-program: f]\ncommand=ls\nsocket=tcp://localhost:9000\n[program:f]\ncommand=ls\n[group:g]\nprograms=f\n', CODE), []);
  const both = '[supervisord]\n[fcgi-program:f]\ncommand=ls\n[program:f]\ncommand=ls\n[group:g]\nprograms=f\n';
  assert.deepEqual(findings(both, CODE), [], 'group-unknown-program reports the ambiguous name');
  assert.ok(findings(both, 'group-unknown-program').some((f) => /ambiguous/.test(f.message)));
});

test('no error on the socket keys of a grouped fcgi-program, which are errors in one of its own', () => {
  for (const keys of BAD_SOCKETS) {
    assert.deepEqual(findings(grouped(keys)).filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`), [], keys);
    assert.ok(findings(fcgi(keys)).some((f) => f.severity === 'error'), `alone: ${keys}`);
  }
});

test('a grouped fcgi-program is checked as a program: user= takes %(program_name)s, its other keys are still checked', () => {
  assert.deepEqual(findings(grouped('user=%(program_name)s'), 'expansion-not-allowed'), []);
  assert.equal(findings(fcgi('socket=tcp://localhost:9000\nuser=%(program_name)s'), 'expansion-not-allowed').length, 1, 'read at group level alone');
  assert.equal(findings(grouped('autostart=maybe'), 'invalid-value')[0].severity, 'error');
  assert.equal(findings(grouped('socket=tcp://localhost:9000\nnumprocs=2'), 'numprocs-without-process-num')[0].severity, 'error');
  assert.deepEqual(findings(grouped('socket=tcp://localhost:9000\nsockt=1'), 'unknown-key').length, 1);
});

test('supervisor agrees: it accepts the grouped fcgi-programs and refuses them alone', { skip: oracleUnavailable() }, () => {
  const groupedVerdicts = verdictsOf([...BAD_SOCKETS.map(grouped), grouped('user=%(program_name)s')]);
  assert.deepEqual(groupedVerdicts, groupedVerdicts.map(() => 'ok'));
  const alone = verdictsOf([...BAD_SOCKETS.map(fcgi), fcgi('socket=tcp://localhost:9000\nuser=%(program_name)s')]);
  alone.forEach((v, i) => assert.notEqual(v, 'ok', BAD_SOCKETS[i] ?? 'user'));
});
