import type { Finding, Fix, RelatedLocation, Rule } from '../rule';
import type { Entry } from '../../model/document';
import { lineText } from '../../model/document';
import type { ProgramView } from '../../deployment';
import { expandTemplate, scanPercent } from '../../model/percent';
import { parseByteSize } from '../../command/memmon';
import { insertAt } from '../../commandEdits';
import { booleanKey, entriesOf, inThisFile, integerKey, ownEntry, placeOf, removeKey, replaceValue, valueAnchor } from './programKeys';
import { deleteLines } from '../../edits';
import { environmentKeys } from './environment';
import { upperCase } from '../../catalog/datatypes';
import { hashText, RepeatTable } from '../repeats';

type Stream = 'stdout' | 'stderr';

interface Writer {
  program: ProgramView;
  stream: Stream;
  entry: Entry;
  processNum: number;
  rotates: boolean;
}

const MAX_PROCESSES = 200;
/** Other writers a finding links to (the message names the first three). */
const MAX_RELATED = 5;

/**
 * A log path's expansion for the processes of one program (see pathExpansion): one path for every
 * process (the usual case, without a function per program), undefined when it depends on something
 * unknown, or a function of the process number.
 */
type PathExpansion = string | undefined | ((processNum: number) => string | undefined);

function collapseSlashes(path: string): string {
  return path.includes('//') || path.includes('/./') ? path.replace(/\/\/+/g, '/').replace(/\/\.\//g, '/') : path;
}

/**
 * Expands a log path the way supervisor 4.2 does (twice), for the processes of one program: the
 * program's environment and names are read once, and a path that never reads %(process_num) is
 * expanded once (a program can have 200 processes, a file thousands of programs).
 */
function pathExpansion(program: ProgramView, template: string): PathExpansion {
  // Most paths hold no expansion at all: nothing to expand, and the same for every process.
  if (!template.includes('%')) return collapseSlashes(template);
  const own = environmentKeys(program.get('environment')?.value ?? '');
  const names: Record<string, string | number> = {
    program_name: program.name,
    group_name: program.group,
    process_num: 0,
    numprocs: program.numprocs,
    here: '\u0000here',
    host_node_name: '\u0000host',
  };
  for (const t of scanPercent(template)) {
    if (t.kind !== 'expansion' || !t.name?.startsWith('ENV_')) continue;
    if (own.has(t.name.slice(4))) return undefined; // may differ from program to program
    names[t.name] = `\u0000${t.name}`;
  }
  const secondPass = (once: string | undefined): string | undefined => {
    const twice = once === undefined ? undefined : expandTemplate(once, names);
    return twice === undefined ? undefined : collapseSlashes(twice);
  };
  // A pass only reads process_num where its text names it: when neither the template nor its first
  // expansion does, every process gets the same path.
  if (!template.includes('process_num')) {
    const once = expandTemplate(template, names);
    if (once === undefined || !once.includes('process_num')) return secondPass(once);
  }
  return (processNum) => {
    names.process_num = processNum;
    return secondPass(expandTemplate(template, names));
  };
}

const STREAMS: readonly { stream: Stream; logfile: string; maxbytes: string }[] = [
  { stream: 'stdout', logfile: 'stdout_logfile', maxbytes: 'stdout_logfile_maxbytes' },
  { stream: 'stderr', logfile: 'stderr_logfile', maxbytes: 'stderr_logfile_maxbytes' },
];

/** The trimmed value of a log key when it may name a file: not AUTO, NONE, OFF or SYSLOG, nor a device. */
export function namedFile(entry: Entry): string | undefined {
  const v = entry.value.trim();
  return !v || isSpecialTarget(v) || v.startsWith('/dev/') ? undefined : v;
}

/** AUTO, NONE, OFF and SYSLOG in any case: no shared file. */
export function isSpecialTarget(v: string): boolean {
  // Upper-casing can grow a text ('oﬀ' -> 'OFF') and at most halve it: longer texts can never match.
  if (v.length > 12) return false;
  const upper = upperCase(v);
  return upper === 'AUTO' || upper === 'NONE' || upper === 'OFF' || upper === 'SYSLOG';
}

/**
 * Every writer of a log file, in parallel arrays (one object per writer would be thousands of
 * short-lived objects on a large file): its program, entry, trimmed path, process number and flags.
 * The arrays are sized once for the most writers the programs can have (growing them by pushes
 * copies each one several times on a large file); `count` are in use.
 */
interface Writers {
  count: number;
  programs: ProgramView[];
  entries: Entry[];
  paths: string[];
  nums: Float64Array;
  /** STDERR | ROTATES */
  flags: Uint8Array;
}

function writersFor(programs: readonly ProgramView[]): Writers {
  let capacity = 0;
  for (const p of programs) if (p.numprocs >= 1) capacity += 2 * Math.min(p.numprocs, MAX_PROCESSES);
  return { count: 0, programs: new Array(capacity), entries: new Array(capacity), paths: new Array(capacity), nums: new Float64Array(capacity), flags: new Uint8Array(capacity) };
}

const STDERR = 1;
const ROTATES = 2;

function writer(all: Writers, i: number): Writer {
  return { program: all.programs[i], stream: all.flags[i] & STDERR ? 'stderr' : 'stdout', entry: all.entries[i], processNum: all.nums[i], rotates: (all.flags[i] & ROTATES) !== 0 };
}

function writersOf(program: ProgramView, writers: Writers): void {
  if (program.numprocs < 1) return;
  const start = integerKey(program, 'numprocs_start', 0);
  if (start === undefined) return;
  for (let s = 0; s < 2; s++) {
    const { logfile, maxbytes } = STREAMS[s];
    if (s === 1 && booleanKey(program, 'redirect_stderr', false) !== false) continue; // ignored when redirected
    const entry = program.get(logfile);
    if (!entry) continue; // AUTO: a fresh file per process
    const v = namedFile(entry);
    if (v === undefined) continue;
    const maxbytesEntry = program.get(maxbytes);
    const size = maxbytesEntry ? parseByteSize(maxbytesEntry.value) : 50 * 1024 * 1024;
    if (size === undefined) continue;
    const flags = (s === 1 ? STDERR : 0) | (size !== 0 ? ROTATES : 0);
    for (let n = start; n < start + Math.min(program.numprocs, MAX_PROCESSES); n++) {
      const i = writers.count++;
      writers.programs[i] = program;
      writers.entries[i] = entry;
      writers.paths[i] = v;
      writers.nums[i] = n;
      writers.flags[i] = flags;
    }
  }
}

/**
 * Each writer's expanded path (undefined when it depends on something unknown), and a table of counts
 * by hash: almost every path of a file is written once, and the table keeps those out of the map by
 * path (thousands of entries, built and dropped on every analysis); a collision only costs a map entry.
 */
function expandedPaths(all: Writers): { paths: (string | undefined)[]; hashes: Int32Array; table: RepeatTable } {
  const n = all.count;
  const table = new RepeatTable(n);
  const paths = new Array<string | undefined>(n);
  const hashes = new Int32Array(n);
  // A program's writers of one stream come one after another (see writersOf): one expansion for them all.
  let expansion: PathExpansion;
  let hash = 0;
  for (let i = 0; i < n; i++) {
    const program = all.programs[i];
    if (i === 0 || program !== all.programs[i - 1] || all.entries[i] !== all.entries[i - 1]) expansion = pathExpansion(program, all.paths[i]);
    const path = typeof expansion === 'function' ? expansion(all.nums[i]) : expansion;
    paths[i] = path;
    if (path === undefined) continue;
    if (path !== paths[i - 1]) hash = hashText(path);
    hashes[i] = hash;
    table.add(hash);
  }
  return { paths, hashes, table };
}

/** Where `_%(process_num)02d` goes in a path: before the file's extension, else at the end. */
function processNumOffset(value: string): number {
  const slash = value.lastIndexOf('/');
  const dot = value.lastIndexOf('.');
  return dot > slash + 1 ? dot : value.length;
}

/** Are all of a file's writers one process (by program name and process number)? */
function oneProcess(writers: readonly Writer[]): boolean {
  const { program, processNum } = writers[0];
  return writers.every((w) => w.program.name === program.name && w.processNum === processNum);
}

interface ProgramShare {
  /** The process number of its first writer, and whether another of its processes writes the file too. */
  processNum: number;
  severalProcesses: boolean;
  /** How many distinct `'name' (stream_logfile)` labels it writes: one per stream at most. */
  labels: number;
}

/**
 * For each writer of a shared file: do other processes of its program write it, and which other
 * programs do (their distinct labels, in the order they first write it). Read in one pass over the
 * writers, which can be thousands (every program logging to one file): comparing each writer with
 * all the others was quadratic. Program names are unique in a deployment, so a label belongs to one
 * program.
 */
class FileWriters {
  /** The distinct labels with their program, in the order they first write the file. */
  private readonly labels: { text: string; program: ProgramView; entry: Entry }[] = [];
  private readonly programs = new Map<ProgramView, ProgramShare>();

  constructor(writers: readonly Writer[]) {
    const seen = new Set<string>();
    for (let i = 0; i < writers.length; i++) {
      const { program, processNum, stream, entry } = writers[i];
      let share = this.programs.get(program);
      if (!share) this.programs.set(program, (share = { processNum, severalProcesses: false, labels: 0 }));
      else if (processNum !== share.processNum) share.severalProcesses = true;
      // The processes of a program come one after another, with the same label.
      const previous = writers[i - 1];
      if (previous?.program === program && previous.stream === stream) continue;
      const text = `'${program.name}' (${stream}_logfile)`;
      if (seen.has(text)) continue;
      seen.add(text);
      this.labels.push({ text, program, entry });
      share.labels++;
    }
  }

  hasSiblings(program: ProgramView): boolean {
    return this.programs.get(program)!.severalProcesses;
  }

  /** How many labels other programs write, and the first three of them. */
  othersOf(program: ProgramView): { count: number; first: string[] } {
    const first: string[] = [];
    for (let k = 0; k < this.labels.length && first.length < 3; k++) if (this.labels[k].program !== program) first.push(this.labels[k].text);
    return { count: this.labels.length - this.programs.get(program)!.labels, first };
  }

  /** Where the other programs name the file (the first few), for editors to link to. */
  otherPlaces(program: ProgramView): RelatedLocation[] {
    const places: RelatedLocation[] = [];
    for (let k = 0; k < this.labels.length && places.length < MAX_RELATED; k++) {
      const l = this.labels[k];
      if (l.program !== program) places.push(placeOf(l.program, l.entry, `Also written by ${l.text}`));
    }
    return places;
  }
}

/**
 * supervisor rotates a log file by renaming it when it reaches *_logfile_maxbytes. Two processes (or two
 * streams) writing one file each rotate it on their own schedule, and lines are lost or land in the
 * rotated file. supervisor's docs say a log file must not be shared while rotation is on.
 */
export const sharedLogFile: Rule = {
  code: 'shared-log-file',
  defaultSeverity: 'warning',
  summary: 'A log file written by several processes while supervisor rotates it.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    // A path written once holds its writer's index; a list of writers only when a second writer comes.
    const byPath = new Map<string, number | Writer[]>();
    const all = writersFor(deployment.programs);
    const programs = deployment.programs;
    for (let i = 0; i < programs.length; i++) writersOf(programs[i], all);
    const { paths, hashes, table } = expandedPaths(all);
    for (let i = 0; i < all.count; i++) {
      const path = paths[i];
      if (path === undefined || !table.mayRepeat(hashes[i])) continue;
      const known = byPath.get(path);
      if (known === undefined) byPath.set(path, i);
      else if (typeof known !== 'number') known.push(writer(all, i));
      else byPath.set(path, [writer(all, known), writer(all, i)]);
    }
    const reported = new Set<Entry>();
    for (const writers of byPath.values()) {
      if (typeof writers === 'number' || !writers.some((w) => w.rotates)) continue;
      if (oneProcess(writers)) {
        // One process, stdout and stderr in the same file (the Alliance Auth template does this).
        const p = writers[0].program;
        const err = writers.find((w) => w.stream === 'stderr')!.entry;
        if (reported.has(err)) continue;
        reported.add(err);
        const listener = p.kind === 'eventlistener';
        const out = writers.find((w) => w.stream === 'stdout')!.entry;
        findings.push({
          code: this.code,
          severity: 'information',
          message: `'${p.name}' writes stdout and stderr to the same file ${err.value}. supervisor opens it twice and rotates each stream on its own, so lines can be lost around a rotation. ${
            listener
              ? "An event listener's stdout carries only the listener protocol: set stdout_logfile=NONE and keep stderr_logfile (where memmon and other listeners write their messages)."
              : 'Use redirect_stderr=true (one stream, one file) instead of naming the file twice.'
          }`,
          range: valueAnchor(doc, p, err),
          related: [placeOf(p, out, `stdout_logfile of '${p.name}', the same file`)],
          fixes: listener
            ? ownEntry(p, 'stdout_logfile') === out
              ? [{ title: 'Stop logging the listener protocol (stdout_logfile=NONE)', edits: replaceValue(doc, out, 'NONE') }]
              : [] // from [DEFAULT], which every section reads
            : redirectFix(doc, p, err),
        });
        continue;
      }
      const file = new FileWriters(writers);
      for (const w of writers) {
        if (reported.has(w.entry)) continue;
        const siblings = file.hasSiblings(w.program);
        const others = file.othersOf(w.program);
        if (!siblings && !others.count) continue;
        reported.add(w.entry);
        const parts: string[] = [];
        if (siblings) parts.push(`all ${w.program.numprocs} processes of '${w.program.name}' (numprocs=${w.program.numprocs}) write it, because the path does not contain %(process_num)`);
        if (others.count) parts.push(`${others.first.join(', ')}${others.count > 3 ? ', ...' : ''} ${others.count > 1 ? 'write' : 'writes'} it too`);
        const fixes: Fix[] = [];
        // Never in another file's [DEFAULT]: this file's findings edit this file.
        if (siblings && w.entry.parts.length === 1 && inThisFile(w.program, w.entry)) {
          const at = processNumOffset(w.entry.value);
          fixes.push({ title: 'Give each process its own file (_%(process_num)02d)', edits: [insertAt(w.entry, at, '_%(process_num)02d')], isPreferred: true });
        }
        findings.push({
          code: this.code,
          severity: 'warning',
          message: `${w.stream}_logfile ${w.entry.value} is shared: ${parts.join('; ')}. supervisor rotates it at ${rotationSize(w)} separately for each writer, which loses or misplaces log lines. ${
            siblings ? 'Put %(process_num)02d in the path' : 'Give each program its own file'
          }, or set ${w.stream}_logfile_maxbytes=0 and rotate with logrotate.`,
          range: valueAnchor(doc, w.program, w.entry),
          ...(others.count ? { related: file.otherPlaces(w.program) } : {}),
          fixes,
        });
      }
    }
    return findings;
  },
};

