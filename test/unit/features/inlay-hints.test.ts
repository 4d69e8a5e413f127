import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { inlayHints, type InlayHintInfo, type InlayHintOptions } from '../../../server/src/core/features/inlayHints';
import { describeBytes, describeSeconds } from '../../../server/src/core/units';
import type { Range } from '../../../server/src/core/model/types';

const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 1e9, character: 0 } };

function hintsOf(text: string, options?: InlayHintOptions, range: Range = WHOLE): InlayHintInfo[] {
  const doc = parse(text);
  return inlayHints(doc, buildDeployment(doc), range, options);
}

/** The text with each hint's label written in at its position as ‹label›, the way the editor shows it. */
function rendered(text: string, options?: InlayHintOptions, range?: Range): string {
  const lines = text.split('\n');
  const hints = hintsOf(text, options, range);
  for (const h of [...hints].reverse()) {
    const line = lines[h.position.line];
    lines[h.position.line] = `${line.slice(0, h.position.character)}‹${h.label}›${line.slice(h.position.character)}`;
  }
  return lines.join('\n');
}

test('describeBytes picks the largest 1024-based unit and says when it rounds', () => {
  assert.deepEqual(describeBytes(52428800), { text: '50 MB', exact: true });
  assert.deepEqual(describeBytes(268435456), { text: '256 MB', exact: true });
  assert.deepEqual(describeBytes(1610612736), { text: '1.5 GB', exact: true });
  assert.deepEqual(describeBytes(1000000), { text: '976.6 KB', exact: false });
  assert.deepEqual(describeBytes(1024), { text: '1 KB', exact: true });
  assert.deepEqual(describeBytes(256), { text: '256 bytes', exact: true });
  assert.deepEqual(describeBytes(1), { text: '1 byte', exact: true });
});

test('describeSeconds writes hours, minutes and seconds', () => {
  assert.deepEqual(describeSeconds(600), { text: '10 min', exact: true });
  assert.deepEqual(describeSeconds(5400), { text: '1 h 30 min', exact: true });
  assert.deepEqual(describeSeconds(90), { text: '1 min 30 s', exact: true });
  assert.deepEqual(describeSeconds(3600), { text: '1 h', exact: true });
  assert.deepEqual(describeSeconds(90.4), { text: '1 min 30 s', exact: false });
});

test('catches: --max-memory-per-child is KiB, shown in MB after the value, in every spelling', () => {
  assert.equal(
    rendered('[program:w]\ncommand=celery -A p worker --max-memory-per-child 262144 -l info\n'),
    '[program:w]\ncommand=celery -A p worker --max-memory-per-child 262144‹= 256 MB› -l info\n',
  );
  assert.equal(
    rendered('[program:w]\ncommand=celery -A p worker --max-memory-per-child="200000"\n'),
    '[program:w]\ncommand=celery -A p worker --max-memory-per-child="200000"‹≈ 195.3 MB›\n',
  );
  // The classic mistake: 256 meant as MB is 256 KiB.
  assert.equal(
    rendered('[program:w]\ncommand=celery -A p worker --max-memory-per-child 256\n'),
    '[program:w]\ncommand=celery -A p worker --max-memory-per-child 256‹= 256 KB›\n',
  );
});

test('catches: a command continued over lines gets the hint on the line of the value', () => {
  assert.equal(
    rendered('[program:w]\ncommand=celery -A p worker\n    --max-memory-per-child 524288\n    --time-limit 300\nuser=app\n'),
    '[program:w]\ncommand=celery -A p worker\n    --max-memory-per-child 524288‹= 512 MB›\n    --time-limit 300‹= 5 min›\nuser=app\n',
  );
});

test('catches: supervisor byte sizes without a suffix, and seconds of a minute or more', () => {
  assert.equal(
    rendered('[supervisord]\nlogfile_maxbytes=52428800\n\n[program:w]\ncommand=x\nstdout_logfile_maxbytes=100\nstopwaitsecs=600 ; ten minutes\nstartsecs=10\n'),
    '[supervisord]\nlogfile_maxbytes=52428800‹= 50 MB›\n\n[program:w]\ncommand=x\nstdout_logfile_maxbytes=100‹= 100 bytes›\nstopwaitsecs=600‹= 10 min› ; ten minutes\nstartsecs=10\n',
  );
});

test('catches: memmon sizes without a suffix are bytes; -u is seconds', () => {
  assert.equal(
    rendered('[eventlistener:memmon]\ncommand=memmon -p worker=256 -g celery=1073741824 -a 512MB -u 3600\nevents=TICK_60\n'),
    '[eventlistener:memmon]\ncommand=memmon -p worker=256‹= 256 bytes› -g celery=1073741824‹= 1 GB› -a 512MB -u 3600‹= 1 h›\nevents=TICK_60\n',
  );
});

