import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { commandHover, type CommandHoverOptions } from '../../../server/src/core/features/commandHover';
import { hover, type HoverInfo } from '../../../server/src/core/features/hover';
import type { Range } from '../../../server/src/core/model/types';
import { settingsWith } from '../../support/rules';
import { withCursor } from '../../support/cursor';

/** The command hover at the `|` marker of the fixture. */
function hoverAt(fixture: string, options?: CommandHoverOptions): { info: HoverInfo | undefined; text: string } {
  const { text, position } = withCursor(fixture);
  const doc = parse(text);
  return { info: commandHover(doc, buildDeployment(doc), position, options), text };
}

/** The text a range covers. */
function covered(text: string, r: Range): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join('\n');
}

/** Hover at the marker; fails when there is none. Returns the Markdown and the text its range covers. */
function mustHover(fixture: string, options?: CommandHoverOptions): { md: string; at: string } {
  const { info, text } = hoverAt(fixture, options);
  assert.ok(info, `expected a hover in ${JSON.stringify(fixture)}`);
  return { md: info.markdown, at: covered(text, info.range) };
}

function includesAll(md: string, parts: string[]): void {
  for (const p of parts) assert.ok(md.includes(p), `hover should contain ${JSON.stringify(p)}:\n${md}`);
}

const worker = (command: string, extra = '') => `[program:worker]\n${extra}command=${command}\n`;
/** A gevent worker with two processes (worker_00, worker_01) and a memmon listener running `command`. */
const numprocs2 = '[program:worker]\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\ncommand=celery -A p worker -P gevent\n\n';
const listener = (command: string) => `${numprocs2}[eventlistener:memmon]\ncommand=${command}\nevents=TICK_60\n`;

// ---------------------------------------------------------------------------------------------
// the cursor helper

test('withCursor removes the marker and returns its position', () => {
  assert.deepEqual(withCursor('ab\ncd|ef'), { text: 'ab\ncdef', position: { line: 1, character: 2 } });
  assert.deepEqual(withCursor('a\r\n|b'), { text: 'a\r\nb', position: { line: 1, character: 0 } });
  assert.deepEqual(withCursor('x^y', '^'), { text: 'xy', position: { line: 0, character: 1 } });
  assert.throws(() => withCursor('no marker'));
  assert.throws(() => withCursor('a|b|c'));
});

// ---------------------------------------------------------------------------------------------
// Celery options

test('hovering -l shows the default, the guide\'s advice and the rule, and covers the option', () => {
  const { md, at } = mustHover(worker('/venv/bin/celery -A myauth worker -|l info'));
  includesAll(md, ['`-l`, `--loglevel`', 'Default:** WARNING', '-l info', 'Alliance Auth Celery tuning guide', 'Logs INFO and more severe']);
  assert.ok(md.includes('[celery-loglevel-missing](docs/rules/celery-loglevel-missing.md)'));
  assert.equal(at, '-l info');
});

test('the log level hover works for every spelling, on the name and on the value', () => {
  const cases: [string, string][] = [
    ['-l|info', '-linfo'],
    ['-li|nfo', '-linfo'],
    ['--log|level=INFO', '--loglevel=INFO'],
    ['--loglevel=IN|FO', '--loglevel=INFO'],
    ['--loglevel I|NFO', '--loglevel INFO'],
    ['-l D|EBUG', '-l DEBUG'],
  ];
  for (const [spelling, option] of cases) {
    const { md, at } = mustHover(worker(`celery -A proj worker ${spelling} -c 4`));
    assert.ok(md.includes('`--loglevel`'), spelling);
    assert.equal(at, option, spelling);
  }
  assert.ok(mustHover(worker('celery -A proj worker -l W|ARN')).md.includes('Celery 5 refuses `WARN`'));
});

test('--max-memory-per-child: KiB in MB and the worst case over -c and numprocs', () => {
  const extra = 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n';
  const { md, at } = mustHover(worker('celery -A p worker -c 4 --max-memory-per-|child 262144', extra));
  includesAll(md, ['262144 KiB = 256 MB per pool process', 'This limit is per pool process', '262144 KiB x 4 (`-c 4`) x 2 (numprocs) = 2048 MB (2 GB)']);
  includesAll(md, ['128 MB', 'about 80 MB', 'celery-memory-limit-too-low', 'celery-memory-limit-ignored', 'celery-memory-limit-missing']);
  assert.equal(at, '--max-memory-per-child 262144');
});

