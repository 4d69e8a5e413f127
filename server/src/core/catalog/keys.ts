/**
 * The one typed catalogue of supervisor 4.2.5's config schema: section kinds, their keys, value types,
 * defaults, allowed values, which `%(name)s` expansions each key allows, and the docs text (ours) with
 * links to supervisor's configuration docs. Validation, hover and completion all read it.
 *
 * Facts come from the project's reference schema, checked against supervisor 4.2.5's options.py by
 * running its parser: where the two disagree the parser wins (see the notes on `priority`, fcgi
 * `user`, eventlistener `redirect_stderr` and [supervisord] `environment` below).
 */
import { LOG_LEVELS, STOP_SIGNALS, EVENT_TYPES } from './datatypes';

/** Names supervisor can put into a value with `%(name)s`, besides `ENV_X` (environment variables). */
export type ExpansionName = 'here' | 'program_name' | 'group_name' | 'host_node_name' | 'process_num' | 'numprocs';

export type ValueType =
  | 'integer'
  | 'boolean'
  | 'byte_size'
  | 'octal'
  | 'signal'
  | 'log_level'
  | 'autorestart'
  | 'exit_codes'
  | 'environment'
  | 'logfile'
  | 'path'
  | 'directory'
  | 'string'
  | 'password'
  | 'command'
  | 'process_name'
  | 'user'
  | 'user_group'
  | 'url'
  | 'inet_address'
  | 'import_spec'
  | 'events'
  | 'program_list'
  | 'glob_list'
  | 'fcgi_socket';

export interface KeySpec {
  name: string;
  type: ValueType;
  /** What the key does, in one or two sentences. */
  summary: string;
  /** The default as users would write it; undefined when there is none. */
  default?: string;
  /** Values to offer (booleans, signals, log levels ...). */
  values?: readonly string[];
  /** For a key whose values are free (a template, a glob): the ones people write, offered by completion with what each is for. */
  suggestions?: readonly ValueSuggestion[];
  /** `%(name)s` expansions the key accepts (ENV_X is always accepted). */
  expansions: readonly ExpansionName[];
  /** 4.2.x expands the value twice: a literal % must be written %%%%. */
  expandedTwice?: boolean;
  /** For [supervisord] environment: the names the second expansion accepts. */
  secondExpansions?: readonly ExpansionName[];
  /** Read once per process: supervisor never looks at it when numprocs is 0. */
  perProcess?: boolean;
  /** supervisor refuses a section without it. */
  required?: boolean;
  /** The unit of a number people may misread (shown next to the value as an inlay hint). */
  unit?: 'seconds';
  /** Inclusive bounds supervisor enforces. */
  min?: number;
  max?: number;
  since?: string;
  changed?: string;
  /** A typical value. */
  example: string;
  /** Extra facts for the hover. */
  notes?: readonly string[];
}

export interface ValueSuggestion {
  value: string;
  /** What it gives, in a few words (the completion item's detail). */
  detail: string;
}

export interface SectionSpec {
  kind: string;
  /** `[program:x]` */
  header: string;
  /** `[program:name]` style sections carry a name after the colon. */
  named: boolean;
  summary: string;
  keys: readonly KeySpec[];
  /** Who reads the section: errors in supervisorctl-only sections do not stop supervisord. */
  readBy: 'supervisord' | 'supervisorctl';
  /** Other keys are allowed (passed to a factory as keyword arguments). */
  openKeys?: boolean;
  /** Link to the section's part of supervisor's configuration docs. */
  docs: string;
  /** Link to the list of the section's keys. */
  valuesDocs: string;
  /** Lines a completion snippet inserts after the header (snippet syntax). */
  snippet?: readonly string[];
}

export const DOCS_PAGE = 'http://supervisord.org/configuration.html';

const ALL_PROCESS: readonly ExpansionName[] = ['here', 'program_name', 'group_name', 'host_node_name', 'process_num', 'numprocs'];
const PRE_LOOP: readonly ExpansionName[] = ['here', 'program_name', 'group_name', 'host_node_name'];
const HERE: readonly ExpansionName[] = ['here'];
const NONE: readonly ExpansionName[] = [];
const BOOLEANS = ['true', 'false'] as const;

