/**
 * readCeleryCommand: click's option rules for `celery [GLOBAL] <sub> [OPTIONS]`, every shape of
 * invocation found in supervisor configs, and exact offsets into the command string.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readCeleryCommand,
  poolOf,
  optionRemoval,
  isProcessPool,
  isThreadOrGreenletPool,
  type CeleryCommand,
  type CeleryOption,
} from '../../../server/src/core/command/celery';
import { WORKER_OPTIONS, BEAT_OPTIONS, GLOBAL_OPTIONS } from '../../../server/src/core/command/celeryOptions';
import { readMemmonCommand } from '../../../server/src/core/command/memmon';

const basenameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

function read(command: string): CeleryCommand {
  const c = readCeleryCommand(command);
  assert.ok(c, `not recognised as celery: ${JSON.stringify(command)}`);
  return c;
}

/** The option's spans must slice to the written text. */
function assertSpans(command: string, o: CeleryOption, nameText: string, valueText?: string): void {
  assert.equal(command.slice(o.nameStart, o.nameEnd), nameText, `name of ${o.spelling}`);
  if (valueText === undefined) {
    assert.equal(o.valueStart, undefined);
  } else {
    assert.ok(o.valueStart !== undefined && o.valueEnd !== undefined);
    assert.equal(command.slice(o.valueStart, o.valueEnd), valueText, `value of ${o.spelling}`);
  }
  assert.ok(o.start <= o.nameStart && o.nameEnd <= o.end);
}

// [written option(s), canonical name, form, value, raw name text, raw value text]
const SPELLINGS: [string, string, CeleryOption['form'], string, string, string][] = [
  ['-l info', '--loglevel', 'separate', 'info', '-l', 'info'],
  ['-linfo', '--loglevel', 'glued', 'info', '-l', 'info'],
  ['--loglevel=INFO', '--loglevel', 'equals', 'INFO', '--loglevel', 'INFO'],
  ['--loglevel INFO', '--loglevel', 'separate', 'INFO', '--loglevel', 'INFO'],
  ['-P gevent', '--pool', 'separate', 'gevent', '-P', 'gevent'],
  ['-Pgevent', '--pool', 'glued', 'gevent', '-P', 'gevent'],
  ['--pool=gevent', '--pool', 'equals', 'gevent', '--pool', 'gevent'],
  ['-c 10', '--concurrency', 'separate', '10', '-c', '10'],
  ['-c10', '--concurrency', 'glued', '10', '-c', '10'],
  ['--concurrency=10', '--concurrency', 'equals', '10', '--concurrency', '10'],
  ['--max-memory-per-child=262144', '--max-memory-per-child', 'equals', '262144', '--max-memory-per-child', '262144'],
  ['--max-memory-per-child 262144', '--max-memory-per-child', 'separate', '262144', '--max-memory-per-child', '262144'],
  ['-l "info"', '--loglevel', 'separate', 'info', '-l', '"info"'],
  ["--loglevel='INFO'", '--loglevel', 'equals', 'INFO', '--loglevel', "'INFO'"],
  ['-Ofair', '-O', 'glued', 'fair', '-O', 'fair'],
  ['-O fair', '-O', 'separate', 'fair', '-O', 'fair'],
  ['-n w1@%%h', '--hostname', 'separate', 'w1@%%h', '-n', 'w1@%%h'],
  ['--autoscale=10,3', '--autoscale', 'equals', '10,3', '--autoscale', '10,3'],
];

test('every spelling of worker options: canonical name, form, value and exact spans', () => {
  for (const [written, name, form, value, rawName, rawValue] of SPELLINGS) {
    const command = `celery -A proj worker ${written} -E`;
    const c = read(command);
    assert.equal(c.subcommand, 'worker');
    assert.equal(c.options.length, 2, written);
    const o = c.options[0];
    assert.equal(o.name, name, written);
    assert.equal(o.form, form, written);
    assert.equal(o.value, value, written);
    assert.equal(o.known, true, written);
    assert.equal(o.invalidEquals, undefined, written);
    assert.equal(command.slice(o.start, o.end), written);
    assertSpans(command, o, rawName, rawValue);
    assert.equal(c.get(name), o);
    assert.equal(c.options[1].name, '--task-events');
  }
});

