import { celeryCompletion } from './celeryCompletion';
/**
 * Completion from the catalogue: section headers after `[` (with snippets that fill the usual keys,
 * and a Celery worker program that follows the tuning guide), the keys of the current section that are
 * not set yet, values of enumerated keys (booleans, signals, log levels, autorestart, events, AUTO/NONE),
 * and after `%(` the expansions the key accepts.
 */
import { lastEntry, lineText, sectionIndexAt, type Section, type SupervisorDocument } from '../model/document';
import { continuedPatternList, wordRanges, type WordRanges } from './commandWord';
import type { Position, Range, TextEdit } from '../model/types';
import { pathCompletion } from './pathCompletion';
import type { MachineView } from '../machine';
import { EXPANSIONS, SECTION_SPECS, keySpec, resolveSection, type KeySpec, type SectionSpec } from '../catalog/keys';
import { variablesSetFor } from '../rules/process/environment';
import { inlineCommentStart } from '../model/parse';
import { buildDeployment, nameOfLabel, type Deployment } from '../deployment';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { nameCompletion } from './nameCompletion';

export interface CompletionContext {
  /** The file's deployment when the caller has it (names from other files count); built from the document otherwise. */
  deployment?: Deployment;
  /** For the size a memmon -p completion fills in (memmon.defaultLimit, or what memmon-limit-too-low wants) and the pool sizes it depends on. */
  settings?: Settings;
  /** This machine, to complete absolute paths from its disk (pathCompletion.ts); none without it. */
  machine?: MachineView;
  /** The path supervisor reads the document by on that disk (Analysis.readAs; none for an unsaved document): `%(here)s` is its folder. */
  file?: string;
}

export interface CompletionInfo {
  label: string;
  kind: 'section' | 'key' | 'value' | 'expansion' | 'folder' | 'file';
  detail: string;
  /** Plain text to insert (what a client without snippet support gets). */
  insertText: string;
  /** LSP snippet syntax (${1:placeholder}), for clients that support snippets. */
  snippet?: string;
  /** Longer Markdown documentation. */
  documentation?: string;
  /** What accepting the item replaces: for a word, all of it, also what is right of the cursor (`--conc|urrency`). */
  range: Range;
  /**
   * In a word, its part up to the cursor: what an editor set to insert rather than replace (VS Code's
   * editor.suggest.insertMode) replaces instead. Absent where the whole range goes in either mode (the `)`
   * the editor closed after `%(`).
   */
  insertRange?: Range;
  /**
   * Edits elsewhere that accepting the item also makes: the comma after the name on the line above
   * that a name typed on a line of its own needs in a [group:x] programs= list.
   */
  additionalTextEdits?: TextEdit[];
  /** Orders items; lower first. */
  sortText?: string;
}

/**
 * A Celery worker program that follows the tuning guide: task logging on, a per-child memory limit of
 * 256 MB (262144 KiB), numbered processes with per-process node names and log files, a warm-shutdown
 * window of 600 s and killasgroup for the prefork children.
 */
export const CELERY_WORKER_SNIPPET = [
  '[program:${1:celery-worker}]',
  'command=${2:/home/app/venv/bin/celery} -A ${3:proj} worker -l info --max-memory-per-child 262144 -n %(program_name)s_%(process_num)02d@%%h',
  'directory=${4:/home/app/proj}',
  'user=${5:app}',
  'numprocs=${6:1}',
  'process_name=%(program_name)s_%(process_num)02d',
  'autostart=true',
  'autorestart=true',
  'startsecs=10',
  'stopwaitsecs=600',
  'killasgroup=true',
  'redirect_stderr=true',
  'stdout_logfile=${7:/var/log/celery}/%(program_name)s_%(process_num)02d.log',
  '$0',
];

/**
 * What an expansion item replaces after the cursor: the `)` the editor closed when `(` was typed
 * (`%(|)`, as `[|]` for section headers), with the rest of the name and a conversion already there
 * (`%(prog|ram_name)s`, `%(|)02d`). Flags leave out the blank: `%(|) --loglevel` keeps its option.
 */