function logKeys(stream: 'stdout' | 'stderr'): KeySpec[] {
  const other = stream === 'stdout' ? 'stderr' : 'stdout';
  return [
    {
      name: `${stream}_logfile`,
      type: 'logfile',
      summary:
        stream === 'stdout'
          ? 'Where the process\'s standard output goes: a file path, AUTO (a file in childlogdir that supervisord deletes when it restarts) or NONE. With redirect_stderr=true it also receives standard error.'
          : 'Where the process\'s standard error goes: a file path, AUTO (a file in childlogdir that supervisord deletes when it restarts) or NONE. Ignored when redirect_stderr=true.',
      default: 'AUTO',
      values: ['AUTO', 'NONE'],
      expansions: ALL_PROCESS,
      expandedTwice: true,
      perProcess: true,
      since: '3.0',
      example: `/var/log/celery/%(program_name)s_%(process_num)02d.${stream === 'stdout' ? 'log' : 'err'}`,
      notes: [
        'The parent directory must exist on the server when supervisord reads the file.',
        `Several processes must not write one file while rotation is on (${stream}_logfile_maxbytes > 0): put %(process_num)02d in the path when numprocs > 1.`,
        'supervisor 4.2.x expands this value twice, so a literal % must be written %%%%.',
        `The value syslog is deprecated: use ${stream}_syslog=true.`,
      ],
    },
    {
      name: `${stream}_logfile_maxbytes`,
      type: 'byte_size',
      summary: `Size at which ${stream}_logfile is rotated; 0 turns rotation off (use 0 for /dev/stdout and other files that cannot seek).`,
      default: '50MB',
      values: ['50MB', '0'],
      expansions: ALL_PROCESS,
      perProcess: true,
      since: '3.0',
      example: '50MB',
    },
    {
      name: `${stream}_logfile_backups`,
      type: 'integer',
      summary: `How many rotated copies of ${stream}_logfile to keep; 0 keeps none.`,
      default: '10',
      expansions: ALL_PROCESS,
      perProcess: true,
      since: '3.0',
      example: '10',
    },
    {
      name: `${stream}_capture_maxbytes`,
      type: 'byte_size',
      summary: `Buffer size for capture mode: text the process writes to ${stream} between <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END--> becomes a PROCESS_COMMUNICATION event. 0 turns capture mode off.`,
      default: '0',
      expansions: PRE_LOOP,
      since: '3.0',
      example: '1MB',
    },
    {
      name: `${stream}_events_enabled`,
      type: 'boolean',
      summary: `Emit a PROCESS_LOG_${stream.toUpperCase()} event for every chunk of output the process writes to ${stream} (as supervisor reads it, not per line).`,
      default: 'false',
      values: BOOLEANS,
      expansions: PRE_LOOP,
      since: '3.0a7',
      example: 'true',
    },
    {
      name: `${stream}_syslog`,
      type: 'boolean',
      summary: `Also send ${stream} to syslog, each line tagged with the process name.`,
      default: 'false',
      values: BOOLEANS,
      expansions: ALL_PROCESS,
      perProcess: true,
      since: '4.0.0',
      changed: `4.2.2: works without a ${stream}_logfile as well.`,
      example: 'true',
      notes: [`Independent of ${other}_syslog.`],
    },
  ];
}