test('short options written with "=" are flagged invalidEquals (click would take "=info" as the value)', () => {
  for (const [written, name, value] of [
    ['-l=info', '--loglevel', 'info'],
    ['-P=gevent', '--pool', 'gevent'],
    ['-c=10', '--concurrency', '10'],
  ]) {
    const command = `celery -A proj worker ${written}`;
    const o = read(command).get(name);
    assert.ok(o, written);
    assert.equal(o.invalidEquals, true);
    assert.equal(o.form, 'equals');
    assert.equal(o.value, value);
    assert.equal(command.slice(o.start, o.end), written);
    assertSpans(command, o, written.slice(0, 2), value);
  }
  assert.equal(poolOf(read('celery -A proj worker -P=gevent')), 'gevent');
  // The long form with '=' is fine.
  assert.equal(read('celery -A proj worker --pool=gevent').get('-P')?.invalidEquals, undefined);
});

test('click rules: combined short flags, last occurrence wins, values are consumed whatever they look like', () => {
  const command = 'celery -A proj worker -DB -Bc4 -l info -l debug -n -c';
  const c = read(command);
  const spell = c.options.map((o) => `${o.spelling}${o.value !== undefined ? '=' + o.value : ''}`);
  assert.deepEqual(spell, ['-D', '-B', '-B', '-c=4', '-l=info', '-l=debug', '-n=-c']);
  assert.equal(c.options[0].combined, true);
  assert.equal(command.slice(c.options[1].nameStart, c.options[1].nameEnd), 'B');
  assert.equal(c.get('--loglevel')?.value, 'debug');
  assert.equal(c.get('-l')?.value, 'debug');
  assert.equal(c.get('--hostname')?.value, '-c');
  assert.equal(c.has('--concurrency'), true);
  assert.equal(c.has('--max-tasks-per-child'), false);

  // Removing one option of a combined group keeps the others valid.
  const apply = (cmd: string, o: CeleryOption): string => {
    const r = optionRemoval(o);
    return cmd.slice(0, r.start) + r.newText + cmd.slice(r.end);
  };
  assert.equal(apply(command, c.options[0]), 'celery -A proj worker -B -Bc4 -l info -l debug -n -c');
  assert.equal(apply(command, c.options[1]), 'celery -A proj worker -D -Bc4 -l info -l debug -n -c');
  assert.equal(apply(command, c.options[2]), 'celery -A proj worker -DB -c4 -l info -l debug -n -c');
  assert.equal(apply(command, c.options[3]), 'celery -A proj worker -DB -B -l info -l debug -n -c');
  assert.equal(apply(command, c.options[4]), 'celery -A proj worker -DB -Bc4  -l debug -n -c');

  const missing = read('celery -A proj worker -l');
  assert.equal(missing.get('-l')?.missingValue, true);
  assert.equal(missing.get('-l')?.value, undefined);

  const flagValue = read('celery -A proj worker --detach=yes');
  assert.equal(flagValue.get('-D')?.unexpectedValue, true);
});

test('aliases, later-version options and removed Celery 4 spellings', () => {
  const c = read('celery --skip-checks -A proj worker --events --discard --schedule=/x --optimization=fair --disable-prefetch');
  assert.equal(c.get('--skip-checks')?.since, '5.3.0');
  assert.equal(c.get('-E')?.spelling, '--events');
  assert.equal(c.get('--purge')?.spelling, '--discard');
  assert.equal(c.get('-s')?.value, '/x');
  assert.equal(c.get('-s')?.name, '--schedule-filename');
  const opt = c.get('-O');
  assert.equal(opt?.since, '5.3.1');
  assert.equal(opt?.value, 'fair');
  assert.equal(c.get('--disable-prefetch')?.since, '5.6.0');

  const old = read('celery -A proj worker --maxtasksperchild=100 --maxmemperchild 200000 --autoreload --no-execv');
  const [t, m, a, n] = old.options;
  assert.deepEqual([t.name, t.removedAlias, t.removed, t.value, t.known], ['--max-tasks-per-child', '--max-tasks-per-child', true, '100', true]);
  assert.deepEqual([m.name, m.removedAlias, m.value, m.form], ['--max-memory-per-child', '--max-memory-per-child', '200000', 'separate']);
  assert.deepEqual([a.name, a.removed, a.removedAlias, a.form], ['--autoreload', true, undefined, 'flag']);
  assert.equal(n.spelling, '--no-execv');
  assert.equal(old.get('--maxtasksperchild'), t);
});

