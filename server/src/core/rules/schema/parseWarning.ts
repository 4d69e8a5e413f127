import { inThisFile, valueAnchor } from '../process/programKeys';
import type { Finding, Fix } from '../rule';
import { insertKeyLinesAfter } from '../../edits';
import { parseByteSize, parseBoolean } from '../../catalog/datatypes';
import type { Entry } from '../../model/document';
import { keySpec } from '../../catalog/keys';
import { expandedValue, readValue, type SchemaContext, type SectionReading } from './context';
import { programReadings } from './programs';
import { header, replaceEntryValue, schemaRule } from './util';

const STREAMS = [
  { stream: 'stdout', lfKey: 'stdout_logfile', syslogKey: 'stdout_syslog', mbKey: 'stdout_logfile_maxbytes' },
  { stream: 'stderr', lfKey: 'stderr_logfile', syslogKey: 'stderr_syslog', mbKey: 'stderr_logfile_maxbytes' },
] as const;

/**
 * A log file value as supervisor reads it; with %(here)s (the config's folder) stood in, since any
 * folder makes it a path, never AUTO, NONE or syslog. Undefined when the server decides (ENV_X).
 */
function logFileValue(ctx: SchemaContext, reading: SectionReading, kind: string, key: string, entry: Entry): string | undefined {
  const expanded = expandedValue(ctx, reading, kind, key, entry);
  if (expanded !== undefined) return expanded;
  const standIn = readValue(ctx, reading, keySpec(kind, key)!, entry).standIn;
  return standIn && standIn.here && !standIn.dump ? standIn.text : undefined;
}

/**
 * The warnings supervisor logs after reading the file (SUP020), shown where they come from:
 * AUTO logging without rotation, a stderr_logfile ignored because of redirect_stderr=true, and the
 * deprecated *_logfile=syslog.
 */
export const parseWarning = schemaRule(
  'parse-warning',
  'information',
  "supervisor's own parse warnings: AUTO log without rotation, stderr_logfile ignored by redirect_stderr, deprecated *_logfile=syslog.",
  (ctx) => {
    const findings: Finding[] = [];
    const readings = programReadings(ctx);
    for (let i = 0; i < readings.length; i++) {
      const reading = readings[i];
      const p = reading.program!;
      if (p.numprocs <= 0) continue;
      const kind = p.kind;
      for (const { stream, lfKey, syslogKey, mbKey } of STREAMS) {
        const lf = p.get(lfKey);
        const lfValue = lf ? logFileValue(ctx, reading, kind, lfKey, lf) : 'AUTO';
        if (lfValue === undefined) continue;
        // A path (longer than any case variant of syslog/auto could be) needs no lower-casing.
        const lower = lfValue.length > 12 ? lfValue : lfValue.toLowerCase();
        if (lower === 'syslog' && lf) {
          // No edit of another file's [DEFAULT] line: the finding goes on the header there.
          const fixes: Fix[] = p.get(syslogKey) || !inThisFile(p, lf)
            ? []
            : [{ title: `Use ${lfKey}=NONE and ${syslogKey}=true`, edits: [...replaceEntryValue(ctx.doc, lf, 'NONE'), insertKeyLinesAfter(ctx.doc, lf.parts[lf.parts.length - 1].line, [`${syslogKey}=true`])], isPreferred: true }];
          findings.push({ code: 'parse-warning', severity: 'information', message: `${lfKey}=syslog is deprecated: supervisor warns "For [${reading.section.name}], ${lfKey}=syslog but this is deprecated and will be removed. Use ${syslogKey}=true to enable syslog instead."`, range: valueAnchor(ctx.doc, p, lf), fixes, tag: 'deprecated' });
          continue;
        }
        if (lower === 'auto') {
          const mb = p.get(mbKey);
          const mbValue = mb ? expandedValue(ctx, reading, kind, mbKey, mb) : '50MB';
          const parsed = mbValue === undefined ? undefined : parseByteSize(mbValue);
          if (parsed?.ok && parsed.value === 0) {
            findings.push({
              code: 'parse-warning',
              severity: 'information',
              message: `${header(reading)} logs ${stream} to an AUTO file with ${mbKey}=0, so the file grows without limit: supervisor warns "AUTO logging used for ${lfKey} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally". Set ${lfKey} to a path, or ${mbKey} above 0.`,
              range: mb || lf ? valueAnchor(ctx.doc, p, (mb ?? lf)!) : ctx.doc.sections[reading.index].headerRange,
              fixes: [],
            });
          }
        }
      }
      const redirectEntry = p.get('redirect_stderr');
      const redirect = redirectEntry ? expandedValue(ctx, reading, kind, 'redirect_stderr', redirectEntry) : undefined;
      const r = redirect === undefined ? undefined : parseBoolean(redirect);
      if (r?.ok && r.value && kind !== 'eventlistener') {
        const err = p.get('stderr_logfile');
        const errValue = err ? logFileValue(ctx, reading, kind, 'stderr_logfile', err) : undefined;
        if (err && errValue !== undefined && !['auto', 'none', 'off', 'syslog'].includes(errValue.toLowerCase())) {
          findings.push({
            code: 'parse-warning',
            severity: 'information',
            message: `redirect_stderr=true sends stderr into stdout_logfile, so supervisor ignores this stderr_logfile ("redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored"). Set stderr_logfile=NONE (or remove it), or set redirect_stderr=false to keep two files.`,
            range: valueAnchor(ctx.doc, p, err),
            tag: 'unnecessary',
            fixes: !inThisFile(p, err) ? [] : [{ title: 'Set stderr_logfile=NONE (supervisor ignores the path anyway)', edits: replaceEntryValue(ctx.doc, err, 'NONE'), isPreferred: true }],
          });
        }
      }
    }
    return findings;
  },
);
