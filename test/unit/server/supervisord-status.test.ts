/** Asking supervisord: a made-up supervisord (an HTTP server on a UNIX socket) and a made-up /proc. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { callSupervisord, lastLineOfLogs, problemOf, SupervisordStatus } from '../../../server/src/supervisordStatus';
import { realPath } from '../../../server/src/thisMachine';

const value = (v: unknown): string => {
  if (typeof v === 'number') return `<value><int>${v}</int></value>`;
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'string') return `<value><string>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(value).join('')}</data></array></value>`;
  const members = Object.entries(v as object).map(([k, x]) => `<member><name>${k}</name>${value(x)}</member>`);
  return `<value><struct>${members.join('')}</struct></value>`;
};
const response = (v: unknown) => `<?xml version="1.0"?><methodResponse><params><param>${value(v)}</param></params></methodResponse>`;
const fault = `<?xml version="1.0"?><methodResponse><fault>${value({ faultCode: 1, faultString: 'UNKNOWN_METHOD' })}</fault></methodResponse>`;

const PROCESS = { name: 'worker', group: 'worker', statename: 'RUNNING', description: 'pid 42, uptime 0:00:05', stdout_logfile: '/var/log/w.log', stderr_logfile: '', pid: 42 };
const CONFIG = { name: 'worker', group: 'worker', command: '/bin/sleep 1', inuse: true, autostart: true, uid: 0 };

/** A supervisord on a UNIX socket that answers `answers[method]` (a body, or 'hang'), and records what it was asked. */
async function fakeSupervisord(dir: string, answers: Record<string, string>) {
  const socketPath = path.join(dir, 's.sock');
  const asked: { method: string; auth?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const method = /<methodName>([^<]*)<\/methodName>/.exec(body)?.[1] ?? '';
      asked.push({ method, auth: req.headers.authorization });
      const answer = answers[method];
      if (answer === 'hang') return;
      res.writeHead(answer === undefined ? 500 : 200, { 'Content-Type': 'text/xml' });
      res.end(answer ?? 'no');
    });
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  return { socketPath, asked, close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))) };
}

function fakeProc(dir: string, pid: number, argv: string[]): string {
  const proc = path.join(dir, 'proc');
  fs.mkdirSync(path.join(proc, String(pid)), { recursive: true });
  fs.writeFileSync(path.join(proc, String(pid), 'cmdline'), `${argv.join('\0')}\0`);
  return proc;
}

