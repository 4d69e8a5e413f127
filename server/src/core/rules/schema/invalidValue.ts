import { valueSpanToRange } from '../../model/document';
import type { Finding } from '../rule';
import type { ValueType } from '../../catalog/keys';
import { entryIndex } from './entryIndex';
import { isEffective, isReadPerProcess } from './context';
import { checkValue } from './values';
import { header, replaceEntryValue, schemaRule, shorten } from './util';

const HOW: Partial<Record<ValueType, string>> = {
  integer: 'Write a whole number',
  boolean: 'Use true or false (yes/no, on/off and 1/0 work too)',
  byte_size: 'Write a whole number of bytes, optionally followed by KB, MB or GB, such as 50MB',
  octal: 'Write an octal number such as 022 or 0700',
  signal: 'Use a signal name such as TERM, INT, QUIT or KILL',
  log_level: 'Use critical, error, warn, info, debug, trace or blather',
  autorestart: 'Use true, false or unexpected',
  exit_codes: 'Write exit codes from 0 to 255 separated by commas, such as 0,2',
  inet_address: 'Write host:port or just a port, from 1 to 65535, such as 127.0.0.1:9001',
  user: 'Write the account to run as, such as app, or a numeric uid',
  user_group: 'Write a user, or user:group with both names, such as app:www-data',
  events: 'Use event types such as TICK_60, PROCESS_STATE or PROCESS_STATE_EXITED, separated by commas',
  import_spec: 'Write module:callable, such as supervisor.rpcinterface:make_main_rpcinterface',
  fcgi_socket: 'Write tcp://host:port or unix:///absolute/path.sock',
  process_name: 'Leave out spaces, : and /',
};

/**
 * A value supervisor cannot convert to its key's type (an integer, boolean, byte size, octal umask,
 * signal, log level, autorestart, exit codes, port, events, socket, factory, an empty user=, an empty
 * user or group in chown/socket_owner): supervisor refuses the file with the message quoted in the finding.
 */
export const invalidValue = schemaRule(
  'invalid-value',
  'error',
  "A value supervisor cannot read for its key (not an integer, boolean, byte size, signal, log level ...): it refuses the file.",
  (ctx) => {
    const findings: Finding[] = [];
    const { readings, entries, specs } = entryIndex(ctx).typed;
    for (let i = 0; i < entries.length; i++) {
      const reading = readings[i];
      const resolved = reading.resolved!;
      const entry = entries[i];
      const spec = specs[i];
      if (!isEffective(ctx, reading, entry)) continue;
      const problem = checkValue(ctx, reading, spec, entry);
      if (!problem) continue;
      // process_name's characters are checked on the template, before the per-process loop.
      const read = resolved.spec.readBy === 'supervisord' && (spec.type === 'process_name' || isReadPerProcess(reading, spec));
      const severity = problem.acceptedButBroken || !read ? 'warning' : 'error';
      const who = problem.acceptedButBroken
        ? 'supervisord accepts the file, but the process cannot start'
        : resolved.spec.readBy !== 'supervisord'
          ? 'supervisorctl refuses the file'
          : !read
            ? 'supervisor refuses the file as soon as numprocs is above 0'
            : 'supervisor refuses the file';
      const how = HOW[spec.type];
      const suggestion = problem.suggestions[0];
      findings.push({
        code: 'invalid-value',
        severity,
        message: `${header(reading)} ${entry.key}=${shorten(entry.value)}: ${who} (${problem.error}).${how ? ` ${how}.` : ''}${suggestion !== undefined ? ` Did you mean ${suggestion}?` : ''}`,
        range: problem.start !== undefined ? valueSpanToRange(entry, problem.start, problem.end!) : entry.value ? entry.valueRange : entry.keyRange,
        fixes: problem.suggestions.map((s, i) => ({ title: `Change to ${entry.key}=${s}`, edits: replaceEntryValue(ctx.doc, entry, s), isPreferred: i === 0 })),
      });
    }
    return findings;
  },
);