const EXPANSION_REST = /^[A-Za-z0-9_]*\)(?:[-#0+]*[0-9]*(?:\.[0-9]+)?[A-Za-z])?/;

function typeDetail(spec: KeySpec): string {
  return `${spec.type.replace(/_/g, ' ')}${spec.default !== undefined ? ` · default ${spec.default}` : ''}${spec.required ? ' · required' : ''}`;
}

function escapeSnippet(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}

function keySnippet(spec: KeySpec): string {
  if (spec.values && spec.values.length > 1 && spec.values.length <= 12) return `${spec.name}=\${1|${spec.values.map((v) => v.replace(/[,|]/g, '')).join(',')}|}`;
  const placeholder = spec.default !== undefined && !spec.default.includes(' ') ? spec.default : spec.example;
  return `${spec.name}=\${1:${escapeSnippet(placeholder)}}`;
}

/**
 * Section headers after `[`. A header being typed (nothing after the cursor but the `]` the editor
 * closed) gets whole sections; in a header written already only its kind is completed, as the name and
 * the keys below are the user's: renaming the section or setting its keys twice is not what was asked.
 */
function sectionItems(text: string, indent: number, position: Position): CompletionInfo[] {
  const typed = text.slice(indent, position.character);
  if (!typed.includes(']') && /^\]?\s*$/.test(text.slice(position.character))) return newSectionItems(position, indent, text.length);
  // In the name or past the `]` there is no kind to complete.
  return /[:\]]/.test(typed) ? [] : headerKindItems(text, indent, position);
}

/** What each item of a section kind says, wherever it goes. */
function sectionKindInfo(s: SectionSpec, i: number): Pick<CompletionInfo, 'label' | 'kind' | 'detail' | 'documentation' | 'sortText'> {
  return {
    label: s.named ? `[${s.kind}:name]` : `[${s.kind}]`,
    kind: 'section',
    detail: s.summary,
    documentation: `${s.summary}\n\n[supervisor docs](${s.docs})`,
    sortText: `1${String(i).padStart(2, '0')}`,
  };
}

/** Whole sections on a header being typed: its line is replaced, a named kind brings a name to fill in and the usual keys. */
function newSectionItems(position: Position, indent: number, lineLength: number): CompletionInfo[] {
  const range = { start: { line: position.line, character: indent }, end: { line: position.line, character: lineLength } };
  const items: CompletionInfo[] = SECTION_SPECS.map((s, i) => ({
    ...sectionKindInfo(s, i),
    insertText: s.named ? `[${s.kind}:` : `[${s.kind}]`,
    snippet: [s.named ? `[${s.kind}:\${1:name}]` : `[${s.kind}]`, ...(s.snippet ?? []), '$0'].join('\n'),
    range,
  }));
  items.push({
    label: '[program:celery-worker]',
    kind: 'section',
    detail: 'A Celery worker program that follows the tuning guide',
    insertText: '[program:celery-worker]',
    snippet: CELERY_WORKER_SNIPPET.join('\n'),
    documentation:
      'Task logging on (-l info), a memory limit of 256 MB per child (--max-memory-per-child 262144, in KiB), numbered processes with their own node names and log files, 600 s for a warm shutdown and killasgroup=true for the prefork children.',
    range,
    sortText: '000',
  });
  return items;
}

/**
 * The kind of a header written already (`[prog|ram:worker]`): the `[` and the whole kind are replaced,
 * the rest of the line stays. Before a name only the kinds that take one fit; a kind that takes a name
 * in a header without one brings the `:` and a name to fill in.
 */
function headerKindItems(text: string, indent: number, position: Position): CompletionInfo[] {
  const kindEnd = position.character + /^[\w-]*/.exec(text.slice(position.character))![0].length;
  const nameFollows = text[kindEnd] === ':';
  const ranges = wordRanges({ line: position.line, character: indent }, position, { line: position.line, character: kindEnd });
  return SECTION_SPECS.flatMap((s, i) => {
    if (nameFollows && !s.named) return [];
    const needsName = s.named && !nameFollows;
    return [{ ...sectionKindInfo(s, i), insertText: `[${s.kind}${needsName ? ':' : ''}`, snippet: needsName ? `[${s.kind}:\${1:name}` : undefined, ...ranges }];
  });
}

