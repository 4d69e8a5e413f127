import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';

const CODE = 'supervisorctl-in-fragment';
const MAIN = '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n';
const found = (main: string, fragment: string) =>
  analyzeDeployment([
    { path: '/etc/supervisor/supervisord.conf', text: main },
    { path: '/etc/supervisor/conf.d/app.conf', text: fragment },
  ]).map((a) => a.findings.filter((f) => f.code === CODE));

test('catches [supervisorctl] and [ctlplugin:x] in an included file, on the header (found by a multi-file hunt)', () => {
  const [inMain, inFragment] = found(MAIN, '[program:a]\ncommand=/bin/a\n\n[supervisorctl]\nserverurl=unix:///run/app.sock\n[ctlplugin:wildcards]\nsupervisor.ctl_factory = supervisorwildcards.controllerplugin:make_wildcards_controllerplugin\n');
  assert.deepEqual(inMain, []);
  assert.deepEqual(inFragment.map((f) => [f.severity, f.range.start.line]), [['warning', 3], ['warning', 5]]);
  assert.match(inFragment[0].message, /reads only the main file \(\/etc\/supervisor\/supervisord\.conf\).*"Error: \.ini file does not include supervisorctl section"/);
  const [, withMain] = found(`${MAIN}\n[supervisorctl]\n`, '[supervisorctl]\nserverurl=unix:///run/app.sock\n');
  assert.match(withMain[0].message, /it uses the main file's \[supervisorctl\]/);
});

test("does not catch the main file's own [supervisorctl], nor a fragment checked alone", () => {
  const [inMain] = found(`${MAIN}[supervisorctl]\nserverurl=unix:///run/s.sock\n`, '[program:a]\ncommand=/bin/a\n');
  assert.deepEqual(inMain, []);
  assert.deepEqual(analyzeText('[supervisorctl]\nserverurl=unix:///run/app.sock\n').findings.filter((f) => f.code === CODE), []);
});
