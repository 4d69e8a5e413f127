/**
 * Where a file names programs and groups: [program:x] headers, [group:x] programs= items and memmon's
 * -p/-g options. Go to definition and find references are built on these, across the files of a
 * deployment.
 */
import { lastEntry, valueSpanToRange, type Section, type SupervisorDocument } from '../model/document';
import { rangeContains, type Position, type Range } from '../model/types';
import { nameOfLabel, processNamesRenamed, type Deployment } from '../deployment';
import { spanRange } from '../commandEdits';

export interface NameUse {
  /** The program or group named (a memmon -p process name is mapped to its program when we know it). */
  name: string;
  kind: 'program' | 'group';
  range: Range;
  /** A definition ([program:x] or [group:x] header) rather than a use. */
  definition: boolean;
}

const PROGRAM_KINDS = new Set(['program', 'fcgi-program', 'eventlistener']);

/** Each process name's program, the first in deployment order (this file's programs, then the other files'). */
const programByProcessOf = new WeakMap<Deployment, Map<string, string>>();

function programByProcess(deployment: Deployment): Map<string, string> {
  let byProcess = programByProcessOf.get(deployment);
  if (!byProcess) {
    byProcess = new Map();
    for (const programs of [deployment.programs, deployment.external?.programs ?? []]) {
      for (const p of programs) for (const name of p.processNames ?? []) if (!byProcess.has(name)) byProcess.set(name, p.name);
    }
    programByProcessOf.set(deployment, byProcess);
  }
  return byProcess;
}

/** The program a memmon -p name designates: a process name (maybe `group:name`) or, failing that, a program name. */
function programOfProcess(byProcess: Map<string, string>, name: string): string {
  const bare = name.slice(name.indexOf(':') + 1);
  return byProcess.get(bare) ?? bare;
}

/** nameUses by document and deployment: definition, references and rename each ask for the whole list. */
const nameUsesOf = new WeakMap<SupervisorDocument, WeakMap<Deployment, readonly NameUse[]>>();

/** Every place the document defines or names a program or group (shared between calls: never mutate it). */
export function nameUses(doc: SupervisorDocument, deployment: Deployment): readonly NameUse[] {
  let byDeployment = nameUsesOf.get(doc);
  if (!byDeployment) {
    byDeployment = new WeakMap();
    nameUsesOf.set(doc, byDeployment);
  }
  let uses = byDeployment.get(deployment);
  if (!uses) {
    uses = Object.freeze(findNameUses(doc, deployment));
    byDeployment.set(deployment, uses);
  }
  return uses;
}

function findNameUses(doc: SupervisorDocument, deployment: Deployment): NameUse[] {
  const uses: NameUse[] = [];
  for (const s of doc.sections) {
    if (s.label === undefined) continue;
    // supervisor strips the name ([program: worker] is worker): the range covers the name itself.
    const name = nameOfLabel(s.label);
    const lead = name ? s.label.indexOf(name) : 0;
    const labelStart = { line: s.nameRange.start.line, character: s.nameRange.start.character + s.kind.length + 1 + lead };
    const labelRange = { start: labelStart, end: { line: labelStart.line, character: labelStart.character + name.length } };
    if (PROGRAM_KINDS.has(s.kind)) uses.push({ name, kind: 'program', range: labelRange, definition: true });
    if (s.kind !== 'group') continue;
    uses.push({ name, kind: 'group', range: labelRange, definition: true });
    const entry = lastEntry(s, 'programs');
    if (!entry) continue;
    let start = 0;
    for (;;) {
      const comma = entry.value.indexOf(',', start);
      const end = comma === -1 ? entry.value.length : comma;
      const item = entry.value.slice(start, end);
      const name = item.trim();
      const from = start + item.length - item.trimStart().length;
      if (name && !name.includes('\n') && !missesSpacedHeader(doc, deployment, name)) uses.push({ name, kind: 'program', range: valueSpanToRange(entry, from, from + name.length), definition: false });
      if (comma === -1) break;
      start = comma + 1;
    }
  }
  for (const l of deployment.memmonListeners) {
    const byProcess = programByProcess(deployment);
    for (const limit of l.memmon.programs) {
      if (limit.name === undefined || limit.nameStart === undefined || limit.nameEnd === undefined) continue;
      uses.push({ name: programOfProcess(byProcess, limit.name), kind: 'program', range: spanRange(l.command, limit.nameStart, limit.nameEnd), definition: false });
    }
    for (const limit of l.memmon.groups) {
      if (limit.name === undefined || limit.nameStart === undefined || limit.nameEnd === undefined) continue;
      uses.push({ name: limit.name, kind: 'group', range: spanRange(l.command, limit.nameStart, limit.nameEnd), definition: false });
    }
  }
  return uses;
}