test('--max-memory-per-child without -c uses the CPU count, and serverCpuCount when it is set', () => {
  const fixture = worker('celery -A p worker --max-memory-per-child=2621|44');
  assert.ok(mustHover(fixture).md.includes('262144 KiB x the number of CPU cores (the default concurrency).'));
  const { md } = mustHover(fixture, { settings: settingsWith({ serverCpuCount: 8 }) });
  assert.ok(md.includes('with 8 cores (supervisor.celery.serverCpuCount) that is 2048 MB (2 GB)'), md);
  assert.ok(mustHover(worker('celery -A p worker --autoscale=10,3 --max-memory-per-child=2621|44')).md.includes('x 10 (`--autoscale 10,3`)'));
});

test('--max-memory-per-child values that are too low or not KiB', () => {
  includesAll(mustHover(worker('celery -A p worker --max-memory-per-child 2|56')).md, ['256 KiB', 'for 256 MB write `262144`']);
  includesAll(mustHover(worker('celery -A p worker --max-memory-per-child 10000|0')).md, ['97.7 MB', "guide's floor of 128 MB (131072 KiB)"]);
  includesAll(mustHover(worker('celery -A p worker --max-memory-per-child=256|MB')).md, ['not a valid integer', 'write `262144`']);
});

test('a value under 128 even as MB is not told to be multiplied by 1024 (the rule raises it to the floor)', () => {
  const { md } = mustHover(worker('celery -A p worker --max-memory-per-child 6|4'));
  includesAll(md, ['even 64 MB would be below', 'write at least `131072`']);
  assert.ok(!md.includes('`65536`'));
});

test('per-child limits say they do nothing in a thread or greenlet pool', () => {
  const { md } = mustHover(worker('celery -A p worker -P gevent --max-tasks-per-chi|ld 100'));
  includesAll(md, ['No effect with `--pool=gevent`', 'less precise']);
  const mem = mustHover(worker('celery -A p worker --pool=threads --max-memory-per-child 262|144')).md;
  assert.ok(mem.includes('No effect with `--pool=threads`'));
  assert.ok(!mem.includes('Worst case'), 'no worst case for a limit that does nothing');
});

test('a pool that CELERY_WORKER_POOL chooses (no -P) counts as the pool the worker runs', () => {
  const env = 'environment=CELERY_WORKER_POOL="gevent"\n';
  const mem = mustHover(worker('celery -A p worker --max-memory-per-child 262|144', env)).md;
  includesAll(mem, ['No effect with `--pool=gevent`']);
  assert.ok(!mem.includes('Worst case'), 'no worst case for a limit that does nothing');
  includesAll(mustHover(worker('celery -A p worker -c 1|00', 'environment=CELERY_WORKER_POOL="solo"\n')).md, ['The solo pool ignores it']);
  assert.ok(mustHover(worker('celery -A p worker --max-memory-per-child 262|144')).md.includes('Worst case'), 'prefork without the variable');
});

test("-c's advice is the one for the worker's pool, both where the command may choose another", () => {
  const gevent = mustHover(worker('celery -A p worker -P gevent -c 5|0')).md;
  assert.ok(gevent.includes('`--pool=gevent --concurrency=10` is a conservative start'));
  assert.ok(!gevent.includes('With processes, the recommended number is one per CPU core'), gevent);
  const prefork = mustHover(worker('celery -A p worker -c |4')).md;
  assert.ok(prefork.includes('With processes, the recommended number is one per CPU core'));
  assert.ok(!prefork.includes('With gevent'), prefork);
  const unknown = mustHover(worker('celery -A p worker -c |4 %(ENV_CELERY_OPTS)s')).md;
  includesAll(unknown, ['With processes, the recommended number', 'With gevent']);
});

test('-c compares with serverCpuCount when it is set', () => {
  const cpu4 = { settings: settingsWith({ serverCpuCount: 4 }) };
  const over = mustHover(worker('celery -A p worker -c|10'), cpu4);
  includesAll(over.md, ['10 child processes', "more than the server's 4 cores", 'one process per core']);
  assert.equal(over.at, '-c10');
  assert.ok(mustHover(worker('celery -A p worker --concurrency=|4'), cpu4).md.includes('one per core'));
  const total = mustHover(worker('celery -A p worker -c 2|', 'numprocs=3\nprocess_name=w%(process_num)d\n'), cpu4);
  includesAll(total.md, ['3 processes x 2 = 6 in all', "more than the server's 4 cores"]);
  assert.ok(mustHover(worker('celery -A p worker -c| 4')).md.includes('Set `supervisor.celery.serverCpuCount`'));
  includesAll(mustHover(worker('celery -A p worker -P gevent -|c 10'), cpu4).md, ['10 greenlets in one process', 'conservative']);
});

