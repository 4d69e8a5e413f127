import type { Finding } from '../rule';
import { effectiveEntry } from './context';
import { fcgiGroupOf } from './fcgiGroups';
import { header, schemaRule } from './util';

const SOCKET_KEYS = ['socket', 'socket_owner', 'socket_mode', 'socket_backlog'];

function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * An [fcgi-program:x] that a [group:y] lists, in this file or another of the deployment. supervisor
 * 4.2 accepts it but builds it as a plain program (fcgiGroups.ts): no socket is opened and the
 * socket keys are never read, so the FastCGI processes find no socket on file descriptor 0.
 */
export const groupFcgiProgram = schemaRule(
  'group-fcgi-program',
  'warning',
  'An [fcgi-program:x] listed in a [group:y]: supervisor runs it as a plain program and opens no socket, so FastCGI breaks silently.',
  (ctx) => {
    const findings: Finding[] = [];
    for (let i = 0; i < ctx.sections.length; i++) {
      const reading = ctx.sections[i];
      if (reading.resolved?.spec.kind !== 'fcgi-program' || reading.templated || reading.section.duplicateOf !== undefined) continue;
      const group = fcgiGroupOf(ctx, reading);
      if (!group) continue;
      const label = reading.section.label!;
      const ignored = SOCKET_KEYS.filter((key) => effectiveEntry(ctx, reading, key));
      findings.push({
        code: 'group-fcgi-program',
        severity: 'warning',
        message: `${group.header}${group.file ? ` in ${group.file}` : ''} lists ${header(reading)}, and supervisor runs an fcgi-program listed in a group as a plain program: it opens no socket${ignored.length ? ` and never reads ${andList(ignored.map((k) => `${k}=`))}` : ''}, so a FastCGI process that expects its socket on file descriptor 0 fails. Take ${label} out of the group's programs= (its processes are then ${label}:name), or make it a [program:${label}] if it needs no socket.`,
        range: reading.section.headerRange,
        related: [{ ...(group.file ? { file: group.file } : {}), range: group.range, message: `${group.header} lists ${label}` }],
        fixes: [],
      });
    }
    return findings;
  },
);