/** What completion offers at a position. */
export interface Completions {
  items: CompletionInfo[];
  /** The items were cut short (a huge folder): the editor must ask again as the user types, not filter these. */
  isIncomplete: boolean;
}

/**
 * Section headers after `[`, keys at the start of a line, values after `key=`, expansions after `%(`,
 * Celery options in a worker's command, program and process names where supervisor or memmon match them,
 * paths from this machine's disk in path values.
 */
export function completion(doc: SupervisorDocument, position: Position, context: CompletionContext = {}): Completions {
  const paths = context.machine && pathCompletion(doc, position, context.machine, context.file);
  return paths ?? { items: itemsBesidesPaths(doc, position, context), isIncomplete: false };
}

/** Everything but paths: from the catalogue, the command's Celery options and the deployment's names. */
function itemsBesidesPaths(doc: SupervisorDocument, position: Position, context: CompletionContext): CompletionInfo[] {
  const text = lineText(doc, position.line);
  const before = text.slice(0, position.character);
  const indent = before.length - before.trimStart().length;
  const typed = before.trimStart();
  if (typed.startsWith('[')) return sectionItems(text, indent, position);
  const index = sectionIndexAt(doc, position.line);
  if (index < 0) return [];
  const section = doc.sections[index];
  const resolved = resolveSection(section.name);
  if (!resolved) return [];
  const kind = resolved.spec.kind;
  const comment = inlineCommentStart(text);
  if (comment !== -1 && comment < position.character) return [];
  const inCommand = celeryCompletion(doc, index, position);
  if (inCommand) return inCommand;
  let deployment = context.deployment;
  const names = nameCompletion(doc, () => (deployment ??= buildDeployment(doc)), context.settings ?? DEFAULT_SETTINGS, index, position);
  if (names) return names;

  const patterns = continuedPatternList(doc, section, position);
  if (patterns) {
    // A continuation line holds only value: it may hold an expansion as the first line does.
    const expansions = expansionItems(patterns.spec, text, indent, position, () => variablesFor(doc, section, patterns.spec.name, context));
    if (expansions) return expansions;
    const ranges = replacedFrom(text, indent + typed.search(/\S*$/), position);
    return unlistedSuggestions(patterns.spec, ranges, text, patterns.entry.value);
  }
  const delim = firstDelimiter(typed);
  if (delim === -1) {
    if (indent > 0 && section.entries.some((e) => e.range.start.line < position.line && e.range.end.line >= position.line - 1)) return [];
    const present = new Set<string>();
    for (const s of doc.sections) if (s.name === section.name) for (const e of s.entries) if (e.range.start.line !== position.line) present.add(e.key);
    const { ranges, separatorFollows } = keyAt(text, indent, position);
    return resolved.spec.keys
      .filter((k) => !present.has(k.name))
      .map((k, i) => ({
        label: k.name,
        kind: 'key' as const,
        detail: typeDetail(k),
        // Before a separator the value is written already: `autostart|=true` does not become `autostart==true`.
        insertText: separatorFollows ? k.name : `${k.name}=`,
        snippet: separatorFollows ? undefined : keySnippet(k),
        documentation: k.summary,
        ...ranges,
        sortText: `${k.required ? 0 : 1}${String(i).padStart(2, '0')}`,
      }));
  }

  // In a value: which key?
  const key = typed.slice(0, delim).trim().toLowerCase();
  const spec = keySpec(kind, key);
  if (!spec) return [];
  const valueStart = indent + delim + 1;
  const expansions = expansionItems(spec, text, valueStart, position, () => variablesFor(doc, section, key, context));
  if (expansions) return expansions;
  const valueBefore = text.slice(valueStart, position.character);
  if (spec.type === 'user' && kind !== 'supervisord') return userItems(doc, context.deployment, position, replacedFrom(text, valueStart, position));
  if (spec.suggestions) {
    // Include patterns are a list: complete the word being typed, leave out the patterns listed already.
    const ranges = replacedFrom(text, valueStart + (spec.type === 'glob_list' ? valueBefore.search(/\S*$/) : 0), position);
    const value = section.entries.find((e) => e.keyRange.start.line === position.line)?.value;
    const numprocs = () => (resolved.label === undefined ? 1 : (deployment ??= buildDeployment(doc)).byName.get(nameOfLabel(resolved.label))?.numprocs ?? 1);
    return unlistedSuggestions(spec, ranges, text, value, numprocs);
  }
  const values = valuesFor(spec);
  if (!values.length) return [];
  // Events are a list: complete the item after the last comma.
  const itemStart = spec.type === 'events' ? valueBefore.lastIndexOf(',') + 1 : 0;
  const ranges = replacedFrom(text, valueStart + itemStart, position);
  return values.map((v, i) => ({ label: v, kind: 'value' as const, detail: `${spec.name} value`, insertText: v, ...ranges, sortText: String(i).padStart(2, '0') }));
}