test('unknown options: known=false, long ones take no value unless "=", positionals are not options', () => {
  const command = 'celery -A proj worker --concurency 4 --bogus=1 -Z -l info worker.prefetch_multiplier=1';
  const c = read(command);
  const [typo, bogus, z, l] = c.options;
  assert.deepEqual([typo.spelling, typo.known, typo.value], ['--concurency', false, undefined]);
  assert.deepEqual([bogus.spelling, bogus.known, bogus.value, bogus.form], ['--bogus', false, '1', 'equals']);
  assert.deepEqual([z.spelling, z.known], ['-Z', false]);
  assert.deepEqual([l.name, l.value], ['--loglevel', 'info']);
  assert.deepEqual(
    c.positionals.map((p) => p.text),
    ['4', 'worker.prefetch_multiplier=1'],
  );
  // `--` ends option parsing
  const dd = read('celery -A proj worker -- -l info');
  assert.equal(dd.options.length, 0);
  assert.deepEqual(dd.positionals.map((p) => p.text), ['-l', 'info']);
});

test('Celery 4 syntax `celery worker -A proj` is a worker with misplaced global options', () => {
  const command = 'celery worker -A proj --broker=redis://x -l info';
  const c = read(command);
  assert.equal(c.subcommand, 'worker');
  assert.equal(c.globalOptions.length, 0);
  assert.deepEqual(c.misplacedGlobalOptions.map((o) => [o.name, o.value, o.misplaced, o.known]), [
    ['--app', 'proj', true, true],
    ['--broker', 'redis://x', true, true],
  ]);
  assert.deepEqual(c.options.map((o) => o.name), ['--loglevel']);
  assert.equal(c.get('--app')?.value, 'proj');
  assert.equal(c.get('-A'), c.misplacedGlobalOptions[0]);
  assertSpans(command, c.misplacedGlobalOptions[0], '-A', 'proj');
  assert.equal(command.slice(c.subcommandStart, c.subcommandEnd), 'worker');

  const beat = read('celery beat -A proj -s /tmp/s');
  assert.equal(beat.subcommand, 'beat');
  assert.equal(beat.misplacedGlobalOptions[0].name, '--app');
  assert.equal(beat.get('-s')?.name, '--schedule');
});

test('global options before the sub-command', () => {
  const command = 'celery --app=proj.celery:app -b amqp://x --workdir /srv/app --config cfg --loader l --result-backend rpc:// -q -C --no-color worker';
  const c = read(command);
  assert.deepEqual(
    c.globalOptions.map((o) => [o.name, o.value ?? null]),
    [
      ['--app', 'proj.celery:app'],
      ['--broker', 'amqp://x'],
      ['--workdir', '/srv/app'],
      ['--config', 'cfg'],
      ['--loader', 'l'],
      ['--result-backend', 'rpc://'],
      ['--quiet', null],
      ['--no-color', null],
      ['--no-color', null],
    ],
  );
  assert.equal(c.subcommand, 'worker');
  assert.equal(c.insertOffset, command.length);
  // A worker option before the sub-command is unknown there, but still consumes its value so the
  // sub-command is found.
  const early = read('celery -l info -A proj worker');
  assert.equal(early.subcommand, 'worker');
  assert.deepEqual(early.globalOptions.map((o) => [o.spelling, o.name, o.known, o.value, o.beforeSubcommand]), [
    ['-l', '--loglevel', false, 'info', true],
    ['-A', '--app', true, 'proj', undefined],
  ]);
  assert.equal(early.get('--loglevel')?.beforeSubcommand, true);
});

