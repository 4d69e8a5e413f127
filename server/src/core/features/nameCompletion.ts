/**
 * Completion of the names that must match exactly: the programs of a [group:x] programs= list, the
 * process names after memmon's -p (with a size to fill in) and the group names after its -g. A name
 * memmon does not find is watched by nobody (memmon-unknown-process), and a group naming an unknown
 * program stops supervisord (group-unknown-program).
 */
import { valueSpanToRange, type Entry, type SupervisorDocument } from '../model/document';
import type { Position, TextEdit } from '../model/types';
import type { Deployment } from '../deployment';
import type { CompletionInfo } from './completion';
import { commandWordAt, entryTypedAt, valueOffsetTypedAt } from './commandWord';
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
    // Also on a blank line that continues the list: a name typed there is one more.
    const entry = entryTypedAt(doc, section, 'programs', position);
    return entry && groupMemberItems(entry, deployment(), position);
  }
  if (section.kind === 'eventlistener') {
    // Also on a blank line that continues the command: `-p` may end the line above.
    const entry = entryTypedAt(doc, section, 'command', position);
    return entry && /\bmemmon\b/.test(entry.value) ? memmonNameItems(entry, deployment, settings, position) : undefined;
  }
  return undefined;
}

/**
 * In `programs=` of a [group:x]: the programs not listed yet, for the name under the cursor. supervisor
 * splits the list at commas only (list_of_strings), and configparser joins a continuation line with a
 * new line, which it strips from a name but does not split at: `beat` above `worker` is one name,
 * "beat\nworker". So a name typed on a line of its own also brings the commas that separate it from
 * the names on the lines around it.
 */
function groupMemberItems(entry: Entry, deployment: Deployment, position: Position): CompletionInfo[] | undefined {
  const typed = valueOffsetTypedAt(entry, position);
  if (!typed) return undefined;
  const { offset } = typed;
  // Past the spaces that end a line (configparser drops them), or on a blank line below: a new name.
  const fresh = typed.pastEnd;
  const value = entry.value;
  // A name starts after a comma or at the start of its line (a blank line below the value is a line of its own).
  const before = value.slice(0, offset);
  const lineStart = fresh ? offset : before.lastIndexOf('\n') + 1;
  let start = Math.max(before.lastIndexOf(',') + 1, lineStart);
  while (start < offset && /\s/.test(value[start])) start++;
  const itemEnd = endOfListItem(value, offset);
  // The whole name the cursor is in is replaced: `programs=|beat` does not become `workerbeat`.
  let end = offset;
  while (end < itemEnd && !/\s/.test(value[end])) end++;
  const rest = value.slice(0, start) + value.slice(itemEnd);
  const listed = new Set(rest.split(/[,\n]/).map((n) => n.trim()).filter(Boolean));
  const at = (from: number, to: number) => (fresh ? { start: position, end: position } : valueSpanToRange(entry, from, to));
  const ranges = { range: at(start, end), insertRange: at(start, offset) };
  const commaBefore = commaAfterPreviousName(entry, value.slice(0, start));
  // A name on a later line follows without a comma: the one inserted brings it.
  const following = value.slice(itemEnd).trimStart();
  const commaAfter = following !== '' && !following.startsWith(',') ? ',' : '';
  return groupablePrograms(deployment)
    .filter((p) => !listed.has(p.name))
    .map((p, i) => ({
      label: p.name,
      kind: 'value' as const,
      detail: `[${p.kind}:${p.name}]${p.processNames && p.processNames.length !== 1 ? `, ${p.processNames.length} processes` : ''}`,
      insertText: p.name + commaAfter,
      ...ranges,
      ...(commaBefore && { additionalTextEdits: [commaBefore] }),
      sortText: String(i).padStart(4, '0'),
    }));
}

/** Where the item of a comma-separated list at `offset` ends: at the next comma, or at the end of its line (a name typed there is one of its own). */
function endOfListItem(value: string, offset: number): number {
  const ends = [value.indexOf(',', offset), value.indexOf('\n', offset)].filter((i) => i !== -1);
  return ends.length ? Math.min(...ends) : value.length;
}

/** The comma to insert after the last name before a new item (`before` is the value up to it), when no comma ends them already. */
function commaAfterPreviousName(entry: Entry, before: string): TextEdit | undefined {
  const previousEnd = before.trimEnd().length;
  if (previousEnd === 0 || before[previousEnd - 1] === ',') return undefined;
  return { range: valueSpanToRange(entry, previousEnd, previousEnd), newText: ',' };
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
  // A size written after the name already stays (`-p w_0|=1GB`): the items complete the name alone.
  const equals = entry.value.slice(at.offset, at.wordEnd).indexOf('=');
  const sizeWritten = equals !== -1;
  const ranges = at.wordRangesFrom(from, sizeWritten ? at.offset + equals : at.wordEnd);
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
      insertText: sizeWritten ? name : `${name}=${size}`,
      snippet: sizeWritten ? undefined : `${name}=\${1:${size}}`,
      ...ranges,
      sortText: String(i).padStart(4, '0'),
    };
  });
}
