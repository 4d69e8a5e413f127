/** A supervisord of a test's own (Debian's supervisor package), next to its config in a temporary folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

export const SUPERVISORD = '/usr/bin/supervisord';

/** Why a test cannot start one here, or undefined when it can. */
export function supervisordUnavailable(): string | undefined {
  return fs.existsSync(SUPERVISORD) ? undefined : `${SUPERVISORD} not found (apt-get install -y supervisor)`;
}

/** The sections that give it a socket, a log and a pid file beside its config, and supervisorctl the way in. */
export const OWN_SUPERVISORD = `[unix_http_server]
file=%(here)s/supervisor.sock

[supervisord]
logfile=%(here)s/supervisord.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(here)s/supervisor.sock
`;

/** Starts supervisord in the foreground on `config` (as Debian's unit does: -n -c). */
export function startSupervisord(config: string): ChildProcess {
  return spawn(SUPERVISORD, ['-n', '-c', config], { stdio: 'ignore' });
}

/** Stops it as systemd would (SIGTERM: it stops its programs first) and waits until it is gone. */
export async function stopSupervisord(daemon: ChildProcess | undefined): Promise<void> {
  if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
  const exited = new Promise((resolve) => daemon.once('exit', resolve));
  daemon.kill('SIGTERM');
  await exited;
}
