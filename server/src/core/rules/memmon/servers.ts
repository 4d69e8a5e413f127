/** The XML-RPC server sections memmon talks to, as supervisord picks them for SUPERVISOR_SERVER_URL. */
import { lastEntry, type Entry, type SupervisorDocument } from '../../model/document';
import { filesInReadOrder, type Deployment, type ProgramView } from '../../deployment';

export type ServerKind = 'unix_http_server' | 'inet_http_server';

/** The last `key` across every header with this name (supervisor merges repeated sections). */
export function sectionValue(doc: SupervisorDocument, name: string, key: string): Entry | undefined {
  let found: Entry | undefined;
  // An indexed loop over every section of the file: for...of allocates per step where not optimized away.
  const sections = doc.sections;
  for (let i = 0; i < sections.length; i++) if (sections[i].name === name) found = lastEntry(sections[i], key) ?? found;
  return found;
}

/** The same across the deployment's files in the order supervisor reads them: the last one wins. */
export function deploymentSectionValue(deployment: Deployment, name: string, key: string): Entry | undefined {
  if (!deployment.external) return sectionValue(deployment.doc, name, key);
  let found: Entry | undefined;
  for (const { doc } of filesInReadOrder(deployment.external, deployment.doc)) found = sectionValue(doc, name, key) ?? found;
  return found;
}

export function hasSection(doc: SupervisorDocument, name: string): boolean {
  return doc.sections.some((s) => s.name === name);
}

/** serverurl= set to something other than AUTO: the listener is told where to connect, we cannot follow it. */
export function explicitServerUrl(listener: ProgramView): boolean {
  const v = listener.get('serverurl')?.value.trim();
  return !!v && v.toUpperCase() !== 'AUTO';
}

/** The server a child's SUPERVISOR_SERVER_URL points to: the UNIX socket if configured, else the inet one. */
export function serverFor(doc: SupervisorDocument): ServerKind | undefined {
  if (hasSection(doc, 'unix_http_server')) return 'unix_http_server';
  if (hasSection(doc, 'inet_http_server')) return 'inet_http_server';
  return undefined;
}
