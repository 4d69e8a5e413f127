/**
 * The catalogue covers the reference schema, hover and completion work for every key it lists, and
 * the expansions each key accepts agree with supervisor itself (one oracle run over every key × name).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '../../../server/src/core/model/parse';
import { hover } from '../../../server/src/core/features/hover';
import { completion } from '../../../server/src/core/features/completion';
import { analyzeText } from '../../../server/src/core/analyze';
import { SECTION_SPECS, keySpec, resolveSection, sectionSpec } from '../../../server/src/core/catalog/keys';
import { SECTION_KINDS, sectionKind } from '../../../server/src/core/catalog/sections';
import { SHARED_DIR } from '../../support/paths';
import { oracleUnavailable, runOracle } from '../../support/oracle';

const SCHEMA = path.join(SHARED_DIR, 'reference', 'supervisor-schema.json');
const noSchema = fs.existsSync(SCHEMA) ? undefined : `reference schema not found at ${SCHEMA}`;

interface RefKey {
  required: boolean;
  default: unknown;
  allowed_values?: string[];
}

test('every section kind and key of the reference schema is in the catalogue', { skip: noSchema }, () => {
  const ref = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as { section_kinds: Record<string, { named: boolean; keys: Record<string, RefKey> }> };
  let keys = 0;
  for (const [kind, s] of Object.entries(ref.section_kinds)) {
    const spec = sectionSpec(kind);
    assert.ok(spec, kind);
    assert.equal(spec.named, s.named, kind);
    for (const [name, k] of Object.entries(s.keys)) {
      if (name === '*') {
        assert.ok(spec.openKeys, `${kind} takes any key`);
        continue;
      }
      const ours = keySpec(kind, name);
      assert.ok(ours, `${kind}.${name}`);
      keys++;
      // The reference calls [group:x] programs required, but supervisor accepts a group without it.
      if (!(kind === 'group' && name === 'programs')) assert.equal(!!ours.required, k.required, `${kind}.${name} required`);
      assert.ok(ours.summary.length > 20 && ours.example, `${kind}.${name} docs`);
      if (k.allowed_values && k.allowed_values.length <= 12 && ours.type !== 'signal') {
        for (const v of ours.values ?? []) assert.ok(k.allowed_values.includes(v), `${kind}.${name}: ${v}`);
      }
    }
    assert.equal(spec.keys.length, Object.keys(s.keys).filter((n) => n !== '*').length, `${kind}: no extra keys`);
  }
  assert.equal(keys, 138);
});

test('the compact view in sections.ts stays in step with the catalogue', () => {
  assert.equal(SECTION_KINDS.length, SECTION_SPECS.length);
  assert.deepEqual(sectionKind('program')?.required, ['command']);
  assert.deepEqual(sectionKind('fcgi-program')?.required, ['command', 'socket']);
  assert.equal(sectionKind('nope'), undefined);
});

test('section names resolve as supervisor reads them', () => {
  assert.equal(resolveSection('program:w')?.spec.kind, 'program');
  assert.equal(resolveSection('program:')?.label, '');
  assert.equal(resolveSection('program'), undefined);
  assert.equal(resolveSection('Program:w'), undefined);
  assert.equal(resolveSection('supervisord:x'), undefined);
  assert.equal(resolveSection('unix_http_server_2')?.spec.kind, 'unix_http_server');
  assert.equal(resolveSection('inet_http_server:a')?.spec.kind, 'inet_http_server');
});

test('hover and completion work for every key of every section kind', () => {
  let checked = 0;
  for (const s of SECTION_SPECS) {
    const header = s.named ? `[${s.kind}:x]` : `[${s.kind}]`;
    const empty = parse(`${header}\n\n`);
    const offered = completion(empty, { line: 1, character: 0 }).items.map((c) => c.label);
    for (const k of s.keys) {
      assert.ok(offered.includes(k.name), `completion of ${k.name} in ${header}`);
      const doc = parse(`${header}\n${k.name}=${k.example}\n`);
      const h = hover(doc, { line: 1, character: 1 });
      assert.ok(h, `hover on ${header} ${k.name}`);
      assert.ok(h.markdown.includes(`**${k.name}**`), `the hover names ${k.name} literally`);
      assert.ok(h.markdown.includes('supervisord.org/configuration.html'), `${k.name}: link`);
      assert.ok(h.markdown.includes(k.default ?? k.summary.slice(0, 10)), `${k.name}: default or summary`);
      checked++;
    }
    const sh = hover(parse(`${header}\n`), { line: 0, character: 1 });
    assert.ok(sh && sh.markdown.includes(s.docs), `hover on ${header}`);
  }
  assert.equal(checked, 138);
});

test('the expansions each key accepts agree with supervisor', { skip: noSchema ?? oracleUnavailable(), timeout: 120_000 }, () => {
  const names = ['here', 'program_name', 'group_name', 'host_node_name', 'process_num', 'numprocs'];
  const base: Record<string, string> = {
    program: '[program:x]\ncommand=ls\n',
    'fcgi-program': '[fcgi-program:x]\ncommand=ls\nsocket=tcp://localhost:9000\n',
    eventlistener: '[eventlistener:x]\ncommand=ls\nevents=TICK_5\n',
    supervisord: '',
    unix_http_server: '[unix_http_server]\nfile=/tmp/s.sock\n',
    inet_http_server: '[inet_http_server]\nport=9001\n',
    group: '[program:x]\ncommand=ls\n[group:g]\nprograms=x\n',
    include: '[include]\n',
    rpcinterface: '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n',
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'expansions-'));
  const cases: { file: string; text: string; label: string }[] = [];
  try {
    for (const s of SECTION_SPECS) {
      if (s.readBy !== 'supervisord') continue;
      for (const k of s.keys) {
        for (const n of names) {
          const kept = base[s.kind].split('\n').filter((l) => !l.startsWith(`${k.name}=`) && !l.startsWith(`${k.name} =`));
          const section = s.kind === 'supervisord' ? '' : kept.join('\n');
          const text = `[supervisord]\n${s.kind === 'supervisord' ? '' : `${section}${section.endsWith('\n') ? '' : '\n'}`}${k.name}=%(${n})s\n`;
          const file = path.join(dir, `${cases.length}.conf`);
          fs.writeFileSync(file, text);
          cases.push({ file, text, label: `[${s.kind}] ${k.name}=%(${n})s` });
        }
      }
    }
    const results = runOracle(cases.map((c) => c.file));
    for (const c of cases) {
      const theirs = !/which cannot be expanded/.test(results.get(c.file)!.semantic);
      const ours = !analyzeText(c.text).findings.some((f) => f.code === 'expansion-not-allowed');
      assert.equal(ours, theirs, `${c.label}: supervisor ${theirs ? 'expands it' : 'refuses the name'}`);
    }
    console.log(`${cases.length} key × expansion pairs agree with supervisor`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
