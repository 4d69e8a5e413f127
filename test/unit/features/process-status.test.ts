/** The process status lenses from what supervisord answers, and where supervisorctl would ask it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { processStatusLenses, rpcTargetOf, type LiveState, type ProcessConfigInfo, type ProcessInfo } from '../../../server/src/core/features/processStatus';

const FILE = [
  '[program:web]',
  'command=/srv/venv/bin/gunicorn proj.wsgi',
  '',
  '[program:worker]',
  'command=/srv/venv/bin/celery -A proj worker -n %(program_name)s_%(process_num)02d@%%h',
  '    -l info',
  'process_name=%(program_name)s_%(process_num)02d',
  'numprocs=2',
  '',
  '[program:beat]',
  'command=/srv/venv/bin/celery -A proj beat',
  '',
].join('\n');

function running(name: string, group = name, description = 'pid 4242, uptime 3 days, 2:01:44'): ProcessInfo {
  return { name, group, statename: 'RUNNING', description, stdout_logfile: `/var/log/${name}.log`, stderr_logfile: '' };
}

function loaded(name: string, group: string, command: string, inuse = true): ProcessConfigInfo {
  return { name, group, command, inuse };
}

/** What supervisord says when it runs FILE as it is. */
function asWritten(): LiveState {
  return {
    processes: [running('web'), running('worker_00', 'worker'), running('worker_01', 'worker'), running('beat')],
    configs: [
      loaded('web', 'web', '/srv/venv/bin/gunicorn proj.wsgi'),
      loaded('worker_00', 'worker', '/srv/venv/bin/celery -A proj worker -n worker_00@%h\n-l info'),
      loaded('worker_01', 'worker', '/srv/venv/bin/celery -A proj worker -n worker_01@%h\n-l info'),
      loaded('beat', 'beat', '/srv/venv/bin/celery -A proj beat'),
    ],
  };
}

function lenses(live: LiveState, text = FILE): string[] {
  const doc = parse(text);
  return processStatusLenses(doc, buildDeployment(doc), '/etc/supervisor/conf.d', live).map((l) => `${l.range.start.line}: ${l.title}`);
}

test('a line per program with the state supervisord reports: one process with its description, several counted', () => {
  assert.deepEqual(lenses(asWritten()), [
    '0: supervisord: RUNNING · pid 4242, uptime 3 days, 2:01:44',
    '3: supervisord: 2 RUNNING',
    '9: supervisord: RUNNING · pid 4242, uptime 3 days, 2:01:44',
  ]);
});

test('the worst state first, with the first troubled process and why', () => {
  const live = asWritten();
  live.processes[2] = { ...live.processes[2], statename: 'FATAL', description: 'Exited too quickly (process log may have details)' };
  live.processes[3] = { ...live.processes[3], statename: 'STOPPED', description: 'Nov 26 11:00 AM' };
  assert.deepEqual(lenses(live).slice(1), ['3: supervisord: 1 FATAL, 1 RUNNING · worker_01: Exited too quickly (process log may have details)', '9: supervisord: STOPPED · Nov 26 11:00 AM']);
});

test('catches a program supervisord has not loaded, or read but not started (reread without update)', () => {
  const live = asWritten();
  live.processes = live.processes.filter((p) => p.group !== 'beat');
  assert.equal(lenses(live)[2], '9: supervisord: read, not started · supervisorctl update adds it');
  live.configs = live.configs.filter((p) => p.group !== 'beat');
  assert.equal(lenses(live)[2], '9: supervisord: not loaded · supervisorctl update adds it');
  const doc = parse(FILE);
  const beat = processStatusLenses(doc, buildDeployment(doc), '/etc', live)[2];
  assert.deepEqual(beat.action, { kind: 'update', program: 'beat', group: 'beat' });
});

