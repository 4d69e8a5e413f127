/**
 * Reading and writing the process-control keys of a [program:x] (stopwaitsecs, killasgroup, ...): the
 * value supervisor uses, where a finding about the key goes, and edits that set, add or remove a key
 * while leaving the rest of the section as it was.
 */
import { defaultEntries, type Entry, type SupervisorDocument } from '../../model/document';
import type { Range, TextEdit } from '../../model/types';
import type { ProgramView } from '../../deployment';
import { deleteLines, insertKeyLinesAfter, lastContentLine } from '../../edits';
import { parseBoolean as parseSupervisorBoolean } from '../../catalog/datatypes';

/** supervisor's `boolean` (catalog/datatypes.ts) on the trimmed value; undefined for anything else (e.g. an %(ENV_x)s). */
export function parseBoolean(value: string): boolean | undefined {
  const r = parseSupervisorBoolean(value.trim());
  return r.ok ? r.value : undefined;
}

/** A regular expression literal inside a function is a new object (~56 B) at every call. */
const PLAIN_INTEGER = /^[+-]?\d+$/;

/** supervisor's `integer` for plain decimal values; undefined when the value is not one (expansions, typos). */
export function parseInteger(value: string): number | undefined {
  const v = value.trim();
  return PLAIN_INTEGER.test(v) ? Number(v) : undefined;
}

/**
 * The boolean value of a key, the default when the key is absent, or undefined when the value cannot be
 * read here (then rules stay silent rather than guess).
 */
export function booleanKey(program: ProgramView, key: string, fallback: boolean): boolean | undefined {
  const e = program.get(key);
  return e ? parseBoolean(e.value) : fallback;
}

export function integerKey(program: ProgramView, key: string, fallback: number): number | undefined {
  const e = program.get(key);
  return e ? parseInteger(e.value) : fallback;
}

/**
 * The names supervisor fills into a program's values for its first process (program_name, group_name,
 * numprocs, process_num, and here when the file's folder is known); set `process_num` for the others.
 * Undefined when numprocs_start cannot be read.
 */
export function processExpansions(program: ProgramView, here?: string): { process_num: number; [name: string]: string | number } | undefined {
  const start = integerKey(program, 'numprocs_start', 0);
  if (start === undefined) return undefined;
  return { program_name: program.name, group_name: program.group, numprocs: program.numprocs, process_num: start, ...(here === undefined ? {} : { here }) };
}

/** The first header of the program: where findings about a missing key go. */
export function headerRange(doc: SupervisorDocument, program: ProgramView): Range {
  return doc.sections[program.sectionIndexes[0]].headerRange;
}

/** The key's value when the key is written, else the section header. */
export function keyAnchor(doc: SupervisorDocument, program: ProgramView, key: string): Range {
  const e = program.get(key);
  return e ? e.valueRange : headerRange(doc, program);
}

/** Every entry of `key` across the program's headers (supervisor uses the last one). */
export function entriesOf(doc: SupervisorDocument, program: ProgramView, key: string): Entry[] {
  const out: Entry[] = [];
  for (const i of program.sectionIndexes) for (const e of doc.sections[i].entries) if (e.key === key) out.push(e);
  return out;
}

/** The section new keys go into: the one holding command=, else the first header (never [DEFAULT]). */
export function homeSection(program: ProgramView): number {
  return ownEntry(program, 'command')?.sectionIndex ?? program.sectionIndexes[0];
}

/**
 * The entry of `key` in the program's own sections, undefined when it sets none (the value may then come
 * from [DEFAULT]). Fixes edit only this one: editing [DEFAULT]'s would change every section.
 */
export function ownEntry(program: ProgramView, key: string): Entry | undefined {
  const e = program.get(key);
  return e && program.sectionIndexes.includes(e.sectionIndex) ? e : undefined;
}

/**
 * Does removing `entry`, the value of `key` the program reads, bring supervisor's default back? Not when
 * it comes from [DEFAULT], nor when [DEFAULT] sets the key too (its value would apply instead): then a
 * fix sets the value it means in the program.
 */
export function removalRestoresDefault(doc: SupervisorDocument, program: ProgramView, key: string, entry: Entry): boolean {
  return ownEntry(program, key) === entry && !defaultEntries(doc).has(key);
}

/** `key=value` or `key = value`, as the section's own lines are written. */
function formatKeyLine(doc: SupervisorDocument, sectionIndex: number, key: string, value: string): string {
  const entries = doc.sections[sectionIndex].entries;
  const spaced = entries.filter((e) => e.separatorRange.start.character > e.keyRange.end.character).length;
  const separator = entries.length > 0 && spaced * 2 > entries.length ? ' = ' : '=';
  return `${key}${separator}${value}`;
}

/** Lines `key=value` added after the section's last content line, in the section's own style and indentation. */
export function insertKeys(doc: SupervisorDocument, sectionIndex: number, pairs: [string, string][]): TextEdit {
  return insertKeyLinesAfter(
    doc,
    lastContentLine(doc, sectionIndex),
    pairs.map(([k, v]) => formatKeyLine(doc, sectionIndex, k, v)),
  );
}

/** Replaces an entry's value (continuation lines included) with a one-line value. */
export function replaceValue(doc: SupervisorDocument, entry: Entry, value: string): TextEdit[] {
  const first = entry.parts[0];
  const edits: TextEdit[] = [
    { range: { start: { line: first.line, character: first.startChar }, end: { line: first.line, character: first.startChar + first.text.length } }, newText: value },
  ];
  const more = [...new Set(entry.parts.slice(1).map((p) => p.line))].filter((l) => l !== first.line);
  if (more.length) edits.push(...deleteLines(doc, more));
  return edits;
}

/** Sets `key` to `value`: replaces the program's own value, or adds the key to its section (which also overrides [DEFAULT]). */
export function setKey(doc: SupervisorDocument, program: ProgramView, key: string, value: string): TextEdit[] {
  const e = ownEntry(program, key);
  return e ? replaceValue(doc, e, value) : [insertKeys(doc, homeSection(program), [[key, value]])];
}

/** Removes every line of `key` in the program (earlier duplicates too, or one of them would take over). */
export function removeKey(doc: SupervisorDocument, program: ProgramView, key: string): TextEdit[] {
  const lines = new Set<number>();
  for (const e of entriesOf(doc, program, key)) for (const p of e.parts) lines.add(p.line);
  return deleteLines(doc, [...lines].sort((a, b) => a - b));
}