test('asks as supervisorctl does: POST /RPC2 with basic auth; faults, HTTP errors and silence are errors', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpc-'));
  const fake = await fakeSupervisord(dir, { 'supervisor.getPID': response(42), 'supervisor.getAllProcessInfo': fault, 'supervisor.getAllConfigInfo': 'hang' });
  try {
    assert.equal(await callSupervisord({ socketPath: fake.socketPath, username: 'admin', password: 's3cret' }, 'supervisor.getPID'), 42);
    assert.equal(fake.asked[0].auth, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
    await assert.rejects(callSupervisord({ socketPath: fake.socketPath }, 'supervisor.getAllProcessInfo'), /UNKNOWN_METHOD/);
    await assert.rejects(callSupervisord({ socketPath: fake.socketPath }, 'supervisor.getAllConfigInfo', 200), /did not answer supervisor.getAllConfigInfo within 200 ms/);
    await assert.rejects(callSupervisord({ socketPath: path.join(dir, 'none.sock') }, 'supervisor.getPID'), /ENOENT/);
  } finally {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the state of the supervisord that reads this main config; nothing from one that reads another, or answers oddly', async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rpc-state-')));
  const main = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(main, '[supervisord]\n');
  const answers = { 'supervisor.getPID': response(42), 'supervisor.getAllProcessInfo': response([PROCESS]), 'supervisor.getAllConfigInfo': response([CONFIG]) };
  const fake = await fakeSupervisord(dir, answers);
  try {
    const proc = fakeProc(dir, 42, ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', main]);
    fs.writeFileSync(path.join(proc, '42', 'stat'), '42 (celery) S 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1\n');
    fs.writeFileSync(path.join(proc, '42', 'status'), 'Name:\tcelery\nVmRSS:\t  2048 kB\n');
    fs.writeFileSync(path.join(proc, '42', 'environ'), 'PATH=/usr/bin\0DJANGO_SETTINGS_MODULE=myauth.settings\0EQ=a=b\0\0');
    const status = new SupervisordStatus(60_000, proc);
    const state = await status.stateOf(main, { socketPath: fake.socketPath });
    const accounts = new Map([[0, 'root']]);
    const { environments, ...rest } = state!;
    assert.deepEqual(rest, { processes: [{ ...PROCESS, memory: { bytes: 2048 * 1024, children: 0 } }], configs: [CONFIG], accounts }, "with its memory from /proc, and the name of the uid it runs as (supervisord's user=)");
    assert.deepEqual(environments?.get(42), new Map([['PATH', '/usr/bin'], ['DJANGO_SETTINGS_MODULE', 'myauth.settings'], ['EQ', 'a=b']]), 'the environment it started with, from /proc');
    assert.equal(environments?.get(43), undefined, 'not one of its running processes');
    assert.equal(await status.stateOf(main, { socketPath: fake.socketPath }), state, 'remembered');
    assert.equal(fake.asked.length, 3, 'asked once: getPID, then both lists');

    const other = path.join(dir, 'other.conf');
    fs.writeFileSync(other, '[supervisord]\n');
    assert.equal(await new SupervisordStatus(0, proc).stateOf(other, { socketPath: fake.socketPath }), undefined, 'it reads another config');
    fs.writeFileSync(path.join(proc, '42', 'cmdline'), '/usr/bin/vim\0');
    assert.equal(await new SupervisordStatus(0, proc).stateOf(main, { socketPath: fake.socketPath }), undefined, 'pid 42 is not a supervisord here');
  } finally {
    await fake.close();
  }
  const odd = await fakeSupervisord(dir, { ...answers, 'supervisor.getAllProcessInfo': response([{ name: 'w', group: 'w', statename: 20 }]) });
  try {
    const proc = path.join(dir, 'proc');
    fs.writeFileSync(path.join(proc, '42', 'cmdline'), `/usr/bin/supervisord\0-c\0${main}\0`);
    assert.equal(await new SupervisordStatus(0, proc).stateOf(main, { socketPath: odd.socketPath }), undefined, 'a process without the strings the lenses read');
  } finally {
    await odd.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('why there is no state, in the words an admin looks for', async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rpc-why-')));
  const main = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(main, '[supervisord]\n');
  const socket = { socketPath: path.join(dir, 's.sock') };
  try {
    assert.deepEqual(await new SupervisordStatus(0, dir).answerOf(main, socket), { problem: `not running (nothing at ${socket.socketPath})` });
    const denied = Object.assign(new Error('connect EACCES'), { code: 'EACCES' });
    assert.equal(problemOf(denied, { socketPath: '/var/run/supervisor.sock' }), 'no access to /var/run/supervisor.sock', "Debian's socket is root's (chmod=0700)");
    assert.equal(problemOf(new Error('supervisord answered HTTP 401 to supervisor.getPID'), { host: 'localhost', port: 9001 }), 'localhost:9001 refused the login');
    const fake = await fakeSupervisord(dir, { 'supervisor.getPID': response(42) });
    try {
      const proc = fakeProc(dir, 42, ['/usr/bin/supervisord', '-c', '/etc/supervisor/supervisord.conf']);
      assert.deepEqual(await new SupervisordStatus(0, proc).answerOf(main, { socketPath: fake.socketPath }), { problem: `the one at ${fake.socketPath} reads ${realPath('/etc/supervisor/supervisord.conf')}` });
    } finally {
      await fake.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the last line of an exited process's log: stderr's first, colours and control characters gone, cut to one lens line", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'last-line-'));
  try {
    const err = path.join(dir, 'beat.err');
    const out = path.join(dir, 'beat.log');
    fs.writeFileSync(out, 'celery beat v5.2.6 is starting.\n');
    fs.writeFileSync(err, `${'x'.repeat(5000)}\nTraceback (most recent call last):\n  File "<frozen importlib._bootstrap>", line 1\n\x1b[31mModuleNotFoundError: No module named 'myauht'\x1b[0m\r\n\n`);
    assert.equal(lastLineOfLogs({ stderr_logfile: err, stdout_logfile: out }), "ModuleNotFoundError: No module named 'myauht'");
    fs.writeFileSync(err, '');
    assert.equal(lastLineOfLogs({ stderr_logfile: err, stdout_logfile: out }), 'celery beat v5.2.6 is starting.', 'an empty stderr log: stdout');
    assert.equal(lastLineOfLogs({ stderr_logfile: '', stdout_logfile: path.join(dir, 'none.log') }), undefined);
    // A FIFO (or a device) is no file to read: no waiting for a writer.
    const fifo = path.join(dir, 'fifo.log');
    if (spawnSync('mkfifo', [fifo]).status === 0) assert.equal(lastLineOfLogs({ stderr_logfile: fifo, stdout_logfile: '/dev/zero' }), undefined);
    fs.writeFileSync(out, `Error: ${'y'.repeat(300)}`);
    const cut = lastLineOfLogs({ stderr_logfile: '', stdout_logfile: out })!;
    assert.equal(cut.length, 120);
    assert.ok(cut.endsWith('…'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