test('catches a command supervisord runs differently from the file, after expanding names as supervisor does', () => {
  const edited = FILE.replace('    -l info', '    -l info --max-memory-per-child 262144');
  assert.deepEqual(lenses(asWritten(), edited).slice(1, 3), ['3: supervisord: 2 RUNNING', '3: supervisord: not applied yet: command · supervisorctl update restarts it with them']);
  const more = FILE.replace('numprocs=2', 'numprocs=3');
  assert.equal(lenses(asWritten(), more)[2], '3: supervisord: not applied yet: numprocs · supervisorctl update restarts it with them');
});

test('catches processes supervisord still runs that the file no longer names: numprocs lowered, process_name changed', () => {
  const fewer = FILE.replace('numprocs=2', 'numprocs=1');
  assert.deepEqual(lenses(asWritten(), fewer).slice(1, 3), ['3: supervisord: 2 RUNNING', '3: supervisord: not applied yet: numprocs · supervisorctl update restarts it with them']);
  const renamed = FILE.replace('%(program_name)s_%(process_num)02d\nnumprocs', '%(program_name)s-%(process_num)d\nnumprocs');
  assert.deepEqual(lenses(asWritten(), renamed).slice(1, 3), ['3: supervisord: 2 RUNNING', '3: supervisord: not applied yet: process_name · supervisorctl update restarts it with them']);
  // In a [group:x] of several programs, the processes of the others are not this one's.
  const grouped = `${fewer}\n[group:site]\nprograms=worker,web\n`;
  const live = asWritten();
  live.processes = live.processes.map((p) => (p.group === 'beat' ? p : { ...p, group: 'site' }));
  live.configs = live.configs.map((c) => (c.group === 'beat' ? c : { ...c, group: 'site' }));
  assert.equal(lenses(live, grouped)[1], '3: supervisord: RUNNING · pid 4242, uptime 3 days, 2:01:44');
});

test('does not catch the same command re-indented, one with names only supervisord knows, or a program that runs nothing', () => {
  assert.deepEqual(lenses(asWritten(), FILE.replace('    -l info', '\t-l   info')).length, 3);
  const env = FILE.replace('command=/srv/venv/bin/gunicorn proj.wsgi', 'command=%(ENV_HOME)s/venv/bin/gunicorn proj.wsgi');
  assert.deepEqual(lenses(asWritten(), env).length, 3);
  assert.deepEqual(lenses(asWritten(), `${FILE}\n[program:off]\ncommand=/bin/true\nnumprocs=0\n`).length, 3);
  // A process name only supervisord knows, in a group of several programs: not matched.
  const hosted = `${FILE}\n[program:h]\ncommand=/bin/true\nprocess_name=%(host_node_name)s\n\n[group:g]\nprograms=h,web\n`;
  assert.equal(lenses({ processes: [], configs: [] }, hosted).filter((t) => t.startsWith('13:')).length, 0);
});

test('the state lens carries the processes for the click (open a log), and how supervisorctl names them', () => {
  const doc = parse(FILE);
  const [web, worker] = processStatusLenses(doc, buildDeployment(doc), '/etc', asWritten());
  assert.deepEqual(web.action, { kind: 'processes', program: 'web', processes: [running('web')], namespecs: ['web:'] });
  assert.deepEqual(worker.action.kind === 'processes' && worker.action.namespecs, ['worker:'], 'the group of its own processes, as a whole');
  // A [group:x] of several programs: only this program's processes.
  const grouped = parse(`${FILE}\n[group:site]\nprograms=web,beat\n`);
  const live = asWritten();
  live.processes = live.processes.map((p) => (p.group === 'worker' ? p : { ...p, group: 'site' }));
  const [inGroup] = processStatusLenses(grouped, buildDeployment(grouped), '/etc', live);
  assert.deepEqual(inGroup.action.kind === 'processes' && [inGroup.action.namespecs, inGroup.action.sharedGroup], [['site:web'], 'site']);
});