function processKeys(kind: 'program' | 'fcgi-program' | 'eventlistener'): KeySpec[] {
  const listener = kind === 'eventlistener';
  return [
    {
      name: 'command',
      type: 'command',
      summary:
        'The program to run and its arguments. Relative names are looked up on PATH. There is no shell: no pipes, redirections, $VARS or &&. The program must stay in the foreground; supervisord watches the process it started.',
      expansions: ALL_PROCESS,
      perProcess: true,
      required: true,
      since: '3.0',
      changed: '4.2.0: %(numprocs)d added.',
      example: '/home/app/venv/bin/celery -A proj worker -l info',
      notes: [
        'A literal % must be written %%: Celery\'s node-name placeholders become %%h, %%n, %%I.',
        'A space or tab followed by ; or # starts a comment, even inside quotes: bash -c \'a ; b\' is cut after a.',
      ],
    },
    {
      name: 'process_name',
      type: 'process_name',
      summary:
        'Template for the name of each process, the name supervisorctl and memmon -p use. It must contain %(process_num) when numprocs > 1, and the name must not contain a space, : or /.',
      default: '%(program_name)s',
      expansions: ALL_PROCESS,
      // Expanded once per process; its characters and %(process_num) are checked on the template, before.
      perProcess: true,
      since: '3.0',
      example: '%(program_name)s_%(process_num)02d',
      suggestions: [
        { value: '%(program_name)s_%(process_num)02d', detail: 'one name per process: name_00, name_01 … (needed when numprocs > 1)' },
        { value: '%(program_name)s', detail: "the default: the program's name (one process only)" },
      ],
    },
    {
      name: 'numprocs',
      type: 'integer',
      summary: 'How many copies of the command supervisord runs. Above 1, process_name must contain %(process_num).',
      default: '1',
      expansions: PRE_LOOP,
      since: '3.0',
      example: '2',
      notes: ['numprocs=0 is accepted and runs nothing.'],
    },
    {
      name: 'numprocs_start',
      type: 'integer',
      summary: 'The first %(process_num): processes are numbered numprocs_start to numprocs_start+numprocs-1.',
      default: '0',
      expansions: PRE_LOOP,
      since: '3.0',
      example: '1',
    },
    {
      name: 'priority',
      type: 'integer',
      summary: 'Start and stop order: lower values start first and stop last.',
      default: listener ? '-1 (the listener pool; each process 999)' : '999',
      // Read first at group level with only here and ENV_X (options.py), whatever the reference says.
      expansions: HERE,
      since: '3.0',
      example: '100',
    },
    {
      name: 'autostart',
      type: 'boolean',
      summary: 'Start the program when supervisord starts.',
      default: 'true',
      values: BOOLEANS,
      expansions: PRE_LOOP,
      since: '3.0',
      example: 'true',
    },
    {
      name: 'startsecs',
      type: 'integer',
      unit: 'seconds',
      summary:
        'Seconds the process must stay up after it starts before supervisor counts the start as successful (STARTING to RUNNING). 0 means at once.',
      default: '1',
      expansions: PRE_LOOP,
      since: '3.0',
      example: '10',
    },
    {
      name: 'startretries',
      type: 'integer',
      summary: 'Failed start attempts in a row before the process is given up as FATAL; each retry waits a second longer.',
      default: '3',
      expansions: PRE_LOOP,
      since: '3.0',
      example: '3',
    },
    {
      name: 'autorestart',
      type: 'autorestart',
      summary:
        'What happens when the process exits while RUNNING: true restarts it always, false never, unexpected only when its exit code is not in exitcodes.',
      default: 'unexpected',
      values: ['true', 'false', 'unexpected'],
      expansions: PRE_LOOP,
      since: '3.0',
      example: 'true',
    },
    {
      name: 'exitcodes',
      type: 'exit_codes',
      summary: 'Exit codes that count as expected for autorestart=unexpected, separated by commas.',
      default: '0',
      expansions: PRE_LOOP,
      since: '3.0',
      changed: '4.0: the default became 0 (it was 0,2).',
      example: '0,2',
    },
    {
      name: 'stopsignal',
      type: 'signal',
      summary: 'The signal supervisord sends to stop the process. Celery workers finish their running tasks on TERM (a warm shutdown).',
      default: 'TERM',
      values: STOP_SIGNALS,
      expansions: PRE_LOOP,
      since: '3.0',
      example: 'TERM',
    },
    {
      name: 'stopwaitsecs',
      type: 'integer',
      unit: 'seconds',
      summary: 'Seconds supervisord waits after the stop signal before it sends SIGKILL.',
      default: '10',
      expansions: PRE_LOOP,
      since: '3.0',
      example: '600',
      notes: ["Celery's sample config and the Alliance Auth template give workers 600 seconds to finish their tasks."],
    },
    {
      name: 'stopasgroup',
      type: 'boolean',
      summary: "Send the stop signal to the process's whole process group, not only to the process. Implies killasgroup=true.",
      default: 'false',
      values: BOOLEANS,
      expansions: PRE_LOOP,
      since: '3.0b1',
      example: 'false',
      notes: ['With a Celery prefork worker the children then die at once instead of finishing their tasks.'],
    },
    {
      name: 'killasgroup',
      type: 'boolean',
      summary: 'When stopwaitsecs runs out, send SIGKILL to the whole process group, so child processes (a Celery prefork pool) die too.',
      default: 'the value of stopasgroup',
      values: BOOLEANS,
      expansions: PRE_LOOP,
      since: '3.0a11',
      example: 'true',
    },
    {
      name: 'user',
      type: 'user',
      summary:
        'Run the process as this account. Works only when supervisord runs as root. supervisor switches the user id, the primary group and the supplementary groups; HOME, USER and the like stay those of supervisord unless environment= sets them.',
      // fcgi-program reads user at group level first, with only here and ENV_X.
      expansions: kind === 'fcgi-program' ? HERE : PRE_LOOP,
      since: '3.0',
      example: 'app',
    },
    {
      name: 'redirect_stderr',
      type: 'boolean',
      summary: listener
        ? 'Must stay false in an event listener: its stdout carries the listener protocol, and supervisor refuses redirect_stderr=true here.'
        : "Send standard error into standard output (like 2>&1), so both end up in stdout_logfile.",
      default: 'false',
      values: listener ? ['false'] : BOOLEANS,
      expansions: listener ? HERE : PRE_LOOP,
      since: '3.0',
      example: listener ? 'false' : 'true',
    },
    ...logKeys('stdout'),
    ...logKeys('stderr'),
    {
      name: 'environment',
      type: 'environment',
      summary:
        'Extra environment variables for the process, as KEY="value" pairs separated by commas. Quote every value that has characters other than letters, digits and _ / . + - ( ) :.',
      expansions: ALL_PROCESS,
      perProcess: true,
      since: '3.0',
      example: 'DJANGO_SETTINGS_MODULE="proj.settings",LANG="en_US.UTF-8"',
      notes: [
        'An unquoted value stops at the first space: A=x y sets A to x and drops the rest.',
        'These variables can be used as %(ENV_NAME)s in command, directory and the log file keys of this section.',
        'No shell reads the value: $PATH stays the text $PATH. Write %(ENV_PATH)s to use the variable of supervisord\'s environment (PATH="/venv/bin:%(ENV_PATH)s").',
      ],
    },
    {
      name: 'directory',
      type: 'directory',
      summary: 'Directory to change into before starting the process. Not checked when the file is read: a missing one makes the start fail.',
      expansions: ALL_PROCESS,
      perProcess: true,
      since: '3.0',
      example: '/home/app/proj',
    },
    {
      name: 'umask',
      type: 'octal',
      summary: "umask of the process, in octal; by default it inherits supervisord's.",
      expansions: PRE_LOOP,
      since: '3.0',
      example: '022',
    },
    {
      name: 'serverurl',
      type: 'url',
      summary:
        "URL passed to the process as SUPERVISOR_SERVER_URL, for programs that talk to supervisord (memmon, supervisor.childutils). AUTO picks this supervisord's own HTTP server.",
      default: 'AUTO',
      values: ['AUTO'],
      expansions: PRE_LOOP,
      since: '3.0',
      example: 'unix:///var/run/supervisor.sock',
    },
  ];
}

