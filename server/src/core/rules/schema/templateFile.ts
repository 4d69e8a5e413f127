import { schemaRule } from './util';

const ENGINES = { jinja: 'Jinja/Ansible/Django', erb: 'ERB (Puppet/Chef)', envsubst: 'shell-style (${VAR})' } as const;

/**
 * The file is a template of a supervisor config ({{ var }}, {% if %}, <%= x %>, ${VAR}): supervisor
 * cannot read it before it is rendered. The checks leave template expressions alone.
 */
export const templateFile = schemaRule(
  'template-file',
  'information',
  'The file is a template ({{ }}, {% %}, <%= %>, ${VAR}): template expressions are not checked as supervisor values.',
  (ctx) => {
    const t = ctx.template;
    if (!t) return [];
    return [
      {
        code: 'template-file',
        severity: 'information',
        message: `This looks like a ${ENGINES[t.engine]} template of a supervisor config (${t.text}): supervisor can only read it once it is rendered. Values holding template expressions and lines of template statements ({% if %}, {% endfor %}) are not checked, except a command=, read with each expression as text the file does not show ({{ venv }}/bin/celery runs celery) and each {% if %} … {% endif %} in it as options it may add; everything else is.`,
        range: { start: { line: t.line, character: t.start }, end: { line: t.line, character: t.end } },
        fixes: [],
      },
    ];
  },
);
