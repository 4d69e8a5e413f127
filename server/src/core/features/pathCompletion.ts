/**
 * Completion of absolute paths from the disk of the machine the language server runs on (over
 * Remote-SSH, the server): a command's program, `directory=`, log files, `pidfile=`, the socket `file=`,
 * the patterns of `[include] files=`; also after `%(here)s/` when the document has a file (supervisor
 * expands it to that file's folder, and reads a relative include pattern from there).
 * The machine is the caller's (machine.ts); without one there is nothing to complete.
 */
import type { MachineView } from '../machine';
import type { Section, SupervisorDocument } from '../model/document';
import { lineText, sectionIndexAt } from '../model/document';
import type { Position } from '../model/types';
import { keySpec, resolveSection } from '../catalog/keys';
import { dirname, joinPath } from '../include';
import type { CompletionInfo, Completions } from './completion';
import { continuedPatternList, wordRanges, type WordRanges } from './commandWord';

/** Value types whose whole value is a path; a command's is its first word, an include's each word. */
const PATH_TYPES = new Set(['directory', 'logfile', 'path']);
/**
 * Entries offered at most: a folder such as /usr/bin holds thousands, each a stat. A list cut short
 * says so (isIncomplete), and the editor asks again as the name is typed (`/usr/bin/pyth`).
 */
const MAX_ITEMS = 500;

const HERE = '%(here)s/';

/**
 * The entries of the folder typed so far, when the cursor ends an absolute path in a path value
 * (`stdout_logfile=/var/log/cel|`, or `%(here)s/lo|` and `files=conf.d/|` in the document at `file`);
 * undefined anywhere else.
 */
export function pathCompletion(doc: SupervisorDocument, position: Position, machine: MachineView, file?: string): Completions | undefined {
  const index = sectionIndexAt(doc, position.line);
  if (index < 0) return undefined;
  const kind = resolveSection(doc.sections[index].name)?.spec.kind;
  const before = lineText(doc, position.line).slice(0, position.character);
  const valueTyped = keyAndValueTyped(doc, doc.sections[index], position, before);
  if (!kind || !valueTyped) return undefined;
  const spec = keySpec(kind, valueTyped.key);
  const type = spec?.type;
  if (!type || !(PATH_TYPES.has(type) || type === 'command' || type === 'glob_list')) return undefined;
  // An include pattern is the word being typed (a glob is no folder to list); other paths, the whole value so far.
  const { value } = valueTyped;
  const typed = type === 'glob_list' ? value.slice(value.search(/\S*$/)) : value;
  if (/\s/.test(typed) || (type === 'glob_list' && /[*?[]/.test(typed))) return undefined;
  // %(here)s is the folder of the config file itself (of an included file too, since supervisor 4.0);
  // supervisor reads an include pattern that is not absolute from there as well.
  const here = file === undefined ? undefined : dirname(file);
  let base: string | undefined;
  let rest = typed;
  if (here !== undefined && typed.startsWith(HERE) && spec.expansions.includes('here')) {
    base = here;
    rest = typed.slice(HERE.length);
  } else if (here !== undefined && type === 'glob_list' && typed.includes('/') && !typed.startsWith('/')) {
    base = here;
  } else if (!typed.startsWith('/')) {
    return undefined;
  }
  if (/[%'"\\]/.test(rest)) return undefined;
  const slash = rest.lastIndexOf('/');
  const typedFolder = slash < 0 ? '' : rest.slice(0, slash);
  const folder = base === undefined ? typedFolder || '/' : joinPath(base, typedFolder);
  const prefix = rest.slice(slash + 1);
  const names = machine.list(folder);
  if (!names) return undefined;
  const line = lineText(doc, position.line);
  const fileRanges = pathSegmentRanges(line, position, prefix.length, false);
  const folderRanges = pathSegmentRanges(line, position, prefix.length, true);
  const items: CompletionInfo[] = [];
  for (const name of [...names].sort()) {
    if (!name.startsWith(prefix) || (name.startsWith('.') && !prefix.startsWith('.'))) continue;
    const full = joinPath(folder, name);
    if (full === file) continue; // the config itself: no log, program or folder, and included it would be read twice
    const entry = machine.kind(full);
    const isDir = entry === 'dir';
    // A command wants a program, a directory= a folder; folders are always offered to go deeper.
    if (!isDir && (type === 'directory' || (type === 'command' && entry !== 'executable'))) continue;
    if (items.length === MAX_ITEMS) return { items, isIncomplete: true };
    items.push({
      label: isDir ? `${name}/` : name,
      kind: isDir ? 'folder' : 'file',
      detail: isDir ? 'folder' : entry === 'executable' ? 'program' : 'file',
      insertText: isDir ? `${name}/` : name,
      ...(isDir ? folderRanges : fileRanges),
      sortText: `${isDir ? 0 : 1}${name}`,
    });
  }
  return { items, isIncomplete: false };
}

/**
 * The key whose value the cursor is in and that value up to the cursor: `key=/pa|` on its own line, or
 * an indented line that continues a list of include patterns (each of its words is a pattern). Other
 * values are not completed on the lines that continue them: a command's program is its first word.
 */
function keyAndValueTyped(doc: SupervisorDocument, section: Section, position: Position, before: string): { key: string; value: string } | undefined {
  const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(before);
  if (m) return { key: m[1].toLowerCase(), value: m[2] };
  const patterns = continuedPatternList(doc, section, position);
  return patterns && { key: patterns.spec.name, value: before.trimStart() };
}

/**
 * What an entry replaces: the name the cursor is in, from the last slash before it to the next slash
 * or blank, and for a folder (inserted with its `/`) that slash too. `/home/my|auth/log` keeps its
 * `/log`, and `/home/allianceserver/my|auth` does not become `/home/allianceserver/myauth/auth`.
 */
function pathSegmentRanges(text: string, position: Position, typedLength: number, folder: boolean): WordRanges {
  let end = position.character;
  while (end < text.length && text[end] !== '/' && !/\s/.test(text[end])) end++;
  if (folder && text[end] === '/') end++;
  return wordRanges({ line: position.line, character: position.character - typedLength }, position, { line: position.line, character: end });
}