/** Where this writer's stream rotates, as its program sets it: `stdout_logfile_maxbytes=1GB`, or the default. */
function rotationSize(w: Writer): string {
  const key = `${w.stream}_logfile_maxbytes`;
  const set = w.program.get(key);
  return set ? `${key}=${set.value}` : `${key} (default 50MB)`;
}

/** stderr_logfile=<the stdout file> becomes redirect_stderr=true: one stream into the same file. */
function redirectFix(doc: Parameters<typeof removeKey>[0], p: ProgramView, err: Entry): Fix[] {
  // One line, in the program's own section: [DEFAULT]'s lines are every section's.
  if (err.parts.length !== 1 || ownEntry(p, 'stderr_logfile') !== err) return [];
  const title = 'Use redirect_stderr=true instead of a second stderr_logfile';
  const redirect = p.get('redirect_stderr');
  if (redirect && ownEntry(p, 'redirect_stderr') !== redirect) return [];
  if (redirect) return [{ title, edits: [...replaceValue(doc, redirect, 'true'), ...removeKey(doc, p, 'stderr_logfile')] }];
  // Rename the line in place; earlier duplicates of stderr_logfile go (supervisor would warn about them).
  const earlier = entriesOf(doc, p, 'stderr_logfile').filter((e) => e !== err);
  const lines = [...new Set(earlier.flatMap((e) => e.parts.map((x) => x.line)))].sort((a, b) => a - b);
  const line = lineText(doc, err.keyRange.start.line);
  const separator = line.slice(err.keyRange.end.character, err.valueRange.start.character);
  return [{ title, edits: [{ range: { start: err.keyRange.start, end: err.valueRange.end }, newText: `redirect_stderr${separator}true` }, ...deleteLines(doc, lines)] }];
}