const FCGI_KEYS: KeySpec[] = [
  {
    name: 'socket',
    type: 'fcgi_socket',
    summary: 'The socket supervisord opens and hands to every process of the group as file descriptor 0: tcp://host:port or unix:///absolute/path.',
    expansions: ['here', 'program_name'],
    required: true,
    since: '3.0',
    example: 'unix:///var/run/%(program_name)s.sock',
  },
  {
    name: 'socket_backlog',
    type: 'integer',
    summary: 'Backlog of the socket (listen(2)), from 1 to 65535.',
    default: 'socket.SOMAXCONN',
    expansions: HERE,
    min: 1,
    max: 65535,
    since: '3.4.0',
    example: '1024',
  },
  {
    name: 'socket_owner',
    type: 'user_group',
    summary: 'Owner of a unix:// socket, as user or user:group. Only for UNIX sockets.',
    expansions: HERE,
    since: '3.0',
    example: 'app:www-data',
  },
  {
    name: 'socket_mode',
    type: 'octal',
    summary: 'Permission bits of a unix:// socket. Only for UNIX sockets.',
    default: '0700',
    expansions: HERE,
    since: '3.0',
    example: '0770',
  },
];

const LISTENER_KEYS: KeySpec[] = [
  {
    name: 'events',
    type: 'events',
    summary: 'Event types the listener receives, separated by commas (TICK_60, PROCESS_STATE, ...). An abstract type such as PROCESS_STATE covers all its subtypes.',
    values: EVENT_TYPES,
    expansions: HERE,
    required: true,
    since: '3.0',
    example: 'TICK_60',
    notes: ['Only TICK_5, TICK_60 and TICK_3600 exist (TICK subscribes to all three); names are upper-cased before the lookup.'],
  },
  {
    name: 'buffer_size',
    type: 'integer',
    summary: 'Length of the queue of events waiting for the listener; when it is full the oldest event is dropped. At least 1.',
    default: '10',
    expansions: HERE,
    min: 1,
    since: '3.0',
    example: '10',
  },
  {
    name: 'result_handler',
    type: 'import_spec',
    summary: 'module:callable that interprets the RESULT a listener sends back. Rarely changed.',
    default: 'supervisor.dispatchers:default_handler',
    expansions: HERE,
    since: '3.0',
    example: 'supervisor.dispatchers:default_handler',
  },
];

function authKeys(section: string): KeySpec[] {
  return [
    {
      name: 'username',
      type: 'string',
      summary: `User name clients must send to this server. Set username and password together, or neither (then ${section} accepts anyone who can reach it).`,
      expansions: NONE,
      since: '3.0',
      example: 'admin',
    },
    {
      name: 'password',
      type: 'password',
      summary: 'Password for username: clear text, or {SHA} followed by the hex SHA-1 of the password.',
      expansions: NONE,
      since: '3.0',
      example: '{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d',
      notes: ['A literal % must be written %%.'],
    },
  ];
}

