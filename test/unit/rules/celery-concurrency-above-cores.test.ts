import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix as applyCheckedFix, findings, settingsWith, textAt } from '../../support/rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/core/settings';
import { FixChecker } from '../../support/fixSafety';
import { analyzeDeployment, analyzeText } from '../../../server/src/core/analyze';
import { machineWith } from '../../support/machine';

const CODE = 'celery-concurrency-above-cores';
const checker = new FixChecker();
after(() => checker.verifyWithSupervisor());

/** Applies a fix through the fix-safety checks. */
function applyFix(text: string, code: string, title?: string | RegExp, settings: Settings = DEFAULT_SETTINGS): string {
  return applyCheckedFix(text, code, title, settings, checker);
}

const cores = (n: number) => settingsWith({ serverCpuCount: n });
const conf = (command: string, extra = '') => `[program:worker]\ncommand=${command}\n${extra}`;

test('catches a prefork worker with more processes than cores, anchored on the option', () => {
  const text = conf('/venv/bin/celery -A myauth worker --concurrency=8');
  const [f] = findings(text, CODE, cores(4));
  assert.equal(f.severity, 'information');
  assert.equal(textAt(text, f), '--concurrency=8');
  assert.match(f.message, /8 prefork pool processes on a server with 4 CPU cores/);
  assert.match(f.message, /one worker process per core/);
});

test('catches every spelling, -P processes, continuation lines and bash -c', () => {
  for (const spelling of ['-c 8', '-c8', '--concurrency 8', '--concurrency=8', '-P processes -c 8', '-P prefork -c 8']) {
    assert.equal(findings(conf(`celery -A proj worker ${spelling}`), CODE, cores(2)).length, 1, spelling);
  }
  assert.equal(findings('[program:w]\ncommand=celery -A proj worker\n    -c 8 ; pool size\n', CODE, cores(2)).length, 1);
  assert.equal(findings(conf(`bash -c "cd /srv && exec celery -A proj worker -c 8"`), CODE, cores(2)).length, 1);
});