test('where supervisorctl connects: [supervisorctl] serverurl, its default, or the server section; with credentials', () => {
  const target = (text: string) => rpcTargetOf(parse(text), '/etc/supervisor/supervisord.conf');
  assert.deepEqual(target('[unix_http_server]\nfile=/var/run/supervisor.sock\nchmod=0700\n\n[supervisorctl]\nserverurl=unix:///var/run/supervisor.sock\n'), { socketPath: '/var/run/supervisor.sock' });
  assert.deepEqual(target('[supervisorctl]\nserverurl=unix://%(here)s/run/s.sock\nusername=admin\npassword=secret\n'), { socketPath: '/etc/supervisor/run/s.sock', username: 'admin', password: 'secret' });
  assert.deepEqual(target('[supervisorctl]\n'), { host: 'localhost', port: 9001 }, "supervisorctl's default");
  assert.deepEqual(target('[supervisorctl]\nserverurl=http://127.0.0.1:9002\n'), { host: '127.0.0.1', port: 9002 });
  assert.deepEqual(target('[supervisorctl]\nserverurl=http://[::1]:9002\n'), { host: '::1', port: 9002 });
  assert.deepEqual(target('[inet_http_server]\nport=*:9001\nusername=u\npassword=p\n'), { host: 'localhost', port: 9001, username: 'u', password: 'p' }, 'without [supervisorctl]: the server itself');
  assert.deepEqual(target('[unix_http_server]\nfile=%(here)s/s.sock\n'), { socketPath: '/etc/supervisor/s.sock' });
  // A server listening on every interface is this machine's: 0.0.0.0 (redash's docker config), ::, or a port alone.
  for (const port of ['0.0.0.0:9001', '9001']) assert.deepEqual(target(`[inet_http_server]\nport = ${port}\n`), { host: 'localhost', port: 9001 }, port);
  assert.deepEqual(target('[supervisorctl]\nserverurl=http://[::]:9001\n'), { host: 'localhost', port: 9001 });
  for (const unknown of [
    '[supervisord]\n', // no server at all
    '[supervisorctl]\nserverurl=unix://%(ENV_RUN)s/s.sock\n',
    '[supervisorctl]\nserverurl=unix://run/s.sock\n', // relative to whoever reads it
    '[supervisorctl]\nserverurl=http://10.0.0.5:9001\nusername=admin\npassword=secret\n', // another machine: not asked
    '[unix_http_server]\nfile=/run/s.sock\npassword={SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d\nusername=u\n', // only the hash is known
  ]) {
    assert.equal(target(unknown), undefined, unknown);
  }
});

test("each process's resident memory, with its children (a prefork pool), when the server could read it", () => {
  const live = asWritten();
  live.processes[0] = { ...live.processes[0], memory: { bytes: 85 * 1024 * 1024, children: 0 } };
  live.processes[1] = { ...live.processes[1], memory: { bytes: 900 * 1024 * 1024, children: 4 } };
  live.processes[2] = { ...live.processes[2], memory: { bytes: 412 * 1024 * 1024, children: 1 } };
  assert.deepEqual(lenses(live).slice(0, 2), ['0: supervisord: RUNNING · pid 4242, uptime 3 days, 2:01:44 · 85 MB', '3: supervisord: 2 RUNNING · 1.3 GB in all']);
  live.processes[0] = { ...live.processes[0], memory: { bytes: 300 * 1024 * 1024, children: 1 } };
  assert.equal(lenses(live)[0], '0: supervisord: RUNNING · pid 4242, uptime 3 days, 2:01:44 · 300 MB with 1 child process');
});

