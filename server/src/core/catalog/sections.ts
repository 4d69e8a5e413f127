/**
 * Section kinds supervisor 4.2 reads, with the keys each accepts. Facts from supervisor's options.py
 * (via the project's reference schema); the one-line descriptions are ours.
 */
export interface SectionKind {
  kind: string;
  /** `[program:name]` style sections carry a name after the colon. */
  named: boolean;
  summary: string;
  keys: readonly string[];
  /** Keys supervisor insists on. */
  required: readonly string[];
  docs: string;
}

const PROCESS_KEYS = [
  'command', 'process_name', 'numprocs', 'numprocs_start', 'priority', 'autostart', 'startsecs', 'startretries',
  'autorestart', 'exitcodes', 'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'user', 'redirect_stderr',
  'stdout_logfile', 'stdout_logfile_maxbytes', 'stdout_logfile_backups', 'stdout_capture_maxbytes',
  'stdout_events_enabled', 'stdout_syslog', 'stderr_logfile', 'stderr_logfile_maxbytes', 'stderr_logfile_backups',
  'stderr_capture_maxbytes', 'stderr_events_enabled', 'stderr_syslog', 'environment', 'directory', 'umask', 'serverurl',
] as const;

const DOCS = 'http://supervisord.org/configuration.html';

export const SECTION_KINDS: readonly SectionKind[] = [
  { kind: 'unix_http_server', named: false, summary: 'XML-RPC/HTTP server on a UNIX socket, used by supervisorctl and by event listeners such as memmon.', keys: ['file', 'chmod', 'chown', 'username', 'password'], required: ['file'], docs: `${DOCS}#unix-http-server-section-settings` },
  { kind: 'inet_http_server', named: false, summary: 'XML-RPC/HTTP server on a TCP port (also serves the web UI). It has no TLS: bind it to localhost.', keys: ['port', 'username', 'password'], required: ['port'], docs: `${DOCS}#inet-http-server-section-settings` },
  { kind: 'supervisord', named: false, summary: 'Settings of the supervisord daemon itself. A file with this section is a main config; one without it is a fragment pulled in by [include].', keys: ['logfile', 'logfile_maxbytes', 'logfile_backups', 'loglevel', 'pidfile', 'umask', 'nodaemon', 'silent', 'minfds', 'minprocs', 'nocleanup', 'childlogdir', 'user', 'directory', 'strip_ansi', 'environment', 'identifier'], required: [], docs: `${DOCS}#supervisord-section-settings` },
  { kind: 'supervisorctl', named: false, summary: 'Settings for the supervisorctl client: where the server is and how to log in.', keys: ['serverurl', 'username', 'password', 'prompt', 'history_file'], required: [], docs: `${DOCS}#supervisorctl-section-settings` },
  { kind: 'program', named: true, summary: 'A program supervisord starts and keeps running: one process, or numprocs copies of it.', keys: PROCESS_KEYS, required: ['command'], docs: `${DOCS}#program-x-section-settings` },
  { kind: 'fcgi-program', named: true, summary: 'A FastCGI program whose processes share a socket that supervisord opens.', keys: [...PROCESS_KEYS, 'socket', 'socket_backlog', 'socket_owner', 'socket_mode'], required: ['command', 'socket'], docs: `${DOCS}#fcgi-program-x-section-settings` },
  { kind: 'eventlistener', named: true, summary: 'A program that receives supervisor events on stdin, such as superlance memmon on TICK_60.', keys: [...PROCESS_KEYS, 'events', 'buffer_size', 'result_handler'], required: ['command', 'events'], docs: `${DOCS}#eventlistener-x-section-settings` },
  { kind: 'group', named: true, summary: 'Groups programs under one name, so `supervisorctl stop name:` acts on all of them.', keys: ['programs', 'priority'], required: [], docs: `${DOCS}#group-x-section-settings` },
  { kind: 'include', named: false, summary: 'Reads more config files (globs, relative to this file). Only the main file\'s [include] counts.', keys: ['files'], required: ['files'], docs: `${DOCS}#include-section-settings` },
  { kind: 'rpcinterface', named: true, summary: 'Adds an XML-RPC interface; [rpcinterface:supervisor] is what supervisorctl and memmon need.', keys: ['supervisor.rpcinterface_factory'], required: ['supervisor.rpcinterface_factory'], docs: `${DOCS}#rpcinterface-x-section-settings` },
  { kind: 'ctlplugin', named: true, summary: 'Adds commands to supervisorctl.', keys: ['supervisor.ctl_factory'], required: ['supervisor.ctl_factory'], docs: `${DOCS}#ctlplugin-x-section-values` },
];

const BY_KIND = new Map(SECTION_KINDS.map((k) => [k.kind, k]));

export function sectionKind(kind: string): SectionKind | undefined {
  return BY_KIND.get(kind);
}