/**
 * After an open `%(` in the value (from `valueStart` on the cursor's line): the expansions the key
 * accepts, `%(ENV_X)s`, and `%(ENV_NAME)s` for each variable known to exist there. Undefined elsewhere.
 */
function expansionItems(spec: KeySpec, text: string, valueStart: number, position: Position, variables: () => Map<string, string>): CompletionInfo[] | undefined {
  const valueBefore = text.slice(valueStart, position.character);
  const open = valueBefore.lastIndexOf('%(');
  if (open === -1 || valueBefore.slice(open).includes(')')) return undefined;
  const rest = EXPANSION_REST.exec(text.slice(position.character))?.[0].length ?? 0;
  const range = { start: { line: position.line, character: valueStart + open }, end: { line: position.line, character: position.character + rest } };
  const named = spec.expansions.length + 1;
  return [
    ...[...spec.expansions, 'ENV_'].map((n, i) => {
      const docs = EXPANSIONS.find((e) => e.name === n || (n === 'ENV_' && e.name === 'ENV_X'))!;
      const insert = n === 'ENV_' ? '%(ENV_' : n === 'process_num' ? '%(process_num)02d' : n === 'numprocs' ? '%(numprocs)d' : `%(${n})s`;
      return {
        label: n === 'ENV_' ? '%(ENV_X)s' : insert,
        kind: 'expansion' as const,
        detail: docs.summary,
        insertText: insert,
        snippet: n === 'ENV_' ? '%(ENV_${1:NAME})s' : undefined,
        range,
        sortText: String(i).padStart(2, '0'),
      };
    }),
    ...[...variables()].map(([name, source], i) => ({
      label: `%(ENV_${name})s`,
      kind: 'expansion' as const,
      detail: source,
      insertText: `%(ENV_${name})s`,
      range,
      sortText: String(named + i).padStart(4, '0'),
    })),
  ];
}

/**
 * The variables %(ENV_X)s finds in this key, with where each comes from: the section's own
 * environment= (where the key sees it), the deployment's [supervisord] environment= (where the section
 * sees it), and the environment of the
 * supervisord running here, when the caller passes this machine and it can be read.
 */
function variablesFor(doc: SupervisorDocument, section: Section, key: string, context: CompletionContext): Map<string, string> {
  const found = new Map<string, string>();
  const add = (names: Iterable<string>, source: string) => {
    for (const name of [...names].sort()) if (!found.has(name)) found.set(name, source);
  };
  const set = [...variablesSetFor(doc.sections, section, key, context.deployment)];
  for (const from of ["this section's environment=", '[supervisord] environment='] as const) add(set.filter(([, v]) => v.from === from).map(([name]) => name), `set by ${from}`);
  const running = context.machine?.supervisordEnvironment?.();
  if (running) add(running, 'in the environment of the supervisord running here');
  return found;
}