test('catches the keys the tuning guide has people change, against supervisor\'s defaults, when supervisord reports them', () => {
  const loaded = (extra: Record<string, unknown>): LiveState => {
    const live = asWritten();
    const defaults = { stopwaitsecs: 10, startsecs: 1, startretries: 3, autostart: true, redirect_stderr: false, killasgroup: false };
    live.configs = live.configs.map((c) => ({ ...c, ...defaults, ...(c.group === 'beat' ? extra : {}) }));
    return live;
  };
  assert.deepEqual(lenses(loaded({}))[3], undefined, 'the defaults, as loaded: nothing to apply');
  const tuned = FILE.replace('[program:beat]\n', '[program:beat]\nstopwaitsecs = 600\nstopasgroup=true\n');
  assert.equal(lenses(loaded({}), tuned)[3], '9: supervisord: not applied yet: stopwaitsecs, killasgroup · supervisorctl update restarts it with them', 'killasgroup follows stopasgroup');
  assert.equal(lenses(loaded({ stopwaitsecs: 600, killasgroup: true }), tuned).length, 3, 'applied');
  assert.equal(lenses(loaded({ stopwaitsecs: 600, killasgroup: true }), tuned.replace('600', '%(ENV_WAIT)s')).length, 3, 'a value only supervisord knows: not compared');
});

/** A program with nothing but a command, as supervisor 4.2.5's getAllConfigInfo reports it (read off a real one). */
function reported(c: ProcessConfigInfo): ProcessConfigInfo {
  const stream = (s: string) => ({
    [`${s}_logfile`]: `/var/log/supervisor/${c.name}-${s}---supervisor-3b87pxkq.log`,
    [`${s}_logfile_backups`]: 10,
    [`${s}_logfile_maxbytes`]: 52428800,
    [`${s}_syslog`]: false,
    [`${s}_capture_maxbytes`]: 0,
    [`${s}_events_enabled`]: false,
  });
  return {
    ...{ autostart: true, directory: 'none', exitcodes: [0], group_prio: 999, killasgroup: false, process_prio: 999, redirect_stderr: false, serverurl: 'none' },
    ...{ startretries: 3, startsecs: 1, stopsignal: 15, stopwaitsecs: 10, uid: 'none' },
    ...stream('stdout'),
    ...stream('stderr'),
    ...c,
  };
}

/** The "not applied yet" line of each program, when supervisord loaded FILE (changed by `loaded`) and the file reads `text`. */
function unapplied(text: string, loaded: (c: ProcessConfigInfo) => Partial<ProcessConfigInfo> = () => ({}), accounts?: Map<number, string>): string[] {
  const live = asWritten();
  live.configs = live.configs.map((c) => reported({ ...c, ...loaded(c) } as ProcessConfigInfo));
  live.accounts = accounts;
  return lenses(live, text)
    .filter((t) => t.includes('not applied yet'))
    .map((t) => t.replace(' · supervisorctl update restarts it with them', ''));
}

test('does not catch a file supervisord loaded as it is, every default spelled its own way', () => {
  assert.deepEqual(unapplied(FILE), []);
  const spelled = FILE.replace('[program:beat]\n', '[program:beat]\nstopsignal=SIGTERM\nexitcodes=0\npriority=999\nstdout_logfile_maxbytes=50MB\nstderr_logfile=auto\nautostart=yes\n');
  assert.deepEqual(unapplied(spelled), []);
});

test('catches where and as whom a program starts: directory and user, the account named by supervisord\'s uid', () => {
  const moved = FILE.replace('[program:web]\n', '[program:web]\ndirectory=/srv/app\nuser=allianceserver\n');
  assert.deepEqual(unapplied(moved, () => ({}), new Map([[1000, 'allianceserver']])), ['0: supervisord: not applied yet: directory, user']);
  const applied = (c: ProcessConfigInfo) => (c.name === 'web' ? { directory: '/srv/app', uid: 1000 } : {});
  assert.deepEqual(unapplied(moved, applied, new Map([[1000, 'allianceserver']])), []);
  assert.deepEqual(unapplied(moved.replace('user=allianceserver', 'user=1000'), applied), [], 'a uid, as name_to_uid takes it');
  assert.deepEqual(unapplied(moved.replace('user=allianceserver', 'user=celery'), applied, new Map([[1000, 'allianceserver']])), ['0: supervisord: not applied yet: user']);
  assert.deepEqual(unapplied(moved.replace('user=allianceserver', 'user=celery'), applied), [], 'the uid\'s account not found here: not compared');
  assert.deepEqual(unapplied(FILE, applied), ['0: supervisord: not applied yet: directory, user'], 'both removed from the file');
});

