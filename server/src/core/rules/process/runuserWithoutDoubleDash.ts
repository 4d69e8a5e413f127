import type { Finding, Rule } from '../rule';
import { PROCESS_SECTION_KINDS } from '../../deployment';
import { entriesHolding } from '../../model/document';
import { insertAt, spanRange } from '../../commandEdits';
import { splitArgv } from '../../command/argv';
import { runuserCommand, runuserReads, type RunuserOption } from '../../command/invocation';
import { detectTemplate } from '../schema/template';

/**
 * `runuser -u app celery -A proj worker`: util-linux runuser reads its options with GNU getopt, which
 * permutes, so every option word up to `--` is runuser's, the program's own after it included (checked
 * with util-linux 2.38: `runuser -u nobody echo -A proj` stops with "runuser: invalid option -- 'A'",
 * exit status 1; `runuser -u nobody -- echo -A proj` prints them). supervisor splits the command and
 * execs it with no shell, so nothing else separates them: the program never starts and supervisor
 * retries it until FATAL. The other wrappers read (timeout, nice, ionice, stdbuf, flock, env, nohup,
 * sudo, chpst ...) stop at their first word that is not an option.
 */
export const runuserWithoutDoubleDash: Rule = {
  code: 'runuser-without-double-dash',
  defaultSeverity: 'error',
  summary: "`runuser -u USER PROGRAM -x ...` without `--`: runuser reads the program's options as its own, refuses them and exits, so the program never starts.",
  check({ doc }) {
    const findings: Finding[] = [];
    if (detectTemplate(doc)) return findings;
    for (const entry of entriesHolding(doc, 'runuser')) {
      if (entry.key !== 'command' || !PROCESS_SECTION_KINDS.has(doc.sections[entry.sectionIndex].kind)) continue;
      const tokens = splitArgv(entry.value).tokens;
      const run = runuserCommand(tokens);
      if (!run || run.dashDash) continue;
      const read = runuserReads(tokens, run.program + 1, tokens.length);
      // What runuser stops at: the option it refuses at once, else the first it refuses with -u once all are read.
      const stop = read.find((o) => o.effect === 'refused' || o.effect === 'exits') ?? read.find((o) => o.effect === 'exclusive');
      const taken = read.filter((o) => o.effect === 'taken');
      const shown = stop ?? taken[0];
      if (!shown) continue;
      const program = tokens[run.program].text;
      const word = (o: RunuserOption) => `\`${tokens[o.index].text}\``;
      const head = `runuser reads the options after the program as its own too, up to \`--\` (GNU getopt moves them in front): ${program}'s ${word(shown)}`;
      let message: string;
      if (stop) {
        const why =
          stop.effect === 'refused'
            ? `is not one of its options, so it stops with "runuser: ${stop.says}" (exit status 1)`
            : stop.effect === 'exits'
              ? `is its ${stop.says}, so it prints that and exits`
              : `is its ${stop.says}, which it refuses with -u: it stops with "options --{shell,fast,command,session-command,login} and --user are mutually exclusive" (exit status 1)`;
        message = `${head} ${why}. ${program} never starts, and supervisor retries it until FATAL. Write \`--\` after runuser's options.`;
      } else {
        const value = shown.valueIndex !== undefined ? ` and \`${tokens[shown.valueIndex].text}\` as its value` : '';
        // `-P gevent`: runuser's -P takes no value, so the word after it reaches the program alone.
        const next = shown.valueIndex === undefined && shown.index + 1 < tokens.length ? tokens[shown.index + 1].text : undefined;
        const celery = /\bcelery\b/.test(entry.value);
        const stranded =
          next !== undefined && next !== '--' && !next.startsWith('-')
            ? `, and gets \`${next}\` on its own${celery ? ' (Celery refuses such a stray word: "Unable to parse extra configuration from command line")' : ''}`
            : '';
        message = `${head} is its ${shown.says}${value}: runuser keeps it, and ${program} runs without it${shown.says.includes('user') || shown.says.includes('group') ? ', as the user or group it names' : ''}${stranded}. Write \`--\` after runuser's options.`;
      }
      const at = tokens[run.program].start;
      findings.push({
        code: this.code,
        severity: 'error',
        message,
        range: spanRange(entry, tokens[shown.index].start, tokens[shown.index].end),
        fixes: [{ title: `Write -- before ${program} (runuser's options end there)`, edits: [insertAt(entry, at, '-- ')], isPreferred: true }],
      });
    }
    return findings;
  },
};
