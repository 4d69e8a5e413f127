import type { Finding, Rule } from '../rule';
import { PROCESS_SECTION_KINDS } from '../../deployment';
import { entriesHolding, type Entry } from '../../model/document';
import { spanRange } from '../../commandEdits';
import { splitArgv } from '../../command/argv';
import { runsShellScript } from '../../command/invocation';
import { detectTemplate } from '../schema/template';

/**
 * A shell turns `~` into a home folder; supervisor does not, where a program starts: in command= (it
 * runs no shell) and in a program's directory= (os.chdir as written). Elsewhere supervisor expands it
 * itself (its own logfile, pidfile and directory, the programs' log files: os.path.expanduser).
 */
export const tildeNotExpanded: Rule = {
  code: 'tilde-not-expanded',
  defaultSeverity: 'warning',
  summary: "A ~ in a program's command= or directory=: supervisor does not expand it, so the command or folder is not found.",
  check({ doc }) {
    const findings: Finding[] = [];
    if (detectTemplate(doc)) return findings;
    for (const entry of entriesHolding(doc, '~')) {
      if (!PROCESS_SECTION_KINDS.has(doc.sections[entry.sectionIndex].kind)) continue;
      if ((entry.key !== 'directory' && entry.key !== 'command') || entry.value.indexOf('~') < 0) continue;
      if (entry.key === 'directory') {
        const start = entry.value.length - entry.value.trimStart().length;
        if (entry.value[start] === '~') findings.push(directoryFinding(this.code, entry, start));
        continue;
      }
      const argv = splitArgv(entry.value).tokens;
      if (runsShellScript(argv)) continue; // the shell expands it
      for (let k = 0; k < argv.length; k++) {
        const tok = argv[k];
        // A word that starts with ~, or an option value that does (`--logfile=~/w.log`).
        const at = tok.text.startsWith('~') ? 0 : tok.text.startsWith('-') && tok.text.includes('=~') ? tok.text.indexOf('=~') + 1 : -1;
        if (at < 0 || tok.text.length !== tok.end - tok.start) continue; // quoted or escaped: the offsets would not be the text's
        findings.push(commandFinding(this.code, entry, tok.start + at, tok.end, tok.text.slice(at), k === 0));
      }
    }
    return findings;
  },
};

function directoryFinding(code: string, entry: Entry, start: number): Finding {
  const path = entry.value.trim();
  return {
    code,
    severity: 'warning',
    message: `supervisor does not expand ~ in a program's directory=: it changes into a folder named "${path}" as written, finds none, and the process does not start ("couldn't chdir to ${path}: ENOENT"). ${writeFullPath(path)}`,
    range: spanRange(entry, start, start + path.length),
    fixes: [],
  };
}

function commandFinding(code: string, entry: Entry, start: number, end: number, word: string, executable: boolean): Finding {
  return {
    code,
    severity: 'warning',
    message: executable
      ? `supervisor starts the command without a shell, so ~ is not replaced: it looks for the executable "${word}" as written, finds none, and the process does not start ("can't find command '${word}'"). ${writeFullPath(word)}`
      : `supervisor starts the command without a shell, so ~ is not replaced: the program gets the text "${word}" as written. ${writeFullPath(word)}`,
    range: spanRange(entry, start, end),
    fixes: [],
  };
}

/** "Write the full path", with what it looks like for the usual `~/x`. */
function writeFullPath(word: string): string {
  return word === '~' || word.startsWith('~/') ? `Write the full path, such as /home/<user>${word.slice(1)} (the home folder of the user it is meant for).` : 'Write the full path.';
}
