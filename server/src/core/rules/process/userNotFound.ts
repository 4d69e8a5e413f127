import type { Finding, Rule } from '../rule';
import type { Entry } from '../../model/document';
import { sectionValue } from '../memmon/servers';
import { closest } from '../schema/util';
import { entryHere } from './programKeys';

/**
 * supervisor resolves every `user=` when it reads the config (name_to_uid in supervisor/datatypes.py):
 * an account this machine does not have makes it refuse the file ("Invalid user name ..."), so
 * `supervisorctl reread` fails and supervisord does not start. Only with a view of the machine
 * supervisord runs on (machine.ts), like path-not-found.
 */
export const userNotFound: Rule = {
  code: 'user-not-found',
  defaultSeverity: 'error',
  summary: 'A user= naming an account this machine does not have (checked only where supervisord runs, see supervisor.machineChecks): supervisor refuses the file.',
  judges: (ctx) => !!ctx.machine,
  check(ctx) {
    const machine = ctx.machine;
    if (!machine) return [];
    const entries: Entry[] = [];
    for (const p of ctx.deployment.programs) {
      // Not another file's [DEFAULT] user=: the finding and its fix would be about that file's line.
      const e = entryHere(p, 'user');
      if (e) entries.push(e);
    }
    const daemon = sectionValue(ctx.doc, 'supervisord', 'user');
    if (daemon) entries.push(daemon);
    // Accounts the file names that do exist here: the likely meaning of a misspelt one.
    const known = new Set<string>();
    const missing: Entry[] = [];
    for (const e of entries) {
      const user = e.value.trim();
      if (!user || user.includes('%')) continue;
      const exists = machine.account(user);
      if (exists) known.add(user);
      else if (exists === false) missing.push(e);
    }
    return missing.map((e): Finding => {
      const user = e.value.trim();
      const guess = closest(user, known);
      const what = /^\d+$/.test(user) ? `Invalid user id ${user}` : `Invalid user name ${user}`;
      return {
        code: this.code,
        severity: 'error',
        message: `This machine has no account ${user}: supervisor refuses the file ("${what}"), so supervisorctl reread fails and supervisord does not start.${guess ? ` Did you mean ${guess}?` : ' Create the account (adduser) or name one that exists.'}`,
        range: e.valueRange,
        fixes: guess ? [{ title: `Change to ${guess}`, edits: [{ range: e.valueRange, newText: guess }], isPreferred: true, safeForFixAll: false }] : [],
      };
    });
  },
};
