/**
 * Shapes of config that once made a rule quadratic (or worse): each a plausible file scaled up. The
 * bench times each at two sizes; a per-line cost that grows with the size means an algorithm that
 * compares everything with everything again.
 */
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

const WORKER = '/srv/app/venv/bin/celery -A proj worker -l info --concurrency=4 --max-memory-per-child=200000';

function program(name: string, extra = ''): string {
  return `[program:${name}]\ncommand=${WORKER} -n ${name}@%%h\ndirectory=/srv/app\nstdout_logfile=/var/log/celery/${name}.log\n${extra}\n`;
}

const MAIN = '[supervisord]\nlogfile=/var/log/supervisor/supervisord.log\n\n';

export interface PathologicalShape {
  name: string;
  /** About 5 lines per unit of `n`. */
  build(n: number): string;
}

export const PATHOLOGICAL_SHAPES: PathologicalShape[] = [
  {
    name: 'a memmon listener per team of 20 workers',
    build: (n) => MAIN + times(n, (i) => program(`w${i}`)).join('') + times(Math.ceil(n / 20), (t) => `[eventlistener:memmon${t}]\ncommand=memmon ${times(20, (j) => `-p w${t * 20 + j}=300MB`).join(' ')}\nevents=TICK_60\n\n`).join(''),
  },
  {
    name: 'every worker logging to one file',
    build: (n) => MAIN + times(n, (i) => `[program:w${i}]\ncommand=${WORKER}\nstdout_logfile=/var/log/celery/all.log\nstderr_logfile=/var/log/celery/all.log\n\n`).join(''),
  },
  {
    name: 'a group per worker',
    build: (n) => MAIN + times(n, (i) => `${program(`w${i}`)}[group:g${i}]\nprograms=w${i}\n\n`).join(''),
  },
  {
    name: 'a group naming workers that were renamed',
    build: (n) => MAIN + times(n, (i) => program(`worker${i}`)).join('') + `[group:all]\nprograms=${times(n, (i) => `wrker${i}`).join(',')}\n`,
  },
  {
    name: 'one command continued over many lines',
    build: (n) => `${MAIN}[program:w]\ncommand=${WORKER}\n${times(n * 5, (i) => `  --option-${i}=1`).join('\n')}\n`,
  },
  {
    name: 'misspelt section kinds',
    build: (n) => MAIN + times(n, (i) => `[progam:w${i}]\ncommand=${WORKER}\nautostart=true\nautorestart=true\n\n`).join(''),
  },
  {
    name: 'one section header repeated',
    build: (n) => MAIN + times(n, () => program('w')).join(''),
  },
  {
    name: 'a Jinja template of many programs',
    build: (n) => `{# rendered by Ansible #}\n${MAIN}${times(n, (i) => `[program:w${i}]\ncommand={{ celery }} -A proj worker -n w${i}@%%h\n{{ extra_key }}={{ extra_value }}\nautostart=true\n\n`).join('')}`,
  },
];
