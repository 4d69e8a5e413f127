import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, textAt } from '../../support/rules';
import { FixChecker } from '../../support/fixSafety';
import fc from 'fast-check';
import { analyzeText } from '../../../server/src/core/analyze';
import { templateLineKind } from '../../../server/src/core/rules/schema/template';
import { TEMPLATE_LINES } from '../fuzz/generators';

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

test('catches a JavaScript or Terraform template (${domain.id}), and then leaves its placeholders alone (found in a real config built in a template string)', () => {
  const text = '[program:proxy-${domain.id}]\ncommand=/usr/bin/proxy\nenvironment=SECRET="${secret}",HOST="${domain.host}"\nstdout_logfile=${config.logs}/proxy.log\n';
  const [f, ...rest] = findings(text, CODE);
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(textAt(text, f), '${domain.id}');
  assert.deepEqual(findings(text).filter((x) => x.code !== CODE).map((x) => x.code), [], 'no shell-variable-not-expanded, no invalid-environment');
});

test('does not catch shell variables in a command, or plain configs', () => {
  assert.deepEqual(findings('[program:x]\ncommand=bash -c "exec ${HOME}/run"\n', CODE), []);
  assert.deepEqual(findings('[program:x]\ncommand=celery -A p worker -n w@%%h\n', CODE), []);
});

test('template expressions are not reported as supervisor errors', () => {
  const errors = findings('[program:x]\ncommand={{ venv }}/celery -n w@%%h\nnumprocs={{ n }}\nautostart={{ auto }}\nuser={{ u }}\n').filter((f) => f.severity === 'error');
  assert.deepEqual(errors, []);
});

test('lines of nothing but template statements are not reported: they render to nothing', () => {
  const text = [
    '[program:webserver]',
    '{% if debug %}',
    'command={{ python }} manage.py runserver',
    '{% else %}',
    'command={{ python }} -m gunicorn proj.wsgi',
    '{% endif %}',
    '{% set app = name %}',
    '{% set app = name ~ "_x" %}',
    '{# a note #}',
    '{% if beat %} ; rendered, a comment',
    '{% endif %}',
    '',
  ].join('\n');
  // Without the filter: invalid-line on the if/else/endif and note, unknown-key and duplicate-key on the sets, duplicate-key on command.
  assert.deepEqual(
    findings(text).map((f) => `${f.code}@${f.range.start.line + 1}`),
    ['template-file@2'],
  );
});

test('a template still gets the findings of lines that are not statements', () => {
  // The same key twice with no statement between: both are rendered, whatever the branches.
  const dup = findings('[program:x]\ncommand={{ a }}\n{% if b %}\nuser=app\n{% endif %}\nautostart=true\nautostart=false\n', 'duplicate-key');
  assert.deepEqual(dup.map((f) => f.range.start.line + 1), [7]);
  // A line supervisor cannot read that is not a statement.
  const invalid = findings('[program:x]\n{% if a %}\ncommand={{ a }}\nthis is no key\n{% endif %}\n', 'invalid-line');
  assert.deepEqual(invalid.map((f) => f.range.start.line + 1), [4]);
});

test('text before the first section is reported on the first line that is not a statement', () => {
  const moved = findings('{% load tags %}\n; a comment\n{% for w in workers %}\nstray text\n[program:{{ w }}]\ncommand=ls\n{% endfor %}\n', 'missing-section-header');
  assert.deepEqual(moved.map((f) => [f.range.start.line + 1, f.range.start.character, f.range.end.character]), [[4, 0, 10]]);
  assert.deepEqual(findings('{% for w in workers %}\n\n# note\n[program:{{ w }}]\ncommand=ls\n{% endfor %}\n', 'missing-section-header'), []);
});

test('a plain config keeps its parse errors', () => {
  // `{% if a` never closes: no template construct, so the file is a config supervisor refuses.
  assert.equal(findings('[program:x]\ncommand=ls\n{% if a\n', 'invalid-line').length, 1);
});