test("does not catch a [group: x ]'s priority supervisord loaded: supervisor strips the group's name", () => {
  const grouped = `${FILE}\n[group: site ]\nprograms=web,beat\npriority=5\n`;
  const site = (c: ProcessConfigInfo) => (c.group === 'worker' ? {} : { group: 'site', group_prio: 5 });
  const live = asWritten();
  live.processes = live.processes.map((p) => (p.group === 'worker' ? p : { ...p, group: 'site' }));
  live.configs = live.configs.map((c) => reported({ ...c, ...site(c) } as ProcessConfigInfo));
  assert.deepEqual(lenses(live, grouped).filter((t) => t.includes('not applied')), []);
  live.configs = live.configs.map((c) => (c.group === 'site' ? { ...c, group_prio: 999 } : c));
  assert.deepEqual(lenses(live, grouped).filter((t) => t.includes('not applied')).map((t) => t.split(' · ')[0]), ['0: supervisord: not applied yet: [group:site] priority', '9: supervisord: not applied yet: [group:site] priority']);
});

test('catches the warm-shutdown keys in any spelling supervisor reads: stopsignal as a number, exit codes as a list', () => {
  const tuned = FILE.replace('[program:beat]\n', '[program:beat]\nstopsignal=int\nexitcodes=0,2\npriority=10\n');
  assert.deepEqual(unapplied(tuned), ['9: supervisord: not applied yet: priority, exitcodes, stopsignal']);
  const applied = (c: ProcessConfigInfo) => (c.group === 'beat' ? { stopsignal: 2, exitcodes: [0, 2], process_prio: 10 } : {});
  assert.deepEqual(unapplied(tuned, applied), []);
  assert.deepEqual(unapplied(tuned.replace('exitcodes=0,2', 'exitcodes=2,0'), applied), ['9: supervisord: not applied yet: exitcodes'], 'the order is kept');
});

test("catches a log moved or rotated differently, per process, after supervisor's two expansions", () => {
  const logged = FILE.replace('numprocs=2\n', 'numprocs=2\nstdout_logfile=/var/log/celery/%%(program_name)s_%(process_num)02d.log\nstdout_logfile_maxbytes=10MB\n');
  assert.deepEqual(unapplied(logged), ['3: supervisord: not applied yet: stdout_logfile, stdout_logfile_maxbytes']);
  const applied = (c: ProcessConfigInfo) => (c.group === 'worker' ? { stdout_logfile: `/var/log/celery/${c.name}.log`, stdout_logfile_maxbytes: 10 * 1024 * 1024 } : {});
  assert.deepEqual(unapplied(logged, applied), []);
  const one = (c: ProcessConfigInfo) => (c.name === 'worker_01' ? { ...applied(c), stdout_logfile: '/var/log/celery/worker_00.log' } : applied(c));
  assert.deepEqual(unapplied(logged, one), ['3: supervisord: not applied yet: stdout_logfile'], 'one process of two');
  assert.deepEqual(unapplied(FILE, applied), ['3: supervisord: not applied yet: stdout_logfile, stdout_logfile_maxbytes'], 'back to AUTO: loaded as a named file');
});

test('does not catch the log targets supervisor rewrites: redirected stderr, the deprecated syslog, NONE and OFF', () => {
  const redirected = FILE.replace('[program:web]\n', '[program:web]\nredirect_stderr=true\nstderr_logfile=/var/log/web.err\nstdout_logfile=syslog\n');
  const loaded = (c: ProcessConfigInfo) => (c.name === 'web' ? { redirect_stderr: true, stderr_logfile: 'none', stdout_logfile: 'none', stdout_syslog: true } : {});
  assert.deepEqual(unapplied(redirected, loaded), []);
  assert.deepEqual(unapplied(redirected.replace('stdout_logfile=syslog', 'stdout_logfile=OFF'), loaded), ['0: supervisord: not applied yet: stdout_syslog']);
});