test('shapes: venv path, %(ENV_VENV)s, continuation newlines, python -m, env prefix', () => {
  const venv = read('/home/x/venv/bin/celery -A myauth worker');
  assert.equal(venv.celeryExecutablePath, '/home/x/venv/bin/celery');
  assert.equal(venv.executable, '/home/x/venv/bin/celery');

  const command = '%(ENV_VENV)s/bin/celery -A myauth worker\n  --max-memory-per-child 262144\n  -n %(program_name)s_%(process_num)02d@%%h';
  const env = read(command);
  assert.equal(env.celeryExecutablePath, '%(ENV_VENV)s/bin/celery');
  assert.equal(env.subcommand, 'worker');
  assert.equal(command.slice(env.executableStart, env.executableEnd), '%(ENV_VENV)s/bin/celery');
  const mm = env.get('--max-memory-per-child');
  assert.ok(mm);
  assertSpans(command, mm, '--max-memory-per-child', '262144');
  const n = env.get('-n');
  assert.ok(n);
  assertSpans(command, n, '-n', '%(program_name)s_%(process_num)02d@%%h');
  assert.equal(env.insertOffset, command.indexOf('worker') + 6);

  for (const py of ['python -m celery', 'python3.11 -m celery', '/venv/bin/python -m celery', 'python3 -u -mcelery', 'python -W ignore -m celery']) {
    const c = read(`${py} -A proj worker -l info`);
    assert.equal(c.viaPythonM, true, py);
    assert.equal(c.subcommand, 'worker', py);
    assert.equal(c.executable, py.split(' ')[0], py);
    assert.equal(c.get('-A')?.value, 'proj', py);
    assert.equal(c.get('-l')?.value, 'info', py);
  }
  const script = read('/venv/bin/python /venv/bin/celery -A proj worker');
  assert.equal(script.viaPythonM, false);
  assert.equal(script.celeryExecutablePath, '/venv/bin/celery');
  assert.equal(script.executable, '/venv/bin/python');
  assert.equal(readCeleryCommand('python -c "import celery"'), undefined);
  assert.equal(readCeleryCommand('python manage.py runserver'), undefined);

  const e = read('env -i PATH=/bin DJANGO_SETTINGS_MODULE=x.settings celery -A proj worker -c 2');
  assert.equal(e.subcommand, 'worker');
  assert.equal(e.executable, 'celery');
  assert.deepEqual(e.wrappers, ['env']);
  assert.equal(e.get('-c')?.value, '2');
  assert.equal(read('/usr/bin/env A=b python3 -m celery -A p beat').subcommand, 'beat');
  assert.equal(read('poetry run celery -A p worker').subcommand, 'worker');
  assert.deepEqual(read('uv run --with gevent celery -A p worker').wrappers, ['uv']);
  assert.equal(read('newrelic-admin run-program celery -A p worker').subcommand, 'worker');
  assert.deepEqual(read('sudo -u celery -H /venv/bin/celery -A p worker').wrappers, ['sudo']);
  // sudo's getopt: flags combine up to the first option with a value, which is the rest of the word or the next word.
  for (const sudo of ['sudo -Hu app', 'sudo -nu app', 'sudo -Eu app', 'sudo -uapp', 'sudo -gapp -u app', 'sudo --user app', 'sudo --user=app', 'sudo --us app', 'sudo --group g -E', 'sudo --chdir /srv', 'sudo -D /srv -u app', 'sudo -E --preserve-env=PATH -u app', 'sudo -h -u app', 'sudo -hhost -u app', 'sudo --close-from 4 -i FOO=1']) {
    const c = readCeleryCommand(`${sudo} /srv/venv/bin/celery -A proj worker -l info`);
    assert.equal(c?.subcommand, 'worker', sudo);
    assert.deepEqual(c?.wrappers, ['sudo'], sudo);
    assert.equal(c?.get('-l')?.value, 'info', sudo);
  }
  assert.equal(readCeleryCommand('sudo -ug app celery -A proj worker'), undefined, "user 'g' runs the program 'app'");
  assert.equal(read('nice -n 10 celery -A p worker').subcommand, 'worker');
});