test('catches: a command the programs take from [DEFAULT] gets its hints once', () => {
  assert.equal(
    rendered('[DEFAULT]\ncommand=celery -A p worker --max-memory-per-child 262144 --time-limit 600\n[program:a]\n[program:b]\n'),
    '[DEFAULT]\ncommand=celery -A p worker --max-memory-per-child 262144‹= 256 MB› --time-limit 600‹= 10 min›\n[program:a]\n[program:b]\n',
  );
  assert.equal(
    rendered('[DEFAULT]\ncommand=memmon -a 1073741824\nevents=TICK_60\n[eventlistener:m1]\n[eventlistener:m2]\n'),
    '[DEFAULT]\ncommand=memmon -a 1073741824‹= 1 GB›\nevents=TICK_60\n[eventlistener:m1]\n[eventlistener:m2]\n',
  );
});

test('does not catch: values with a unit already, zero, short durations, invalid numbers, unknown keys', () => {
  const text = [
    '[supervisord]',
    'logfile_maxbytes=50MB',
    'logfile_backups=600',
    '[program:w]',
    'command=celery -A p worker --max-memory-per-child 256MB --soft-time-limit 30 --concurrency 4000',
    'stdout_capture_maxbytes=0',
    'stopwaitsecs=59',
    'startsecs=abc',
    'not_a_key=52428800',
    '[unknown]',
    'logfile_maxbytes=52428800',
    '',
  ].join('\n');
  assert.deepEqual(hintsOf(text), []);
});

test('catches: a process_name template shows the names it expands to', () => {
  assert.equal(
    rendered('[program:worker]\ncommand=x\nnumprocs=4\nprocess_name=%(program_name)s_%(process_num)02d\n'),
    '[program:worker]\ncommand=x\nnumprocs=4\nprocess_name=%(program_name)s_%(process_num)02d‹→ worker_00, worker_01 … worker_03›\n',
  );
  assert.equal(
    rendered('[program:worker]\ncommand=x\nnumprocs=2\nnumprocs_start=1\nprocess_name=%(program_name)s-%(process_num)d\n'),
    '[program:worker]\ncommand=x\nnumprocs=2\nnumprocs_start=1\nprocess_name=%(program_name)s-%(process_num)d‹→ worker-1, worker-2›\n',
  );
  const [hint] = hintsOf('[program:worker]\ncommand=x\nnumprocs=4\nprocess_name=%(program_name)s_%(process_num)02d\n');
  assert.equal(hint.tooltip, 'The processes are named worker_00, worker_01, worker_02, worker_03: the names supervisorctl and memmon -p use.');
});

test('does not catch: a name without expansions, a name only the server knows, a process_name that a later header overrides', () => {
  assert.deepEqual(hintsOf('[program:worker]\ncommand=x\nprocess_name=celery\n'), []);
  assert.deepEqual(hintsOf('[program:worker]\ncommand=x\nprocess_name=%(host_node_name)s\n'), []);
  assert.equal(
    rendered('[program:w]\ncommand=x\nprocess_name=%(program_name)s\n[program:w]\nprocess_name=%(program_name)s_x\n'),
    '[program:w]\ncommand=x\nprocess_name=%(program_name)s\n[program:w]\nprocess_name=%(program_name)s_x‹→ w_x›\n',
  );
});

test('a deployment too large to expand names its first processes and the count', () => {
  const [hint] = hintsOf('[program:w]\ncommand=x\nnumprocs=5000\nprocess_name=%(program_name)s_%(process_num)d\n');
  assert.equal(hint.label, '→ w_0, w_1 … (5000 processes)');
  assert.match(hint.tooltip, /w_11, \.\.\. \(5000 in all\)/);
});

test('only hints inside the requested range, and each kind can be turned off', () => {
  const text = '[program:w]\ncommand=celery -A p worker --max-memory-per-child 262144\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\nstopwaitsecs=600\n';
  assert.deepEqual(
    hintsOf(text, {}, { start: { line: 3, character: 0 }, end: { line: 3, character: 99 } }).map((h) => h.label),
    ['→ w_0, w_1'],
  );
  assert.deepEqual(hintsOf(text, { processNames: false }).map((h) => h.label), ['= 256 MB', '= 10 min']);
  assert.deepEqual(hintsOf(text, { units: false }).map((h) => h.kind), ['processNames']);
});

test('CRLF files: hints sit at the end of the value, before the line break', () => {
  const text = '[program:w]\r\ncommand=celery -A p worker --max-memory-per-child 262144\r\nstopwaitsecs=600\r\n';
  const hints = hintsOf(text);
  assert.deepEqual(
    hints.map((h) => [h.position.line, h.position.character, h.label]),
    [
      [1, 56, '= 256 MB'],
      [2, 16, '= 10 min'],
    ],
  );
});
