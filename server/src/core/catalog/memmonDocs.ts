/**
 * Hover documentation for superlance memmon's options (superlance 2.0.0), one typed record per
 * option, written from /work/shared/reference/memmon.json (memmon.py and docs/memmon.rst) and the
 * Alliance Auth Celery tuning guide. Pure data: features/commandHover.ts adds what it computes.
 */
import { SOURCES, type Advice } from './celeryDocs';

export interface MemmonOptionDoc {
  /** '-p', '-c' ... */
  short: string;
  /** '--program', '--cumulative' ... (what memmon.py registers; getopt accepts unique prefixes). */
  long: string;
  /** The argument, e.g. 'NAME=SIZE'; absent for flags. */
  argument?: string;
  what: string;
  unit?: string;
  default: string;
  /** Several of it may be given. */
  repeatable?: boolean;
  advice: readonly Advice[];
  rules: readonly string[];
}

const SIZE_UNIT = 'bytes, or a whole number with KB, MB or GB (1024-based, any case): 512MB. No decimals and no other suffixes (256M, 1.5GB and 256MiB are refused); a bare 256 means 256 bytes';

export const MEMMON_OPTION_DOCS: readonly MemmonOptionDoc[] = [
  {
    short: '-p',
    long: '--program',
    argument: 'NAME=SIZE',
    what: 'Restarts the supervised process called NAME when its resident memory (RSS) goes above SIZE. NAME is a process name as supervisor builds it from process_name (worker_00 when numprocs > 1), not the program name.',
    unit: SIZE_UNIT,
    default: 'none',
    repeatable: true,
    advice: [
      { text: '`memmon -p worker=512MB` with events=TICK_60 checks the program "worker" every 60 s and restarts it above 512 MB; 512 MB is only an example.', source: `${SOURCES.guide}, "Protection against memory leaks"` },
      { text: 'The restart uses the program\'s stopsignal (TERM by default), which is a warm shutdown for Celery: running tasks finish first.', source: SOURCES.guide },
      { text: 'The documented `group:process=SIZE` form makes memmon 2.0.0 crash with KeyError on its first check: write the bare process name, or use -g for a whole group.', source: SOURCES.memmonSource },
    ],
    rules: ['memmon-unknown-process', 'memmon-qualified-name', 'memmon-invalid-size', 'memmon-limit-too-low', 'memmon-overlap'],
  },
  {
    short: '-g',
    long: '--group',
    argument: 'GROUP=SIZE',
    what: 'Restarts any process of the supervisor group GROUP whose RSS goes above SIZE. A program\'s group is its own name, unless a [group:x] lists it.',
    unit: SIZE_UNIT,
    default: 'none',
    repeatable: true,
    advice: [
      { text: 'The docs call the long option --groupname, but memmon only accepts --group (or a unique prefix such as --gro).', source: SOURCES.memmonSource },
      { text: 'Covers every process of a numprocs > 1 program in one option.', source: SOURCES.memmonDocs },
    ],
    rules: ['memmon-unknown-process', 'memmon-invalid-size', 'memmon-limit-too-low', 'memmon-overlap'],
  },
  {
    short: '-a',
    long: '--any',
    argument: 'SIZE',
    what: 'Restarts any supervised process whose RSS goes above SIZE.',
    unit: SIZE_UNIT,
    default: 'none',
    advice: [{ text: 'Only the last -a counts. A process that also matches a -p or -g can be restarted twice in one check.', source: SOURCES.memmonSource }],
    rules: ['memmon-invalid-size', 'memmon-limit-too-low', 'memmon-overlap'],
  },
  {
    short: '-c',
    long: '--cumulative',
    what: 'Measures each process together with all its descendants. Without it memmon counts only the process supervisor started.',
    default: 'off: only the supervised process itself is measured',
    advice: [
      { text: 'A prefork Celery worker keeps its tasks, and their memory, in pool child processes: without -c memmon sees only the main process and never notices the leak.', source: SOURCES.memmonDocs },
    ],
    rules: ['memmon-children-not-counted'],
  },
  {
    short: '-s',
    long: '--sendmail_program',
    argument: 'COMMAND',
    what: 'The command that sends mail: it reads a whole message (headers and body) on standard input. It sends nothing unless -m is also given.',
    default: '/usr/sbin/sendmail -t -i',
    advice: [{ text: 'The docs call it --sendmail; memmon registers --sendmail_program, and --sendmail works as a unique prefix.', source: SOURCES.memmonSource }],
    rules: [],
  },
  {
    short: '-m',
    long: '--email',
    argument: 'ADDRESS',
    what: 'Sends a mail to this address when memmon restarts a process, or fails to.',
    default: 'no mail',
    advice: [],
    rules: [],
  },
  {
    short: '-u',
    long: '--uptime',
    argument: 'SECONDS',
    what: 'Mails only when the restarted process had been running for at most this long, so you hear about frequent restarts only.',
    unit: 'seconds, or a whole number with s, m, h or d (2d = 172800)',
    default: 'no limit (always mail)',
    advice: [],
    rules: ['memmon-invalid-option'],
  },
  {
    short: '-n',
    long: '--name',
    argument: 'NAME',
    what: 'A label for mail subjects: "memmon [NAME]: ..." instead of "memmon: ...".',
    default: 'none',
    advice: [{ text: 'In memmon 2.0.0 a later -p or -g overwrites it (they share a variable): put -n after them.', source: SOURCES.memmonSource }],
    rules: [],
  },
  {
    short: '-h',
    long: '--help',
    what: 'Prints the usage text and exits (status 0), so the listener watches nothing.',
    default: 'off',
    advice: [],
    rules: ['memmon-invalid-option'],
  },
];

const BY_SHORT: ReadonlyMap<string, MemmonOptionDoc> = new Map(MEMMON_OPTION_DOCS.map((d) => [d.short, d]));

/** The record for a canonical short option ('-p'), as MemmonOption.option gives it. */
export function memmonOptionDoc(short: string): MemmonOptionDoc | undefined {
  return BY_SHORT.get(short);
}
