import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';

const MAIN = '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n';
const codes = (text: string) => analyzeText(text).findings.filter((f) => f.code === 'include-in-fragment');

test('catches an [include] in a file the main file includes', () => {
  const analyses = analyzeDeployment([
    { path: '/etc/supervisor/supervisord.conf', text: MAIN },
    { path: '/etc/supervisor/conf.d/app.conf', text: '[program:a]\ncommand=/bin/a\n\n[include] ; more\r\nfiles = more/*.conf\r\n' },
  ]);
  const found = analyses[1].findings.filter((f) => f.code === 'include-in-fragment');
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.deepEqual(found[0].range.start, { line: 3, character: 0 });
  assert.match(found[0].message, /only in the main file \(\/etc\/supervisor\/supervisord\.conf\)/);
});

test('does not catch the main file\'s own [include], nor a fragment checked alone', () => {
  const analyses = analyzeDeployment([
    { path: '/etc/supervisor/supervisord.conf', text: MAIN },
    { path: '/etc/supervisor/conf.d/app.conf', text: '[program:a]\ncommand=/bin/a\n' },
  ]);
  assert.deepEqual(analyses[0].findings.filter((f) => f.code === 'include-in-fragment'), []);
  assert.deepEqual(codes('[program:a]\ncommand=/bin/a\n[include]\nfiles=x.conf\n'), []);
  assert.deepEqual(codes(MAIN), []);
});

test('catches an [include] in an included file even when it has [supervisord] of its own', () => {
  const analyses = analyzeDeployment([
    { path: '/etc/supervisor/supervisord.conf', text: MAIN },
    { path: '/etc/supervisor/conf.d/old-main.conf', text: '[supervisord]\n[include]\nfiles=*.ini\n' },
  ]);
  assert.equal(analyses[1].findings.filter((f) => f.code === 'include-in-fragment').length, 1);
  assert.deepEqual(analyses[1].findings.filter((f) => f.code === 'duplicate-section-across-files').map((f) => f.message.slice(0, 14)), ['[supervisord] ']);
});