test('wrappers that operators put in front of a worker: their options are skipped, the worker read with exact spans', () => {
  // [command, wrappers, what each does with the stop signal]
  const cases: [string, string[], string[]][] = [
    ['timeout 1d', ['timeout'], ['relays-to-group']],
    ['timeout -s INT -k 30 86400', ['timeout'], ['relays-to-group']],
    ['timeout --signal=QUIT --kill-after 1m --foreground 12h', ['timeout'], ['relays']],
    ['timeout --fore 1h', ['timeout'], ['relays']],
    ['timeout -v -- 1d', ['timeout'], ['relays-to-group']],
    ['ionice -c3', ['ionice'], ['exec']],
    ['ionice -c 2 -n 7', ['ionice'], ['exec']],
    ['nice -n 10 ionice --class idle', ['nice', 'ionice'], ['exec', 'exec']],
    ['stdbuf -oL -e L', ['stdbuf'], ['exec']],
    ['chpst -u app:app -e /srv/env -/ /srv/root', ['chpst'], ['exec']],
    ['flock -n /tmp/w.lock', ['flock'], ['drops']],
    ['flock --timeout 10 -E 0 /var/lock/w', ['flock'], ['drops']],
    ['flock -F /tmp/w.lock', ['flock'], ['exec']],
    ['flock --no-fork -x /tmp/w.lock', ['flock'], ['exec']],
    ['runuser -u app --', ['runuser'], ['kills']],
    ['runuser -u app -g app', ['runuser'], ['kills']],
    ['gosu app', ['gosu'], ['exec']],
    ['su-exec app:app', ['su-exec'], ['exec']],
    ['opentelemetry-instrument --traces_exporter console --service_name=worker', ['opentelemetry-instrument'], ['exec']],
    ['dotenv run', ['dotenv'], ['exec']],
    ['dotenv -f /srv/.env run --no-override --', ['dotenv'], ['exec']],
    ['uv run --with gevent', ['uv'], ['relays']],
    ['sudo -u app timeout 1d nice', ['sudo', 'timeout', 'nice'], ['relays', 'relays-to-group', 'exec']],
    ['/usr/bin/timeout 1d /usr/bin/env A=1', ['timeout', 'env'], ['relays-to-group', 'exec']],
  ];
  for (const [wrapper, names, signals] of cases) {
    const command = `${wrapper} /srv/venv/bin/celery -A proj worker -l info -c 4 -Q a,b`;
    const c = read(command);
    assert.equal(c.subcommand, 'worker', wrapper);
    assert.equal(command.slice(c.executableStart, c.executableEnd), '/srv/venv/bin/celery', wrapper);
    assert.deepEqual(c.wrappers, names, wrapper);
    assert.deepEqual(c.wrapperWords?.map((w) => w.signals), signals, wrapper);
    assert.deepEqual(c.wrapperWords?.map((w) => basenameOf(command.slice(w.start, w.end))), names, wrapper);
    assertSpans(command, c.get('-l')!, '-l', 'info');
    assertSpans(command, c.get('--concurrency')!, '-c', '4');
    assertSpans(command, c.get('-Q')!, '-Q', 'a,b');
    assert.equal(c.get('-A')?.value, 'proj', wrapper);
  }
  // Forms with no program after them, or a program that is not Celery.
  for (const command of ['timeout 1d', 'ionice -p 123 celery -A p worker', 'flock /tmp/x', 'dotenv list', 'su app', 'runuser -u app', 'timeout 1d python manage.py runserver', 'flock -c "celery -A p worker"']) {
    assert.equal(readCeleryCommand(command), undefined, command);
  }
});

test('su -c and runuser USER -c: the script is read as a shell script, its offsets mapped back', () => {
  for (const command of [
    `su app -c "cd /srv && exec /srv/venv/bin/celery -A proj worker -l info -c 4"`,
    `su - app -c 'exec /srv/venv/bin/celery -A proj worker -l info -c 4'`,
    `su -c "/srv/venv/bin/celery -A proj worker -l info -c 4" app`,
    `su --login --command="/srv/venv/bin/celery -A proj worker -l info -c 4" app`,
    `runuser -l app -c "/srv/venv/bin/celery -A proj worker -l info -c 4"`,
  ]) {
    const c = read(command);
    assert.equal(c.viaShell, true, command);
    assert.equal(c.shell, '', `${command}: the user's login shell, not known here`);
    assert.equal(c.shellWaits, undefined, command);
    assert.deepEqual(c.wrapperWords?.map((w) => w.signals), ['kills'], command);
    assert.equal(command.slice(c.executableStart, c.executableEnd), '/srv/venv/bin/celery', command);
    assertSpans(command, c.get('-l')!, '-l', 'info');
    assertSpans(command, c.get('-c')!, '-c', '4');
  }
  // -s names the shell: dash forks for the command, and waits.
  const dash = read(`su -s /bin/sh app -c "cd /srv && celery -A proj worker"`);
  assert.equal(dash.shell, 'sh');
  assert.equal(dash.shellWaits, true);
  // flock FILE -c SCRIPT: $SHELL or /bin/sh runs it, not known here.
  const flock = read(`flock /tmp/w.lock -c "celery -A proj worker -l info"`);
  assert.equal(flock.viaShell, true);
  assert.deepEqual(flock.wrappers, ['flock']);
  // Wrappers in front of a shell are the worker's wrappers too.
  assert.deepEqual(read(`nice -n 5 bash -c "exec celery -A proj worker"`).wrappers, ['nice']);
});

