import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';

const MAIN = '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n';
const dup = (texts: string[]) =>
  analyzeDeployment([{ path: '/d/supervisord.conf', text: MAIN }, ...texts.map((text, i) => ({ path: `/d/conf.d/${i}.conf`, text }))]).map((a) =>
    a.findings.filter((f) => f.code === 'duplicate-section-across-files'),
  );

test('catches a section an earlier file defines, in the later file, saying which values win', () => {
  const [main, first, second] = dup(['[program:w]\ncommand=/bin/a\nuser=app\nnumprocs=2\n', '; again\r\n[program:w]\r\ncommand=/bin/b\r\nuser=app\r\n']);
  assert.deepEqual(main, []);
  assert.deepEqual(first, [], 'the earlier file is not told');
  assert.equal(second.length, 1);
  assert.equal(second[0].severity, 'warning');
  assert.deepEqual(second[0].range.start, { line: 1, character: 0 });
  assert.match(second[0].message, /\[program:w\] is also defined in \/d\/conf\.d\/0\.conf \(line 1\)/);
  assert.match(second[0].message, /the values here win for command;/);
  assert.match(second[0].message, /numprocs still comes from \/d\/conf\.d\/0\.conf/);
});

test('catches a fragment redefining a section of the main file', () => {
  const [, fragment] = dup(['[supervisord]\nlogfile=/tmp/x.log\n']);
  assert.equal(fragment.length, 1);
  assert.match(fragment[0].message, /\[supervisord\] is also defined in \/d\/supervisord\.conf \(line 1\)/);
});

test('does not catch distinct sections, the same name under another kind, or a file checked alone', () => {
  const [, a, b] = dup(['[program:w]\ncommand=/bin/a\n', '[program:v]\ncommand=/bin/b\n[eventlistener:w]\ncommand=/bin/c\nevents=TICK_60\n']);
  assert.deepEqual([...a, ...b], []);
  assert.deepEqual(analyzeText('[program:w]\ncommand=/bin/a\n').findings.filter((f) => f.code === 'duplicate-section-across-files'), []);
});
