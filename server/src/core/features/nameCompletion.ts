/**
 * Completion of the names that must match exactly: the programs of a [group:x] programs= list, the
 * process names after memmon's -p (with a size to fill in) and the group names after its -g. A name
 * memmon does not find is watched by nobody (memmon-unknown-process), and a group naming an unknown
 * program stops supervisord (group-unknown-program).
 */
import { positionToValueOffset, valueSpanToRange, type Entry, type SupervisorDocument } from '../model/document';
import type { Position } from '../model/types';
import type { Deployment } from '../deployment';
import type { CompletionInfo } from './completion';
import { commandWordAt, entryOnLine, entryTypedAt } from './commandWord';
import type { Settings } from '../settings';
import { acceptedMemmonSizes } from '../rules/memmon/limitTooLow';

/** What a program looks like to this completion, from this file or another file of the deployment. */
interface NamedProgram {
  name: string;
  kind: string;
  group: string;
  processNames: string[] | undefined;
}

function groupablePrograms(deployment: Deployment): NamedProgram[] {
  const all: NamedProgram[] = [...deployment.programs, ...(deployment.external?.programs ?? [])];
  const seen = new Set<string>();
  return all.filter((p) => p.kind !== 'eventlistener' && !seen.has(p.name) && seen.add(p.name));
}

export function nameCompletion(
  doc: SupervisorDocument,
  deployment: () => Deployment,
  settings: Settings,
  sectionIndex: number,
  position: Position,
): CompletionInfo[] | undefined {
  const section = doc.sections[sectionIndex];
  if (section.kind === 'group') {
    const entry = entryOnLine(section, 'programs', position.line);
    return entry && groupMemberItems(entry, deployment(), position);
  }
  if (section.kind === 'eventlistener') {
    // Also on a blank line that continues the command: `-p` may end the line above.
    const entry = entryTypedAt(doc, section, 'command', position);
    return entry && /\bmemmon\b/.test(entry.value) ? memmonNameItems(entry, deployment, settings, position) : undefined;
  }
  return undefined;
}

/** In `programs=` of a [group:x]: the programs not listed yet, for the item under the cursor. */
function groupMemberItems(entry: Entry, deployment: Deployment, position: Position): CompletionInfo[] | undefined {
  const offset = positionToValueOffset(entry, position);
  if (offset < 0) return undefined;
  const value = entry.value;
  let start = value.lastIndexOf(',', offset - 1) + 1;
  while (start < offset && /\s/.test(value[start])) start++;
  const itemEnd = value.indexOf(',', offset);
  // The whole name the cursor is in is replaced: `programs=|beat` does not become `workerbeat`.
  let end = offset;
  while (end < value.length && !/[\s,]/.test(value[end])) end++;
  const listed = new Set(
    (value.slice(0, start) + value.slice(itemEnd === -1 ? value.length : itemEnd))
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  );
  const ranges = { range: valueSpanToRange(entry, start, end), insertRange: valueSpanToRange(entry, start, offset) };
  return groupablePrograms(deployment)
    .filter((p) => !listed.has(p.name))
    .map((p, i) => ({
      label: p.name,
      kind: 'value' as const,
      detail: `[${p.kind}:${p.name}]${p.processNames && p.processNames.length !== 1 ? `, ${p.processNames.length} processes` : ''}`,
      insertText: p.name,
      ...ranges,
      sortText: String(i).padStart(4, '0'),
    }));
}

const PROGRAM_OPTIONS = new Set(['-p', '--program']);
const GROUP_OPTIONS = new Set(['-g', '--group']);

/**
 * After memmon's -p: process names (NAME=SIZE, the size to fill in); after -g: group names. The size
 * is supervisor.memmon.defaultLimit, or more where memmon-limit-too-low would want more (with -c, a
 * prefork worker's main process and pool add up).
 */
function memmonNameItems(entry: Entry, deployment: () => Deployment, settings: Settings, position: Position): CompletionInfo[] | undefined {
  const at = commandWordAt(entry, position);
  if (!at) return undefined;
  let what: 'process' | 'group' | undefined;
  let from = at.wordStart;
  const long = /^--(program|group)=[^=]*$/.exec(at.word);
  if (long) {
    what = long[1] === 'program' ? 'process' : 'group';
    from = at.wordStart + long[1].length + 3;
  } else if (at.word.startsWith('-') || at.word.includes('=')) {
    return undefined; // an option, or a size being typed
  } else if (PROGRAM_OPTIONS.has(at.previous)) {
    what = 'process';
  } else if (GROUP_OPTIONS.has(at.previous)) {
    what = 'group';
  }
  if (!what) return undefined;
  const ranges = at.wordRangesFrom(from);
  const d = deployment();
  const programs = groupablePrograms(d);
  // Names this listener already has a limit for (memmon would keep only one of two), not the one being typed over.
  const memmon = d.memmonListeners.find((l) => l.command === entry)?.memmon;
  const limits = (what === 'process' ? memmon?.programs : memmon?.groups) ?? [];
  const given = new Set(limits.filter((l) => l.nameStart !== from).map((l) => l.name));
  const items: { name: string; detail: string }[] = [];
  if (what === 'process') {
    for (const p of programs) for (const name of p.processNames ?? []) items.push({ name, detail: `a process of [${p.kind}:${p.name}]` });
  } else {
    const groups = new Map<string, number>();
    for (const p of programs) groups.set(p.group, (groups.get(p.group) ?? 0) + (p.processNames?.length ?? 0));
    for (const [name, count] of groups) items.push({ name, detail: `group of ${count} process${count === 1 ? '' : 'es'}` });
  }
  const sizeFor = acceptedMemmonSizes(d, settings, !!memmon?.cumulative);
  return items.filter((item) => !given.has(item.name)).map(({ name, detail }, i) => {
    const size = sizeFor(what === 'process' ? 'p' : 'g', name);
    return {
      label: name,
      kind: 'value' as const,
      detail,
      insertText: `${name}=${size}`,
      snippet: `${name}=\${1:${size}}`,
      ...ranges,
      sortText: String(i).padStart(4, '0'),
    };
  });
}