const SUPERVISORD_KEYS: KeySpec[] = [
  { name: 'logfile', type: 'path', summary: "Path of supervisord's own activity log (relative paths start from the current directory). syslog sends it to syslog.", default: 'supervisord.log', expansions: HERE, since: '3.0', example: '/var/log/supervisor/supervisord.log', notes: ['Its directory must exist on the server.'] },
  { name: 'logfile_maxbytes', type: 'byte_size', summary: 'Size at which the activity log is rotated; 0 turns rotation off.', default: '50MB', expansions: HERE, since: '3.0', example: '50MB' },
  { name: 'logfile_backups', type: 'integer', summary: 'How many rotated activity logs to keep; 0 keeps none.', default: '10', expansions: HERE, since: '3.0', example: '10' },
  { name: 'loglevel', type: 'log_level', summary: 'How much the activity log records: critical, error, warn, info, debug, trace or blather. Note: warn, not warning.', default: 'info', values: Object.keys(LOG_LEVELS), expansions: HERE, since: '3.0', example: 'info' },
  { name: 'pidfile', type: 'path', summary: 'Where supervisord writes its process id.', default: 'supervisord.pid', expansions: HERE, since: '3.0', example: '/var/run/supervisord.pid' },
  { name: 'umask', type: 'octal', summary: 'umask of supervisord, in octal; its processes inherit it unless they set their own.', default: '022', expansions: HERE, since: '3.0', example: '022' },
  { name: 'nodaemon', type: 'boolean', summary: 'Stay in the foreground instead of detaching (what containers need).', default: 'false', values: BOOLEANS, expansions: HERE, since: '3.0', example: 'true' },
  { name: 'silent', type: 'boolean', summary: 'In the foreground, do not copy the activity log to standard output.', default: 'false', values: BOOLEANS, expansions: HERE, since: '4.2.0', example: 'true' },
  { name: 'minfds', type: 'integer', summary: 'File descriptors supervisord needs free at start; it raises its limit if it can and refuses to start otherwise. Processes inherit the limit.', default: '1024', expansions: HERE, since: '3.0', example: '1024' },
  { name: 'minprocs', type: 'integer', summary: 'Process slots supervisord needs at start; it raises its limit if it can and refuses to start otherwise.', default: '200', expansions: HERE, since: '3.0', example: '200' },
  { name: 'nocleanup', type: 'boolean', summary: 'Keep old AUTO log files at start instead of deleting them.', default: 'false', values: BOOLEANS, expansions: HERE, since: '3.0', example: 'false' },
  { name: 'childlogdir', type: 'directory', summary: 'Directory for AUTO log files. It must exist.', default: 'the system temp directory (usually /tmp)', expansions: HERE, since: '3.0', example: '/var/log/supervisor' },
  { name: 'user', type: 'user', summary: 'Account supervisord switches to after starting as root.', expansions: HERE, since: '3.0', example: 'root' },
  { name: 'directory', type: 'directory', summary: 'Directory supervisord changes into when it detaches. It must exist.', expansions: HERE, since: '3.0', example: '/' },
  { name: 'strip_ansi', type: 'boolean', summary: 'Remove ANSI escape sequences (colours) from the log files of processes.', default: 'false', values: BOOLEANS, expansions: HERE, since: '3.0', example: 'true' },
  {
    name: 'environment',
    type: 'environment',
    summary: 'Environment variables added for every process, as KEY="value" pairs separated by commas. A program\'s own environment= wins for the same name.',
    // 4.2.5 expands it once with here and ENV_X, then again with host_node_name too (the reference lists host_node_name for the first pass, but the parser refuses it there).
    expansions: HERE,
    expandedTwice: true,
    secondExpansions: ['here', 'host_node_name'],
    since: '3.0',
    example: 'LANG="en_US.UTF-8"',
    notes: ['supervisor 4.2.x expands this value twice: a literal % must be written %%%%, and %(host_node_name)s only works written as %%(host_node_name)s.', 'Since 4.2.2 the variables can be used as %(ENV_NAME)s in the process, group and server sections, but not in [include] files= or in [supervisord]\'s own keys, which supervisor reads before this value.', 'No shell reads the value: $PATH stays the text $PATH. Write %(ENV_PATH)s to use the variable of supervisord\'s own environment.'],
  },
  { name: 'identifier', type: 'string', summary: 'Name of this supervisord for the XML-RPC interface; also part of AUTO log file names.', default: 'supervisor', expansions: HERE, since: '3.0', example: 'supervisor' },
];

