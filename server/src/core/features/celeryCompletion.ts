/**
 * Completion inside a Celery `command=`: the sub-command's options (those not given yet) where an
 * option can start, pool names after -P/--pool, log levels after -l/--loglevel.
 */
import { positionToValueOffset, valueSpanToRange, type SupervisorDocument } from '../model/document';
import type { Position } from '../model/types';
import { celeryReadingOf } from '../deployment';
import { BEAT_OPTIONS, LOG_LEVELS, POOL_CHOICES, WORKER_OPTIONS, type CeleryOptionSpec } from '../command/celeryOptions';
import { celeryOptionDoc, celeryPoolDoc } from '../catalog/celeryDocs';
import type { CompletionInfo } from './completion';

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n';

export function celeryCompletion(doc: SupervisorDocument, sectionIndex: number, position: Position): CompletionInfo[] | undefined {
  const section = doc.sections[sectionIndex];
  if (section.kind !== 'program') return undefined;
  const entry = section.entries.find((e) => e.key === 'command' && e.parts.some((p) => p.line === position.line));
  if (!entry) return undefined;
  let offset = positionToValueOffset(entry, position);
  // Past the end of a value line, after spaces the value does not keep: a new word starts here.
  let pastEnd = false;
  if (offset < 0) {
    let acc = 0;
    for (const p of entry.parts) {
      if (p.line === position.line && position.character > p.startChar + p.text.length) {
        offset = acc + p.text.length;
        pastEnd = true;
      }
      acc += p.text.length + 1;
    }
    if (offset < 0) return undefined;
  }
  const celery = celeryReadingOf(entry.value);
  if (!celery || (celery.subcommand !== 'worker' && celery.subcommand !== 'beat') || celery.subcommandEnd === undefined || (offset <= celery.subcommandEnd && !pastEnd)) {
    return undefined;
  }
  const value = entry.value;
  let wordStart = offset;
  while (!pastEnd && wordStart > 0 && !isSpace(value[wordStart - 1])) wordStart--;
  const word = value.slice(wordStart, offset);
  let prevEnd = wordStart;
  while (prevEnd > 0 && isSpace(value[prevEnd - 1])) prevEnd--;
  let prevStart = prevEnd;
  while (prevStart > 0 && !isSpace(value[prevStart - 1])) prevStart--;
  const previous = value.slice(prevStart, prevEnd);

  const choices = (from: number, names: readonly string[], detail: (n: string) => string, docs: (n: string) => string | undefined): CompletionInfo[] =>
    names.map((n, i) => ({
      label: n,
      kind: 'value' as const,
      detail: detail(n),
      documentation: docs(n),
      insertText: n,
      range: pastEnd ? { start: position, end: position } : valueSpanToRange(entry, from, offset),
      sortText: String(i).padStart(2, '0'),
    }));
  const pools = (from: number) => choices(from, POOL_CHOICES, (n) => `Celery pool${n === 'prefork' ? ' (the default)' : ''}`, (n) => celeryPoolDoc(n)?.what);
  const levels = (from: number) =>
    choices(from, LOG_LEVELS.map((l) => l.toLowerCase()), () => 'Celery log level', () => celeryOptionDoc('--loglevel')?.what);

  if (celery.subcommand === 'worker' && word.startsWith('--pool=')) return pools(wordStart + '--pool='.length);
  if (word.startsWith('--loglevel=')) return levels(wordStart + '--loglevel='.length);
  if (!word.startsWith('-')) {
    if (celery.subcommand === 'worker' && (previous === '-P' || previous === '--pool')) return pools(wordStart);
    if (previous === '-l' || previous === '--loglevel') return levels(wordStart);
  }
  if (word !== '' && !word.startsWith('-')) return undefined;

  const table: readonly CeleryOptionSpec[] = celery.subcommand === 'worker' ? WORKER_OPTIONS : BEAT_OPTIONS;
  const range = pastEnd ? { start: position, end: position } : valueSpanToRange(entry, wordStart, offset);
  return table
    .filter((o) => o.name !== '--help' && !celery.has(o.name))
    .map((o, i) => {
      const doc = celeryOptionDoc(o.name);
      const label = o.name.startsWith('--') ? o.name : o.short ?? o.name;
      return {
        label,
        kind: 'key' as const,
        detail: `${o.short && o.short !== label ? `${o.short}, ` : ''}${o.isFlag ? 'flag' : o.type}${o.unit ? ` (${o.unit})` : ''}${o.since ? `, Celery ${o.since}+` : ''}`,
        documentation: doc?.what,
        insertText: o.isFlag ? label : `${label}${label.startsWith('--') ? '=' : ' '}`,
        range,
        sortText: `${doc ? 0 : 1}${String(i).padStart(2, '0')}`,
      };
    });
}
