/**
 * What a rule may ask about the machine supervisord runs on. The core never reads the disk itself:
 * the editor passes a view only where it runs next to supervisord (supervisor.checkPaths), the CLI
 * only with --check-paths, so a config written for another machine is never judged by this one.
 */
export type PathKind = 'missing' | 'dir' | 'executable' | 'file' | 'other';

export interface DiskView {
  /** What is at an absolute path: a folder, a file (executable by someone, or not), something else or nothing. */
  kind(path: string): PathKind;
  /** The names in a folder, for "did you mean"; undefined when it cannot be listed. */
  list(dir: string): readonly string[] | undefined;
}
