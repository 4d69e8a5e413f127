import type { CeleryCommand } from '../../command/celery';
import type { WrapperWord } from '../../command/invocation';

/**
 * Where supervisor's stop signal, sent to the program's pid, stops on its way to Celery:
 * - 'group': a wrapper passes it on to its whole process group (timeout without --foreground), so Celery's
 *   pool processes get it too, whatever follows;
 * - 'drops': a wrapper keeps Celery as its child and never passes this signal on (flock without -F; su and
 *   runuser for INT, QUIT or HUP; timeout for a signal it does not relay), so Celery runs on;
 * - 'shell': a shell keeps Celery as its child and exits on it (no exec, no trap that passes it on);
 * - 'kills': su or runuser pass TERM on and send SIGKILL 2 s later; nothing after them stops it (a 'group'
 *   names them too, as `killing`).
 * undefined when it reaches Celery (or when what a wrapper does with this signal is not known).
 */
export type SignalStop = { kind: 'drops' | 'kills'; word: WrapperWord } | { kind: 'group'; word: WrapperWord; killing?: WrapperWord } | { kind: 'shell' };

/**
 * The signals timeout catches and passes on (coreutils timeout.c); each also starts its -k countdown. su and
 * runuser pass on TERM alone (checked with util-linux 2.38).
 */
export const RELAYED_BY_TIMEOUT: ReadonlySet<string> = new Set(['TERM', 'INT', 'QUIT', 'HUP']);
const SWALLOWED_BY_SU = new Set(['INT', 'QUIT', 'HUP']);
/** Signals whose fate is judged; any other (a %(ENV_X)s, a rare name) leaves the way unknown. */
const JUDGED = new Set(['TERM', 'INT', 'QUIT', 'HUP', 'KILL', 'USR1', 'USR2']);

/**
 * Follows `stop` (a signal name without SIG, e.g. 'TERM') from the outermost wrapper through the shell to
 * Celery: the wrappers in front of the shell, the shell, then those inside its script.
 */
export function signalStop(c: CeleryCommand, stop: string | undefined): SignalStop | undefined {
  // A shell that waits for Celery keeps the signal, unless its script traps it and passes it on.
  const shellKeepsIt = c.shellWaits === true && !(stop !== undefined && c.shellTraps?.includes(stop));
  // Shells in shells: only the innermost one is known (whether the outer one waits is not), so only what it
  // does is told.
  if (c.shellNested) return shellKeepsIt ? { kind: 'shell' } : undefined;
  const words = c.wrapperWords ?? [];
  const outside = words.filter((w) => w.outsideShell);
  const inside = words.filter((w) => !w.outsideShell);
  let killing: WrapperWord | undefined;
  const step = (w: WrapperWord): SignalStop | 'on' | 'unknown' => {
    switch (w.signals) {
      case 'exec':
      case 'relays':
        return 'on';
      case 'relays-to-group': {
        if (stop === undefined || !JUDGED.has(stop)) return 'unknown';
        if (!RELAYED_BY_TIMEOUT.has(stop)) return { kind: 'drops', word: w };
        // The group's signal reaches su or runuser too, wherever they are, and they still kill 2 s later.
        const kills = killing ?? (stop === 'TERM' ? words.find((x) => x.signals === 'kills') : undefined);
        return kills ? { kind: 'group', word: w, killing: kills } : { kind: 'group', word: w };
      }
      case 'drops':
        return { kind: 'drops', word: w };
      case 'kills':
        if (stop === 'TERM') {
          killing ??= w;
          return 'on';
        }
        return stop !== undefined && SWALLOWED_BY_SU.has(stop) ? { kind: 'drops', word: w } : 'unknown';
    }
  };
  /** The first of `list` that stops the signal ('unknown' where a wrapper's answer is not known), or 'on'. */
  const firstStop = (list: WrapperWord[]): SignalStop | 'on' | 'unknown' => {
    for (const w of list) {
      const s = step(w);
      if (s !== 'on') return s;
    }
    return 'on';
  };
  const before = firstStop(outside);
  if (before !== 'on') return before === 'unknown' ? undefined : before;
  if (shellKeepsIt) return { kind: 'shell' };
  const after = firstStop(inside);
  if (after !== 'on') return after === 'unknown' ? undefined : after;
  return killing && { kind: 'kills', word: killing };
}

/**
 * The process supervisor started that is still there when it sends SIGKILL to the program's pid (no
 * killasgroup): the first, from the outermost wrapper inwards, that does not replace itself with the next
 * one. SIGKILL is not passed on by anyone, so unlike signalStop this is no signal's path: a wrapper that
 * stays the parent, else a shell that runs Celery as its child (`sh -c "cd /srv && celery ..."`), else a
 * wrapper inside the script, else Celery itself. undefined where a shell's choice is not known (bash
 * replaces itself with the last command of a plain list from 5.2 on, older bash may not; shells in shells).
 */
export function killedProcess(c: CeleryCommand): { kind: 'wrapper'; word: WrapperWord } | { kind: 'shell'; name: string } | { kind: 'celery' } | undefined {
  const words = c.wrapperWords ?? [];
  const parent = words.find((w) => w.outsideShell && w.signals !== 'exec');
  if (parent) return { kind: 'wrapper', word: parent };
  if (c.viaShell) {
    if (c.shellNested) return undefined;
    if (c.shellWaits) return { kind: 'shell', name: c.shell || 'the shell' };
    if (!c.shellExec) return undefined;
  }
  const inner = words.find((w) => !w.outsideShell && w.signals !== 'exec');
  return inner ? { kind: 'wrapper', word: inner } : { kind: 'celery' };
}
