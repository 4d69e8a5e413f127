/**
 * What a rule may ask about the machine supervisord runs on: its disk and its accounts. The core
 * never looks itself: the editor passes a view only where it runs next to supervisord
 * (supervisor.machineChecks), the CLI only with --check-machine, so a config written for another
 * machine is never judged by this one.
 */
export type PathKind = 'missing' | 'dir' | 'executable' | 'file' | 'other';

export interface MachineView {
  /** What is at an absolute path: a folder, a file (executable by someone, or not), something else or nothing. */
  kind(path: string): PathKind;
  /** The names in a folder, for "did you mean"; undefined when it cannot be listed. */
  list(dir: string): readonly string[] | undefined;
  /** Whether an account exists, by name or uid (as supervisor's name_to_uid asks); undefined when this machine cannot tell. */
  account(user: string): boolean | undefined;
  /** supervisord's own PATH, where it looks for a command without a folder unless environment= sets PATH. */
  supervisordPath(): SearchPath;
  /**
   * The names of the environment of the supervisord running here (what %(ENV_X)s can name); undefined
   * when none runs, or its environment cannot be read (another user's process).
   */
  supervisordEnvironment?(): ReadonlySet<string> | undefined;
  /** How many CPU cores this machine has (what Celery's default concurrency is here). */
  cpuCount?(): number;
}

/**
 * Some folder of the path below the top level exists here (`/home/app` of `/home/app/venv/bin/celry`):
 * the path was written for this machine, so its missing part is a mistake, not another machine's layout.
 */
export function partlyHere(machine: MachineView, path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  for (let n = parts.length - 1; n >= 2; n--) {
    if (machine.kind(`/${parts.slice(0, n).join('/')}`) === 'dir') return true;
  }
  return false;
}

/** The folders supervisord searches for a command without a `/` (options.py get_path), and where they came from. */
export interface SearchPath {
  dirs: readonly string[];
  /** `running`: read from the supervisord running here; `service`: the PATH systemd gives a service, its own being unreadable. */
  from: 'running' | 'service';
}

/**
 * systemd's default PATH for a service (supervisor's Debian and RHEL units set none), with the /sbin
 * and /bin of systems whose /usr is not merged: the widest, so a command is never missed for want of them.
 */
export const SERVICE_PATH: readonly string[] = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** What supervisor searches when PATH is unset or empty (options.py get_path). */
export const SUPERVISOR_DEFAULT_PATH: readonly string[] = ['/bin', '/usr/bin', '/usr/local/bin'];