const SECTIONS: SectionSpec[] = [
  {
    kind: 'unix_http_server',
    header: '[unix_http_server]',
    named: false,
    summary: 'An HTTP/XML-RPC server on a UNIX socket. supervisorctl, the web UI and listeners such as memmon need it (or [inet_http_server]) together with [rpcinterface:supervisor].',
    readBy: 'supervisord',
    keys: [
      { name: 'file', type: 'path', summary: 'Path of the UNIX socket supervisord listens on.', expansions: HERE, required: true, since: '3.0', example: '/var/run/supervisor.sock', notes: ['/tmp/supervisor.sock, as in the sample config, can be removed by tmp cleaners.'] },
      { name: 'chmod', type: 'octal', summary: 'Permission bits of the socket file, in octal.', default: '0700', expansions: NONE, since: '3.0', example: '0700' },
      { name: 'chown', type: 'user_group', summary: 'Owner of the socket file, as user or user:group.', expansions: NONE, since: '3.0', example: 'app:app' },
      ...authKeys('the server'),
    ],
    docs: `${DOCS_PAGE}#unix-http-server-section-settings`,
    valuesDocs: `${DOCS_PAGE}#unix-http-server-section-values`,
    snippet: ['file=${1:/var/run/supervisor.sock}', 'chmod=${2:0700}'],
  },
  {
    kind: 'inet_http_server',
    header: '[inet_http_server]',
    named: false,
    summary: 'An HTTP/XML-RPC server on a TCP port, which also serves the web UI. It has no TLS: bind it to localhost or a trusted network.',
    readBy: 'supervisord',
    keys: [
      { name: 'port', type: 'inet_address', summary: 'Address to listen on: host:port, or :port / *:port for every interface.', expansions: NONE, required: true, since: '3.0', example: '127.0.0.1:9001' },
      ...authKeys('the server'),
    ],
    docs: `${DOCS_PAGE}#inet-http-server-section-settings`,
    valuesDocs: `${DOCS_PAGE}#inet-http-server-section-values`,
    snippet: ['port=${1:127.0.0.1:9001}'],
  },
  {
    kind: 'supervisord',
    header: '[supervisord]',
    named: false,
    summary: 'Settings of supervisord itself. A file with this section is a main config; a file without it is a fragment read through [include].',
    readBy: 'supervisord',
    keys: SUPERVISORD_KEYS,
    docs: `${DOCS_PAGE}#supervisord-section-settings`,
    valuesDocs: `${DOCS_PAGE}#supervisord-section-values`,
    snippet: ['logfile=${1:/var/log/supervisor/supervisord.log}', 'pidfile=${2:/var/run/supervisord.pid}', 'childlogdir=${3:/var/log/supervisor}'],
  },
  {
    kind: 'supervisorctl',
    header: '[supervisorctl]',
    named: false,
    summary: 'Settings for the supervisorctl client: where supervisord listens and how to log in. supervisord itself ignores this section.',
    readBy: 'supervisorctl',
    keys: [
      { name: 'serverurl', type: 'url', summary: 'Where supervisorctl finds supervisord: unix:///path/to.sock or http://host:port.', default: 'http://localhost:9001', expansions: HERE, since: '3.0', example: 'unix:///var/run/supervisor.sock' },
      { name: 'username', type: 'string', summary: "User name sent to supervisord; the same as the server section's username.", expansions: NONE, since: '3.0', example: 'admin' },
      { name: 'password', type: 'password', summary: 'Password sent to supervisord, in clear text (a {SHA} hash does not work here).', expansions: NONE, since: '3.0', example: 'secret' },
      { name: 'prompt', type: 'string', summary: 'Prompt of the interactive shell.', default: 'supervisor', expansions: NONE, since: '3.0', example: 'supervisor' },
      { name: 'history_file', type: 'path', summary: 'File that keeps the command history of the interactive shell.', expansions: HERE, since: '3.0a5', example: '~/.sc_history' },
    ],
    docs: `${DOCS_PAGE}#supervisorctl-section-settings`,
    valuesDocs: `${DOCS_PAGE}#supervisorctl-section-values`,
    snippet: ['serverurl=${1:unix:///var/run/supervisor.sock}'],
  },
  {
    kind: 'program',
    header: '[program:x]',
    named: true,
    summary: 'A program supervisord starts and keeps running: numprocs copies of one command, named by process_name.',
    readBy: 'supervisord',
    keys: processKeys('program'),
    docs: `${DOCS_PAGE}#program-x-section-settings`,
    valuesDocs: `${DOCS_PAGE}#program-x-section-values`,
    snippet: ['command=${2:/path/to/program}', 'directory=${3:/path/to/project}', 'user=${4:app}', 'autostart=true', 'autorestart=true', 'stopwaitsecs=${5:10}', 'redirect_stderr=true', 'stdout_logfile=${6:/var/log/%(program_name)s.log}'],
  },
  {
    kind: 'fcgi-program',
    header: '[fcgi-program:x]',
    named: true,
    summary: 'Like [program:x], plus a socket that supervisord opens and shares with every process of the group (FastCGI and other servers that accept an inherited socket).',
    readBy: 'supervisord',
    keys: [...processKeys('fcgi-program'), ...FCGI_KEYS],
    docs: `${DOCS_PAGE}#fcgi-program-x-section-settings`,
    valuesDocs: `${DOCS_PAGE}#fcgi-program-x-section-values`,
    snippet: ['socket=${2:unix:///var/run/%(program_name)s.sock}', 'command=${3:/path/to/program}', 'numprocs=${4:1}', 'process_name=%(program_name)s_%(process_num)02d'],
  },
  {
    kind: 'eventlistener',
    header: '[eventlistener:x]',
    named: true,
    summary: 'A pool of listener processes that receive supervisor events on standard input, such as superlance memmon on TICK_60.',
    readBy: 'supervisord',
    keys: [...processKeys('eventlistener'), ...LISTENER_KEYS],
    docs: `${DOCS_PAGE}#eventlistener-x-section-settings`,
    valuesDocs: `${DOCS_PAGE}#eventlistener-x-section-values`,
    snippet: ['command=${2:/path/to/venv/bin/memmon -p worker=256MB}', 'events=${3:TICK_60}', 'stdout_logfile=NONE', 'stderr_logfile=${4:/var/log/%(program_name)s.log}'],
  },
  {
    kind: 'group',
    header: '[group:x]',
    named: true,
    summary: 'Puts several programs under one name, so `supervisorctl restart name:` acts on all of them. The programs\' processes are then addressed as name:process.',
    readBy: 'supervisord',
    keys: [
      { name: 'programs', type: 'program_list', summary: 'Names of the [program:x] and [fcgi-program:x] sections in the group, separated by commas.', expansions: HERE, since: '3.0', example: 'worker,beat', notes: ['Event listeners cannot be members.', 'supervisor accepts a group without programs (an empty group).'] },
      { name: 'priority', type: 'integer', summary: 'Start and stop order of the group: lower values start first.', default: '999', expansions: HERE, since: '3.0', example: '999' },
    ],
    docs: `${DOCS_PAGE}#group-x-section-settings`,
    valuesDocs: `${DOCS_PAGE}#group-x-section-values`,
    snippet: ['programs=${2:worker,beat}'],
  },
  {
    kind: 'include',
    header: '[include]',
    named: false,
    summary: 'Reads more config files. Only the main file\'s [include] counts: included files cannot include others.',
    readBy: 'supervisord',
    keys: [
      {
        name: 'files',
        type: 'glob_list',
        summary: 'File globs separated by spaces or new lines, relative to the directory of the main config. Each glob\'s matches are read in sorted order; a glob that matches nothing only logs a warning.',
        expansions: ['here', 'host_node_name'],
        required: true,
        since: '3.0',
        changed: '3.2.0: files are read in sorted order. 3.3.0: %(host_node_name)s.',
        example: '/etc/supervisor/conf.d/*.conf',
        suggestions: [
          { value: 'conf.d/*.conf', detail: 'the .conf files in conf.d, beside this file' },
          { value: '/etc/supervisor/conf.d/*.conf', detail: "Debian and Ubuntu's folder of program configs" },
        ],
      },
    ],
    docs: `${DOCS_PAGE}#include-section-settings`,
    valuesDocs: `${DOCS_PAGE}#include-section-values`,
    snippet: ['files = ${1:/etc/supervisor/conf.d/*.conf}'],
  },
  {
    kind: 'rpcinterface',
    header: '[rpcinterface:x]',
    named: true,
    summary: 'Adds an XML-RPC interface. [rpcinterface:supervisor] with supervisor.rpcinterface:make_main_rpcinterface is what supervisorctl, the web UI and memmon need.',
    readBy: 'supervisord',
    openKeys: true,
    keys: [
      {
        name: 'supervisor.rpcinterface_factory',
        type: 'import_spec',
        summary: 'module:callable that builds the interface; any other key of the section is passed to it as a keyword argument.',
        expansions: NONE,
        required: true,
        since: '3.0',
        example: 'supervisor.rpcinterface:make_main_rpcinterface',
      },
    ],
    docs: `${DOCS_PAGE}#rpcinterface-x-section-settings`,
    valuesDocs: `${DOCS_PAGE}#rpcinterface-x-section-values`,
    snippet: ['supervisor.rpcinterface_factory = ${2:supervisor.rpcinterface:make_main_rpcinterface}'],
  },
  {
    kind: 'ctlplugin',
    header: '[ctlplugin:x]',
    named: true,
    summary: 'Adds commands to supervisorctl through a plugin. supervisord ignores this section.',
    readBy: 'supervisorctl',
    openKeys: true,
    keys: [
      {
        name: 'supervisor.ctl_factory',
        type: 'import_spec',
        summary: 'module:callable that builds the plugin; the other keys of the section are passed to it.',
        expansions: NONE,
        required: true,
        since: '3.0a7',
        example: 'mypackage.plugin:make_plugin',
      },
    ],
    docs: DOCS_PAGE,
    valuesDocs: DOCS_PAGE,
    snippet: ['supervisor.ctl_factory = ${2:package.module:factory}'],
  },
];

