/**
 * Differential test against supervisor itself: for every real config of the corpus (templates left
 * out), for our own tricky fixtures, and for mutated copies of the accepted real configs (one bad
 * value, key or section injected per copy), supervisor refuses the file exactly when we report at
 * least one error, and our error sits in the section supervisor names. One oracle run for all files.
 *
 * Environment-dependent verdicts (a user, group or plugin missing on this machine) are left out, and
 * %(ENV_X)s variables the files use are set for the oracle run so that those files are compared too.
 * Known disagreements, each with its reason, are listed in KNOWN and printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../../../server/src/core/analyze';
import { parse } from '../../../server/src/core/model/parse';
import { detectTemplate } from '../../../server/src/core/rules/schema/template';
import type { Finding } from '../../../server/src/core/rules/rule';
import { corpusFiles, CORPUS_DIR, readText } from '../../support/paths';
import { oracleUnavailable, runOracle, type OracleResult } from '../../support/oracle';

const corpus = corpusFiles();
const skip = corpus.skip ?? oracleUnavailable();

/** Verdicts that depend on the machine reading the file, not on the file. */
const ENV_DEPENDENT = [/Invalid sockchown value/, /Invalid socket_owner value/, /Invalid user (name|id)/, /Invalid group (name|id)/, /cannot be resolved within/, /contains names \('ENV_/, /is not an existing directory/, /does not exist/];

/** Our own fixtures: tricky spellings supervisor accepts, and mistakes it refuses. */
const FIXTURES: Record<string, string> = {
  'booleans.conf': '[supervisord]\n[program:a]\ncommand=ls\nautostart=On\nautorestart=YES\nstopasgroup=0\nkillasgroup=off\nredirect_stderr=TRUE\n',
  'numbers.conf': '[supervisord]\nminfds= 1_024\n[program:a]\ncommand=ls\nnumprocs=+2\nprocess_name=%(program_name)s-%(process_num)d\nstartsecs=007\n',
  'sizes.conf': '[supervisord]\nlogfile_maxbytes=1gb\n[program:a]\ncommand=ls\nstdout_logfile_maxbytes=50 MB\nstderr_logfile_maxbytes=0\n',
  'size-bad.conf': '[supervisord]\n[program:a]\ncommand=ls\nstdout_logfile_maxbytes=50M\n',
  'signals.conf': '[supervisord]\n[program:a]\ncommand=ls\nstopsignal=sigterm\n[program:b]\ncommand=ls\nstopsignal=9\n[program:c]\ncommand=ls\nstopsignal=RTMIN\n',
  'signal-bad.conf': '[supervisord]\n[program:a]\ncommand=ls\nstopsignal=SIGTERMINATE\n',
  'exitcodes.conf': '[supervisord]\n[program:a]\ncommand=ls\nexitcodes=0, 2,255\n',
  'exitcodes-bad.conf': '[supervisord]\n[program:a]\ncommand=ls\nexitcodes=0;2\n',
  'umask.conf': '[supervisord]\numask=0o22\n[program:a]\ncommand=ls\numask=002\n',
  'umask-bad.conf': '[supervisord]\n[program:a]\ncommand=ls\numask=089\n',
  'loglevel-warning.conf': '[supervisord]\nloglevel=warning\n',
  'loglevel-warn.conf': '[supervisord]\nloglevel=WARN\n',
  'autorestart-always.conf': '[supervisord]\n[program:a]\ncommand=ls\nautorestart=always\n',
  'env-ok.conf': '[supervisord]\nenvironment=A="x y",B=1\n[program:a]\ncommand=ls\nenvironment=A="b@c",B=\'q\',C=x y, D=/usr/bin:/bin\n',
  'env-bad.conf': '[supervisord]\n[program:a]\ncommand=ls\nenvironment=BROKER=redis://u:p@host/0\n',
  'env-empty.conf': '[supervisord]\n[program:a]\ncommand=ls\nenvironment=A=,B=1\n',
  'env-unclosed.conf': '[supervisord]\n[program:a]\ncommand=ls\nenvironment=A="x\n',
  'env-percent-twice.conf': '[supervisord]\nenvironment=A="50%%"\n',
  'env-percent-four.conf': '[supervisord]\nenvironment=A="50%%%%"\n',
  'env-host-node.conf': '[supervisord]\nenvironment=H="%(host_node_name)s"\n',
  'env-host-node-escaped.conf': '[supervisord]\nenvironment=H="%%(host_node_name)s"\n',
  'celery-h.conf': '[supervisord]\n[program:w]\ncommand=celery -A p worker -n w@%h\n',
  'celery-hh.conf': '[supervisord]\n[program:w]\ncommand=celery -A p worker -n w@%%h --logfile=/var/log/%%n%%I.log\n',
  'percent-s-typed.conf': '[supervisord]\n[program:w]\ncommand=ls\nautostart=%s\n',
  'percent-s-socket.conf': '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=unix:///tmp/%s.sock\n',
  'here-typed.conf': '[supervisord]\numask=%(here)s\n',
  'here-group.conf': '[supervisord]\n[program:w]\ncommand=ls\n[group:g]\nprograms=%(here)s\npriority=%(here).0s5\n',
  'default-bad.conf': '[DEFAULT]\nautostart=maybe\n[supervisord]\n[program:w]\ncommand=ls\n',
  'default-ok.conf': '[DEFAULT]\nautostart=maybe\n[supervisord]\nloglevel=info\n[program:w]\ncommand=ls\nautostart=true\n',
  'percent-s.conf': '[supervisord]\n[program:w]\ncommand=echo 100% sure\n',
  'logfile-percent.conf': '[supervisord]\n[program:w]\ncommand=ls\nstdout_logfile=/var/log/w-%%.log\n',
  'logfile-percent4.conf': '[supervisord]\n[program:w]\ncommand=ls\nstdout_logfile=/var/log/w-%%%%.log\n',
  'expansions.conf': '[supervisord]\n[program:w]\ncommand=ls %(program_name)s %(group_name)s %(host_node_name)s %(process_num)02d %(numprocs)d %(here)s\nnumprocs=1\ndirectory=%(here)s/%(process_num)d\n',
  'expansion-unknown.conf': '[supervisord]\n[program:w]\ncommand=ls %(process_number)s\n',
  'expansion-not-allowed.conf': '[supervisord]\n[program:w]\ncommand=ls\nnumprocs=%(process_num)s\n',
  'priority-program-name.conf': '[supervisord]\n[program:w]\ncommand=ls\npriority=%(program_name)s\n',
  'numprocs-no-num.conf': '[supervisord]\n[program:w]\ncommand=ls\nnumprocs=2\n',
  'numprocs-zero.conf': '[supervisord]\n[program:w]\nnumprocs=0\n',
  'stopasgroup.conf': '[supervisord]\n[program:w]\ncommand=ls\nstopasgroup=true\nkillasgroup=false\n',
  'listener-redirect.conf': '[supervisord]\n[eventlistener:l]\ncommand=ls\nevents=TICK_60\nredirect_stderr=true\n',
  'listener-events.conf': '[supervisord]\n[eventlistener:l]\ncommand=ls\nevents=tick_60, PROCESS_STATE\n',
  'listener-tick30.conf': '[supervisord]\n[eventlistener:l]\ncommand=ls\nevents=TICK_30\n',
  'listener-no-events.conf': '[supervisord]\n[eventlistener:l]\ncommand=ls\n',
  'group-unknown.conf': '[supervisord]\n[program:a]\ncommand=ls\n[group:g]\nprograms=a,b\n',
  'group-ok.conf': '[supervisord]\n[program:a]\ncommand=ls\n[fcgi-program:b]\ncommand=ls\nsocket=unix:///tmp/b.sock\n[group:g]\nprograms=a, b\n',
  'group-listener.conf': '[supervisord]\n[eventlistener:l]\ncommand=ls\nevents=TICK_60\n[group:g]\nprograms=l\n',
  'group-empty.conf': '[supervisord]\n[group:g]\n',
  'names.conf': '[supervisord]\n[program:my app]\ncommand=ls\n',
  'name-empty.conf': '[supervisord]\n[program:]\ncommand=ls\n',
  'unknown.conf': '[supervisord]\n[Program:x]\ncommand=ls %h\n[programs:y]\nnumprocs=zz\n[program:z]\ncommand=ls\nstartsects=abc\nloglevel=warning\n',
  'servers.conf': '[supervisord]\n[unix_http_server]\nfile=/tmp/s.sock\nchmod=0770\n[inet_http_server]\nport=*:9001\nusername=u\npassword={SHA}x\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n',
  'server-port-bad.conf': '[supervisord]\n[inet_http_server]\nport=127.0.0.1:99999\n',
  'server-auth.conf': '[supervisord]\n[unix_http_server]\nfile=/tmp/s.sock\npassword=x\n',
  'server-chmod.conf': '[supervisord]\n[unix_http_server]\nfile=/tmp/s.sock\nchmod=rw\n',
  'rpc-missing-factory.conf': '[supervisord]\n[rpcinterface:supervisor]\n',
  'rpc-dot.conf': '[supervisord]\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor/rpcinterface:make\n',
  'include-no-files.conf': '[supervisord]\n[include]\n',
  'fcgi-bad.conf': '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=unix://relative.sock\n',
  'fcgi-mode-tcp.conf': '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=tcp://localhost:8000\nsocket_mode=0700\n',
  'fcgi-grouped.conf': '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=unix://relative.sock\nsocket_mode=999\nuser=%(program_name)s\n[group:g]\nprograms=f\n',
  'fcgi-backlog.conf': '[supervisord]\n[fcgi-program:f]\ncommand=ls\nsocket=tcp://localhost:8000\nsocket_backlog=0\n',
  'buffer-size.conf': '[supervisord]\n[eventlistener:l]\ncommand=ls\nevents=TICK_5\nbuffer_size=0\n',
  'supervisorctl-percent.conf': '[supervisord]\n[supervisorctl]\nprompt=50%\n',
  'numprocs0-bad-command.conf': '[supervisord]\n[program:w]\nnumprocs=0\ncommand=ls %h\n',
  'duplicate-later-wins.conf': '[supervisord]\n[program:w]\ncommand=ls\nautostart=maybe\nautostart=true\n',
  'repeated-header.conf': '[supervisord]\n[program:w]\ncommand=ls\n[program:w]\nnumprocs=3\n',
  'continuation.conf': '[supervisord]\n[program:w]\ncommand=celery -A p worker\n    -n w@%%h\n    -l info\nenvironment=A="1",\n    B="2"\n',
  'crlf.conf': '[supervisord]\r\n[program:w]\r\ncommand=ls\r\nautostart=nope\r\n',
  'fragment-ok.conf': '[program:w]\ncommand=celery -A p worker -n w@%%h\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n',
  'fragment-bad.conf': '[program:w]\ncommand=ls\nstartretries=three\n',
};

interface Mutation {
  label: string;
  apply(text: string): string | undefined;
}

function lines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/** Inserts lines right after the header of the first section whose name matches. */
function insertAfterHeader(match: (name: string) => boolean, added: string[]): (text: string) => string | undefined {
  return (text) => {
    const ls = lines(text);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    for (let i = 0; i < ls.length; i++) {
      const m = /^\[([^\]]+)\]/.exec(ls[i]);
      if (m && match(m[1])) {
        ls.splice(i + 1, 0, ...added);
        return ls.join(eol);
      }
    }
    return undefined;
  };
}

function append(added: string[]): (text: string) => string {
  return (text) => `${text}${text.endsWith('\n') ? '' : '\n'}\n${added.join('\n')}\n`;
}

const inProgram = (name: string) => name.startsWith('program:');
const inSupervisord = (name: string) => name === 'supervisord';
const inListener = (name: string) => name.startsWith('eventlistener:');

const MUTATIONS: Mutation[] = [
  ...[
    'autostart=maybe', 'autostart=On', 'autorestart=always', 'autorestart=Unexpected', 'numprocs=two', 'numprocs=2', 'numprocs=0', 'numprocs= 1',
    'startsecs=10s', 'startsecs=-1', 'startretries=1_0', 'stopsignal=TERMINATE', 'stopsignal=sigquit', 'stopsignal=99', 'stopwaitsecs=600 ; ten minutes',
    'exitcodes=0;2', 'exitcodes=0,256', 'exitcodes=0, 2', 'stdout_logfile_maxbytes=50M', 'stdout_logfile_maxbytes=1.5GB', 'stderr_logfile_backups=ten',
    'umask=089', 'umask=0o27', 'priority=high', 'priority=%s', 'priority=%(program_name)s', 'redirect_stderr=maybe', 'stopasgroup=true', 'killasgroup=false',
    'environment=A=x@y', 'environment=A=x y', 'environment=A="x@y",B=', 'environment=A="unclosed', 'environment=PATH="/usr/bin:%(ENV_PATH)s"',
    'command=celery -A proj worker -n worker@%h', 'command=celery -A proj worker -n worker@%%h', 'command=ls %(process_number)s', 'command=ls %(program_name)d',
    'command=ls 100%', 'command=ls %(numprocs)d', 'stdout_logfile=/var/log/x-%%.log', 'stdout_logfile=/var/log/x-%%%%.log', 'stdout_logfile=/var/log/%(program_name)s-%(process_num)d.log',
    'process_name=%(program_name)s_%(process_num)02d', 'process_name=my worker', 'numprocs_start=%(process_num)s', 'directory=%(here)s', 'user=%(program_name)s',
    'startsects=5', 'loglevel=debug', 'events=TICK_60', 'serverurl=AUTO', 'stdout_syslog=yes', 'stdout_events_enabled=1', 'stderr_capture_maxbytes=1MB',
  ].map((line) => ({ label: `[program] ${line}`, apply: insertAfterHeader(inProgram, [line]) })),
  ...['loglevel=warning', 'loglevel=WARN', 'loglevel=verbose', 'minfds=lots', 'nodaemon=yes', 'logfile_maxbytes=50MiB', 'umask=8', 'environment=A="50%"', 'environment=A="50%%%%"', 'environment=H=%(host_node_name)s', 'identifier=%(here)s', 'childlogdir=%(program_name)s', 'strip_ansi=sometimes'].map(
    (line) => ({ label: `[supervisord] ${line}`, apply: insertAfterHeader(inSupervisord, [line]) }),
  ),
  ...['redirect_stderr=true', 'buffer_size=0', 'events=TICK_30', 'events=TICK_60 TICK_5', 'result_handler=foo bar', 'priority=%(program_name)s'].map((line) => ({
    label: `[eventlistener] ${line}`,
    apply: insertAfterHeader(inListener, [line]),
  })),
  { label: 'group naming a missing program', apply: append(['[group:mutant]', 'programs=no_such_program']) },
  { label: 'group with a trailing comma', apply: append(['[group:mutant]', 'programs=']) },
  { label: 'wrong-case section', apply: append(['[Program:mutant]', 'command=ls %h']) },
  { label: 'unknown section', apply: append(['[programs:mutant]', 'numprocs=x']) },
  { label: 'program without command', apply: append(['[program:mutant]', 'numprocs=1']) },
  { label: 'fcgi without socket', apply: append(['[fcgi-program:mutant]', 'command=ls']) },
  { label: 'fcgi with a relative socket', apply: append(['[fcgi-program:mutant]', 'command=ls', 'socket=unix://x.sock']) },
  { label: 'listener without events', apply: append(['[eventlistener:mutant]', 'command=ls']) },
  { label: 'inet server with a bad port', apply: append(['[inet_http_server:mutant]', 'port=localhost:http']) },
  { label: 'unix server without file', apply: append(['[unix_http_server_mutant]', 'chmod=0700']) },
  { label: 'rpcinterface without factory', apply: append(['[rpcinterface:mutant]', 'retries=1']) },
  { label: 'program name with a space', apply: append(['[program:mutant x]', 'command=ls']) },
  { label: 'duplicate name across kinds', apply: append(['[eventlistener:mutant]', 'command=ls', 'events=TICK_5', '[program:mutant]', 'command=ls']) },
];

function isEnvDependent(r: OracleResult): boolean {
  return r.env_dependent || ENV_DEPENDENT.some((re) => re.test(r.semantic));
}

function refused(r: OracleResult): boolean {
  return r.parse !== 'ok' || (r.semantic !== 'ok' && !isEnvDependent(r));
}

/** The section supervisor's message names, if any. */
function namedSection(message: string): string | undefined {
  return /in section '([^']+)'/.exec(message)?.[1] ?? /for '([^'.]+)\.[^']+'/.exec(message)?.[1] ?? /\[([^\]]+)\]/.exec(message)?.[1] ?? /section \[([^\]]+)\]/.exec(message)?.[1];
}

