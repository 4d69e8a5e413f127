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
}
