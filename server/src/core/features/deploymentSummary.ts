/**
 * Which deployment a file was checked with: the editor shows it (a language status item), so that a
 * finding about another file, or the lack of one, is never a surprise.
 */
import { filesInReadOrder, type Deployment } from '../deployment';
import type { UnreadInclude } from '../include';

export interface DeploymentSummary {
  /**
   * `main`: a main config whose [include] brought in other files; `fragment`: a file another one
   * includes (`mainFile`); `alone`: checked by itself (a main config that includes nothing, or a
   * fragment no main config in the workspace includes).
   */
  role: 'main' | 'fragment' | 'alone';
  /** The file has a [supervisord] section: supervisord can be started with it. */
  isMainFile: boolean;
  /** The main config, for a fragment. */
  mainFile?: string;
  /** Every file of the deployment in the order supervisor reads them, this one included (when it has a path). */
  files: string[];
  /** False when reading the includes stopped at a limit or skipped a pattern: there may be more files. */
  complete: boolean;
  /** What the main config's [include] names that was not read, and why (when known and any). */
  unread?: UnreadInclude[];
}

export function deploymentSummary(deployment: Deployment): DeploymentSummary {
  const external = deployment.external;
  // A main config whose [include] matched nothing stands alone too (include-matches-nothing says why).
  const unread = external?.unread ? { unread: external.unread } : {};
  if (!external?.files.length) return { role: 'alone', isMainFile: deployment.isMainFile, files: external ? [external.path] : [], complete: external?.complete ?? true, ...unread };
  const files = filesInReadOrder(external, deployment.doc).map((f) => f.path);
  return {
    role: external.mainFile ? 'fragment' : 'main',
    isMainFile: deployment.isMainFile,
    ...(external.mainFile ? { mainFile: external.mainFile } : {}),
    files,
    complete: external.complete,
    ...unread,
  };
}