/** The suggestions but those the `value` lists already, besides the word the item replaces. */
function unlistedSuggestions(spec: KeySpec, ranges: WordRanges, text: string, value: string | undefined, numprocs?: () => number): CompletionInfo[] {
  const words = value?.split(/\s+/) ?? [];
  const replaced = words.indexOf(text.slice(ranges.range.start.character, ranges.range.end.character));
  const listed = new Set(words.filter((_, i) => i !== replaced));
  return suggestionItems(spec, ranges, listed, numprocs);
}

/**
 * The values people write for a key without a fixed set (catalog suggestions), but those `listed` in
 * the value already. A process_name without %(process_num) is left out when the program runs several
 * processes: supervisor refuses it then.
 */
function suggestionItems(spec: KeySpec, ranges: WordRanges, listed: ReadonlySet<string>, numprocs = () => 1): CompletionInfo[] {
  const fits = (value: string) => spec.name !== 'process_name' || value.includes('%(process_num)') || numprocs() <= 1;
  return (spec.suggestions ?? [])
    .filter((s) => !listed.has(s.value) && fits(s.value))
    .map((s, i) => ({ label: s.value, kind: 'value' as const, detail: s.detail, insertText: s.value, ...ranges, sortText: String(i).padStart(2, '0') }));
}

/**
 * A program's user=: the accounts the deployment's programs already run as, most used first (root
 * left out: Celery warns about it, see celery-runs-as-root).
 */
function userItems(doc: SupervisorDocument, deployment: Deployment | undefined, position: Position, ranges: WordRanges): CompletionInfo[] {
  const counts = new Map<string, number>();
  const docs = [doc, ...(deployment?.external?.files.map((f) => f.doc) ?? [])];
  for (const d of docs) {
    for (const s of d.sections) {
      if (s.kind === 'supervisord') continue;
      const entry = lastEntry(s, 'user');
      if (!entry || (d === doc && entry.keyRange.start.line === position.line)) continue; // the value being typed
      const user = entry.value.trim();
      if (user && user !== 'root' && !/[\s%]/.test(user)) counts.set(user, (counts.get(user) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([user, n], i) => ({
      label: user,
      kind: 'value' as const,
      detail: `user of ${n} program${n === 1 ? '' : 's'} in this deployment`,
      insertText: user,
      ...ranges,
      sortText: String(i).padStart(4, '0'),
    }));
}

/**
 * What a value completion replaces: from `from` (after the blanks there) to the end of the word the
 * cursor is in (a blank or a list's comma ends it): `stopsignal=|TERM` does not become `KILLTERM`.
 */
function replacedFrom(text: string, from: number, position: Position): WordRanges {
  while (from < position.character && (text[from] === ' ' || text[from] === '\t')) from++;
  let end = position.character;
  while (end < text.length && !/[\s,]/.test(text[end])) end++;
  return wordRanges({ line: position.line, character: from }, position, { line: position.line, character: end });
}

/**
 * What a key completion replaces: the whole key the cursor is in (`auto|start=true` does not become
 * `autostartstart=true`), and whether the `=` or `:` that ends a key follows it already (blanks between).
 */
function keyAt(text: string, indent: number, position: Position): { ranges: WordRanges; separatorFollows: boolean } {
  let end = position.character;
  while (end < text.length && !/[\s=:]/.test(text[end])) end++;
  const ranges = wordRanges({ line: position.line, character: indent }, position, { line: position.line, character: end });
  return { ranges, separatorFollows: /^[ \t]*[=:]/.test(text.slice(end)) };
}

function valuesFor(spec: KeySpec): readonly string[] {
  if (spec.type === 'boolean') return spec.values && spec.values.length === 1 ? spec.values : ['true', 'false'];
  return spec.values ?? [];
}

function firstDelimiter(s: string): number {
  for (let i = 0; i < s.length; i++) if (s[i] === '=' || s[i] === ':') return i;
  return -1;
}