test('--max-memory-per-child under 1024 KiB: the MB it is, to two digits, and what was probably meant', () => {
  includesAll(mustHover(worker('celery -A p worker --max-memory-per-child 25|6')).md, ['256 KiB = 0.25 MB per pool process.', 'for 256 MB write `262144`']);
  includesAll(mustHover(worker('celery -A p worker --max-memory-per-child 10|0')).md, ['100 KiB = 0.098 MB per pool process.']);
  includesAll(mustHover(worker('celery -A p worker --max-memory-per-child 26|2144')).md, ['262144 KiB = 256 MB per pool process.']);
});

test('--max-memory-per-child 0 turns the limit off', () => {
  const md = mustHover(worker('celery -A p worker --max-memory-per-child| 0')).md;
  assert.ok(md.includes('0 turns the limit off'), md);
  assert.ok(!md.includes('KiB = 0 MB'), md);
});

test('-c 0 is "not set" to Celery, in every pool', () => {
  for (const pool of ['', ' -P gevent', ' -P threads']) {
    const md = mustHover(worker(`celery -A p worker${pool} -|c 0`)).md;
    assert.ok(md.includes('Celery reads 0 as "not set": the pool gets the default size, the number of CPU cores.'), md);
    assert.ok(!/\b0 (child processes|greenlets|threads)\b/.test(md), md);
  }
});

test('a cursor right after the last character still hovers the option (editors report the nearest caret position)', () => {
  assert.equal(mustHover(worker('celery -A p worker -l info|')).at, '-l info');
  assert.equal(mustHover(worker('celery -A p worker --pool=gevent|')).md.startsWith('**`gevent`**'), true);
  assert.equal(mustHover(listener('memmon -p worker_00=256MB|')).at, '-p worker_00=256MB');
});

test('combined short options: each letter gets its own hover', () => {
  const beat = mustHover(worker('celery -A p worker -|Bc4'));
  assert.ok(beat.md.includes('`-B`, `--beat`'));
  assert.equal(beat.at, '-B');
  const conc = mustHover(worker('celery -A p worker -B|c4'));
  assert.ok(conc.md.includes('`--concurrency`'));
  assert.equal(conc.at, 'c4');
});

test('hovering a pool name shows that pool', () => {
  const gevent = mustHover(worker('celery -A p worker --pool=gev|ent --concurrency=10'));
  includesAll(gevent.md, ['**`gevent`**: Celery worker pool', 'greenlets', 'pip install gevent', 'no effect', '10 greenlets in one process', '--pool=gevent --concurrency=10']);
  includesAll(gevent.md, ['No memmon listener watches it', 'celery-threads-without-leak-protection']);
  assert.equal(gevent.at, 'gevent');
  const threads = mustHover(worker('celery -A p worker -P thre|ads'));
  includesAll(threads.md, ['threads in one process', '--pool=threads --concurrency=5']);
  assert.equal(threads.at, 'threads');
  assert.equal(mustHover(worker('celery -A p worker -Ppre|fork')).at, 'prefork');
  includesAll(mustHover(worker('celery -A p worker -P Gev|ent')).md, ['not a pool Celery 5.2 accepts', 'write `gevent`']);
  includesAll(mustHover(worker('celery -A p worker -P cus|tom')).md, ['Celery 5.2 (supervisor.celery.version) refuses it']);
  assert.ok(!mustHover(worker('celery -A p worker -P cus|tom'), { settings: settingsWith({ celeryVersion: '5.3' }) }).md.includes('refuses it'));
});

test('the pool option name shows the option with the chosen pool', () => {
  const { md, at } = mustHover(worker('celery -A p worker --p|ool=solo'));
  includesAll(md, ['`-P`, `--pool`', 'Default:** prefork', 'I/O', '`solo`: inline']);
  assert.equal(at, '--pool=solo');
});