export const SECTION_SPECS: readonly SectionSpec[] = SECTIONS;

const BY_KIND = new Map<string, SectionSpec>(SECTIONS.map((s) => [s.kind, s]));
const KEY_MAPS = new Map<string, Map<string, KeySpec>>(SECTIONS.map((s) => [s.kind, new Map(s.keys.map((k) => [k.name, k]))]));

/** Every key name of every kind, with the kinds that accept it (for "this key belongs in [x]"). */
export const KINDS_BY_KEY: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const s of SECTIONS) for (const k of s.keys) m.set(k.name, [...(m.get(k.name) ?? []), s.kind]);
  return m;
})();

const KEY_NAMES = new Map<string, readonly string[]>(SECTIONS.map((s) => [s.kind, s.keys.map((k) => k.name)]));

/** The key names of a section kind, in catalogue order. */
export function keyNames(kind: string): readonly string[] {
  return KEY_NAMES.get(kind) ?? [];
}

/** The spec of a section kind by its kind name (`program`). */
export function sectionSpec(kind: string): SectionSpec | undefined {
  return BY_KIND.get(kind);
}

/** The spec of a key in a section kind, or undefined. */
export function keySpec(kind: string, key: string): KeySpec | undefined {
  return KEY_MAPS.get(kind)?.get(key);
}

