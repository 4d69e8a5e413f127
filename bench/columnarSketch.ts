/**
 * A reference point for the bench, not an engine: about the least work a design without an object
 * per line must do for the generated file, so that the bench can show, in the same run, what such a
 * model would cost next to ours.
 *
 * It reads the text into typed-array columns (no object per line, no string per key), indexes each
 * section's keys by number, splits each program's command into token offsets, and runs 21 checks
 * that stand for the rules that cost most today (unknown keys, values, log paths, node names, the
 * Celery options). It covers only what the generated file needs: '\n' line breaks, no quotes or
 * escapes worth the name, no %(...)s, no ranges or messages for findings. What it leaves out would
 * cost more, never less, so it is a lower bound.
 */
import { isPySpace } from '../server/src/core/model/parse';
import { isShlexWhitespace } from '../server/src/core/command/argv';
import { sparseHash } from '../server/src/core/model/strings';

/** Short words to small integers, found from the text's characters without making a string. */
class IdTable {
  private readonly words: string[] = [];
  private readonly slots = new Int32Array(4096).fill(-1);

  constructor(words: readonly string[]) {
    for (const w of words) this.add(w);
  }

  /** The id of text[from, to), or -1. */
  find(text: string, from: number, to: number): number {
    if (to <= from) return -1;
    for (let slot = hash(text, from, to); ; slot = (slot + 1) & 4095) {
      const id = this.slots[slot];
      if (id === -1) return id;
      const w = this.words[id];
      if (w.length === to - from && text.startsWith(w, from)) return id;
    }
  }

  id(word: string): number {
    return this.find(word, 0, word.length);
  }

  get size(): number {
    return this.words.length;
  }

  private add(word: string): void {
    let slot = hash(word, 0, word.length);
    while (this.slots[slot] !== -1) slot = (slot + 1) & 4095;
    this.slots[slot] = this.words.length;
    this.words.push(word);
  }
}

/** The engine's key hash (length and four characters), folded to the table's size. */
function hash(text: string, from: number, to: number): number {
  return sparseHash(text, from, to) & 4095;
}