/** Our errors sit in the named section (when supervisor names one). */
function inNamedSection(text: string, errors: Finding[], message: string): boolean {
  const name = namedSection(message);
  if (!name) return true;
  if (/names unknown program/.test(message)) return errors.some((f) => f.code === 'group-unknown-program'); // 4.2.5 may name the wrong section here
  // A [DEFAULT] key is refused in the section that inherits it; the error sits on the [DEFAULT] line and names that section.
  if (errors.some((f) => f.code === 'default-section' && f.message.includes(`in [${name}] `))) return true;
  const doc = parse(text);
  const spans = doc.sections.filter((s) => s.name === name).map((s) => [s.headerLine, s.endLine] as const);
  if (!spans.length) return true;
  return errors.some((f) => spans.some(([a, b]) => f.range.start.line >= a && f.range.start.line <= b));
}

interface Case {
  file: string;
  label: string;
  text: string;
  fragment: boolean;
}

/**
 * Disagreements we keep on purpose, each with its reason. The oracle reads a fragment on its own (with
 * a [supervisord] added), while supervisor really reads it merged with the main file and the other
 * included files: a [group:x] there may name programs another file defines.
 */
const KNOWN: { reason: string; applies(c: Case, oracle: OracleResult, errors: Finding[]): boolean }[] = [
  {
    reason:
      'a [group:x] in a fragment (or in a main file with [include]) names a program this file does not define: supervisor checks that on the merged configuration, where another included file may define it, so we report a warning or information instead of an error',
    applies: (c, oracle, errors) => /names unknown program or fcgi-program \S/.test(oracle.semantic) && !errors.length && (c.fragment || /^\[include\]/m.test(c.text)),
  },
];

