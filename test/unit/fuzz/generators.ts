/** fast-check generators of config-like and hostile text. */
import fc from 'fast-check';

/** Characters and snippets that break naive parsers. */
export const HOSTILE = [
  ';', '#', ' ;', ' #', '=', ':', ' ', '\t', '"', "'", '\\', '\0', '\ufeff', '\u00a0', '\u2028', '\u0085', '\u3000', '\r',
  '😀', '𝔘𝔫𝔦', '\ud800', '\udc00', 'é', 'İ', 'ß', 'ﬀ', '%(', ')s', '%%', '%', '[', ']', '--', ',', '-',
] as const;

const SECTIONS = [
  'supervisord', 'program:worker', 'program:beat', 'program:w', 'eventlistener:memmon', 'group:workers', 'include', 'DEFAULT',
  'fcgi-program:x', 'unix_http_server', 'inet_http_server', 'rpcinterface:supervisor', 'supervisorctl', 'program:', 'program:%(ENV_X)s',
] as const;

const KEYS = [
  'command', 'command', 'command', 'numprocs', 'process_name', 'autorestart', 'autostart', 'killasgroup', 'stopasgroup', 'stopwaitsecs',
  'startsecs', 'events', 'environment', 'stdout_logfile', 'stderr_logfile', 'redirect_stderr', 'user', 'directory', 'files', 'programs',
  'stopsignal', 'priority', 'serverurl', 'username', 'password', 'logfile', 'childlogdir', 'buffer_size', 'Command', 'numprocs_start',
] as const;

export const VALUE_PIECES = [
  'celery', '/venv/bin/celery', 'python -m celery', 'bash -c "', 'sh -c \'', 'exec', '&&', '-A proj', '--app=proj', 'worker', 'beat',
  'multi start', 'flower', '-l info', '--loglevel=INFO', '-l', '-c 4', '--concurrency=', '-P gevent', '--pool=threads', '--pool=prefork',
  '--pool', 'solo', 'eventlet', '--max-memory-per-child 262144', '--max-memory-per-child=', '--max-tasks-per-child=100', '-n w1@%h',
  '--autoscale=10,3', '-Q a,b', '-B', '--detach', '--pidfile=', '-E', '--without-gossip', '-O fair', '--time-limit=300', '-Ofair',
  'memmon', '-p worker=512MB', '-p', 'worker:worker_00=1GB', '-g workers=1GB', '-a 2GB', '-c', '-m ops@example.com', '-u 100',
  'TICK_60', 'TICK_5', 'PROCESS_STATE', '%(program_name)s', '%(process_num)02d', '%(here)s', '%(ENV_HOME)s', 'true', 'false',
  'unexpected', '0', '1', '2', '10', '600', '-1', '99999999999999999999', 'TERM', 'INT', 'KILL', 'QUIT', 'A="x y",B=\'z\'', 'worker,beat',
  '/var/log/celery.log', 'AUTO', 'NONE', 'syslog', 'unix:///tmp/s.sock', 'http://127.0.0.1:9001', '512MB', '1GB', 'app',
  '{{ venv }}', '{% if x %}', '<%= @y %>', '{% endif %}', '{% else %}', '{% if c %} -c {{ c }}{% endif %}', '{# note #}', 'python manage.py',
  'manage.py', 'celeryd', 'celery worker', '--settings=proj.settings', '$PATH', '~/venv',
] as const;

const COMMENTS = [
  '; comment', '# comment', ';', '#', '; supervisor-lint: disable=duplicate-key', '# supervisor-lint: disable=celery-loglevel-missing,duplicate-key -- why',
  '; supervisor-lint: disable-file=celery-memory-limit-missing', '; supervisor-lint: disable=unused-suppression', '; supervisor-lint: disabel=x',
  '; supervisor-lint: disable=', '; supervisor-lint: disable=nope', '; supervisor-lint: disable-file=duplicate-section,invalid-line',
] as const;