// prettier-ignore
const PROGRAM_KEYS = ['command', 'process_name', 'numprocs', 'numprocs_start', 'priority', 'autostart', 'startsecs', 'startretries', 'autorestart', 'exitcodes', 'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'user', 'redirect_stderr', 'stdout_logfile', 'stdout_logfile_maxbytes', 'stdout_logfile_backups', 'stdout_capture_maxbytes', 'stdout_events_enabled', 'stdout_syslog', 'stderr_logfile', 'stderr_logfile_maxbytes', 'stderr_logfile_backups', 'stderr_capture_maxbytes', 'stderr_events_enabled', 'stderr_syslog', 'environment', 'directory', 'umask', 'serverurl'];
// prettier-ignore
const OTHER_KEYS = ['file', 'chmod', 'chown', 'username', 'password', 'logfile', 'logfile_maxbytes', 'logfile_backups', 'loglevel', 'pidfile', 'nodaemon', 'silent', 'minfds', 'minprocs', 'nocleanup', 'childlogdir', 'identifier', 'strip_ansi', 'supervisor.rpcinterface_factory', 'port', 'files', 'programs', 'events', 'buffer_size', 'result_handler'];
const KEYS = new IdTable([...PROGRAM_KEYS, ...OTHER_KEYS]);
const KINDS = new IdTable(['program', 'group', 'eventlistener', 'fcgi-program', 'unix_http_server', 'inet_http_server', 'supervisord', 'supervisorctl', 'rpcinterface', 'include']);
const PROGRAM = KINDS.id('program');
const PROGRAM_KEY = new Uint8Array(KEYS.size);
for (const k of PROGRAM_KEYS) PROGRAM_KEY[KEYS.id(k)] = 1;

/** Short and long spellings of some worker options; `[short, long]` pairs share the long one's slot. */
const ALIASES: [string, string][] = [['-A', '--app'], ['-l', '--loglevel'], ['-c', '--concurrency'], ['-P', '--pool'], ['-Q', '--queues'], ['-n', '--hostname'], ['-f', '--logfile'], ['-B', '--beat']];
const VALUE_OPTIONS = ['--app', '--loglevel', '--concurrency', '--pool', '--queues', '--hostname', '--max-memory-per-child', '--max-tasks-per-child', '--logfile', '--pidfile', '--prefetch-multiplier', '--time-limit', '--soft-time-limit', '--autoscale'];
const FLAG_OPTIONS = ['-E', '--without-gossip', '--without-mingle', '--detach', '--beat', '-O'];
const OPTIONS = new IdTable([...VALUE_OPTIONS, ...FLAG_OPTIONS, ...ALIASES.map(([short]) => short)]);
const OPTION_COUNT = OPTIONS.size;
const CANONICAL = Int32Array.from({ length: OPTION_COUNT }, (_, i) => i);
for (const [short, long] of ALIASES) CANONICAL[OPTIONS.id(short)] = OPTIONS.id(long);
const TAKES_VALUE = new Uint8Array(OPTION_COUNT);
for (const o of VALUE_OPTIONS) TAKES_VALUE[OPTIONS.id(o)] = 1;
for (const [short, long] of ALIASES) TAKES_VALUE[OPTIONS.id(short)] = TAKES_VALUE[OPTIONS.id(long)];

/** An Int32Array column that grows by doubling. */
class Column {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

interface Columns {
  text: string;
  entryKey: Column;
  valueStart: Column;
  valueEnd: Column;
  entrySection: Column;
  sectionKind: Column;
  sectionNameStart: Column;
  sectionNameEnd: Column;
  commentAt: Column;
  /** keyIndex[section * KEYS.size + key]: the section's last entry with that key, or -1. */
  keyIndex: Int32Array;
}

/** The next occurrence of one character at or after a position; lines are read in order, so each search resumes the last. */
class NextOf {
  private found = -1;
  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}
  at(from: number): number {
    if (this.found !== Infinity && this.found < from) {
      const i = this.text.indexOf(this.char, from);
      this.found = i === -1 ? Infinity : i;
    }
    return this.found;
  }
}

/** Where the line's inline comment starts (a ';' or '#' at its start or after whitespace), or lineEnd. */
function contentEnd(text: string, prefixes: NextOf[], lineStart: number, lineEnd: number): number {
  let end = lineEnd;
  for (const prefix of prefixes) {
    for (let p = prefix.at(lineStart); p < end; p = prefix.at(p + 1)) {
      if (p === lineStart || isPySpace(text.charCodeAt(p - 1))) {
        end = p;
        break;
      }
    }
  }
  return end;
}

function readColumns(text: string): Columns {
  const c: Columns = {
    text,
    entryKey: new Column(),
    valueStart: new Column(),
    valueEnd: new Column(),
    entrySection: new Column(),
    sectionKind: new Column(),
    sectionNameStart: new Column(),
    sectionNameEnd: new Column(),
    commentAt: new Column(),
    keyIndex: new Int32Array(0),
  };
  const prefixes = [new NextOf(text, ';'), new NextOf(text, '#')];
  const delimiters = [new NextOf(text, '='), new NextOf(text, ':')];
  let section = -1;
  let indent = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const content = contentEnd(text, prefixes, start, end);
    if (content !== end) c.commentAt.push(content);
    let first = start;
    while (first < content && isPySpace(text.charCodeAt(first))) first++;
    let last = content;
    while (last > first && isPySpace(text.charCodeAt(last - 1))) last--;
    if (first < last) {
      if (section >= 0 && c.entryKey.length > 0 && first - start > indent) {
        c.valueEnd.data[c.valueEnd.length - 1] = last; // a continuation line
      } else if (text.charCodeAt(first) === 91 /* [ */ && text.charCodeAt(last - 1) === 93 /* ] */) {
        let colon = text.indexOf(':', first + 1);
        if (colon === -1 || colon > last - 1) colon = last - 1;
        c.sectionKind.push(KINDS.find(text, first + 1, colon));
        c.sectionNameStart.push(first + 1);
        c.sectionNameEnd.push(last - 1);
        section = c.sectionKind.length - 1;
        indent = first - start;
      } else if (section >= 0) {
        indent = first - start;
        readEntry(c, delimiters, first, last, section);
      }
    }
    start = end + 1;
  }
  const keyIndex = new Int32Array(c.sectionKind.length * KEYS.size).fill(-1);
  for (let e = 0; e < c.entryKey.length; e++) {
    const key = c.entryKey.data[e];
    if (key >= 0) keyIndex[c.entrySection.data[e] * KEYS.size + key] = e;
  }
  c.keyIndex = keyIndex;
  return c;
}