test('bash -c / sh -c wrappers: inner script offsets map back into the command string', () => {
  const command = `bash -c "cd /srv/app && source venv/bin/activate && exec celery -A proj worker -l \\"info\\" --logfile='/var/log/x y.log' -P gevent"`;
  const c = read(command);
  assert.equal(c.viaShell, true);
  assert.equal(c.shellExec, true);
  assert.equal(c.shell, 'bash');
  assert.equal(c.shellCommands, 3);
  assert.equal(c.subcommand, 'worker');
  assert.equal(command.slice(c.executableStart, c.executableEnd), 'celery');
  assert.equal(command.slice(c.subcommandStart, c.subcommandEnd), 'worker');
  assert.equal(c.insertOffset, command.indexOf('worker') + 'worker'.length);
  const l = c.get('--loglevel');
  assert.ok(l);
  assert.equal(l.value, 'info');
  assertSpans(command, l, '-l', '\\"info\\"');
  const lf = c.get('--logfile');
  assert.ok(lf);
  assert.equal(lf.value, '/var/log/x y.log');
  assertSpans(command, lf, '--logfile', "'/var/log/x y.log'");
  const p = c.get('-P');
  assert.ok(p);
  assertSpans(command, p, '-P', 'gevent');
  assert.equal(c.endOffset, command.length - 1);
  assert.equal(poolOf(c), 'gevent');

  const sh = `sh -c 'A=1 B=2 /venv/bin/celery -A proj worker --concurrency=4 >> /var/log/w.log 2>&1; echo done'`;
  const s = read(sh);
  assert.equal(s.shellExec, false);
  assert.equal(s.celeryExecutablePath, '/venv/bin/celery');
  const conc = s.get('-c');
  assert.ok(conc);
  assertSpans(sh, conc, '--concurrency', '4');
  assert.equal(s.positionals.length, 0, 'redirections are not arguments');
  assert.equal(sh.slice(s.endOffset - 15, s.endOffset), '--concurrency=4');

  // bash runs a lone simple command in place of itself (no fork) unless it has a redirection; dash always forks.
  assert.equal(read(`bash -c "celery -A proj worker"`).shellExec, true);
  assert.equal(read(`bash -c "celery -A proj worker >> /var/log/w.log"`).shellExec, false);
  assert.equal(read(`sh -c "celery -A proj worker"`).shellExec, false);

  const lc = read(`/bin/bash -lc "exec python -m celery -A proj beat -l INFO"`);
  assert.equal(lc.viaShell && lc.viaPythonM && lc.shellExec, true);
  assert.equal(lc.subcommand, 'beat');

  const venvShell = read(`bash -c '%(ENV_VENV)s/bin/celery -A proj worker'`);
  assert.equal(venvShell.celeryExecutablePath, '%(ENV_VENV)s/bin/celery');

  // Continuation newlines inside the script separate commands (as in the shell).
  const multi = `bash -c "cd /app\n  exec celery -A proj worker\n  -l info"`;
  const m = read(multi);
  assert.equal(m.subcommand, 'worker');
  assert.equal(m.has('-l'), false);

  assert.equal(readCeleryCommand(`bash -c "gunicorn app:wsgi"`), undefined);
  assert.equal(readCeleryCommand(`bash /srv/start-celery.sh`), undefined);
});

test('legacy executables, beat, flower and multi', () => {
  const d = read('celeryd -A proj -l info --maxtasksperchild=5');
  assert.equal(d.legacyExecutable, 'celeryd');
  assert.equal(d.subcommand, 'worker');
  assert.equal(d.get('--app')?.value, 'proj');
  assert.equal(d.globalOptions[0].misplaced, undefined);
  assert.equal(d.get('-l')?.value, 'info');
  assert.equal(d.get('--max-tasks-per-child')?.removedAlias, '--max-tasks-per-child');
  assert.equal(read('/venv/bin/celerybeat -A proj').legacyExecutable, 'celerybeat');
  assert.equal(read('/venv/bin/celerybeat -A proj').subcommand, 'beat');
  assert.equal(read('celeryd-multi start w1').subcommand, 'multi');

  const beat = read('celery -A proj beat -s /var/lib/celery/beat-schedule -l INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler');
  assert.equal(beat.subcommand, 'beat');
  assert.equal(beat.optionsChecked, true);
  assert.deepEqual(beat.options.map((o) => [o.name, o.known]), [
    ['--schedule', true],
    ['--loglevel', true],
    ['--scheduler', true],
  ]);
  assert.equal(read('celery -A proj beat -S x').get('--scheduler')?.value, 'x');
  assert.equal(read('celery -A proj beat -D').get('-D')?.known, false, 'beat has no -D');

  const flower = read('celery -A proj flower --port=5555');
  assert.equal(flower.subcommand, 'flower');
  assert.equal(flower.optionsChecked, false);
  assert.equal(flower.get('--port')?.value, '5555');
  assert.equal(read('/venv/bin/flower -A proj --port=5555').subcommand, 'flower');
  assert.equal(read('python -m flower').subcommand, 'flower');

  const multi = read('celery multi start w1 -A proj -l info');
  assert.equal(multi.subcommand, 'multi');
  assert.equal(multi.misplacedGlobalOptions.length, 0);
  assert.equal(multi.subcommandText, 'multi');

  const other = read('celery -A proj inspect ping');
  assert.equal(other.subcommand, 'other');
  assert.equal(other.subcommandText, 'inspect');
  const none = read('celery -A proj');
  assert.equal(none.subcommand, 'other');
  assert.equal(none.subcommandStart, undefined);
  assert.equal(none.insertOffset, 'celery'.length);
});

