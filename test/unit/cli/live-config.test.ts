/** Which files supervisord on this machine reads (supervisor.machineChecks auto): its config, what that includes, links followed; and its PATH. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { liveConfigFiles, realPath, runningSupervisordConfigs, supervisordConfigOf, supervisordEnvironmentOf, supervisordPathOf, ThisMachine, treeMemory } from '../../../server/src/thisMachine';
import { SERVICE_PATH } from '../../../server/src/core/machine';

test('the main config, the files it includes and the files their links point to, by real path', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'live-config-')));
  try {
    const main = path.join(root, 'etc', 'supervisor', 'supervisord.conf');
    fs.mkdirSync(path.join(root, 'etc', 'supervisor', 'conf.d'), { recursive: true });
    fs.writeFileSync(main, '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
    fs.writeFileSync(path.join(root, 'etc', 'supervisor', 'conf.d', 'web.conf'), '[program:web]\ncommand=/bin/true\n');
    // Alliance Auth's guide: ln -s /home/allianceserver/myauth/supervisor.conf /etc/supervisor/conf.d/myauth.conf
    const project = path.join(root, 'home', 'allianceserver', 'myauth', 'supervisor.conf');
    fs.mkdirSync(path.dirname(project), { recursive: true });
    fs.writeFileSync(project, '[program:worker]\ncommand=/bin/true\n');
    fs.symlinkSync(project, path.join(root, 'etc', 'supervisor', 'conf.d', 'myauth.conf'));
    const copy = path.join(root, 'home', 'allianceserver', 'copy.conf');
    fs.writeFileSync(copy, '[program:worker]\ncommand=/bin/true\n');

    const live = liveConfigFiles([main, path.join(root, 'etc', 'supervisord.conf')]);
    assert.deepEqual([...live.keys()].sort(), [main, path.join(root, 'etc', 'supervisor', 'conf.d', 'web.conf'), project].sort());
    assert.deepEqual([...new Set(live.values())], [main], 'each read by the main config');
    assert.ok(live.has(realPath(path.join(root, 'etc', 'supervisor', 'conf.d', 'myauth.conf'))), 'the link, by its real path');
    assert.ok(!live.has(realPath(copy)), 'a file supervisord does not read');
    assert.equal(liveConfigFiles([path.join(root, 'nowhere.conf')]).size, 0, 'no supervisord config here');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('supervisor.machineChecks: on checks every file, off none, auto the files the live config reads', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'live-modes-')));
  try {
    const main = path.join(root, 'supervisord.conf');
    fs.writeFileSync(main, '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
    fs.mkdirSync(path.join(root, 'conf.d'));
    const read = path.join(root, 'conf.d', 'app.conf');
    fs.writeFileSync(read, '[program:app]\ncommand=/bin/true\n');
    const elsewhere = path.join(root, 'copy.conf');
    const machine = new ThisMachine([main], 10_000, path.join(root, 'no-proc'));
    assert.equal(machine.liveMainOf(read), main);
    assert.equal(machine.liveMainOf(elsewhere), undefined);
    assert.equal(machine.checksFor(read, 'auto'), machine.view);
    assert.equal(machine.checksFor(read, undefined), machine.view, 'auto is the default');
    assert.equal(machine.checksFor(elsewhere, 'auto'), undefined);
    assert.equal(machine.checksFor(undefined, 'auto'), undefined, 'an unsaved document');
    assert.equal(machine.checksFor(elsewhere, 'on'), machine.view);
    assert.equal(machine.checksFor(read, 'off'), undefined);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("this machine's accounts, asked as supervisor asks (getent passwd): by name and by uid", () => {
  const machine = new ThisMachine([]).view;
  assert.equal(machine.account('root'), true);
  assert.equal(machine.account('0'), true, 'uid 0');
  assert.equal(machine.account('no-such-account-here'), false);
  assert.equal(machine.account('-bad name'), undefined, 'not an account name: not asked');
});

/** Writes a process into a made-up /proc: its command line, and its environment unless it is unreadable (undefined). */
function fakeProcess(proc: string): (pid: string, argv: string[], environ: string[] | undefined) => void {
  return (pid, argv, environ) => {
    fs.mkdirSync(path.join(proc, pid));
    fs.writeFileSync(path.join(proc, pid, 'cmdline'), `${argv.join('\0')}\0`);
    if (environ) fs.writeFileSync(path.join(proc, pid, 'environ'), `${environ.join('\0')}\0`);
  };
}