test('a pool hover says which memmon listener watches the worker', () => {
  const text = worker('celery -A p worker -P gev|ent') + '[eventlistener:memmon]\ncommand=memmon -p worker=512MB\nevents=TICK_60\n';
  assert.ok(mustHover(text).md.includes('Watched by memmon [eventlistener:memmon]'));
  // memmon reads every option first: a size it cannot read, even another program's, stops it at start.
  const broken = worker('celery -A p worker -P gev|ent') + '[eventlistener:memmon]\ncommand=memmon -p worker=512MB -p beat=256M\nevents=TICK_60\n';
  const md = mustHover(broken).md;
  assert.ok(md.includes(`memmon [eventlistener:memmon] names it but exits at start, watching nothing: memmon cannot read the size '256M'`), md);
  assert.ok(!md.includes('Watched by'), md);
});

test('hovers work through continuation lines, bash -c wrappers and python -m', () => {
  const cont = mustHover('[program:w]\ncommand=celery -A p worker ; main\n    --max-memory-per-child\n    26|2144\n');
  assert.ok(cont.md.includes('262144 KiB = 256 MB'));
  assert.equal(cont.at, '--max-memory-per-child\n    262144');
  const shell = mustHover(worker(`bash -c "cd /srv && exec /venv/bin/celery -A p worker --max-memory-per-child=26|2144 -c 4"`));
  assert.equal(shell.at, '--max-memory-per-child=262144');
  assert.ok(shell.md.includes('x 4 (`-c 4`)'));
  assert.equal(mustHover(worker(`sh -c 'exec celery -A p worker -P gev|ent'`)).at, 'gevent');
  assert.equal(mustHover(worker('python -m celery -A p worker -l|info')).at, '-linfo');
});

test('CRLF files', () => {
  const { md, at } = mustHover('[program:w]\r\ncommand=celery -A p worker\r\n    -c 4 -l i|nfo\r\nuser=app\r\n');
  assert.ok(md.includes('`--loglevel`'));
  assert.equal(at, '-l info');
});

test('global options, misplaced ones, removed spellings and repeated options', () => {
  const app = mustHover(worker('celery -|A myauth worker'));
  includesAll(app.md, ['global option (before the sub-command)', 'celery -A myauth worker']);
  assert.equal(app.at, '-A myauth');
  assert.ok(mustHover(worker('celery worker -|A myauth')).md.includes('only before the sub-command'));
  includesAll(mustHover(worker('celery -A p worker --maxmemperchild=26|2144')).md, ['Celery 4 spelling', 'Write `--max-memory-per-child`', '256 MB']);
  assert.ok(mustHover(worker('celery -A p worker -c |2 -c 4')).md.includes('Celery uses the last one (`4`)'));
});

test('other documented options', () => {
  includesAll(mustHover(worker('celery -A p worker --time-limit=3|00')).md, ['300 s = 5 min', "stopwaitsecs is 10 (supervisor's default)", 'stopwaitsecs=600']);
  assert.ok(!mustHover(worker('celery -A p worker --time-limit=3|00', 'stopwaitsecs=600\n')).md.includes('stopwaitsecs is'));
  includesAll(mustHover(worker('celery -A p worker -c 4 --prefetch-multiplier=|1')).md, ['1 x 4 = 4 messages']);
  includesAll(mustHover(worker('celery -A p worker -Q hi|gh,low')).md, ['`high`, `low`']);
  includesAll(mustHover(worker('celery -A p worker -|D')).md, ['foreground']);
  includesAll(mustHover(worker('celery -A p worker -|O fair')).md, ['`fair`', 'prefork']);
  includesAll(mustHover(worker('celery -A p worker --autoscale=1|0,3')).md, ['Between 3 and 10 pool processes']);
  // eventlet's pool grows and shrinks (celery/concurrency/eventlet.py), as celery-option-ignored-by-pool agrees.
  assert.ok(!mustHover(worker('celery -A p worker -P eventlet --autoscale=1|0,3')).md.includes('No effect'));
  assert.ok(mustHover(worker('celery -A p worker -P threads --autoscale=1|0,3')).md.includes('No effect with `--pool=threads`'));
  includesAll(mustHover(worker('celery -A p worker -n w|orker@%h', 'numprocs=2\nprocess_name=w%(process_num)d\n')).md, ['same node name', '%%h']);
  includesAll(mustHover(worker('celery -A p worker --soft-time-limit=6|0')).md, ['SoftTimeLimitExceeded']);
  includesAll(mustHover(worker('celery -A p beat -l in|fo')).md, ['`--loglevel`']);
});