test("django-celery's manage.py commands: the command after manage.py, its span, the options read but not checked", () => {
  const command = '/venv/bin/python /srv/app/manage.py celeryd -l info --settings=app.settings';
  const d = read(command);
  assert.equal(d.subcommand, 'worker');
  assert.equal(d.legacyExecutable, undefined, 'not the celeryd executable');
  assert.deepEqual(d.managePy, { command: 'celeryd', start: command.indexOf('celeryd'), end: command.indexOf('celeryd') + 7, script: '/srv/app/manage.py' });
  assert.equal(d.executable, '/venv/bin/python');
  assert.equal(d.celeryExecutablePath, undefined);
  assert.equal(d.get('-l')?.value, 'info');
  assert.equal(d.optionsChecked, false, "Celery 3.1's options, through Django");
  assert.equal(d.insertOffset, command.indexOf('celeryd') + 7);
  const w = read('python manage.py celery worker -c 4');
  assert.equal(w.subcommand, 'worker');
  assert.equal(w.subcommandText, 'worker');
  assert.equal(w.managePy?.command, 'celery');
  assert.equal(w.get('--concurrency')?.value, '4');
  assert.equal(read('/srv/app/manage.py celerybeat').subcommand, 'beat');
  assert.equal(read('python manage.py celeryd_multi start w1').subcommand, 'multi');
  assert.equal(readCeleryCommand('python manage.py runserver'), undefined);
  assert.equal(readCeleryCommand('python manage.py'), undefined);
  assert.equal(readMemmonCommand('python manage.py memmon -p a=1MB'), undefined, 'memmon is no Django command');
});

test('quoting errors are reported and what was parsed is still used', () => {
  const c = read('celery -A proj worker -l "info');
  assert.deepEqual(c.argvError, { message: 'No closing quotation', offset: 25 });
  assert.equal(c.get('-l')?.missingValue, true);
  const inner = `bash -c "celery -A proj worker -l 'info"`;
  const s = read(inner);
  assert.equal(s.argvError?.message, 'No closing quotation');
  assert.equal(inner[s.argvError.offset], "'");
});

test('pools', () => {
  assert.equal(poolOf(read('celery -A p worker')), 'prefork');
  assert.equal(poolOf(read('celery -A p worker -P threads')), 'threads');
  assert.equal(poolOf(read('celery -A p worker -Psolo --pool=eventlet')), 'eventlet');
  assert.equal(isProcessPool('prefork') && isProcessPool('processes'), true);
  assert.equal(isProcessPool('threads') || isProcessPool('solo'), false);
  assert.deepEqual(['threads', 'gevent', 'eventlet', 'solo', 'prefork'].map(isThreadOrGreenletPool), [true, true, true, false, false]);
});

test('option tables match the reference counts', () => {
  const real = (specs: readonly { name: string }[]): number => specs.filter((s) => s.name !== '--help').length;
  assert.equal(real(GLOBAL_OPTIONS), 10);
  assert.equal(real(WORKER_OPTIONS), 32);
  assert.equal(real(BEAT_OPTIONS), 11);
});

test('non-celery commands and hostile input: undefined or a result, never an exception', () => {
  for (const s of ['', '   ', 'gunicorn app:wsgi', '/usr/bin/memmon -p x=1MB', 'celeryx worker', 'bash -c', 'sh -c ""', 'env', 'python -m', 'nice -n']) {
    const r = readCeleryCommand(s);
    assert.equal(r, undefined, s);
  }
  assert.equal(readCeleryCommand(undefined as unknown as string), undefined);
  const hostile = [
    'celery ' + '-'.repeat(100000),
    'celery -A proj worker ' + '-D'.repeat(50000),
    'celery -A proj worker ' + '-l x '.repeat(20000),
    'bash -c "' + 'cd x && '.repeat(10000) + 'celery -A p worker"',
    'bash -c "' + '$('.repeat(20000) + '"',
    'bash -c "bash -c \\"bash -c \'celery worker\'\\""',
  ];
  const t0 = Date.now();
  for (const s of hostile) readCeleryCommand(s);
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  let seed = 7;
  const pieces = ['celery', ' ', '-A', 'proj', 'worker', '-l', '=', '"', "'", '\\', 'bash', '-c', '&&', ';', '|', '\n', '-P', 'gevent', '--pool', '$(', ')', '>', '2>&1', 'exec', 'python', '-m', 'env', 'A=b', '%(ENV_X)s/bin/celery'];
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let j = 0; j < 12; j++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += pieces[seed % pieces.length];
    }
    const c = readCeleryCommand(s);
    if (!c) continue;
    for (const o of [...c.globalOptions, ...c.options, ...c.misplacedGlobalOptions]) {
      assert.ok(o.start >= 0 && o.end <= s.length && o.start <= o.end, s);
      assert.ok(o.nameStart <= o.nameEnd, s);
      if (o.valueStart !== undefined) assert.ok(o.valueEnd !== undefined && o.valueStart <= o.valueEnd && o.valueEnd <= s.length, s);
    }
    assert.ok(c.insertOffset >= 0 && c.insertOffset <= s.length, s);
  }
});

