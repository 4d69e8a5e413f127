/** Hover and completion from the catalogue, and the template hook for the engine. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { hover } from '../../../server/src/core/features/hover';
import { completion, CELERY_WORKER_SNIPPET } from '../../../server/src/core/features/completion';
import { detectTemplate, templateLineKind, templateSpans } from '../../../server/src/core/rules/schema/template';
import { withCursor } from '../../support/cursor';

function hoverAt(fixture: string): string {
  const { text, position } = withCursor(fixture);
  const h = hover(parse(text), position);
  assert.ok(h, `no hover in ${JSON.stringify(fixture)}`);
  return h.markdown;
}

function complete(fixture: string): string[] {
  const { text, position } = withCursor(fixture);
  return completion(parse(text), position).items.map((c) => c.label);
}

test('a program header shows the process names supervisorctl and memmon use', () => {
  const md = hoverAt('[prog|ram:worker]\ncommand=ls\nnumprocs=3\nnumprocs_start=1\nprocess_name=%(program_name)s_%(process_num)02d\n');
  assert.ok(md.includes('`worker_01`, `worker_02`, `worker_03`'), md);
  const grouped = hoverAt('[program:w|]\ncommand=ls\n[group:g]\nprograms=w\n');
  assert.ok(grouped.includes('`g:w`'), grouped);
  assert.match(hoverAt('[Prog|ram:w]\n'), /case-sensitive/);
});

test('a group header lists its programs with the process names supervisorctl uses', () => {
  const md = hoverAt('[program:worker]\ncommand=x\nnumprocs=6\nprocess_name=%(program_name)s_%(process_num)d\n[program:web]\ncommand=y\n[gro|up:app]\nprograms=worker, web,ghost\n');
  assert.ok(md.includes('`supervisorctl restart app:*`'), md);
  assert.ok(md.includes('- `worker`: `app:worker_0`, `app:worker_1`, `app:worker_2`, `app:worker_3`, ... (6)'), md);
  assert.ok(md.includes('- `web`: `app:web`'), md);
  assert.ok(md.includes('- `ghost`: defined in no file read here'), md);
  assert.ok(!hoverAt('[gro|up:empty]\nprograms=\n').includes('Programs, with'), 'nothing listed, no list');
});

test('values explain themselves', () => {
  assert.match(hoverAt('[program:w]\nstopsignal=QU|IT\n'), /SIGQUIT \(3\).*cold shutdown/);
  assert.match(hoverAt('[program:w]\nautostart=o|ff\n'), /\*\*false\*\*/);
  // `true` needs no translation into true: the hover lists the spellings instead.
  const written = hoverAt('[program:w]\nkillasgroup=tr|ue\n');
  assert.doesNotMatch(written, /means \*\*true\*\*/);
  assert.match(written, /reads true\/yes\/on\/1 and false\/no\/off\/0/);
  assert.match(hoverAt('[program:w]\nstdout_logfile_maxbytes=1|GB\n'), /1,073,741,824 bytes/);
  assert.match(hoverAt('[supervisord]\nloglevel=deb|ug\n'), /Log level `debug`/);
  assert.match(hoverAt('[program:w]\numask=00|2\n'), /rwxrwxr-x/);
  assert.match(hoverAt('[program:w]\ncommand=ls\nnumprocs=2\nprocess_name=%(program_name)s_%(process|_num)02d\n'), /`w_00`, `w_01`/);
  assert.match(hoverAt('[program:w]\nstdout_logfile=/l/%(program_na|me)s.log\n'), /Here: `w`/);
  // On the first character of the second of two adjacent expansions: the second (found by a hover hunt).
  assert.match(hoverAt('[program:w]\ncommand=ls\nnumprocs=2\nprocess_name=%(program_name)s|%(process_num)d\n'), /^\*\*`%\(process_num\)d`\*\*/);
  assert.match(hoverAt('[program:w]\nprocess_name=%(program_name)s|\n'), /^\*\*`%\(program_name\)s`\*\*/, 'just after the last one: still it');
});

