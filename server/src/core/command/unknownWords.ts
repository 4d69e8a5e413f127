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
 * kept, so `{{ celery }}` still names the program it runs. Template code that renders nothing
 * (`{# #}`) and, for Celery commands, the parts an `{% if %}` decides are blanked out instead: spaces,
 * again of the same length.
 */
import type { ArgToken } from './argv';
import { locateInvocations, type LocateResult, type ProgramMatcher } from './invocation';
import { templateSpans, type Span } from '../templateSyntax';

const MASK = '\u00a0';

/** What the template code of a command does to its words. */
interface TemplateCode {
  /** `{{ }}` and `<%= %>`: each renders text into the word it is part of. */
  expressions: Span[];
  /** Parts a statement decides (`{% if %} … {% endif %}`), read as rendering nothing (and reported by the caller). */
  conditional: Span[];
  /** Statements that render nothing wherever they are (`{# #}`, `{% set %}`). */
  silent: Span[];
}

/** The keyword of a Jinja statement span: `if` of `{%- if x %}`. */
function keyword(command: string, span: Span): string {
  const m = /^\{%[-+]?\s*([a-z]+)/.exec(command.slice(span.start, Math.min(span.end, span.start + 24)));
  return m ? m[1] : '';
}

/** The end, a blank (continuation lines are joined with a newline) or a statement at `i`. */
function blankOrStatementAt(s: string, i: number): boolean {
  const c = s[i];
  return c === undefined || c === ' ' || c === '\t' || c === '\n' || (c === '{' && s[i + 1] === '%');
}

/** Template code between two words' characters (`a{# x #}b` renders the one word `ab`): blanking it would split them. */
function glued(command: string, span: Span): boolean {
  const before = command[span.start - 1];
  return before !== undefined && before !== ' ' && before !== '\t' && before !== '\n' && !blankOrStatementAt(command, span.end);
}

/**
 * The template code of a command; undefined when it cannot be read word by word. Without
 * `conditionals`, any statement makes it unreadable. With it, a Jinja `{% if %} … {% endif %}` or
 * `{% for %} … {% endfor %}` is a conditional part when each branch starts with a blank (or is empty)
 * and a blank, the end or another such part follows it: leaving it out then splits the rest as the
 * rendering would (`-O fair{% if c %} --concurrency={{ c }}{% endif %} -n x`). ERB statements and
 * `{% raw %}`, macros and the like are not read.
 */
function templateCode(command: string, conditionals: boolean): TemplateCode | undefined {
  const spans = templateSpans(command, false);
  const code: TemplateCode = { expressions: [], conditional: [], silent: [] };
  let depth = 0;
  let open = 0;
  for (let k = 0; k < spans.length; k++) {
    const span = spans[k];
    const first = command.charCodeAt(span.start);
    const second = command.charCodeAt(span.start + 1);
    if (second === 0x7b /* { */ || (first === 0x3c /* < */ && command.charCodeAt(span.start + 2) === 0x3d /* = */)) {
      if (depth === 0) code.expressions.push(span);
      continue;
    }
    if (!conditionals || first === 0x3c) return undefined;
    if (second === 0x23 /* # */) {
      if (depth > 0) continue;
      if (glued(command, span)) return undefined;
      code.silent.push(span);
      continue;
    }
    const word = keyword(command, span);
    if (word === 'if' || word === 'for') {
      if (depth++ === 0) open = span.start;
    } else if (word === 'endif' || word === 'endfor') {
      if (--depth < 0) return undefined;
      if (depth === 0) {
        if (!blankOrStatementAt(command, span.end)) return undefined; // glued to the next word
        code.conditional.push({ start: open, end: span.end });
      }
      continue;
    } else if (word === 'elif' || word === 'else') {
      if (depth === 0) return undefined;
    } else if (word === 'set') {
      if (depth > 0) continue;
      if (glued(command, span)) return undefined;
      code.silent.push(span);
      continue;
    } else return undefined;
    // A branch of the outermost statement starts here: with a blank, or empty.
    if (depth === 1 && !blankOrStatementAt(command, span.end)) return undefined;
  }
  return depth === 0 ? code : undefined;
}

const NO_CODE: TemplateCode = { expressions: [], conditional: [], silent: [] };

/**
 * locateInvocations on a command as its rendering would be split (see the module comment): an executable
 * that is an expression counts by the name it holds (`{{ celery }}`). With `conditionalParts`, the parts
 * that `{% if %}` decides are read as absent and added to it; without, a command with a statement is
 * not read (undefined).
 */
export function locateRendered(command: string, matcher: ProgramMatcher, transient = false, conditionalParts?: Span[]): LocateResult | undefined {
  const code = command.indexOf('{') < 0 && command.indexOf('<%') < 0 ? NO_CODE : templateCode(command, conditionalParts !== undefined);
  if (!code) return undefined;
  if (code.expressions.length === 0 && code.conditional.length === 0 && code.silent.length === 0) return locateInvocations(command, matcher, transient);
  const blanked = [...code.conditional, ...code.silent];
  const located = locateInvocations(blankSpans(maskExpressions(command, code.expressions), blanked), (name, how) =>
    matcher(how === 'executable' ? unmasked(name) : name, how),
  );
  restoreTexts(located.argv, command, code.expressions);
  for (const c of located.candidates) if (c.tokens !== located.argv) restoreTexts(c.tokens, command, code.expressions);
  conditionalParts?.push(...code.conditional);
  return located;
}

/** The command with the spans' characters turned into spaces (the same length: offsets stay). */
function blankSpans(command: string, spans: readonly Span[]): string {
  if (spans.length === 0) return command;
  const chars = command.split('');
  for (const { start, end } of spans) for (let i = start; i < end; i++) chars[i] = ' ';
  return chars.join('');
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