function readEntry(c: Columns, delimiters: NextOf[], first: number, last: number, section: number): void {
  const text = c.text;
  const equals = delimiters[0].at(first);
  const colon = delimiters[1].at(first);
  const delim = Math.min(equals, colon, last);
  if (delim === last || delim === first) return;
  let keyEnd = delim;
  while (keyEnd > first && isPySpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
  let valueStart = delim + 1;
  while (valueStart < last && isPySpace(text.charCodeAt(valueStart))) valueStart++;
  c.entryKey.push(KEYS.find(text, first, keyEnd));
  c.valueStart.push(valueStart);
  c.valueEnd.push(last);
  c.entrySection.push(section);
}

interface Commands {
  tokenStart: Column;
  tokenEnd: Column;
  /** optionToken[section * OPTION_COUNT + option]: the token of the option's last use, or -1. */
  optionToken: Int32Array;
  celery: Uint8Array;
  unknownOptions: Int32Array;
}

/** Each program's command split at shlex's whitespace into token offsets, and Celery's options found among them. */
function readCommands(c: Columns): Commands {
  const text = c.text;
  const sections = c.sectionKind.length;
  const commandKey = KEYS.id('command');
  const out: Commands = {
    tokenStart: new Column(),
    tokenEnd: new Column(),
    optionToken: new Int32Array(sections * OPTION_COUNT).fill(-1),
    celery: new Uint8Array(sections),
    unknownOptions: new Int32Array(sections),
  };
  for (let s = 0; s < sections; s++) {
    const e = c.sectionKind.data[s] === PROGRAM ? c.keyIndex[s * KEYS.size + commandKey] : -1;
    if (e < 0) continue;
    const first = out.tokenStart.length;
    const end = c.valueEnd.data[e];
    for (let i = c.valueStart.data[e]; i < end; ) {
      while (i < end && isShlexWhitespace(text.charCodeAt(i))) i++;
      if (i >= end) break;
      const start = i;
      while (i < end && !isShlexWhitespace(text.charCodeAt(i))) i++;
      out.tokenStart.push(start);
      out.tokenEnd.push(i);
    }
    const last = out.tokenStart.length;
    if (last === first) continue;
    const programEnd = out.tokenEnd.data[first];
    const slash = text.lastIndexOf('/', programEnd - 1);
    const base = slash >= out.tokenStart.data[first] ? slash + 1 : out.tokenStart.data[first];
    if (programEnd - base !== 6 || !text.startsWith('celery', base)) continue;
    out.celery[s] = 1;
    for (let t = first + 1; t < last; t++) {
      const start = out.tokenStart.data[t];
      if (text.charCodeAt(start) !== 45 /* - */) continue;
      let nameEnd = out.tokenEnd.data[t];
      const equals = text.indexOf('=', start);
      if (equals !== -1 && equals < nameEnd) nameEnd = equals;
      const option = OPTIONS.find(text, start, nameEnd);
      if (option < 0) {
        out.unknownOptions[s]++;
        continue;
      }
      out.optionToken[s * OPTION_COUNT + CANONICAL[option]] = t;
      if (TAKES_VALUE[option] && nameEnd === out.tokenEnd.data[t]) t++;
    }
  }
  return out;
}

function integerIn(text: string, from: number, to: number): number {
  if (from >= to) return NaN;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

function isWord(text: string, from: number, to: number, word: string): boolean {
  return to - from === word.length && text.startsWith(word, from);
}

export interface SketchResult {
  findings: number;
  /** Programs whose --pool is threads, gevent or eventlet without --max-memory-per-child (the engine's celery-threads-without-leak-protection). */
  threadsWithoutLeakProtection: number;
}

/** The 21 checks, counting what they find. */
function runChecks(c: Columns, cmd: Commands): SketchResult {
  const text = c.text;
  const K = KEYS.size;
  const key = (s: number, k: number) => c.keyIndex[s * K + k];
  const option = (s: number, o: number) => cmd.optionToken[s * OPTION_COUNT + o];
  /** The value of the option at token t: after its '=' or the next token. */
  const equalsIn = (t: number) => {
    const equals = text.indexOf('=', cmd.tokenStart.data[t]);
    return equals !== -1 && equals < cmd.tokenEnd.data[t] ? equals : -1;
  };
  const valueStart = (t: number) => (equalsIn(t) === -1 ? cmd.tokenStart.data[t + 1] : equalsIn(t) + 1);
  const valueEnd = (t: number) => (equalsIn(t) === -1 ? cmd.tokenEnd.data[t + 1] : cmd.tokenEnd.data[t]);
  const isTrue = (s: number, k: number) => key(s, k) >= 0 && isWord(text, c.valueStart.data[key(s, k)], c.valueEnd.data[key(s, k)], 'true');
  const atLeast = (s: number, k: number, n: number) => key(s, k) >= 0 && integerIn(text, c.valueStart.data[key(s, k)], c.valueEnd.data[key(s, k)]) >= n;
  const logs = new Map<string, number>();
  /** shared-log-file: whether another program already writes to the file this entry names. */
  const sharesLog = (s: number, e: number) => {
    if (e < 0) return false;
    const path = text.slice(c.valueStart.data[e], c.valueEnd.data[e]);
    if (path === 'AUTO' || path === 'NONE') return false;
    const other = logs.get(path);
    if (other !== undefined && other !== s) return true;
    logs.set(path, s);
    return false;
  };
  const [AUTORESTART, STARTSECS, STOPWAITSECS, KILLASGROUP, STOPASGROUP, NUMPROCS, PROCESS_NAME, DIRECTORY, STDOUT, STDERR, ENVIRONMENT, PRIORITY] = [
    'autorestart', 'startsecs', 'stopwaitsecs', 'killasgroup', 'stopasgroup', 'numprocs', 'process_name', 'directory', 'stdout_logfile', 'stderr_logfile', 'environment', 'priority',
  ].map((k) => KEYS.id(k));
  const [LOGLEVEL, POOL, CONCURRENCY, MEMORY, TASKS, HOSTNAME, DETACH, LOGFILE, BEAT] = [
    '--loglevel', '--pool', '--concurrency', '--max-memory-per-child', '--max-tasks-per-child', '--hostname', '--detach', '--logfile', '--beat',
  ].map((o) => OPTIONS.id(o));
  let findings = 0;
  let threads = 0;
  const entries = c.entryKey.length;
  for (let e = 0; e < entries; e++) {
    const k = c.entryKey.data[e];
    const from = c.valueStart.data[e];
    const to = c.valueEnd.data[e];
    // unknown-key, then invalid-value for booleans and integers
    if (c.sectionKind.data[c.entrySection.data[e]] === PROGRAM && (k < 0 || !PROGRAM_KEY[k])) findings++;
    if (k === AUTORESTART || k === KILLASGROUP || k === STOPASGROUP) {
      if (!isWord(text, from, to, 'true') && !isWord(text, from, to, 'false') && !isWord(text, from, to, 'unexpected')) findings++;
    } else if ((k === STARTSECS || k === STOPWAITSECS || k === NUMPROCS || k === PRIORITY) && Number.isNaN(integerIn(text, from, to))) findings++;
  }
  const names = new Map<string, number>();
  const nodes = new Map<string, number>();
  for (let s = 0; s < c.sectionKind.length; s++) {
    if (c.sectionKind.data[s] !== PROGRAM) continue;
    const name = text.slice(text.indexOf(':', c.sectionNameStart.data[s]) + 1, c.sectionNameEnd.data[s]);
    if (names.has(name)) findings++;
    else names.set(name, s);
    const numprocs = key(s, NUMPROCS) < 0 ? 1 : integerIn(text, c.valueStart.data[key(s, NUMPROCS)], c.valueEnd.data[key(s, NUMPROCS)]);
    if (numprocs > 1 && key(s, PROCESS_NAME) < 0) findings++;
    if (sharesLog(s, key(s, STDOUT))) findings++;
    if (sharesLog(s, key(s, STDERR))) findings++;
    const env = key(s, ENVIRONMENT);
    if (env >= 0) {
      let quotes = 0;
      for (let i = c.valueStart.data[env]; i < c.valueEnd.data[env]; i++) if (text.charCodeAt(i) === 34) quotes++;
      if (quotes % 2) findings++;
    }
    if (!cmd.celery[s]) continue;
    if (!isTrue(s, AUTORESTART)) findings++;
    if (!atLeast(s, STARTSECS, 10)) findings++;
    if (!atLeast(s, STOPWAITSECS, 60)) findings++;
    if (!isTrue(s, KILLASGROUP)) findings++;
    if (option(s, LOGLEVEL) < 0) findings++;
    if (cmd.unknownOptions[s]) findings++;
    const poolToken = option(s, POOL);
    const pool = poolToken < 0 ? 'prefork' : text.slice(valueStart(poolToken), valueEnd(poolToken));
    if ((pool === 'threads' || pool === 'gevent' || pool === 'eventlet') && option(s, MEMORY) < 0) {
      findings++;
      threads++;
    }
    if (pool === 'prefork' && option(s, MEMORY) < 0 && option(s, TASKS) < 0) findings++;
    const concurrency = option(s, CONCURRENCY);
    if (concurrency >= 0 && !(integerIn(text, valueStart(concurrency), valueEnd(concurrency)) > 0)) findings++;
    const hostname = option(s, HOSTNAME);
    const node = hostname < 0 ? `celery@%h/${numprocs}` : text.slice(valueStart(hostname), valueEnd(hostname));
    if (nodes.has(node) && hostname >= 0) findings++;
    else nodes.set(node, s);
    if (option(s, DETACH) >= 0) findings++;
    if (option(s, LOGFILE) >= 0) findings++;
    if (option(s, BEAT) >= 0 && numprocs > 1) findings++;
    if (key(s, DIRECTORY) < 0) findings++;
  }
  // inline-comment-truncates-value: a comment one space after a value, with no space after its prefix ('a ;b')
  for (let i = 0; i < c.commentAt.length; i++) {
    const at = c.commentAt.data[i];
    if (text.charCodeAt(at - 1) === 32 && !isPySpace(text.charCodeAt(at - 2)) && !isPySpace(text.charCodeAt(at + 1))) findings++;
  }
  return { findings, threadsWithoutLeakProtection: threads };
}

/** Reads, splits and checks `text` the columnar way (see the file's comment). */
export function columnarSketch(text: string): SketchResult {
  const columns = readColumns(text);
  return runChecks(columns, readCommands(columns));
}
