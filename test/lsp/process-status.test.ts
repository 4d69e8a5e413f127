/**
 * The process status lenses against a real supervisord (Debian's supervisor package): started on a
 * config of its own in a temporary folder, asked through its UNIX socket as supervisorctl asks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServerUnderTest } from '../support/lspClient';
import { MUST_NOT_SKIP } from '../support/paths';
import { controlPicks, updateCommand } from '../../client/src/processText';
import type { ProcessInfo } from '../../server/src/core/features/processStatus';
import { OWN_SUPERVISORD, startSupervisord, stopSupervisord, supervisordUnavailable } from '../support/supervisord';

const unavailable = supervisordUnavailable();
if (unavailable && MUST_NOT_SKIP) throw new Error(`supervisord is required here: ${unavailable}`);

interface Lens {
  range: { start: { line: number } };
  command: { title: string; command: string; arguments?: unknown[] };
}

const MAIN = `${OWN_SUPERVISORD}
[include]
files=conf.d/*.conf
`;

const PROGRAMS = `[program:sleeper]
command=/bin/sleep 1000
stdout_logfile=%(here)s/sleeper.log

[program:crasher]
command=/bin/sh -c "echo starting; echo 'Error: Unable to load celery application.' >&2; exit 1"
startsecs=1
startretries=0
`;

async function until<T>(what: string, ask: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('process status lenses from the supervisord that reads the deployment: state, log, changes not applied', { skip: unavailable }, async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-live-')));
  const main = path.join(dir, 'supervisord.conf');
  const fragment = path.join(dir, 'conf.d', 'workers.conf');
  fs.mkdirSync(path.dirname(fragment));
  fs.writeFileSync(main, MAIN);
  fs.writeFileSync(fragment, PROGRAMS);
  let daemon: ChildProcess | undefined;
  const servers: ServerUnderTest[] = [];
  try {
    daemon = startSupervisord(main);
    // No supervisor.mainConfig: the supervisord running with -c <main> is found in /proc, and reads the fragment.
    const server = new ServerUnderTest();
    servers.push(server);
    await server.initialize({ capabilities: { workspace: { configuration: true, codeLens: { refreshSupport: true } } } });
    const uri = pathToFileURL(fragment).href;
    await server.open(uri, PROGRAMS);
    const lenses = () => server.connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    // Before any lens was asked for: the language status finds supervisord running, and the server
    // asks the editor for lenses again (how they come back after supervisord restarts).
    const deployment = () => server.connection.sendRequest<{ supervisord?: string }>('supervisor/deployment', { textDocument: { uri } });
    await until('supervisord running, as the language status sees it', deployment, (s) => /RUNNING/.test(s.supervisord ?? ''));
    await until('a code lens refresh', async () => server.refreshes.filter((r) => r === 'workspace/codeLens/refresh').length, (n) => n > 0, 8_000);
    const titles = (all: Lens[]) => all.map((l) => `${l.range.start.line}: ${l.command.title}`);

    const settled = await until('sleeper RUNNING, crasher FATAL', lenses, (l) => titles(l).some((t) => t.includes('FATAL')) && titles(l).some((t) => t.includes('RUNNING')));
    const [sleeper, crasher, ...more] = settled;
    // The language status says it too (supervisor/deployment).
    const status = await server.connection.sendRequest<{ supervisord?: string; supervisordState?: string }>('supervisor/deployment', { textDocument: { uri } });
    assert.deepEqual([status.supervisord, status.supervisordState], ['1 FATAL, 1 RUNNING', 'trouble']);
    // Every process of that supervisord, for the command palette's Show Processes.
    const all = await server.connection.sendRequest<{ mainConfig: string; processes: ProcessInfo[] } | null>('supervisor/processes', { textDocument: { uri } });
    assert.deepEqual([all?.mainConfig, all?.processes.map((p) => `${p.group}:${p.name} ${p.statename}`)], [main, ['crasher:crasher FATAL', 'sleeper:sleeper RUNNING']]);
    assert.deepEqual(more, []);
    // sleep's resident memory, read from /proc.
    assert.match(sleeper.command.title, /^supervisord: RUNNING · pid \d+, uptime 0:00:\d\d · \d+(\.\d)? (KB|MB)$/);
    assert.equal(sleeper.range.start.line, 0);
    // Why, from the end of its log (stderr's, an AUTO file in childlogdir).
    assert.equal(crasher.command.title, 'supervisord: FATAL · Exited too quickly · log: Error: Unable to load celery application.');
    // Clicking the state lists the processes with their logs (client/src/processCommands.ts).
    assert.equal(sleeper.command.command, 'supervisor.showProcesses');
    const [shown] = sleeper.command.arguments as [{ program: string; processes: ProcessInfo[]; namespecs: string[]; mainConfig: string }];
    assert.deepEqual([shown.program, shown.processes.map((p) => [p.name, p.stdout_logfile])], ['sleeper', [['sleeper', path.join(dir, 'conf.d', 'sleeper.log')]]]);
    // ... and the supervisorctl commands it offers, run here as the user would: a restart gives a new pid.
    assert.deepEqual([shown.namespecs, shown.mainConfig], [['sleeper:'], main]);
    const [restart, stop] = controlPicks(shown.mainConfig, shown);
    assert.match(stop.command, / stop sleeper:$/);
    const restarted = spawnSync('/bin/sh', ['-c', restart.command], { encoding: 'utf8' });
    assert.equal(restarted.status, 0, restarted.stdout + restarted.stderr);
    assert.match(restarted.stdout, /sleeper: stopped\nsleeper: started/);

    // Edits supervisord has not applied: another command and other keys (the account as supervisord's
    // uid, the log per process after two expansions, the environment the process started with, from
    // /proc), a program it has not loaded.
    const tuned = ['sleep 2000', 'stopwaitsecs=600', 'killasgroup=true', 'stopsignal=int', 'directory=%(here)s', `user=${os.userInfo().username}`, 'environment=MYAUTH_ROLE="%(program_name)s %(process_num)d"'];
    const edited = `${PROGRAMS.replace('sleep 1000', tuned.join('\n')).replace('sleeper.log', 'sleeper-%%(process_num)d.log')}\n[program:late]\ncommand=/bin/sleep 1000\n`;
    await server.change(uri, edited, 2);
    // supervisord's answers are remembered for 2 s: one given before the restart names the old pid, whose
    // environment is gone from /proc, so the lenses may leave environment out until the next answer.
    const changed = titles(await until('the edit seen, with the restarted process', lenses, (l) => l.length === 4 && titles(l).some((t) => t.includes('environment'))));
    assert.deepEqual(changed.slice(1, 2).concat(changed.slice(3)), [
      '0: supervisord: not applied yet: command, environment, directory, user, stopsignal, stopwaitsecs, killasgroup, stdout_logfile · supervisorctl update restarts it with them',
      '15: supervisord: not loaded · supervisorctl update adds it',
    ]);
    const late = (await lenses())[3].command;
    assert.deepEqual([late.command, late.arguments], ['supervisor.applyConfig', [{ program: 'late', group: 'late', mainConfig: main, file: fragment }]]);

    // The command the lens types, run as the user would: supervisord then runs the file as it is.
    fs.writeFileSync(fragment, edited);
    for (const group of ['late', 'sleeper']) {
      const run = spawnSync('/bin/sh', ['-c', updateCommand(main, group)], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
    }
    const applied = titles(await until('late RUNNING, sleeper restarted', lenses, (l) => l.length === 3 && titles(l)[0].includes('RUNNING') && titles(l)[2].includes('RUNNING')));
    assert.match(applied[0], /^0: supervisord: RUNNING/);
    assert.match(applied[2], /^15: supervisord: RUNNING/);

    // While the state shows, the server asks the editor to ask again (processes change without an edit).
    await until('a code lens refresh', async () => server.refreshes.filter((r) => r === 'workspace/codeLens/refresh').length, (n) => n > 0, 8_000);

    // supervisord stopped: the status says so (its config, run with -c here, is still this machine's),
    // and the lenses come back when it runs again.
    await stopSupervisord(daemon);
    const stopped = await until('supervisord not running, as the language status sees it', deployment, (s) => /^not running/.test(s.supervisord ?? ''));
    assert.equal((stopped as { supervisordState?: string }).supervisordState, 'unreachable');
    assert.equal(await server.connection.sendRequest('supervisor/processes', { textDocument: { uri } }), null);
    assert.deepEqual(await lenses(), []);
    daemon = startSupervisord(main);
    await until('the lenses back', lenses, (l) => titles(l).some((t) => t.includes('RUNNING')));
    assert.equal(await server.shutdown(), 0);

    // The same socket answers for another main config (a copy elsewhere): that supervisord does not read it, nothing is shown.
    const copy = path.join(dir, 'copy', 'supervisord.conf');
    fs.mkdirSync(path.dirname(copy));
    fs.writeFileSync(copy, MAIN.replaceAll('%(here)s', dir));
    const other = new ServerUnderTest({ mainConfig: copy });
    servers.push(other);
    await other.initialize();
    const copyUri = pathToFileURL(copy).href;
    await other.open(copyUri, `${fs.readFileSync(copy, 'utf8')}\n${PROGRAMS}`);
    const none = await other.connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri: copyUri } });
    assert.deepEqual(none.filter((l) => l.command.title.startsWith('supervisord')), []);
    assert.equal(await other.shutdown(), 0);
  } finally {
    for (const s of servers) if (s.child.exitCode === null) s.kill();
    await stopSupervisord(daemon);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lenses asked while the supervisord a config names does not answer (yet): the server asks the editor again later, so they come once it starts', async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-idle-')));
  const main = path.join(dir, 'supervisord.conf');
  const text = `${MAIN}\n${PROGRAMS}`;
  fs.writeFileSync(main, text);
  const server = new ServerUnderTest();
  try {
    await server.initialize({ capabilities: { workspace: { configuration: true, codeLens: { refreshSupport: true } } } });
    const uri = pathToFileURL(main).href;
    await server.open(uri, text);
    const lenses = await server.connection.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.filter((l) => l.command.title.startsWith('supervisord')), [], 'nothing listens on its socket');
    await until('a code lens refresh', async () => server.refreshes.filter((r) => r === 'workspace/codeLens/refresh').length, (n) => n > 0, 15_000);
    assert.equal(await server.shutdown(), 0);
  } finally {
    if (server.child.exitCode === null) server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
