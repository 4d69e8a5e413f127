/**
 * Words of a command whose text the file does not show: template expressions (`{{ celery }}`,
 * `--concurrency={{ w.concurrency }}`), supervisor's `%(ENV_X)s`, and shell variables in a `bash -c`
 * script (`$CELERY_OPTS`).
 *
 * A template renders an expression into the text around it, spaces and quotes included, so the reader
 * splits a templated command as it would the rendered one: each expression is part of one word. It
 * does so by masking: every character of an expression that could end a word, open a quote or start a
 * shell operator becomes a no-break space (the same length, so every offset stays), the command is
 * split, and each masked word gets its text back from the command. Letters, digits, `_` and `.` are
 * kept, so `{{ celery }}` still names the program it runs.
 */
import type { ArgToken } from './argv';
import { locateInvocations, type LocateResult, type ProgramMatcher } from './invocation';
import { templateSpans, type Span } from '../templateSyntax';

const MASK = '\u00a0';

/**
 * The template expressions (`{{ }}`, `<%= %>`) of a command, in order; empty when it has none; undefined
 * when it holds a statement or comment (`{% if %}`, `{# #}`, `<% %>`), which decides what the rendered
 * command holds: the file cannot tell which of its words exist.
 */
export function templateExpressions(command: string): Span[] | undefined {
  const spans = templateSpans(command, false);
  for (let k = 0; k < spans.length; k++) {
    const { start } = spans[k];
    const second = command.charCodeAt(start + 1);
    const expression = second === 0x7b /* { */ || (second === 0x25 /* % */ && command.charCodeAt(start) === 0x3c /* < */ && command.charCodeAt(start + 2) === 0x3d); /* = */
    if (!expression) return undefined;
  }
  return spans;
}

const NO_EXPRESSIONS: Span[] = [];

/**
 * locateInvocations on a command as its rendering would be split (see the module comment): an executable
 * that is an expression counts by the name it holds (`{{ celery }}`). Undefined for a command with a
 * template statement.
 */
export function locateRendered(command: string, matcher: ProgramMatcher, transient = false): LocateResult | undefined {
  const expressions = command.indexOf('{') < 0 && command.indexOf('<%') < 0 ? NO_EXPRESSIONS : templateExpressions(command);
  if (!expressions) return undefined;
  if (expressions.length === 0) return locateInvocations(command, matcher, transient);
  const located = locateInvocations(maskExpressions(command, expressions), (name, how) => matcher(how === 'executable' ? unmasked(name) : name, how));
  restoreTexts(located.argv, command, expressions);
  for (const c of located.candidates) if (c.tokens !== located.argv) restoreTexts(c.tokens, command, expressions);
  return located;
}

/** The command with its expressions masked (see the module comment). */
export function maskExpressions(command: string, spans: readonly Span[]): string {
  let out = '';
  let from = 0;
  for (const { start, end } of spans) {
    out += command.slice(from, start);
    for (let i = start; i < end; i++) out += isNameChar(command.charCodeAt(i)) ? command[i] : MASK;
    from = end;
  }
  return out + command.slice(from);
}

function isNameChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2e;
}

/** Gives each word of a masked command that overlaps an expression its text as written. */
export function restoreTexts(tokens: readonly ArgToken[], command: string, spans: readonly Span[]): void {
  for (const tok of tokens) {
    if (!spans.some((s) => s.start < tok.end && tok.start < s.end)) continue;
    let text = '';
    for (const o of tok.offsets) text += command[o];
    tok.text = text;
  }
}

/** The program a masked word names: `celery` for `{{ celery }}` (the mask removed). */
export function unmasked(word: string): string {
  return word.includes(MASK) ? word.split(MASK).join('') : word;
}

const ENV_EXPANSION = /^%\(ENV_[A-Za-z0-9_]+\)s$/;
const SHELL_VARIABLE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\}|@|\*)$/;

/**
 * A word that stands for arguments the file does not show: a whole `%(ENV_X)s` (supervisor expands it
 * before splitting the command, so it may hold several options), a whole template expression, or,
 * in a shell script, a variable (`$CELERY_OPTS`, `"$@"`).
 */
export function isUnknownArguments(text: string, viaShell: boolean): boolean {
  const c = text.charCodeAt(0);
  if (c === 0x25 /* % */) return ENV_EXPANSION.test(text);
  if (c === 0x7b /* { */) return text.startsWith('{{') && text.endsWith('}}') && templateSpans(text, false).length === 1;
  if (c === 0x3c /* < */) return text.startsWith('<%=') && text.endsWith('%>') && templateSpans(text, false).length === 1;
  return viaShell && c === 0x24 /* $ */ && SHELL_VARIABLE.test(text);
}