test('does not catch a value only supervisord can read: an environment variable, a ~ path, a field an older supervisord does not report', () => {
  const unknown = FILE.replace('[program:web]\n', '[program:web]\ndirectory=%(ENV_HOME)s/app\nstdout_logfile=~/web.log\npriority=%(ENV_PRIO)s\n');
  assert.deepEqual(unapplied(unknown), []);
  const old = FILE.replace('[program:web]\n', '[program:web]\nstopsignal=INT\n');
  assert.deepEqual(unapplied(old, () => ({ stopsignal: undefined })), []);
});

test("catches an environment= the running processes did not start with (read from /proc by the server), per process", () => {
  const withEnvironment = FILE.replace('numprocs=2\n', 'numprocs=2\nenvironment=DJANGO_SETTINGS_MODULE="myauth.settings",NODE="%(program_name)s_%(process_num)02d"\n');
  const live = (settings: string, node1 = 'worker_01'): LiveState => {
    const state = asWritten();
    state.processes = state.processes.map((p, i) => ({ ...p, pid: 100 + i }));
    const base = [['PATH', '/usr/bin'], ['SUPERVISOR_ENABLED', '1']] as [string, string][];
    state.environments = new Map([
      [101, new Map([...base, ['DJANGO_SETTINGS_MODULE', settings], ['NODE', 'worker_00']])],
      [102, new Map([...base, ['DJANGO_SETTINGS_MODULE', settings], ['NODE', node1]])],
    ]);
    return state;
  };
  const applied = (state: LiveState) => lenses(state, withEnvironment).filter((t) => t.includes('not applied'));
  assert.deepEqual(applied(live('myauth.settings')), [], 'started with it, among the variables supervisord has itself');
  assert.deepEqual(applied(live('myauth.settings.local')), ['3: supervisord: not applied yet: environment · supervisorctl update restarts it with them']);
  assert.deepEqual(applied(live('myauth.settings', 'worker_00')), ['3: supervisord: not applied yet: environment · supervisorctl update restarts it with them'], 'the second process');
  const edited = withEnvironment.replace('    -l info', '    -l debug');
  assert.deepEqual(lenses(live('old'), edited).filter((t) => t.includes('not applied')), ['3: supervisord: not applied yet: command, environment · supervisorctl update restarts it with them']);
});

test('does not catch an environment= only supervisord can expand, one supervisor refuses, or processes whose environment the server could not read', () => {
  const state = asWritten();
  state.processes = state.processes.map((p, i) => ({ ...p, pid: 100 + i }));
  state.environments = new Map([[101, new Map([['PATH', '/usr/bin']])]]);
  const applied = (environment: string) => lenses(state, FILE.replace('numprocs=2\n', `numprocs=2\nenvironment=${environment}\n`)).filter((t) => t.includes('not applied'));
  assert.deepEqual(applied('HOME="%(ENV_HOME)s"'), []);
  assert.deepEqual(applied('A="unclosed'), []);
  assert.equal(applied('A=1').length, 1, 'worker_00 (pid 101) was read');
  state.environments = new Map();
  assert.deepEqual(applied('A=1'), []);
});

test("a process that exited says why with its log's last line, where the server read it", () => {
  const live = asWritten();
  const fatal = { statename: 'FATAL', description: 'Exited too quickly (process log may have details)', lastLogLine: "ModuleNotFoundError: No module named 'myauht'" };
  live.processes[3] = { ...live.processes[3], ...fatal };
  live.processes[2] = { ...live.processes[2], ...fatal, statename: 'BACKOFF', lastLogLine: 'Error: Unable to load celery application.' };
  assert.deepEqual(lenses(live).slice(1), [
    '3: supervisord: 1 BACKOFF, 1 RUNNING · worker_01: Exited too quickly · log: Error: Unable to load celery application.',
    "9: supervisord: FATAL · Exited too quickly · log: ModuleNotFoundError: No module named 'myauht'",
  ]);
});