/** Lines of a template of a config (Jinja, Django, ERB), and pieces of template code in values. */
export const TEMPLATE_LINES = [
  '{% if gunicorn %}', '{% endif %}', '{% for w in workers %}', '{%- endfor -%}', '{% set app = name %}', '{# note #}', '{{ extra_programs }}',
  '<% end %>', '<%= @block %>', '{% else %} ; a comment', '{% if a %}{{ b }}{% endif %}', '{% if x', '{{ a }} b', '  {% endif %}',
] as const;

const hostile = fc.constantFrom(...HOSTILE);
/** Mostly real pieces, sometimes a hostile character. */
const valueText = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...VALUE_PIECES) }, { weight: 1, arbitrary: hostile }), { maxLength: 12 }).map((p) => p.join(' '));
const maybeComment = fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', '\t', '  ', ''), fc.constantFrom(...COMMENTS)).map(([ws, c]) => ws + c) });
const indent = fc.constantFrom('', '', '', '', ' ', '    ', '\t');

const line = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(indent, fc.constantFrom(...SECTIONS), maybeComment).map(([i, s, c]) => `${i}[${s}]${c}`) },
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('=', ' = ', ':', '= '), valueText, maybeComment).map(([k, sep, v, c]) => `${k}${sep}${v}${c}`) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('    ', '\t', '  '), valueText, maybeComment).map(([i, v, c]) => `${i}${v}${c}`) },
  { weight: 1, arbitrary: fc.tuple(indent, fc.constantFrom(...COMMENTS)).map(([i, c]) => i + c) },
  { weight: 1, arbitrary: fc.constantFrom('', '', ' ', '\t') },
  { weight: 1, arbitrary: fc.array(hostile, { maxLength: 6 }).map((h) => h.join('')) },
  { weight: 1, arbitrary: fc.constantFrom(...TEMPLATE_LINES) },
);

/** How generated files start: nothing, a main file, a worker, a memmon listener, a byte order mark. */
const PREFIXES = [
  '',
  '[supervisord]\n',
  '[program:worker]\ncommand=celery -A proj worker\n',
  '[supervisord]\n[program:worker]\ncommand=celery -A proj worker -P gevent -c 10\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)02d\n[eventlistener:memmon]\ncommand=memmon -p worker=512MB\nevents=TICK_60\n',
  '[inet_http_server]\nport=127.0.0.1:9001\n[supervisorctl]\nserverurl=http://127.0.0.1:9001\n[group:workers]\nprograms=worker,beat\n[program:beat]\ncommand=celery -A proj beat\n',
  '\ufeff[supervisord]\n',
] as const;

/** A config assembled line by line from real sections, keys and Celery/memmon command pieces, with hostile characters. */
export const configText = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(fc.tuple(line, fc.constantFrom('\n', '\n', '\n', '\n', '\n', '\r\n', '\r')), { maxLength: 40 }))
  .map(([prefix, lines]) => prefix + lines.map(([l, eol]) => l + eol).join(''));

/** Raw concatenation of all the pieces above, with no line structure at all. */
export const pieceText = fc.array(fc.constantFrom(...HOSTILE, ...VALUE_PIECES, ...COMMENTS, '\n', '\r\n', '[program:w]', 'command='), { maxLength: 80 }).map((p) => p.join(''));

/** Random UTF-16 code units: lone surrogates, NUL, every control character. */
export const utf16Text = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }).map((units) => String.fromCharCode(...units));

/** Random bytes decoded as the CLI decodes a file (invalid sequences become U+FFFD, a BOM is kept). */
export const byteText = fc.uint8Array({ maxLength: 400 }).map((b) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b));

export const codePointText = fc.string({ unit: 'binary', maxLength: 200 });

/** A config-shaped frame with random text in the value of a command. */
export const framed = fc
  .tuple(fc.constantFrom('[program:w]\ncommand=', '[eventlistener:m]\nevents=TICK_60\ncommand=', '[program:w]\nenvironment=', '[program:w]\ncommand=celery -A p worker '), fc.oneof(codePointText, utf16Text))
  .map(([frame, body]) => `${frame}${body}\n`);
