/**
 * Reading and writing the process-control keys of a [program:x] (stopwaitsecs, killasgroup, ...): the
 * value supervisor uses, where a finding about the key goes, and edits that set, add or remove a key
 * while leaving the rest of the section as it was.
 */
import type { Entry, SupervisorDocument } from '../../model/document';
import type { Range, TextEdit } from '../../model/types';
import type { ProgramView } from '../../deployment';
import type { RelatedLocation } from '../rule';
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

/** The key's value when the key is written in this file, else the section header. */
export function keyAnchor(doc: SupervisorDocument, program: ProgramView, key: string): Range {
  const e = program.get(key);
  return e ? valueAnchor(doc, program, e) : headerRange(doc, program);
}

/** Where a finding about an entry the program reads goes: its value, or the program's header when it is another file's [DEFAULT] key. */
export function valueAnchor(doc: SupervisorDocument, program: ProgramView, entry: Entry): Range {
  return inThisFile(program, entry) ? entry.valueRange : headerRange(doc, program);
}

/** The entry of `key` the program reads when it is in this file (its own, or this file's [DEFAULT] one), else undefined. */
export function entryHere(program: ProgramView, key: string): Entry | undefined {
  const e = program.get(key);
  return e && inThisFile(program, e) ? e : undefined;
}

/** Whether an entry the program reads is in this file (not another file's [DEFAULT]): only then can a finding point at it or a fix edit it. */
export function inThisFile(program: ProgramView, entry: Entry): boolean {
  return program.fileOf(entry) === undefined;
}

/** A related location at an entry the program reads, in whichever file of the deployment it is. */
export function placeOf(program: ProgramView, entry: Entry, message: string): RelatedLocation {
  const file = program.fileOf(entry);
  return file === undefined ? { range: entry.valueRange, message } : { file, range: entry.valueRange, message };
}

/** ` in <file>` for an entry of another file's [DEFAULT]; else ''. */
export function inFile(program: ProgramView, entry: Entry): string {
  const file = program.fileOf(entry);
  return file === undefined ? '' : ` in ${file}`;
}

/** ` (from [DEFAULT] in <file>)` for an entry of another file's [DEFAULT], which a finding in this file cannot point at; else ''. */
export function fromElsewhere(program: ProgramView, entry: Entry | undefined): string {
  const file = entry && program.fileOf(entry);
  return file === undefined ? '' : ` (from [DEFAULT] in ${file})`;
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
  // An entry of another file's [DEFAULT] has a section index of that file.
  return e && program.sectionIndexes.includes(e.sectionIndex) && inThisFile(program, e) ? e : undefined;
}

/**
 * Does removing `entry`, the value of `key` the program reads, bring supervisor's default back? Not when
 * it comes from [DEFAULT], nor when [DEFAULT] (of any file of the deployment) sets the key too (its value
 * would apply instead): then a fix sets the value it means in the program.
 */
export function removalRestoresDefault(program: ProgramView, key: string, entry: Entry): boolean {
  return ownEntry(program, key) === entry && program.defaultEntry(key) === undefined;
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