test('an option beat shares with the worker is described for beat: its label, text, spellings and rules', () => {
  const level = mustHover(worker('celery -A p beat -|l info')).md;
  includesAll(level, ['Celery beat option', 'log messages beat writes', 'Sending due task']);
  assert.ok(!/worker option|the worker writes|worker command|celery-loglevel-missing/.test(level), level);
  const detach = mustHover(worker('celery -A p beat --de|tach')).md;
  includesAll(detach, ['**`--detach`**: Celery beat option', 'Forks beat']);
  assert.ok(!detach.includes('`-D`'), 'beat has no -D');
  includesAll(mustHover(worker('celery -A p worker -|l info')).md, ['Celery worker option', 'celery-loglevel-missing']);
});

test('hover on -n lists the node names each process gets, after supervisor and Celery expand them', () => {
  const numbered = worker('celery -A p worker -n %(program_name)s_%(process_num)02d@%%|h', 'numprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n');
  includesAll(mustHover(numbered).md, ['Node names: `worker_00@<hostname>`, `worker_01@<hostname>`.']);
  includesAll(mustHover(worker('celery -A p worker --hostname=bu|lk')).md, ['Node name: `celery@bulk`.']);
  const many = worker('celery -A p worker -n w%(process_num)d.%%|n', 'numprocs=8\nnumprocs_start=1\nprocess_name=w%(process_num)d\n');
  includesAll(mustHover(many).md, ['Node names: `celery@w1.<host>`, `celery@w2.<host>`, `celery@w3.<host>` … (8 in all).']);
  assert.ok(!mustHover(worker('celery -A p worker -n %(ENV_NODE)|s')).md.includes('Node name'), 'a name only the server knows');
});

test('rule links use ruleDocsUrl when given', () => {
  const { md } = mustHover(worker('celery -A p worker -l| info'), { ruleDocsUrl: (c) => `https://example.test/rules/${c}` });
  assert.ok(md.includes('[celery-loglevel-missing](https://example.test/rules/celery-loglevel-missing)'));
});

// ---------------------------------------------------------------------------------------------
// memmon


test('memmon -p NAME=SIZE: the size in MB and the process it matches', () => {
  const { md, at } = mustHover(listener('/venv/bin/memmon -p worker_|00=512MB'));
  includesAll(md, ['`-p`, `--program` NAME=SIZE', '512 MB (536870912 bytes)', 'TICK_60: every 60 s', '`worker_00` matches `worker_00` of [program:worker], Celery worker (gevent pool)']);
  includesAll(md, ['memmon -p worker=512MB', 'memmon-unknown-process', 'memmon-qualified-name', 'superlance']);
  assert.equal(at, '-p worker_00=512MB');
  assert.equal(mustHover(listener('memmon -p worker_00=51|2MB')).at, '-p worker_00=512MB', 'on the size');
  assert.equal(mustHover(listener('memmon -pwor|ker_01=512MB')).at, '-pworker_01=512MB', 'glued');
  const long = mustHover(listener('memmon --prog=work|er_01=1GB'));
  includesAll(long.md, ['1024 MB', '`--prog` works as an abbreviation of `--program`']);
});

test('memmon -p NAME that matches no process says so', () => {
  includesAll(mustHover(listener('memmon -p wor|ker=512MB')).md, ['`worker` matches no process', '`worker_00`, `worker_01`', '`-g worker` covers all of them']);
  includesAll(mustHover(listener('memmon -p gun|icorn=256MB')).md, ['`gunicorn` matches no process in this file', 'no [supervisord] section']);
  includesAll(mustHover(listener('memmon -p worker:worker_0|0=256MB')).md, ['matches `worker_00`', 'crashes with KeyError']);
});

test('memmon -g, -a, -c and invalid sizes', () => {
  includesAll(mustHover(listener('memmon -g wor|ker=512MB')).md, ['Group `worker` holds all 2 processes of [program:worker]', '--groupname']);
  includesAll(mustHover(listener('memmon -a 1|GB')).md, ['every process supervisor runs: 2 in this file']);
  const bad = mustHover(listener('memmon -p worker_00=25|6M'));
  includesAll(bad.md, ['cannot read the size `256M`', 'Unparseable byte_size', 'memmon-invalid-size']);
  includesAll(mustHover(listener('memmon -p worker_00=2|56')).md, ['256 bytes', 'no suffix means bytes', 'Below 128 MB']);
  const c = mustHover(listener('memmon -|c -p worker_00=512MB'));
  includesAll(c.md, ['`-c`, `--cumulative`', 'descendants', 'memmon-children-not-counted']);
  assert.equal(c.at, '-c');
});

