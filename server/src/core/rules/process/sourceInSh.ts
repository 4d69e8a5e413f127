import type { Finding, Fix, Rule } from '../rule';
import { PROCESS_SECTION_KINDS } from '../../deployment';
import { entriesHolding, type Entry } from '../../model/document';
import { insertAt, replaceSpan, spanRange } from '../../commandEdits';
import { basename, splitArgv, type ArgToken } from '../../command/argv';
import { findShellScript, isAssignment } from '../../command/invocation';
import { splitShell, type ShellToken } from '../../command/shell';
import { detectTemplate } from '../schema/template';

/** The shells that are dash on Debian and Ubuntu (`/bin/sh` links to it), by name or path. */
const DASH_NAMES: ReadonlySet<string> = new Set(['sh', 'dash']);

/** Words after which the next word is still in command position (`if source x; then`). */
const KEEPS_COMMAND_POSITION: ReadonlySet<string> = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{']);

/** A `source` word of the script and the word it reads, with their raw offsets in the command value. */
interface SourceWord {
  start: number;
  end: number;
  /** The file argument as the shell gets it, and where it starts in the value (undefined: none, or quoted/escaped). */
  file?: string;
  fileStart?: number;
}

/**
 * `source` is a bash (and zsh, ksh) builtin. dash, which is /bin/sh on Debian and Ubuntu, has only the
 * POSIX `.`, so `sh -c "source venv/bin/activate && exec celery ..."` stops at "sh: 1: source: not
 * found" (exit status 127) and the program never starts.
 */
export const sourceInSh: Rule = {
  code: 'source-in-sh',
  defaultSeverity: 'warning',
  summary: "`source` in a script that sh runs (`sh -c \"source venv/bin/activate && ...\"`): /bin/sh on Debian and Ubuntu is dash, which has no `source`, so the script fails there.",
  check({ doc }) {
    const findings: Finding[] = [];
    if (detectTemplate(doc)) return findings;
    for (const entry of entriesHolding(doc, 'source')) {
      if (entry.key !== 'command' || !PROCESS_SECTION_KINDS.has(doc.sections[entry.sectionIndex].kind) || !entry.value.includes('source')) continue;
      const argv = splitArgv(entry.value).tokens;
      const found = sourceWords(argv, entry.value);
      for (const word of found?.words ?? []) findings.push(finding(this.code, entry, found!.shell, word));
    }
    return findings;
  },
};

/** The `source` commands of the first `sh -c` / `dash -c` script in the argv, with that shell as written. */
function sourceWords(argv: readonly ArgToken[], value: string): { shell: string; words: SourceWord[] } | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (!DASH_NAMES.has(basename(argv[i].text))) continue;
    const at = findShellScript(argv, i + 1, argv.length);
    if (at < 0) continue;
    const script = argv[at];
    const raw = (t: ShellToken) => ({ start: script.offsets[t.offsets[0]], end: script.offsets[t.offsets[t.offsets.length - 1]] + 1 });
    const words: SourceWord[] = [];
    const tokens = splitShell(script.text).tokens;
    let commandPosition = true;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.op === 'control') commandPosition = true;
      else if (t.op === 'redirect') k++; // and its target
      else if (commandPosition && (isAssignment(t.text) || KEEPS_COMMAND_POSITION.has(t.text))) continue;
      else {
        if (commandPosition && t.text === 'source' && t.offsets.length === 6) {
          const { start, end } = raw(t);
          if (value.slice(start, end) === 'source') {
            const next = tokens[k + 1];
            const file = next && !next.op && next.offsets.length ? raw(next) : undefined;
            const plain = file && value.slice(file.start, file.end) === next.text;
            words.push({ start, end, ...(plain ? { file: next.text, fileStart: file.start } : {}) });
          }
        }
        commandPosition = false;
      }
    }
    return { shell: argv[i].text, words };
  }
  return undefined;
}

function finding(code: string, entry: Entry, shell: string, word: SourceWord): Finding {
  const fixes: Fix[] = [];
  // `. file` looks for a file without a slash on the PATH only (bash's `source` also tries the current
  // folder): `source .env` becomes `. ./.env`. A name from a variable cannot be told; no fix there.
  const file = word.file;
  if (file !== undefined && word.fileStart !== undefined && (file.includes('/') || !file.includes('$'))) {
    const edits = [...replaceSpan(entry, word.start, word.end, '.')];
    if (!file.includes('/')) edits.push(insertAt(entry, word.fileStart, './'));
    fixes.push({ title: `Write . ${file.includes('/') ? file : `./${file}`} (POSIX; every sh has it)`, edits, isPreferred: true });
  }
  return {
    code,
    severity: 'warning',
    message: `\`source\` is a bash builtin: ${shell} runs this script, and /bin/sh on Debian and Ubuntu is dash, which has no \`source\`. It stops there with "source: not found" (exit status 127): what \`&&\` joins after it never runs, so the program exits at once and ends FATAL after startretries (after \`;\` the rest runs without what the file sets up). Write \`.\`, the POSIX spelling every sh has, or run the script with bash -c.`,
    range: spanRange(entry, word.start, word.end),
    fixes,
  };
}
