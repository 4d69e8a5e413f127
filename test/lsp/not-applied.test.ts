/**
 * "Not applied yet" against a real supervisord: a config that writes every compared key its own way
 * (spellings, expansions, a deprecated syslog target, a dropped stderr_logfile) shows nothing while
 * supervisord runs it as written, and each edit of one key, not applied, names that key alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '../../server/src/core/model/parse';
import { buildDeployment } from '../../server/src/core/deployment';
import { processStatusLenses, rpcTargetOf, type LiveState } from '../../server/src/core/features/processStatus';
import { SupervisordStatus } from '../../server/src/supervisordStatus';
import { MUST_NOT_SKIP } from '../support/paths';
import { OWN_SUPERVISORD, startSupervisord, stopSupervisord, supervisordUnavailable } from '../support/supervisord';

const unavailable = supervisordUnavailable();
if (unavailable && MUST_NOT_SKIP) throw new Error(`supervisord is required here: ${unavailable}`);

const ME = os.userInfo();

/** `tuned` runs two processes; `quiet` never starts (autostart=no), so its syslog settings need no syslog here. */
const CONFIG = `${OWN_SUPERVISORD}
[program:tuned]
command=/bin/sleep 1000
process_name=%(program_name)s_%(process_num)d
numprocs=2
numprocs_start=1
directory=%(here)s
user=${ME.username}
environment=ROLE="tuned %(process_num)d",LANG=C.UTF-8
priority=5
autostart=yes
startsecs=0
startretries=7
exitcodes=0,2,3
stopsignal=sigint
stopwaitsecs=42
stopasgroup=true
stdout_logfile=%(here)s/%%(program_name)s-%(process_num)d.log
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=3
stdout_capture_maxbytes=64KB
stdout_events_enabled=true
stderr_logfile=NONE
stderr_logfile_maxbytes=0
stderr_logfile_backups=0
serverurl=AUTO

[program:quiet]
command=/bin/sleep 1000
autostart=no
user=${ME.uid}
redirect_stderr=true
stderr_logfile=%(here)s/dropped.log
stdout_logfile=syslog
stderr_syslog=on
stderr_events_enabled=1
stderr_capture_maxbytes=1KB
serverurl=unix://%(here)s/quiet.sock

[program:grouped]
command=/bin/sleep 1000
autostart=false

[program:other]
command=/bin/sleep 1000
autostart=false

[group:site]
programs=grouped,other
priority=77
`;

/** Edits of one key each, and the key the lens must name. */
const EDITS: [from: string, to: string, key: string][] = [
  ['directory=%(here)s', 'directory=/', 'directory'],
  [`user=${ME.username}`, 'user=nobody', 'user'],
  ['ROLE="tuned %(process_num)d"', 'ROLE="tuned"', 'environment'],
  ['priority=5', 'priority=6', 'priority'],
  ['autostart=yes', 'autostart=no', 'autostart'],
  ['startsecs=0', 'startsecs=1', 'startsecs'],
  ['startretries=7', 'startretries=8', 'startretries'],
  ['exitcodes=0,2,3', 'exitcodes=0,3,2', 'exitcodes'],
  ['stopsignal=sigint', 'stopsignal=TERM', 'stopsignal'],
  ['stopwaitsecs=42', 'stopwaitsecs=600', 'stopwaitsecs'],
  ['stopasgroup=true', 'stopasgroup=false', 'killasgroup'],
  ['%(here)s/%%(program_name)s-%(process_num)d.log', '%(here)s/%%(program_name)s.log', 'stdout_logfile'],
  ['stdout_logfile_maxbytes=1MB', 'stdout_logfile_maxbytes=1048577', 'stdout_logfile_maxbytes'],
  ['stdout_logfile_backups=3', 'stdout_logfile_backups=4', 'stdout_logfile_backups'],
  ['stdout_capture_maxbytes=64KB', 'stdout_capture_maxbytes=0', 'stdout_capture_maxbytes'],
  ['stdout_events_enabled=true', 'stdout_events_enabled=false', 'stdout_events_enabled'],
  ['stderr_logfile=NONE', 'stderr_logfile=AUTO', 'stderr_logfile'],
  ['stderr_logfile_maxbytes=0', 'stderr_logfile_maxbytes=1KB', 'stderr_logfile_maxbytes'],
  ['stderr_logfile_backups=0', 'stderr_logfile_backups=1', 'stderr_logfile_backups'],
  // quiet's
  ['redirect_stderr=true', 'redirect_stderr=false', 'redirect_stderr, stderr_logfile'],
  ['stdout_logfile=syslog', 'stdout_logfile=NONE', 'stdout_syslog'],
  [`user=${ME.uid}`, '', 'user'],
  ['stderr_syslog=on', 'stderr_syslog=off', 'stderr_syslog'],
  ['stderr_events_enabled=1', 'stderr_events_enabled=0', 'stderr_events_enabled'],
  ['stderr_capture_maxbytes=1KB', 'stderr_capture_maxbytes=1025', 'stderr_capture_maxbytes'],
  ['serverurl=unix://%(here)s/quiet.sock', 'serverurl=auto', 'serverurl'],
  ['serverurl=AUTO', 'serverurl=http://127.0.0.1:9001', 'serverurl'],
];

test('every compared key read as supervisor reads it: nothing to apply as written, each edit named alone', { skip: unavailable }, async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'not-applied-')));
  const main = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(main, CONFIG);
  let daemon: ChildProcess | undefined;
  try {
    daemon = startSupervisord(main);
    const target = rpcTargetOf(parse(CONFIG), main)!;
    const status = new SupervisordStatus(0);
    let live: LiveState | undefined;
    for (const end = Date.now() + 15_000; !live?.processes.filter((p) => p.statename === 'RUNNING').length || live.processes.some((p) => p.statename === 'STARTING'); ) {
      assert.ok(Date.now() < end, `supervisord running tuned: ${JSON.stringify(live?.processes)}`);
      await new Promise((r) => setTimeout(r, 200));
      live = await status.stateOf(main, target);
    }
    const unapplied = (text: string) => {
      const doc = parse(text);
      return processStatusLenses(doc, buildDeployment(doc), dir, live!)
        .map((l) => l.title)
        .filter((t) => t.includes('not applied'));
    };
    assert.deepEqual(unapplied(CONFIG), [], 'as written');
    for (const [from, to, key] of EDITS) {
      assert.ok(CONFIG.includes(from), from);
      assert.deepEqual(unapplied(CONFIG.replace(from, to)), [`supervisord: not applied yet: ${key} · supervisorctl update restarts it with them`], `${from} -> ${to}`);
    }
    // The priority of a [group:x] of several programs: each of its programs says so.
    const regrouped = CONFIG.replace('priority=77', 'priority=78');
    assert.deepEqual(unapplied(regrouped), ['supervisord: not applied yet: [group:site] priority · supervisorctl update restarts it with them'].flatMap((t) => [t, t]));
    assert.deepEqual(unapplied(CONFIG.replace('priority=77\n', '')), unapplied(regrouped), 'removed: the default, 999');
  } finally {
    await stopSupervisord(daemon);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