test('memmon without -c watching a prefork worker says the pool processes are not counted', () => {
  const text = '[program:w]\ncommand=celery -A p worker\n[eventlistener:memmon]\ncommand=memmon -p |w=512MB\nevents=TICK_60\n';
  assert.ok(mustHover(text).md.includes('runs a prefork pool and this memmon has no -c'));
  const withC = text.replace('memmon -p |w', 'memmon -c -p |w');
  assert.ok(!mustHover(withC).md.includes('has no -c'));
  assert.ok(mustHover(withC.replace('-c -p |w', '-|c -p w')).md.includes('Counts the pool processes of the prefork worker `w`'));
});

// ---------------------------------------------------------------------------------------------
// where there is no command hover

test('no hover on the executable, plain arguments or other commands (the sub-command has its own)', () => {
  for (const fixture of [
    worker('/venv/bin/ce|lery -A p worker -l info'),
    worker('celery -A p worker -l info  |  -c 4'),
    worker('celery -A p worker -l info worker.prefetch_mul|tiplier=1'),
    worker('celery -A p worker --unkn|own-option'),
    worker('celery -A p flower --port=5|555'),
    worker('/venv/bin/gunicorn -|c conf.py proj.wsgi'),
    worker('python manage.py runserver -|v 2'),
    worker('celery -A p worker ; -|l info in a comment'),
    listener('/venv/bin/mem|mon -p worker_00=512MB'),
    '[program:w]\ncommand=celery -A p worker -l info\ndirectory=/s|rv\n',
    '[program:w]\ncommand=memmon -|p worker=512MB\n',
    '[eventlistener:x]\ncommand=httpok -|p worker http://localhost\nevents=TICK_60\n',
  ]) {
    assert.equal(hoverAt(fixture).info, undefined, fixture);
  }
});

test('hover() keeps the section-header hover and adds the command hover', () => {
  const header = withCursor('[prog|ram:worker]\ncommand=celery -A p worker -l info\n');
  const h = hover(parse(header.text), header.position);
  assert.ok(h?.markdown.startsWith('**[program:worker]**'));
  const option = withCursor('[program:worker]\ncommand=celery -A p worker -l in|fo\n');
  assert.ok(hover(parse(option.text), option.position)?.markdown.includes('`--loglevel`'));
  const cpu = withCursor('[program:worker]\ncommand=celery -A p worker -c |9\n');
  const withSettings = hover(parse(cpu.text), cpu.position, { settings: settingsWith({ serverCpuCount: 2 }), ruleDocsUrl: (c) => `x:${c}` });
  assert.ok(withSettings?.markdown.includes("more than the server's 2 cores"));
});

test('hovering the sub-command word: what it starts, the advice that matters under supervisor, the rules and the Celery docs', () => {
  const w = mustHover(worker('celery -A proj wor|ker -l info'));
  assert.equal(w.at, 'worker');
  includesAll(w.md, ['**`worker`**: Celery sub-command', 'prefork', '`-n %(program_name)s_%(process_num)02d@%%h`', '[celery-daemonizes](docs/rules/celery-daemonizes.md)', 'https://docs.celeryq.dev/en/stable/userguide/workers.html']);
  const beat = mustHover('[program:beat]\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)s\ncommand=/srv/venv/bin/celery -A proj beat| -l info\n');
  assert.equal(beat.at, 'beat', 'the caret right after the word counts');
  includesAll(beat.md, ['Run exactly one', '`numprocs=1`', 'numprocs=2: 2 schedulers', '[celery-beat-duplicate](docs/rules/celery-beat-duplicate.md)', 'periodic-tasks.html']);
  assert.ok(!mustHover('[program:beat]\ncommand=celery -A proj be|at\n').md.includes('**Here:**'), 'one scheduler: nothing to say about this file');
  includesAll(mustHover(worker('celery -A proj mu|lti start 3')).md, ['in the background', 'numprocs', 'celery-daemonizes']);
  includesAll(mustHover(worker('python -m celery -A proj flo|wer --port=5555')).md, ['Flower', '5555']);
  // Not on a word the engine does not tell apart, nor on the app name before it.
  assert.equal(hoverAt(worker('celery -A proj ins|pect ping')).info, undefined);
  assert.notEqual(mustHover(worker('celery -A pro|j worker')).at, 'worker');
});
