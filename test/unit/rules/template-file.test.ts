import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';

const CODE = 'template-file';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());
void applyFix;
void textAt;
void checker;

test('catches Jinja, ERB and ${VAR} templates once, at the first construct', () => {
  const text = '[program:{{ name }}]\ncommand={{ venv }}/bin/celery\nnumprocs={{ n }}\n';
  const fs = findings(text, CODE);
  assert.equal(fs.length, 1);
  assert.equal(textAt(text, fs[0]), '{{ name }}');
  assert.equal(fs[0].severity, 'information');
  assert.equal(findings('[program:x]\nuser=<%= @user %>\n', CODE).length, 1);
  assert.equal(findings('[program:${user}_celery]\ncommand=ls\n', CODE).length, 1);
});

test('does not catch shell variables in a command, or plain configs', () => {
  assert.deepEqual(findings('[program:x]\ncommand=bash -c "exec ${HOME}/run"\n', CODE), []);
  assert.deepEqual(findings('[program:x]\ncommand=celery -A p worker -n w@%%h\n', CODE), []);
});

test('template expressions are not reported as supervisor errors', () => {
  const errors = findings('[program:x]\ncommand={{ venv }}/celery -n w@%%h\nnumprocs={{ n }}\nautostart={{ auto }}\nuser={{ u }}\n').filter((f) => f.severity === 'error');
  assert.deepEqual(errors, []);
});