test('catches numprocs x concurrency above the cores, and numprocs > 1 without --concurrency', () => {
  const many = conf('celery -A proj worker -c 2 -n %(program_name)s_%(process_num)02d@%%h', 'numprocs=3\nprocess_name=%(program_name)s_%(process_num)02d\n');
  const [f] = findings(many, CODE, cores(4));
  assert.match(f.message, /3 x 2 = 6 pool processes/);
  assert.deepEqual(findings(many, CODE, cores(6)), [], '3 x 2 = 6 fits 6 cores');

  const implicit = conf('celery -A proj worker', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n');
  const [g] = findings(implicit, CODE, cores(4));
  assert.equal(textAt(implicit, g), 'worker');
  assert.match(g.message, /2 x 4 = 8 pool processes/);
});

test('does not catch without serverCpuCount, at or below the core count, or with other pools', () => {
  assert.deepEqual(findings(conf('celery -A proj worker -c 64'), CODE), [], 'serverCpuCount unset (null)');
  assert.deepEqual(findings(conf('celery -A proj worker -c 4'), CODE, cores(4)), []);
  assert.deepEqual(findings(conf('celery -A proj worker'), CODE, cores(1)), [], 'the default is one per core');
  for (const pool of ['threads', 'gevent', 'eventlet', 'solo']) {
    assert.deepEqual(findings(conf(`celery -A proj worker -P ${pool} -c 50`), CODE, cores(2)), [], pool);
  }
  assert.deepEqual(findings(conf('celery -A proj worker -c %(ENV_CONCURRENCY)s'), CODE, cores(2)), [], 'value from the environment');
  assert.deepEqual(findings(conf('celery -A proj worker --autoscale=10,3 -c 8'), CODE, cores(2)), [], '--autoscale decides the size');
  assert.deepEqual(findings(conf('celery -A proj worker', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\nenvironment=CELERY_WORKER_CONCURRENCY="1"\n'), CODE, cores(4)), []);
  assert.deepEqual(findings(conf('celery -A proj worker -l info ; -c 64'), CODE, cores(2)), [], 'in a comment');
});

test('does not catch beat, flower or other programs', () => {
  assert.deepEqual(findings(conf('celery -A proj beat'), CODE, cores(1)), []);
  assert.deepEqual(findings(conf('celery -A proj flower --port=5555'), CODE, cores(1)), []);
  assert.deepEqual(findings(conf('celery -A proj beat', 'numprocs=4\nprocess_name=%(program_name)s_%(process_num)02d\n'), CODE, cores(1)), []);
  assert.deepEqual(findings(conf('/venv/bin/gunicorn -w 16 proj.wsgi'), CODE, cores(1)), []);
});

test('the fixes set the core count (preferred) or remove --concurrency', () => {
  const text = conf('celery -A proj worker -c 8 -l info');
  assert.equal(applyFix(text, CODE, undefined, cores(4)), conf('celery -A proj worker -c 4 -l info'));
  assert.equal(applyFix(text, CODE, /^Remove/, cores(4)), conf('celery -A proj worker -l info'));
  assert.equal(applyFix(conf('celery -A proj worker --concurrency=8'), CODE, undefined, cores(2)), conf('celery -A proj worker --concurrency=2'));
  const many = conf('celery -A proj worker -c 4 -n %(program_name)s_%(process_num)02d@%%h', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n');
  assert.equal(applyFix(many, CODE, undefined, cores(4)), many.replace('-c 4', '-c 2'));
  const implicit = conf('celery -A proj worker --loglevel=info', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n');
  assert.equal(applyFix(implicit, CODE, undefined, cores(4)), implicit.replace('worker --loglevel', 'worker --concurrency=2 --loglevel'));
});

test('no concurrency fix when numprocs alone exceeds the cores', () => {
  const text = conf('celery -A proj worker -c 2', 'numprocs=4\nprocess_name=%(program_name)s_%(process_num)02d\n');
  const [f] = findings(text, CODE, cores(2));
  assert.match(f.message, /Reduce numprocs to at most 2/);
  assert.deepEqual(f.fixes, []);
});

test('the fixes are safe: CRLF, comments, continuation lines', () => {
  const text = '; workers\r\n[program:worker]\r\ncommand=celery -A proj worker ; main\r\n    -c 16 ; too many\r\n    -l info\r\nuser=app\r\n';
  assert.equal(checker.checkAll(text, cores(4), [CODE]), 2);
  assert.equal(applyFix(text, CODE, undefined, cores(4)), text.replace('-c 16', '-c 4'));
  const implicit = '[program:w]\r\ncommand=celery -A proj worker\r\nnumprocs=3\r\nprocess_name=%(program_name)s_%(process_num)02d\r\n';
  assert.equal(checker.checkAll(implicit, cores(6), [CODE]), 1);
  assert.equal(checker.checkAll(conf('celery -A proj worker -Ec8'), cores(2), [CODE]), 2);
});

test("checked against the machine that runs supervisord, the cores are that machine's while the setting is unset", () => {
  const server = { ...machineWith(), cpuCount: () => 4 };
  const text = conf('/srv/venv/bin/celery -A proj worker -c 8');
  const onServer = analyzeText(text, DEFAULT_SETTINGS, undefined, server);
  const [f] = onServer.findings.filter((x) => x.code === CODE);
  assert.match(f?.message ?? '', /on a server with 4 CPU cores \(this machine, which runs supervisord\)/);
  assert.equal(onServer.settings.serverCpuCount, 4, 'hovers and code lenses count with them too');
  // The setting wins; without a view of the machine, nothing is known.
  assert.deepEqual(analyzeText(text, cores(16), undefined, server).findings.filter((x) => x.code === CODE), []);
  assert.deepEqual(analyzeText(text).findings.filter((x) => x.code === CODE), []);
  assert.doesNotMatch(findings(text, CODE, cores(4))[0].message, /this machine/);
});

test('a worker whose arguments may choose another pool: the finding says so', () => {
  const [f] = findings(conf('celery -A proj worker -c 16 %(ENV_EXTRA)s'), CODE, cores(4));
  assert.equal(f.severity, 'information');
  assert.match(f.message, /Unless %\(ENV_EXTRA\)s adds another --pool: what it expands to is not in this file\.$/);
  assert.doesNotMatch(findings(conf('celery -A proj worker -P prefork -c 16 %(ENV_EXTRA)s'), CODE, cores(4))[0].message, /Unless/);
});

const worker = (name: string, args: string, extra = '') => `[program:${name}]\ncommand=celery -A proj worker -Q ${name} ${args}\n${extra}`;

test('catches workers that fit the cores each but not together: once per file, on its largest worker, naming the others', () => {
  const text = worker('reports', '--concurrency=2') + worker('default', '-c 3') + '[program:beat]\ncommand=celery -A proj beat\n';
  const fs = findings(text, CODE, cores(4));
  assert.deepEqual(fs.map((f) => textAt(text, f)), ['-c 3']);
  assert.match(fs[0].message, /start 5 pool processes together on a server with 4 CPU cores: 'default' 3, 'reports' 2\./);
  assert.match(fs[0].message, /one worker process per core for the whole server; .* Lower their --concurrency so that the total fits\.$/);
  assert.deepEqual(fs[0].fixes, [], 'which worker gives up processes is the operator\'s choice');
  assert.deepEqual(fs[0].related?.map((r) => r.message), ["'reports' starts 2 pool processes"]);
});

test('more workers than cores: lowering --concurrency cannot fit, so the advice is fewer workers or another pool', () => {
  let text = '';
  for (const name of ['a', 'b', 'c', 'd', 'e']) text += worker(name, '-c 1');
  const [f] = findings(text, CODE, cores(4));
  assert.match(f.message, /Even with --concurrency 1 they would start 5 processes, more than the cores: let fewer workers consume the queues \(one worker takes several, -Q a,b\), or give the I\/O-bound ones a threads or gevent pool\.$/);
});

test('catches a worker without --concurrency (one process per core) next to another worker', () => {
  const text = worker('default', '-l info') + worker('reports', '-c 1');
  const fs = findings(text, CODE, cores(4));
  assert.equal(fs.length, 1);
  assert.equal(textAt(text, fs[0]), 'worker', 'the worker without --concurrency starts the most');
  assert.match(fs[0].message, /5 pool processes together .*'default' 4 \(one per core\), 'reports' 1\./);
  const copies = worker('many', '-c 1 -n %(program_name)s_%(process_num)02d@%%h', 'numprocs=3\nprocess_name=%(program_name)s_%(process_num)02d\n') + worker('one', '-c 2');
  assert.match(findings(copies, CODE, cores(4))[0].message, /5 pool processes together .*'many' 3 x 1, 'one' 2\./);
});

test('does not catch workers that fit together, other pools, --autoscale or a concurrency from the environment', () => {
  assert.deepEqual(findings(worker('a', '-c 2') + worker('b', '-c 2'), CODE, cores(4)), [], '2 + 2 = 4 cores');
  assert.deepEqual(findings(worker('a', '-c 3') + worker('io', '-P threads -c 50') + worker('g', '-P gevent -c 100'), CODE, cores(4)), []);
  assert.deepEqual(findings(worker('a', '-c 3') + worker('auto', '--autoscale=8,2'), CODE, cores(4)), []);
  assert.deepEqual(findings(worker('a', '-c 3') + worker('env', '-c %(ENV_CONCURRENCY)s'), CODE, cores(4)), []);
  assert.deepEqual(findings(worker('a', '-c 3') + worker('env', '', 'environment=CELERY_WORKER_CONCURRENCY="2"\n'), CODE, cores(4)), []);
  // Not started with supervisord, or copies the file does not show: not counted (review find).
  assert.deepEqual(findings(worker('a', '-c 3') + worker('spare', '-c 2', 'autostart=false\n'), CODE, cores(4)), []);
  assert.deepEqual(findings(worker('a', '-c 3') + worker('n', '-c 1 -n %(program_name)s_%(process_num)02d@%%h', 'numprocs=%(ENV_N)s\nprocess_name=%(program_name)s_%(process_num)02d\n'), CODE, cores(4)), []);
});

test('a worker above the cores alone keeps its own finding and gets no second one', () => {
  const text = worker('big', '-c 8') + worker('small', '-c 1');
  const fs = findings(text, CODE, cores(4));
  assert.deepEqual(fs.map((f) => textAt(text, f)), ['-c 8', '-c 1'], 'the total goes on the largest worker without a finding');
  assert.match(fs[0].message, /^Worker 'big' starts 8 prefork pool processes/);
  assert.match(fs[1].message, /9 pool processes together/);
  assert.deepEqual(findings(worker('big', '-c 8'), CODE, cores(4)).length, 1, 'alone, no total');
});

test('names the six largest workers of a big deployment, and how many more', () => {
  let text = '';
  for (let i = 1; i <= 9; i++) text += worker(`w${i}`, `-c ${i === 9 ? 2 : 1}`);
  const fs = findings(text, CODE, cores(4));
  assert.equal(fs.length, 1);
  assert.equal(textAt(text, fs[0]), '-c 2', 'on w9, the largest');
  assert.match(fs[0].message, /start 10 pool processes together .*: 'w9' 2, 'w1' 1, 'w2' 1, 'w3' 1, 'w4' 1, 'w5' 1, and 3 more\./);
  assert.equal(fs[0].related?.length, 5, 'the others it names, not itself');
});

test('adds up the workers of every file of a deployment, each program once', () => {
  const main = '[supervisord]\n[include]\nfiles = conf.d/*.conf\n' + worker('default', '-c 2');
  const fragment = worker('reports', '-c 2') + worker('default', '-c 2 -l info');
  const [mainFile] = analyzeDeployment([{ path: '/d/supervisord.conf', text: main }, { path: '/d/conf.d/a.conf', text: fragment }], cores(4));
  // default is one program (its sections merge): 2 + 2 = 4 fits.
  assert.deepEqual(mainFile.findings.filter((f) => f.code === CODE), []);
  const three = analyzeDeployment([{ path: '/d/supervisord.conf', text: main }, { path: '/d/conf.d/a.conf', text: worker('reports', '-c 2') + worker('mail', '-c 1') }], cores(4));
  const [f] = three[0].findings.filter((x) => x.code === CODE);
  assert.match(f.message, /5 pool processes together .*'default' 2, 'reports' 2 in \/d\/conf\.d\/a\.conf, 'mail' 1 in \/d\/conf\.d\/a\.conf\./);
  assert.deepEqual(f.related?.map((r) => r.file), ['/d/conf.d/a.conf', '/d/conf.d/a.conf']);
  assert.equal(three[1].findings.filter((x) => x.code === CODE).length, 1, 'one in the fragment too');
});

test('a program that two other files both define is counted once', () => {
  const main = '[supervisord]\n[include]\nfiles = conf.d/*.conf\n';
  const files = [
    { path: '/d/supervisord.conf', text: main },
    { path: '/d/conf.d/a.conf', text: worker('y', '-c 2') },
    { path: '/d/conf.d/b.conf', text: worker('x', '-c 2') },
    { path: '/d/conf.d/c.conf', text: worker('x', '-c 2') },
  ];
  // x is one program (supervisor merges its sections): 2 + 2 = 4 fits 5 cores, seen from every file.
  for (const r of analyzeDeployment(files, cores(5))) assert.deepEqual(r.findings.filter((f) => f.code === CODE), [], r.path);
});

test('a program whose sections in two files differ is left out of the total: the file read last wins key by key (review find)', () => {
  const main = '[supervisord]\n[include]\nfiles = conf.d/*.conf\n';
  // supervisor gives x -c 1 (b.conf is read after a.conf): 1 + 2 = 3 fits 4 cores; a.conf's -c 3 does not count.
  const files = [
    { path: '/d/supervisord.conf', text: main },
    { path: '/d/conf.d/a.conf', text: worker('x', '-c 3') },
    { path: '/d/conf.d/b.conf', text: worker('x', '-c 1') },
    { path: '/d/conf.d/c.conf', text: worker('y', '-c 2') + worker('z', '-c 1') },
  ];
  for (const r of analyzeDeployment(files, cores(4))) assert.deepEqual(r.findings.filter((f) => f.code === CODE).map((f) => f.message), [], r.path);
  // An autostart=false from another file's section of the same name: left out too.
  const parked = [
    { path: '/d/supervisord.conf', text: main },
    { path: '/d/conf.d/a.conf', text: worker('x', '-c 3') },
    { path: '/d/conf.d/b.conf', text: '[program:x]\nautostart=false\n' },
    { path: '/d/conf.d/c.conf', text: worker('y', '-c 2') },
  ];
  for (const r of analyzeDeployment(parked, cores(4))) assert.deepEqual(r.findings.filter((f) => f.code === CODE).map((f) => f.message), [], r.path);
});
