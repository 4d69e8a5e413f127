/**
 * The memmon listener fix that several rules offer: watch a program with superlance memmon, by adding
 * `-p NAME=SIZE` to an existing listener or by appending an [eventlistener:memmon] section (and, in a
 * main file, the XML-RPC sections memmon needs to reach supervisord).
 */
import type { Deployment, ProgramView } from '../../deployment';
import type { TextEdit } from '../../model/types';
import type { Fix, RuleContext } from '../rule';
import type { Settings } from '../../settings';
import { insertAt } from '../../commandEdits';
import { appendLines } from '../../edits';
import { acceptedMemmonSize, cumulativeLowersLimits } from './limitTooLow';
import { processExpansions } from '../process/programKeys';
import { expandTemplate } from '../../model/percent';

/**
 * Where memmon lives: next to the worker's own celery (or python) when that path is absolute. The path
 * goes into a section of its own, where %(program_name)s and the like name the listener: the worker's
 * names are expanded first, and a path that needs a name the file does not say gives plain `memmon`.
 */
export function memmonExecutableFor(program: ProgramView): string {
  const c = program.celery;
  const path = c?.celeryExecutablePath ?? (c?.viaPythonM ? c.executable : undefined);
  if (!path || !path.startsWith('/') || path.lastIndexOf('/') <= 0) return 'memmon';
  const folder = path.slice(0, path.lastIndexOf('/'));
  if (folder.includes('\n')) return 'memmon'; // a template expression across a continuation line: not one line's worth
  if (!PROGRAM_NAMES.test(folder)) return `${folder}/memmon`;
  const names = processExpansions(program);
  const expanded = names && expandTemplate(folder, names);
  return expanded === undefined ? 'memmon' : `${escapePercent(expanded)}/memmon`;
}

/** The expansions whose value differs between the worker's section and the listener's. */
const PROGRAM_NAMES = /%\((?:program_name|group_name|process_num|numprocs)\)/;

const escapePercent = (s: string) => s.replace(/%/g, '%%');