/**
 * supervisor finds a group's members by section name (`program:` + item): `programs=a` does not name a
 * `[program: a ]`, though that program is called a. True when the item names such a program only.
 */
function missesSpacedHeader(doc: SupervisorDocument, deployment: Deployment, name: string): boolean {
  if (!deployment.byName.has(name) && !deployment.external?.byName.has(name)) return false;
  const named = (section: string) => doc.sections.some((s) => s.name === section) || !!deployment.external?.sectionNames.has(section);
  return !named(`program:${name}`) && !named(`fcgi-program:${name}`);
}

/** The name under the cursor, if any. */
export function nameUseAt(doc: SupervisorDocument, deployment: Deployment, position: Position): NameUse | undefined {
  return nameUses(doc, deployment).find((u) => rangeContains(u.range, position));
}

/**
 * Whether `candidate` names what `target` names (find references, highlights). A program's own header
 * also names its default group: it counts once, as the program, and for the group. `ownGroup`: the name
 * is a program that is its own process group (isOwnGroup), so memmon -g names it as much as -p does.
 */
export function refersTo(candidate: NameUse, target: Pick<NameUse, 'name' | 'kind'>, ownGroup = false): boolean {
  return candidate.name === target.name && (candidate.kind === target.kind || (candidate.definition && target.kind === 'group') || ownGroup);
}

/** Whether `name` is a program of the deployment that no [group:x] holds and no [group:x] is named after: its group is its own. */
export function isOwnGroup(deployment: Deployment, name: string): boolean {
  const program = deployment.byName.get(name) ?? deployment.external?.byName.get(name);
  return program !== undefined && programIsOwnGroup(deployment, program);
}

/** Whether the program runs in a group of its own name that no [group:x] of the deployment defines. */
export function programIsOwnGroup(deployment: Deployment, p: { name: string; group: string }): boolean {
  const named = (g: { name: string }) => g.name === p.group;
  return p.group === p.name && !deployment.groups.some(named) && !deployment.external?.groups.some(named);
}

/** The places in this document that name what the name under the cursor names (empty when there is none). */
export function highlightsAt(doc: SupervisorDocument, deployment: Deployment, position: Position): NameUse[] {
  const target = nameUseAt(doc, deployment, position);
  if (!target) return [];
  const ownGroup = isOwnGroup(deployment, target.name);
  return nameUses(doc, deployment).filter((u) => refersTo(u, target, ownGroup));
}

/**
 * Where a name is defined in this document: the [program:x] (or fcgi-program, eventlistener) header
 * for a program; for a group, the [group:x] header, or the program's own header when a program not
 * listed in any group is its own group.
 */
export function definitionsIn(doc: SupervisorDocument, use: Pick<NameUse, 'name' | 'kind'>): Range[] {
  const out: Range[] = [];
  for (const s of doc.sections) {
    if (s.label === undefined || nameOfLabel(s.label) !== use.name || s.duplicateOf !== undefined) continue;
    if (use.kind === 'group' ? s.kind === 'group' : PROGRAM_KINDS.has(s.kind)) out.push(s.headerRange);
  }
  if (use.kind === 'group' && !out.length) {
    for (const s of doc.sections) if (s.label !== undefined && nameOfLabel(s.label) === use.name && s.duplicateOf === undefined && PROGRAM_KINDS.has(s.kind)) out.push(s.headerRange);
  }
  return out;
}

/** A name supervisor and memmon can use as a program or group name (no whitespace, brackets, commas, colons or %). */
export function isValidProgramName(name: string): boolean {
  return name.length > 0 && !/[\s\[\],:%=]/.test(name);
}

export interface NamedDocument {
  uri: string;
  doc: SupervisorDocument;
  deployment: Deployment;
}

/**
 * Rename a program or group everywhere the deployment names it: its header, [group:x] programs= items
 * and memmon -p/-g options. A memmon -p that names one of the program's processes (`worker_00`, from
 * process_name) becomes that process's new name, so memmon keeps watching it; a process name that does
 * not contain the program's name stays as it is.
 */