test('two programs in an {% if %} and its {% else %} are no duplicates; outside any statement they are', () => {
  const beat = (n: string) => `[program:${n}]\ncommand=/srv/venv/bin/celery -A proj beat -l info\ndirectory=/srv/app\nstdout_logfile=/var/log/app/beat.log\n`;
  const branches = `{% if beat_here %}\n${beat('beat')}{% else %}\n${beat('beat2')}{% endif %}\n[program:web]\ncommand={{ gunicorn }}\n`;
  const codes = ['celery-beat-duplicate', 'shared-log-file'];
  assert.deepEqual(findings(branches).filter((f) => codes.includes(f.code)), []);
  const both = `${beat('beat')}${beat('beat2')}[program:web]\ncommand={{ gunicorn }}\n`;
  assert.deepEqual(findings(both).filter((f) => codes.includes(f.code)).map((f) => f.code).sort(), ['celery-beat-duplicate', 'shared-log-file', 'shared-log-file']);
});

test('a line of a template expression alone renders to text the file does not show: no parse error', () => {
  const text = '{{ ansible_managed_block }}\n[program:x]\ncommand={{ cmd }}\n{{ extra_keys }}\n<%= @more %>\n';
  assert.deepEqual(findings(text).map((f) => f.code), ['template-file']);
  // Text after the expression is read as written.
  assert.equal(findings('[program:x]\ncommand={{ cmd }}\n{{ a }} b\n', 'invalid-line').length, 1);
});

test('property: in any template, a line of nothing but template code has no finding but template-file', () => {
  const lines = fc.array(fc.oneof(fc.constantFrom(...TEMPLATE_LINES), fc.constantFrom('[program:w]', '[program:{{ n }}]', 'command=celery -A p worker', 'command={{ c }}', 'user=a', 'user=b', 'junk', '', '; c')), { maxLength: 30 });
  fc.assert(
    fc.property(lines, (ls) => {
      const text = `${ls.join('\n')}\n`;
      const analysis = analyzeText(text);
      for (const f of analysis.findings) {
        if (f.code === 'template-file') continue;
        assert.equal(templateLineKind(analysis.doc, f.range.start.line), undefined, `${f.code} on line ${f.range.start.line + 1} of\n${text}`);
      }
    }),
    { numRuns: 300, seed: 20261127 },
  );
});

test('a command is read as rendered: Celery checks run, expressions in values are not judged, statements that decide words stop the reading', () => {
  const codes = (command: string) => [...new Set(findings(`[program:worker]\ncommand=${command}\ndirectory=/srv\n`).map((f) => f.code))].sort();
  const rendered = codes('{{ venv }}/bin/celery -A {{ app }} worker -c {{ n }} -P {{ pool }} -n {{ name }}@%%h -l {{ level }}');
  assert.ok(rendered.includes('celery-stopwaitsecs-short'), 'read as a worker');
  for (const judged of ['celery-invalid-option-value', 'celery-unknown-option', 'celery-4-syntax', 'celery-workdir-missing']) {
    assert.ok(!rendered.includes(judged), `${judged}: ${rendered.join(' ')}`);
  }
  const conditional = findings('[program:worker]\ncommand={{ venv }}/bin/celery -A app worker{% if c %} --concurrency={{ c }}{% endif %}\n');
  const memory = conditional.find((f) => f.code === 'celery-memory-limit-missing');
  assert.equal(memory?.severity, 'information', 'read, and the {% if %} may add the option');
  assert.match(memory!.message, /Unless \{% if c %\} … \{% endif %\} adds --max-memory-per-child/);
  const glued = codes('{{ venv }}/bin/celery -A app worker -c{% if c %}{{ c }}{% else %}4{% endif %}');
  assert.deepEqual(glued.filter((c) => c.startsWith('celery-')), [], 'not read: the template decides the words');
});