test("supervisord's own PATH: read from the supervisord running here, else the PATH systemd gives a service", () => {
  const proc = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'live-proc-')));
  const processOf = fakeProcess(proc);
  try {
    fs.mkdirSync(path.join(proc, 'self'));
    processOf('12', ['/usr/bin/vim', '/etc/supervisor/supervisord.conf'], ['PATH=/home/me/bin']);
    assert.deepEqual(supervisordPathOf(proc), { dirs: SERVICE_PATH, from: 'service' }, 'no supervisord running');
    processOf('340', ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', '/etc/supervisor/supervisord.conf'], undefined);
    assert.deepEqual(supervisordPathOf(proc), { dirs: SERVICE_PATH, from: 'service' }, "one whose environment this user may not read");
    fs.writeFileSync(path.join(proc, '340', 'environ'), 'LANG=C.UTF-8\0PATH=/usr/local/bin:/usr/bin:/bin\0INVOCATION_ID=1\0');
    assert.deepEqual(supervisordPathOf(proc), { dirs: ['/usr/local/bin', '/usr/bin', '/bin'], from: 'running' });
    fs.rmSync(path.join(proc, '340'), { recursive: true });
    processOf('341', ['/srv/venv/bin/supervisord', '-c', 'supervisord.conf'], ['HOME=/root']);
    assert.deepEqual(supervisordPathOf(proc), { dirs: ['/bin', '/usr/bin', '/usr/local/bin'], from: 'running' }, "without PATH: supervisor's own default");
  } finally {
    fs.rmSync(proc, { recursive: true, force: true });
  }
});

test("the names of supervisord's environment: those of every supervisord running here whose environment this user may read", () => {
  const proc = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'live-env-')));
  const processOf = fakeProcess(proc);
  try {
    processOf('12', ['/usr/bin/vim', '/etc/supervisor/supervisord.conf'], ['EDITOR=vim']);
    assert.equal(supervisordEnvironmentOf(proc), undefined, 'no supervisord running');
    processOf('340', ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', '/etc/supervisor/supervisord.conf'], undefined);
    assert.equal(supervisordEnvironmentOf(proc), undefined, 'one whose environment this user may not read');
    processOf('341', ['/srv/venv/bin/supervisord', '-c', 'supervisord.conf'], ['PATH=/usr/bin:/bin', 'LANG=C.UTF-8', 'DSN=postgres://x=y']);
    processOf('342', ['/usr/bin/supervisord'], ['PATH=/usr/bin', 'HOME=/root']);
    assert.deepEqual([...(supervisordEnvironmentOf(proc) ?? [])].sort(), ['DSN', 'HOME', 'LANG', 'PATH']);
  } finally {
    fs.rmSync(proc, { recursive: true, force: true });
  }
});

test('the config the supervisord with a pid reads: -c as getopt reads it, else the first of its search paths', () => {
  const proc = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'live-pid-')));
  const processOf = (pid: number, argv: string[], cwd?: string) => {
    fs.mkdirSync(path.join(proc, String(pid)));
    fs.writeFileSync(path.join(proc, String(pid), 'cmdline'), `${argv.join('\0')}\0`);
    if (cwd) fs.symlinkSync(cwd, path.join(proc, String(pid), 'cwd'));
    return pid;
  };
  try {
    const etc = path.join(proc, 'etc');
    fs.mkdirSync(etc);
    const conf = path.join(etc, 'supervisord.conf');
    fs.writeFileSync(conf, '[supervisord]\n');
    const python = '/usr/bin/python3';
    const script = '/usr/bin/supervisord';
    const cases: [string[], string | undefined, string?][] = [
      [[python, script, '-n', '-c', conf], conf], // Debian's unit
      [[python, script, `-nc${conf}`], conf],
      [[python, script, '-nc', conf], conf],
      [[python, script, '--conf', conf, '-n'], conf],
      [[python, script, `--configuration=${conf}`], conf],
      [[python, script, '-u', 'celery', '-c', 'etc/supervisord.conf'], conf, proc], // relative to its working directory
      [[python, script, '-c', 'etc/supervisord.conf'], undefined], // ... which this user may not read
      [[python, script, '-l', '-c', '-c', conf], conf], // -l takes "-c" as its value
      [[path.join(proc, 'bin', 'supervisord'), '-n'], conf], // no -c: <here>/etc/supervisord.conf first
      [[python, script, '-c'], undefined],
      [['/usr/bin/vim', conf], undefined],
    ];
    cases.forEach(([argv, expected, cwd], i) => assert.equal(supervisordConfigOf(processOf(100 + i, argv, cwd), proc), expected, argv.join(' ')));
    assert.equal(supervisordConfigOf(99, proc), undefined, 'no such process');
  } finally {
    fs.rmSync(proc, { recursive: true, force: true });
  }
});