/** One argument as supervisor's shlex.split reads it back: quoted when needed (in shlex's double quotes only " and \\ are escapes). */
function shellArg(s: string): string {
  return /^[A-Za-z0-9_.:@%+=,\/-]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * memmon selectors for a program: `-g NAME` when the program is its own group and runs several
 * processes, else one `-p` per process name (memmon compares process names exactly).
 */
export function memmonSelectors(program: ProgramView, size: string): string[] | undefined {
  if (program.group === program.name && (program.numprocs > 1 || !program.processNames)) return [`-g ${shellArg(`${escapePercent(program.name)}=${size}`)}`];
  if (!program.processNames || program.processNames.length === 0 || program.processNames.length > 16) return undefined;
  return program.processNames.map((n) => `-p ${shellArg(`${escapePercent(n)}=${size}`)}`);
}

const rpcLines = new WeakMap<Deployment, readonly string[]>();

/** Remembered per deployment: every worker's fix would otherwise collect the section names again. */
function rpcSectionsMissing(deployment: Deployment): readonly string[] {
  let lines = rpcLines.get(deployment);
  if (!lines) rpcLines.set(deployment, (lines = rpcSectionsMissingUncached(deployment)));
  return lines;
}

function rpcSectionsMissingUncached(deployment: Deployment): string[] {
  if (!deployment.isMainFile) return []; // a fragment: the main file may well have them
  const names = new Set(deployment.doc.sections.map((s) => s.name));
  const lines: string[] = [];
  if (!names.has('unix_http_server') && !names.has('inet_http_server')) {
    lines.push('[unix_http_server]', 'file=/var/run/supervisor.sock', 'chmod=0700', '');
  }
  if (!names.has('rpcinterface:supervisor')) {
    lines.push('[rpcinterface:supervisor]', 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface', '');
  }
  return lines;
}

function freeListenerName(deployment: Deployment): string {
  const taken = (n: string) => deployment.byName.has(n);
  if (!taken('memmon')) return 'memmon';
  for (let i = 2; ; i++) if (!taken(`memmon${i}`)) return `memmon${i}`;
}

type Listener = Deployment['memmonListeners'][number];

const listenersTakingC = new WeakMap<Deployment, { settings: Settings; listener: Listener | undefined }>();

/**
 * The first listener of this file that has -c, or can get it without bringing its other limits under
 * memmon-limit-too-low's floor. Remembered per deployment: "Fix all" builds every worker's fix.
 */
function listenerTakingC(ctx: RuleContext): Listener | undefined {
  const known = listenersTakingC.get(ctx.deployment);
  if (known?.settings === ctx.settings) return known.listener;
  const listener = ctx.deployment.memmonListeners.find((l) => l.memmon.cumulative || !cumulativeLowersLimits(ctx.deployment, ctx.settings, l.memmon));
  listenersTakingC.set(ctx.deployment, { settings: ctx.settings, listener });
  return listener;
}

/**
 * The edits that make memmon watch `program`, or undefined when its process names cannot be known.
 * `cumulative` asks for -c (a prefork worker's memory sits in its pool children). The size is one
 * memmon-limit-too-low accepts: with -c memmon adds up the worker's main process and its pool.
 * `keepsPool` false: the caller switches the worker to a one-process pool (the gevent refactor).
 * A listener of this file takes the -p unless the -c it would need brings its other limits under
 * the floor; then the fix adds a listener of its own.
 */
export function memmonWatchEdits(ctx: RuleContext, program: ProgramView, cumulative: boolean, keepsPool = true): { edits: TextEdit[]; title: string; size: string } | undefined {
  const sizeWith = (counted: boolean) => acceptedMemmonSize(ctx.settings, keepsPool ? program.celery : undefined, counted);
  const existing = cumulative ? listenerTakingC(ctx) : ctx.deployment.memmonListeners[0];
  if (existing) {
    const size = sizeWith(cumulative || !!existing.memmon.cumulative);
    const selectors = memmonSelectors(program, size);
    if (!selectors) return undefined;
    const addC = cumulative && !existing.memmon.cumulative ? ' -c' : '';
    return {
      title: `Watch '${program.name}' with the memmon listener [eventlistener:${existing.name}] (restart above ${size})`,
      edits: [insertAt(existing.command, existing.memmon.endOffset, `${addC} ${selectors.join(' ')}`)],
      size,
    };
  }
  const size = sizeWith(cumulative);
  const selectors = memmonSelectors(program, size);
  if (!selectors) return undefined;
  const name = freeListenerName(ctx.deployment);
  const lines = [
    ...rpcSectionsMissing(ctx.deployment),
    `[eventlistener:${name}]`,
    `command=${memmonExecutableFor(program)}${cumulative ? ' -c' : ''} ${selectors.join(' ')}`,
    'events=TICK_60',
  ];
  return {
    title: `Add a memmon listener that restarts '${program.name}' above ${size} (needs superlance installed)`,
    edits: [appendLines(ctx.doc, lines)],
    size,
  };
}

/**
 * `preferred` adds isPreferred: true (after the other fields, as `{ ...fix, isPreferred: true }` would).
 * `titleFor` words the fix for a caller that does more (it gets the size the fix writes).
 */
export function memmonFix(ctx: RuleContext, program: ProgramView, cumulative: boolean, extraEdits?: TextEdit[], preferred = false, titleFor?: (size: string) => string): Fix | undefined {
  const watch = memmonWatchEdits(ctx, program, cumulative);
  if (!watch) return undefined;
  const edits = extraEdits && extraEdits.length ? [...extraEdits, ...watch.edits] : watch.edits;
  const title = titleFor ? titleFor(watch.size) : watch.title;
  // Needs superlance on the server: never applied blindly by "fix all".
  return preferred ? { title, edits, safeForFixAll: false, isPreferred: true } : { title, edits, safeForFixAll: false };
}
