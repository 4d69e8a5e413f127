/**
 * Differential: the process groups and process names our deployment computes (what hovers, inlay hints,
 * completion and the memmon rules rely on) against supervisor's own ServerOptions, on the real corpus
 * and on our own tricky fixtures.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { corpusFiles, readText, REPO_ROOT } from '../../support/paths';
import { oracleUnavailable } from '../../support/oracle';

const SCRIPT = path.join(REPO_ROOT, 'test', 'support', 'process_groups.py');

interface SupervisorGroups {
  file: string;
  groups?: Record<string, string[]>;
  error?: string;
}

function supervisorGroups(files: string[]): Map<string, SupervisorGroups> {
  const r = spawnSync('/usr/bin/python3', [SCRIPT, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`process_groups.py failed: ${r.stderr}`);
  return new Map(r.stdout.trim().split('\n').map((line) => [JSON.parse(line).file, JSON.parse(line) as SupervisorGroups]));
}

/** Our groups, in supervisor's shape; undefined when a name depends on the server (host name, environment). */
function ourGroups(text: string): Record<string, string[]> | undefined {
  const groups: Record<string, string[]> = {};
  for (const p of buildDeployment(parse(text)).programs) {
    if (!p.processNames) return undefined;
    (groups[p.group] ??= []).push(...p.processNames);
  }
  return groups;
}

/** Groups with their process names sorted, empty groups left out (supervisor's order is not ours to copy). */
function normalised(groups: Record<string, string[]>): [string, string[]][] {
  return Object.entries(groups)
    .filter(([, names]) => names.length > 0)
    .map(([name, names]): [string, string[]] => [name, [...names].sort()])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const FIXTURES: Record<string, string> = {
  'spaces-around-names.conf': '[program: worker]\ncommand=celery -A p worker\n\n[group:app ]\nprograms=web\n\n[program:web]\ncommand=gunicorn\n',
  'numbered.conf': '[program:worker]\ncommand=x\nnumprocs=3\nnumprocs_start=5\nprocess_name=%(program_name)s-%(group_name)s-%(process_num)03d\n[group:celery]\nprograms=worker\n',
  'fcgi-and-listeners.conf':
    '[fcgi-program:php]\ncommand=php-cgi\nsocket=tcp://127.0.0.1:9000\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\n\n[eventlistener:memmon]\ncommand=memmon -p php_0=1GB\nevents=TICK_60\n\n[group:web]\nprograms=php\n',
  'numprocs-zero.conf': '[program:idle]\ncommand=x\nnumprocs=0\nprocess_name=%(program_name)s_%(process_num)d\n[program:one]\ncommand=y\nprocess_name=fixed\n',
  'percent-literal.conf': '[program:w]\ncommand=x\nnumprocs=2\nprocess_name=w%%_%(process_num)02d\n',
  // supervisor strips the template (process_or_group_name) before it expands it.
  // Python's printf flags, width and precision, and %r: as supervisor formats the names.
  'printf-flags.conf':
    '[program:a]\ncommand=x\nnumprocs=2\nprocess_name=%(program_name)r%(process_num)+05d\n' +
    '[program:b]\ncommand=x\nnumprocs=2\nprocess_name=%(program_name)5s%(process_num).3d%(numprocs)-3d\n' +
    '[program:c]\ncommand=x\nnumprocs=2\nprocess_name=%(group_name)-4s|%(process_num)-+3d|%(program_name).0s\n',
  // numprocs and numprocs_start as Python's int() reads them: a sign, underscores between digits.
  'int-spellings.conf': '[program:w]\ncommand=x\nnumprocs=+2\nprocess_name=%(program_name)s_%(process_num)s\n[program:v]\ncommand=y\nnumprocs= 1_0 \nnumprocs_start=0_1\nprocess_name=%(program_name)s_%(process_num)s\n',
  // An event listener's pool keeps the spaces of its header (pool_name is not stripped); its process name is stripped.
  'spaced-listener.conf': '[eventlistener: memmon ]\ncommand=memmon -a 1GB\nevents=TICK_60\nprocess_name=%(program_name)s-%(group_name)s\n[program:w]\ncommand=x\n',
  'template-on-a-continuation-line.conf': '[program:a]\ncommand=x\nnumprocs = 2\nprocess_name=\n  %(program_name)s_%(process_num)d\n',
};

let fixtureDir = '';
before(() => {
  fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'process-names-'));
  for (const [name, text] of Object.entries(FIXTURES)) fs.writeFileSync(path.join(fixtureDir, name), text);
});
after(() => fs.rmSync(fixtureDir, { recursive: true, force: true }));

const noOracle = oracleUnavailable();

function compare(files: string[]): { compared: number; mismatches: string[] } {
  const theirs = supervisorGroups(files);
  let compared = 0;
  const mismatches: string[] = [];
  for (const file of files) {
    const r = theirs.get(file)!;
    if (!r.groups) continue; // supervisor refuses the file: nothing to compare
    const ours = ourGroups(readText(file));
    if (!ours) continue;
    compared++;
    const a = JSON.stringify(normalised(ours));
    const b = JSON.stringify(normalised(r.groups));
    if (a !== b) mismatches.push(`${path.basename(file)}\n  ours:       ${a}\n  supervisor: ${b}`);
  }
  return { compared, mismatches };
}

test('our process groups and names are supervisor\'s, on our tricky fixtures', { skip: noOracle }, () => {
  const { compared, mismatches } = compare(Object.keys(FIXTURES).map((n) => path.join(fixtureDir, n)));
  assert.deepEqual(mismatches, []);
  assert.equal(compared, Object.keys(FIXTURES).length);
});

const corpus = corpusFiles();
test('our process groups and names are supervisor\'s, on every real config it accepts', { skip: corpus.skip ?? noOracle }, () => {
  const { compared, mismatches } = compare(corpus.files);
  assert.deepEqual(mismatches, []);
  console.log(`${compared} real configs: the same process groups and names as supervisor`);
  assert.ok(compared > 250);
});