test('our errors agree with supervisor\'s verdict on the corpus, our fixtures and mutated corpus files', { skip, timeout: 600_000 }, () => {
  const manifest = new Map<string, boolean>();
  const manifestPath = path.join(CORPUS_DIR, 'MANIFEST.tsv');
  if (fs.existsSync(manifestPath)) {
    for (const row of fs.readFileSync(manifestPath, 'utf8').split('\n').slice(1)) {
      const cols = row.split('\t');
      if (cols.length > 6) manifest.set(cols[0], cols[6] === 'yes');
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'differential-semantic-'));
  const cases: Case[] = [];
  const add = (label: string, text: string) => {
    const file = path.join(dir, `${cases.length}.conf`);
    fs.writeFileSync(file, text);
    cases.push({ file, label, text, fragment: !parse(text).sections.some((s) => s.name === 'supervisord') });
  };
  let templated = 0;
  const real: { name: string; text: string }[] = [];
  for (const file of corpus.files) {
    const name = path.basename(file);
    const text = readText(file);
    if (manifest.get(name) || detectTemplate(parse(text))) {
      templated++;
      continue;
    }
    real.push({ name, text });
    add(name, text);
  }
  for (const [name, text] of Object.entries(FIXTURES)) add(`fixture ${name}`, text);

  // %(ENV_X)s names: give the oracle a value for each, so those files are compared too.
  const envNames = new Set<string>();
  const setEnv: string[] = [];
  try {
    const first = runWithEnv(cases, envNames, setEnv);
    // Mutants of the real configs supervisor accepts.
    let m = 0;
    real.forEach((r, i) => {
      const verdict = first.get(cases[i].file)!;
      if (refused(verdict)) return;
      MUTATIONS.forEach((mutation, j) => {
        if ((i + j) % 4 !== 0) return;
        const mutated = mutation.apply(r.text);
        if (mutated === undefined || mutated === r.text) return;
        add(`${r.name} + ${mutation.label}`, mutated);
        m++;
      });
    });
    const results = runWithEnv(cases, envNames, setEnv);
    let compared = 0;
    let agreed = 0;
    let refusedCount = 0;
    let envSkipped = 0;
    const disagreements: string[] = [];
    const known = new Map<string, string[]>();
    for (const c of cases) {
      const r = results.get(c.file)!;
      if (r.parse === 'ok' && r.semantic !== 'ok' && isEnvDependent(r)) {
        envSkipped++;
        continue;
      }
      compared++;
      const errors = analyzeText(c.text).findings.filter((f) => f.severity === 'error');
      const theyRefuse = refused(r);
      if (theyRefuse) refusedCount++;
      const verdict = theyRefuse ? `supervisor refuses (${r.parse !== 'ok' ? r.parse : r.semantic.slice(0, 200)})` : 'supervisor accepts';
      const ok = theyRefuse ? errors.length > 0 && (r.parse !== 'ok' || inNamedSection(c.text, errors, r.semantic)) : errors.length === 0;
      if (ok) {
        agreed++;
        continue;
      }
      const line = `${c.label}: ${verdict}; we report ${errors.length ? errors.map((f) => `${f.code}@${f.range.start.line + 1}`).join(', ') : 'no error'}`;
      const k = KNOWN.find((x) => x.applies(c, r, errors));
      if (k) known.set(k.reason, [...(known.get(k.reason) ?? []), c.label]);
      else disagreements.push(line);
    }
    console.log(
      `differential-semantic: ${compared} files compared (${real.length} real configs, ${Object.keys(FIXTURES).length} fixtures, ${m} mutants; ${templated} templates and ${envSkipped} environment-dependent verdicts left out), ${refusedCount} refused by supervisor, ${agreed} agreements, ${[...known.values()].reduce((n, l) => n + l.length, 0)} known disagreements, ${disagreements.length} other disagreements`,
    );
    for (const [reason, labels] of known) console.log(`  known (${labels.length}): ${reason}; e.g. ${labels.slice(0, 3).join('; ')}`);
    assert.equal(disagreements.length, 0, `disagreements with supervisor:\n${disagreements.join('\n')}`);
  } finally {
    for (const n of setEnv) delete process.env[n];
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function runWithEnv(cases: Case[], envNames: Set<string>, setEnv: string[]): Map<string, OracleResult> {
  for (const c of cases) for (const m of c.text.matchAll(/%\(ENV_([A-Za-z0-9_]+)\)/g)) envNames.add(m[1]);
  for (const n of envNames) {
    if (process.env[n] === undefined) {
      process.env[n] = '1';
      setEnv.push(n);
    }
  }
  return runOracle(cases.map((c) => c.file));
}