test('the resident memory of a process and all its descendants, from /proc', () => {
  const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'live-mem-'));
  const processOf = (pid: number, ppid: number, comm: string, rssKiB?: number) => {
    fs.mkdirSync(path.join(proc, String(pid)));
    fs.writeFileSync(path.join(proc, String(pid), 'stat'), `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 100 1000 50\n`);
    if (rssKiB !== undefined) fs.writeFileSync(path.join(proc, String(pid), 'status'), `Name:\t${comm}\nVmPeak:\t  999 kB\nVmRSS:\t  ${rssKiB} kB\nThreads:\t1\n`);
  };
  try {
    processOf(1, 0, 'systemd', 12_000);
    processOf(40, 1, 'supervisord', 20_000);
    processOf(41, 40, 'celery', 100_000); // the worker's main process
    processOf(50, 41, 'celery) S 1 (x', 200_000); // a pool process: a name with ") S 1 (" cannot fool the parent
    processOf(51, 41, 'celery', 200_000);
    processOf(60, 50, 'sh', 1_000); // a grandchild
    processOf(61, 41, 'zombie'); // gone meanwhile: no status
    processOf(70, 40, 'sleep', 500);
    fs.mkdirSync(path.join(proc, 'self'));
    const memory = treeMemory([41, 70, 99], proc);
    assert.deepEqual(Object.fromEntries(memory), { 41: { bytes: 501_000 * 1024, children: 3 }, 70: { bytes: 500 * 1024, children: 0 } });
  } finally {
    fs.rmSync(proc, { recursive: true, force: true });
  }
});

test('a supervisord running with a config of its own (-c elsewhere) counts as live, with the files it includes', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'live-running-')));
  try {
    const main = path.join(root, 'myauth', 'supervisord.conf');
    fs.mkdirSync(path.join(root, 'myauth', 'conf.d'), { recursive: true });
    fs.writeFileSync(main, '[supervisord]\n\n[include]\nfiles = conf.d/*.conf\n');
    const worker = path.join(root, 'myauth', 'conf.d', 'worker.conf');
    fs.writeFileSync(worker, '[program:worker]\ncommand=/bin/true\n');
    const proc = path.join(root, 'proc');
    fs.mkdirSync(path.join(proc, '77'), { recursive: true });
    fs.writeFileSync(path.join(proc, '77', 'cmdline'), `/srv/venv/bin/python3\0/srv/venv/bin/supervisord\0-c\0${main}\0`);
    assert.deepEqual(runningSupervisordConfigs(proc), [main]);
    const machine = new ThisMachine([path.join(root, 'etc', 'supervisord.conf')], 10_000, proc);
    assert.equal(machine.liveMainOf(worker), main);
    assert.equal(machine.checksFor(worker, 'auto'), machine.view, 'machine checks (auto) cover it');
    assert.equal(new ThisMachine([], 10_000, path.join(root, 'empty')).liveMainOf(worker), undefined, 'not running: not live');
    // Stopped after it ran: still this machine's config (the lenses and the status come back when it starts again).
    const stopping = new ThisMachine([], -1, proc); // read /proc on every question
    assert.equal(stopping.liveMainOf(worker), main);
    fs.rmSync(path.join(proc, '77'), { recursive: true });
    assert.deepEqual(runningSupervisordConfigs(proc), []);
    assert.equal(stopping.liveMainOf(worker), main, 'stopped: still live');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
