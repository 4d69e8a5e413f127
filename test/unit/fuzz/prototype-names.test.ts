/**
 * Names read from the file often end up as lookup keys. A name that every JavaScript object already
 * has (`constructor`, `toString`, `__proto__`, ...) must be treated like any other unknown name, never
 * found in a table by accident: put each one in every place a name or value can stand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECTION_SPECS } from '../../../server/src/core/catalog/keys';
import { BEAT_OPTIONS, GLOBAL_OPTIONS, WORKER_OPTIONS } from '../../../server/src/core/command/celeryOptions';
import { analyzeText } from '../../../server/src/core/analyze';
import { hover } from '../../../server/src/core/features/hover';
import { completion } from '../../../server/src/core/features/completion';
import { codeActions } from '../../../server/src/core/features/codeActions';
import { checkText, lspLines } from './invariants';

const NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', '__proto__'];

function textsFor(x: string): string[] {
  const texts = [
    `[${x}]\n${x}=${x}\n`,
    `[${x}:${x}]\n${x}=${x}\n`,
    `[program:${x}]\ncommand=celery -A ${x} worker -P ${x} -l ${x} -O ${x} -c ${x} --autoscale ${x} -n ${x} -Q ${x} --time-limit ${x} --${x} -${x}\nstopsignal=${x}\nenvironment=${x}="1",A=${x}\nprocess_name=%(${x})s\nstdout_logfile=%(${x})s.log\n`,
    `[program:w]\ncommand=celery ${x} worker\n`,
    `[program:w]\ncommand=${x} -m celery -A proj worker\n`,
    `[eventlistener:${x}]\ncommand=memmon -p ${x}=${x} -g ${x} -m ${x} -a ${x} --${x}\nevents=${x}\n`,
    `[group:${x}]\nprograms=${x}\n[program:${x}]\ncommand=/bin/true\n`,
    `[include]\nfiles=${x}\n`,
    `; supervisor-lint: disable-file=${x}\n[program:w]\ncommand=/bin/true ; supervisor-lint: disable=${x}\n`,
    `[supervisord]\nloglevel=${x}\nenvironment=A="%(${x})s"\n`,
  ];
  // Every key of every section kind with the name as its value, and as an expansion in it.
  for (const spec of SECTION_SPECS) {
    const header = spec.named ? `[${spec.kind}:w]` : `[${spec.kind}]`;
    texts.push(`${header}\n${spec.keys.map((k) => `${k.name}=${x}`).join('\n')}\n`);
    texts.push(`${header}\n${spec.keys.map((k) => `${k.name}=%(${x})s`).join('\n')}\n`);
  }
  // Every Celery option with the name as its value.
  const options = [...GLOBAL_OPTIONS, ...WORKER_OPTIONS].map((o) => (o.isFlag ? o.name : `${o.name}=${x}`)).join(' ');
  texts.push(`[program:w]\ncommand=celery ${options} worker ${[...WORKER_OPTIONS].map((o) => (o.isFlag ? o.name : `${o.name} ${x}`)).join(' ')}\n`);
  texts.push(`[program:b]\ncommand=celery -A p beat ${BEAT_OPTIONS.map((o) => (o.isFlag ? o.name : `${o.name} ${x}`)).join(' ')}\n`);
  return texts;
}

test('names every JavaScript object has are unknown names like any other: no rule throws', () => {
  for (const name of NAMES) for (const text of textsFor(name)) checkText(text, { maxFixes: 20 });
});

test('the editor features take them too', () => {
  for (const name of NAMES) {
    for (const text of textsFor(name)) {
      const analysis = analyzeText(text);
      const lines = lspLines(text);
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line].length; character += 3) {
          const position = { line, character };
          assert.doesNotThrow(() => hover(analysis.doc, position, { deployment: analysis.deployment, settings: analysis.settings }), `hover ${JSON.stringify(position)} in ${text}`);
          assert.doesNotThrow(() => completion(analysis.doc, position), `completion ${JSON.stringify(position)} in ${text}`);
          assert.doesNotThrow(() => codeActions(analysis, { start: position, end: position }), `code actions in ${text}`);
        }
      }
    }
  }
});