test('an %(ENV_X)s this file sets shows its value, from where the key sees it', () => {
  const conf = (line: string) => `[supervisord]\nenvironment=VENV="/opt/venv",LANG="C"\n\n[program:w]\nenvironment=VENV="/srv/venv"\n${line}\n`;
  assert.match(hoverAt(conf('command=%(ENV_VE|NV)s/bin/celery')), /Here: `\/srv\/venv` \(set by this section's environment=, over supervisord's own environment\)/);
  assert.match(hoverAt(conf('startsecs=%(ENV_VE|NV)s')), /Here: `\/opt\/venv` \(set by \[supervisord\] environment=/, 'startsecs does not see the section\'s own');
  assert.doesNotMatch(hoverAt(conf('command=%(ENV_HO|ME)s/bin/celery')), /Here:/, 'only supervisord knows HOME');
});

test('unknown and misplaced keys say so', () => {
  assert.match(hoverAt('[program:w]\nstart|sects=1\n'), /does not know/);
  // [DEFAULT] lends its keys to the other sections: not "ignored" (found by a hover hunt).
  const lent = hoverAt('[DEFAULT]\nauto|start=false\n[program:a]\ncommand=/bin/cat\n');
  assert.match(lent, /^\*\*autostart\*\* in \[DEFAULT\]: configparser lends it to every section that does not set `autostart` itself.*\[program:x\]/);
  assert.match(lent, /\*\*autostart\*\* · \[program:x\]/, 'with the key\'s own documentation');
  assert.doesNotMatch(lent, /ignores/);
  assert.match(hoverAt('[DEFAULT]\nfo|o=1\n'), /No section of supervisor has this key/);
  assert.match(hoverAt('[program:w]\nlog|level=info\n'), /key of \[supervisord\]/);
});

test('completion: keys not yet set, values, expansions, sections with a Celery worker template', () => {
  const keys = complete('[program:w]\ncommand=ls\n|\n');
  assert.ok(keys.includes('autorestart') && !keys.includes('command'));
  assert.deepEqual(complete('[program:w]\nautorestart=|\n'), ['true', 'false', 'unexpected']);
  assert.ok(complete('[program:w]\nstopsignal=|\n').includes('TERM'));
  assert.ok(complete('[supervisord]\nloglevel=|\n').includes('warn'));
  assert.ok(!complete('[supervisord]\nloglevel=|\n').includes('warning'));
  assert.ok(complete('[eventlistener:l]\nevents=TICK_60,|\n').includes('PROCESS_STATE'));
  assert.deepEqual(complete('[program:w]\nnumprocs=%(|\n'), ['%(here)s', '%(program_name)s', '%(group_name)s', '%(host_node_name)s', '%(ENV_X)s']);
  assert.ok(complete('[program:w]\ncommand=ls %(|\n').includes('%(process_num)02d'));
  const sections = complete('[|');
  assert.ok(sections.includes('[program:name]') && sections.includes('[program:celery-worker]'));
  const snippet = CELERY_WORKER_SNIPPET.join('\n');
  for (const part of ['-l info', '--max-memory-per-child 262144', 'stopwaitsecs=600', 'killasgroup=true', '%(process_num)02d@%%h']) assert.ok(snippet.includes(part), part);
});

test('hover on a template line says it is template code, not an unknown key', () => {
  assert.match(hoverAt('[program:x]\ncommand={{ cmd }}\n{% set a|pp = name %}\n'), /^\*\*Template code\*\*: a template statement: the line renders to nothing/);
  assert.match(hoverAt('[program:x]\ncommand={{ cmd }}\n  <%= @bl|ock %>\n'), /a template expression: the line renders to text this file does not show/);
  // A key line holding template code is a key as before.
  assert.match(hoverAt('[program:x]\nnum|procs={{ n }}\n'), /numprocs/);
  assert.doesNotMatch(hoverAt('[program:x]\ncommand=ls\nnum|procs=2\n'), /Template code/);
});

test('the template hook tells statement lines from lines that render to text', () => {
  const doc = parse('{% for w in workers %}\n[program:{{ w }}]\ncommand={{ cmd }}\n{% endfor %} ; note\n{{ extra }}\n{% if a %}{{ b }}{% endif %}\n');
  assert.ok(detectTemplate(doc));
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((line) => templateLineKind(doc, line)), ['statements', undefined, undefined, 'statements', 'text', 'text']);
  assert.equal(templateLineKind(parse('[program:x]\ncommand=ls\n'), 0), undefined);
  assert.deepEqual(templateSpans('a {{ b }} <%= c %> ${D} $E').length, 3);
});
