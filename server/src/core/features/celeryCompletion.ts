/**
 * Completion inside a Celery `command=`: the sub-commands supervisor runs where the sub-command goes,
 * the sub-command's options (those not given yet) where an option can start, pool names after
 * -P/--pool, log levels after -l/--loglevel.
 */
import type { SupervisorDocument } from '../model/document';
import { commandWordAt, entryTypedAt, type CommandWord } from './commandWord';
import type { Position } from '../model/types';
import { celeryReadingOf } from '../deployment';
import { BEAT_OPTIONS, LOG_LEVELS, POOL_CHOICES, WORKER_OPTIONS, type CeleryOptionSpec } from '../command/celeryOptions';
import { celeryOptionDoc, celeryPoolDoc } from '../catalog/celeryDocs';
import type { CompletionInfo } from './completion';
import type { CeleryCommand } from '../command/celery';

/** The sub-commands that run as long-lived services under supervisor (celery multi daemonizes: not one of them). */
/**
 * Options never offered: --detach forks Celery into the background, which supervisor takes for an exit
 * (celery-daemonizes); that rule reports it where it is written.
 */
const NOT_OFFERED: ReadonlySet<string> = new Set(['--help', '--detach']);

const SERVICE_SUBCOMMANDS: readonly { name: string; detail: string }[] = [
  { name: 'worker', detail: 'Celery worker: runs the tasks' },
  { name: 'beat', detail: 'Celery beat: sends the periodic tasks (one per schedule)' },
  { name: 'flower', detail: 'Flower web monitor (needs the flower package)' },
];

export function celeryCompletion(doc: SupervisorDocument, sectionIndex: number, position: Position): CompletionInfo[] | undefined {
  const section = doc.sections[sectionIndex];
  if (section.kind !== 'program') return undefined;
  const entry = entryTypedAt(doc, section, 'command', position);
  if (!entry) return undefined;
  const at = commandWordAt(entry, position);
  if (!at) return undefined;
  const { offset, pastEnd, wordStart, word, previous } = at;
  const celery = celeryReadingOf(entry.value);
  if (celery && !word.startsWith('-') && atSubcommand(celery, at)) {
    const range = at.rangeFrom(wordStart);
    return SERVICE_SUBCOMMANDS.map((s, i) => ({ label: s.name, kind: 'value' as const, detail: s.detail, insertText: s.name, range, sortText: String(i).padStart(2, '0') }));
  }
  if (!celery || (celery.subcommand !== 'worker' && celery.subcommand !== 'beat') || celery.subcommandEnd === undefined || (offset <= celery.subcommandEnd && !pastEnd)) {
    return undefined;
  }

  const choices = (from: number, names: readonly string[], detail: (n: string) => string, docs: (n: string) => string | undefined): CompletionInfo[] =>
    names.map((n, i) => ({
      label: n,
      kind: 'value' as const,
      detail: detail(n),
      documentation: docs(n),
      insertText: n,
      ...at.wordRangesFrom(from), // the whole value: `-P |gevent` does not leave `preforkgevent`
      sortText: String(i).padStart(2, '0'),
    }));
  const pools = (from: number) => choices(from, POOL_CHOICES, (n) => `Celery pool${n === 'prefork' ? ' (the default)' : ''}`, (n) => celeryPoolDoc(n)?.what);
  const levels = (from: number) =>
    choices(from, LOG_LEVELS.map((l) => l.toLowerCase()), () => 'Celery log level', () => celeryOptionDoc('--loglevel', celery.subcommand === 'beat' ? 'beat' : 'worker')?.what);

  if (celery.subcommand === 'worker' && word.startsWith('--pool=')) return pools(wordStart + '--pool='.length);
  if (word.startsWith('--loglevel=')) return levels(wordStart + '--loglevel='.length);
  if (!word.startsWith('-')) {
    if (celery.subcommand === 'worker' && (previous === '-P' || previous === '--pool')) return pools(wordStart);
    if (previous === '-l' || previous === '--loglevel') return levels(wordStart);
  }
  // Only where an option starts: not in a value, nor after `--hostname=` (expansions come from completion.ts).
  if (word !== '' && (!word.startsWith('-') || word.includes('='))) return undefined;

  const table: readonly CeleryOptionSpec[] = celery.subcommand === 'worker' ? WORKER_OPTIONS : BEAT_OPTIONS;
  // In a word already written, the whole option name is replaced (`--conc|urrency=4` does not leave
  // `urrency`) and the word keeps what follows the name: the items bring no `=` or blank of their own.
  // A short option's name is one letter, and its value may follow it in the same word (`-c|4`).
  const equals = entry.value.slice(offset, at.wordEnd).indexOf('=');
  const long = entry.value.startsWith('--', wordStart);
  const nameEnd = long ? (equals === -1 ? at.wordEnd : offset + equals) : Math.max(offset, Math.min(at.wordEnd, wordStart + 2));
  // Mid-word, what follows the cursor stays: also the `=` right after it (`--concurrency|=4`).
  const midWord = at.wordEnd > offset;
  // `-c|4` completed to --concurrency needs the `=` that a short option's glued value does without.
  const gluedValue = !long && nameEnd < at.wordEnd;
  // `-c| 4`: the value is written already, as the next word (a word not starting with `-`).
  const valueFollows = !midWord && /^[ \t]+[^\s-]/.test(entry.value.slice(at.wordEnd));
  const ranges = at.wordRangesFrom(wordStart, nameEnd);
  // The word being typed is no option given yet: `-l|` still offers --loglevel.
  const given = (name: string) => {
    const option = celery.get(name);
    return option !== undefined && option.start !== wordStart;
  };
  return table
    .filter((o) => !NOT_OFFERED.has(o.name) && !given(o.name))
    .map((o, i) => {
      const doc = celeryOptionDoc(o.name, celery.subcommand === 'beat' ? 'beat' : 'worker');
      const label = o.name.startsWith('--') ? o.name : o.short ?? o.name;
      return {
        label,
        kind: 'key' as const,
        detail: `${o.short && o.short !== label ? `${o.short}, ` : ''}${o.isFlag ? 'flag' : o.type}${o.unit ? ` (${o.unit})` : ''}${o.since ? `, Celery ${o.since}+` : ''}`,
        documentation: doc?.what,
        insertText: o.isFlag || valueFollows || (midWord && !gluedValue) ? label : `${label}${label.startsWith('--') ? '=' : gluedValue ? '' : ' '}`,
        ...ranges,
        sortText: `${doc ? 0 : 1}${String(i).padStart(2, '0')}`,
      };
    });
}

/**
 * Whether the word the cursor ends is where celery's sub-command goes: the sub-command being typed
 * (not one written already, which the cursor is before or inside), or, in a command without one, a
 * word after the celery program and every global option with its value (`celery -A |` wants the app).
 * Not a legacy executable (celeryd) nor the flower program, which take no sub-command.
 */
function atSubcommand(celery: CeleryCommand, { wordStart, offset, pastEnd }: CommandWord): boolean {
  if (celery.subcommandStart !== undefined) return celery.subcommandStart === wordStart && celery.subcommandEnd === offset;
  if (celery.subcommand !== 'other' || celery.legacyExecutable) return false;
  // Without a sub-command, insertOffset is the end of the celery program (or module) word.
  const afterProgram = pastEnd ? offset >= celery.insertOffset : wordStart > celery.insertOffset;
  return afterProgram && celery.globalOptions.every((o) => o.end <= wordStart && !o.missingValue);
}