/** Every key spec of a section kind by key name (for loops that look up many keys of one section). */
export function keySpecsOf(kind: string): ReadonlyMap<string, KeySpec> | undefined {
  return KEY_MAPS.get(kind);
}

/**
 * How supervisor reads a section, from its name already split at the first ':' (a parsed section's kind
 * and label: no slicing and no new strings to hash for every section of a large file). The label is
 * the section's own for a named kind (spec.named), else none: no object per section to say so.
 */
export function parsedSectionSpec(section: { name: string; kind: string; label: string | undefined }): SectionSpec | undefined {
  const spec = BY_KIND.get(section.kind);
  if (section.label !== undefined) {
    if (spec?.named) return spec;
  } else if (spec && !spec.named) return spec;
  const name = section.name;
  if (name.startsWith('unix_http_server')) return BY_KIND.get('unix_http_server')!;
  if (name.startsWith('inet_http_server')) return BY_KIND.get('inet_http_server')!;
  return undefined;
}

export interface ResolvedSection {
  spec: SectionSpec;
  /** The part after `kind:` for named kinds (may be empty: supervisor accepts `[program:]`). */
  label?: string;
}

/**
 * The kind supervisor reads a section as, by its full name, following options.py: exact names for
 * supervisord, supervisorctl and include; a `kind:` prefix for the named kinds; and any name that
 * merely starts with unix_http_server or inet_http_server for the two servers. Undefined for a
 * section supervisor ignores (including `[program]` without a colon and `[DEFAULT]`).
 */
export function resolveSection(name: string): ResolvedSection | undefined {
  const colon = name.indexOf(':');
  const label = colon >= 0 ? name.slice(colon + 1) : undefined;
  const spec = parsedSectionSpec({ name, kind: colon >= 0 ? name.slice(0, colon) : name, label });
  if (!spec) return undefined;
  return spec.named && label !== undefined ? { spec, label } : { spec };
}

export interface ExpansionDoc {
  name: ExpansionName | 'ENV_X';
  summary: string;
  type: 'str' | 'int';
}

export const EXPANSIONS: readonly ExpansionDoc[] = [
  { name: 'here', type: 'str', summary: 'Directory of this config file (for an included file, that file\'s own directory since 4.0.0).' },
  { name: 'program_name', type: 'str', summary: 'The name after program:, fcgi-program: or eventlistener:.' },
  { name: 'group_name', type: 'str', summary: 'The group the process belongs to: the [group:x] that lists the program, else the program name.' },
  { name: 'host_node_name', type: 'str', summary: "The server's host name (platform.node())." },
  { name: 'process_num', type: 'int', summary: 'Number of the process, from numprocs_start to numprocs_start+numprocs-1. Use %(process_num)02d for 00, 01, ...' },
  { name: 'numprocs', type: 'int', summary: 'The value of numprocs.' },
  { name: 'ENV_X', type: 'str', summary: "Environment variable X of supervisord (and, since 4.2.2, variables set by [supervisord] environment=, and in command/directory/log keys by the section's own environment=)." },
];

export const EXPANSION_TYPES: ReadonlyMap<string, 'str' | 'int'> = new Map(EXPANSIONS.map((e) => [e.name, e.type]));
export const EXPANSION_NAMES: readonly string[] = EXPANSIONS.filter((e) => e.name !== 'ENV_X').map((e) => e.name);
