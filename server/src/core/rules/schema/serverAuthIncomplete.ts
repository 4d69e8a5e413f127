import type { Finding } from '../rule';
import { effectiveEntry } from './context';
import { header, schemaRule } from './util';

/** username without password (or the reverse) in [unix_http_server] or [inet_http_server]: supervisor refuses the file. */
export const serverAuthIncomplete = schemaRule(
  'server-auth-incomplete',
  'error',
  'An HTTP server section with a username but no password, or a password but no username: supervisor refuses the file.',
  (ctx) => {
    const findings: Finding[] = [];
    for (let i = 0; i < ctx.sections.length; i++) {
      const reading = ctx.sections[i];
      const kind = reading.resolved?.spec.kind;
      if ((kind !== 'unix_http_server' && kind !== 'inet_http_server') || reading.section.duplicateOf !== undefined) continue;
      const user = effectiveEntry(ctx, reading, 'username');
      const pass = effectiveEntry(ctx, reading, 'password');
      if (!user === !pass) continue;
      const has = (user ?? pass)!;
      const missing = user ? 'password' : 'username';
      findings.push({
        code: 'server-auth-incomplete',
        severity: 'error',
        message: `${header(reading)} sets ${has.key} but no ${missing}: supervisor refuses the file ("Section [${reading.section.name}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified"). Add ${missing}= or remove ${has.key}=.`,
        range: has.keyRange,
        fixes: [],
      });
    }
    return findings;
  },
);