test('spans too long for the packed option layout read back exactly', () => {
  const gap = ' '.repeat(300);
  const long = `--${'x'.repeat(300)}`;
  for (const [command, nameText, valueText] of [
    [`celery -A proj worker -l${gap}info`, '-l', 'info'],
    [`celery -A proj worker ${long}=5 -c 4`, long, '5'],
    [`celery -A proj worker -Q${gap}"a b"`, '-Q', '"a b"'],
  ] as const) {
    const c = read(command);
    const o = c.options.find((x) => x.spelling === nameText || x.name === nameText);
    assert.ok(o, command);
    assertSpans(command, o, nameText, valueText);
  }
});

test('equal options of two readings are one object, different ones are not', () => {
  const a = read('celery -A proj1 worker -l info -c 4');
  const b = read('celery -A proj2 worker -l info -c 8');
  assert.equal(a.options[0], b.options[0], '-l info at the same offsets');
  assert.notEqual(a.options[1], b.options[1], '-c 4 and -c 8');
  assert.notEqual(a.globalOptions[0], b.globalOptions[0], '-A proj1 and -A proj2');
  assert.equal(b.options[1].value, '8');
});

test('get finds every option a command holds, by name and by spelling, whatever the lookup shortcut says', () => {
  const commands = [
    'celery -A proj worker -l info -P gevent -c 10 --max-memory-per-child=262144 -Q q1 -n w1@%%h',
    'celery worker -A proj --loglevel=INFO -Ofair --autoscale=10,3 --time-limit 300 --soft-time-limit=200',
    'celery -A proj -l info worker -DBc4 --maxtasksperchild=10 --without-gossip --hostname x',
    'celeryd -A proj -l info --concurrency 3 -E',
    'celerybeat -A proj -s /tmp/beat -l debug',
    'celery -A proj beat -S django --pidfile= -l info',
    'celery flower -A proj --port=5555 --basic_auth=u:p',
    'python -m celery -A proj multi start w1 -l info',
    'bash -c "exec celery -A proj worker -l info -Q a,b -c 2"',
    'celery -A proj worker --detach --logfile=/x.log --pidfile=/x.pid -E -B',
    'celery -A proj worker -l=info -c -1 -- --loglevel=debug',
  ];
  for (const command of commands) {
    const c = read(command);
    const held = [...c.globalOptions, ...c.options, ...c.misplacedGlobalOptions];
    assert.ok(held.length > 0, command);
    for (const o of held) {
      assert.ok(c.get(o.name), `${command}: ${o.name}`);
      assert.ok(c.get(o.spelling), `${command}: ${o.spelling}`);
    }
  }
  // And every name of the tables, asked of each command, agrees with a plain scan of what it holds.
  for (const command of commands) {
    const c = read(command);
    const held = [...c.globalOptions, ...c.options, ...c.misplacedGlobalOptions];
    for (const spec of [...WORKER_OPTIONS, ...BEAT_OPTIONS, ...GLOBAL_OPTIONS]) {
      const found = c.get(spec.name);
      if (found) assert.ok(held.includes(found), `${command}: ${spec.name}`);
      else assert.ok(!held.some((o) => o.name === spec.name || o.spelling === spec.name), `${command}: ${spec.name} is held but not found`);
    }
  }
});

test('su -c SCRIPT with no user named runs the script as root: Celery in it is read (review find)', () => {
  const cmd = readCeleryCommand('su -c "exec /venv/bin/celery -A proj worker -l info"');
  assert.ok(cmd, 'read as Celery');
  assert.equal(cmd.subcommand, 'worker');
  assert.deepEqual(cmd.wrappers, ['su']);
});