export function renameEdits(docs: NamedDocument[], use: Pick<NameUse, 'name' | 'kind'>, newName: string): Record<string, { range: Range; newText: string }[]> {
  const changes: Record<string, { range: Range; newText: string }[]> = {};
  const groupSectionExists = docs.some((d) => d.doc.sections.some((s) => s.kind === 'group' && s.label !== undefined && nameOfLabel(s.label) === use.name));
  // A group no [group:x] defines is a program's own: renamed from memmon -g, it is the program renamed.
  if (use.kind === 'group' && !groupSectionExists) return renameEdits(docs, { name: use.name, kind: 'program' }, newName);
  const renamedProcess = use.kind === 'program' ? processRenames(docs, use.name, newName) : new Map<string, string>();
  for (const d of docs) {
    for (const u of nameUses(d.doc, d.deployment)) {
      if (u.name !== use.name) continue;
      // A program that is in no [group:x] is its own group: memmon -g with its name follows a program rename.
      const sameThing = u.kind === use.kind || (use.kind === 'program' && u.kind === 'group' && !groupSectionExists) || (use.kind === 'group' && u.definition && !groupSectionExists);
      if (!sameThing || u.range.start.line !== u.range.end.line) continue;
      const text = d.doc.text.slice(d.doc.lineStarts[u.range.start.line] + u.range.start.character, d.doc.lineStarts[u.range.end.line] + u.range.end.character);
      const newText = text === use.name ? newName : renamedProcessName(text, renamedProcess, use.name, newName, groupSectionExists);
      if (newText !== undefined && newText !== text) (changes[d.uri] ??= []).push({ range: u.range, newText });
    }
  }
  return changes;
}

/** A section that already has the name a rename would give: where it is. */
export interface RenameClash {
  uri: string;
  /** As written between the brackets, e.g. `program:worker`. */
  sectionName: string;
  line: number;
}

/**
 * The section whose name the rename would take, if any: afterwards the two could not be told apart
 * (a [group:x] programs= item or a memmon -p names both), and supervisor would merge or drop one.
 * - Two programs (program, fcgi-program or eventlistener, in any combination and whatever groups
 *   they are in) never share a name: the same section twice is merged key by key; otherwise one
 *   process group is dropped (duplicate-program-name), or a group listing the name is refused.
 * - Two [group:x] never share a name: their sections merge.
 * - A program and a [group:x] clash only when the program is its own process group (no [group:]
 *   lists it, or it is an event listener, which always is): supervisor then keeps one of the two
 *   groups. A grouped program may share its group's name ([group:worker] programs=worker).
 * Renaming a name to itself is no clash. Templated names (`%(ENV_X)s`) are not judged.
 */
export function renameClash(docs: NamedDocument[], use: Pick<NameUse, 'name' | 'kind'>, newName: string): RenameClash | undefined {
  if (newName === use.name) return undefined;
  const named = (name: string) => docs.flatMap((d) => d.doc.sections.filter((s) => s.label !== undefined && nameOfLabel(s.label) === name).map((s) => ({ d, s })));
  const grouped = new Set(docs.flatMap((d) => d.deployment.groups.flatMap((g) => g.programs)));
  const ownProcessGroup = (s: Section) => s.kind === 'eventlistener' || (PROGRAM_KINDS.has(s.kind) && !grouped.has(s.label!));
  const renamed = named(use.name);
  // memmon -g with the name of a program that no [group:x] has: renaming it renames the program.
  const renamesProgramAsGroup = !renamed.some(({ s }) => s.kind === 'group') && renamed.some(({ s }) => PROGRAM_KINDS.has(s.kind));
  const renamesGroup = use.kind === 'group' && !renamesProgramAsGroup;
  const targets = renamed.filter(({ s }) => (renamesGroup ? s.kind === 'group' : PROGRAM_KINDS.has(s.kind)));
  const targetOwnGroup = renamesGroup || targets.some(({ s }) => ownProcessGroup(s));
  const clash = named(newName).find(({ s }) => {
    if (s.kind === 'group') return targetOwnGroup;
    if (!PROGRAM_KINDS.has(s.kind)) return false;
    return renamesGroup ? ownProcessGroup(s) : true;
  });
  return clash && { uri: clash.d.uri, sectionName: clash.s.name, line: clash.s.headerLine };
}

/** Each process name of the program that changes with its name: old -> new. */
function processRenames(docs: NamedDocument[], name: string, newName: string): Map<string, string> {
  const renames = new Map<string, string>();
  const program = docs.map((d) => d.deployment.byName.get(name)).find((p) => p !== undefined);
  const before = program?.processNames;
  const after = program ? processNamesRenamed(program, newName) : undefined;
  if (before && after && before.length === after.length) before.forEach((old, i) => renames.set(old, after[i]));
  return renames;
}

/** A memmon -p name (`worker_00` or `group:worker_00`) after the rename; undefined when it is not one of the program's processes. */
function renamedProcessName(text: string, renames: Map<string, string>, name: string, newName: string, groupSectionExists: boolean): string | undefined {
  const colon = text.indexOf(':');
  const renamed = renames.get(text.slice(colon + 1));
  if (renamed === undefined) return undefined;
  if (colon < 0) return renamed;
  const group = text.slice(0, colon);
  return `${group === name && !groupSectionExists ? newName : group}:${renamed}`;
}
