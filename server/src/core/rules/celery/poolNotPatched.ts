import type { Finding, Fix, Rule, RuleContext } from '../rule';
import type { CeleryCommand, CeleryOption } from '../../command/celery';
import { formatOption, insertOptionWords, optionStyle, replaceSpan, spanRange, subcommandRange } from '../../commandEdits';
import { removeOptionsEdits, unlessUnknownArguments, versionBefore } from './commandLine';
import { POOL_FROM_ENVIRONMENT, POOL_VARIABLE, workerFacts, type CeleryProgram } from './workers';

/** The pools that celery/__init__.py's maybe_patch_concurrency monkey-patches for. */
const PATCHED_POOLS: ReadonlySet<string> = new Set(['gevent', 'eventlet']);

/**
 * What maybe_patch_concurrency (celery/__init__.py, run by `celery` before click parses anything) finds in
 * the whole argv with _find_option_with_arg: the first word that is exactly `-P` (the next word is the
 * pool) or `--pool` / `--pool=...`; undefined when there is none. It knows neither glued (`-Pgevent`) nor
 * combined (`-EPgevent`) short options.
 */
function poolSeenEarly(c: CeleryCommand): CeleryOption | undefined {
  let first: CeleryOption | undefined;
  for (const list of [c.globalOptions, c.options, c.misplacedGlobalOptions]) {
    for (let k = 0; k < list.length; k++) {
      const o = list[k];
      const standalone = o.spelling === '-P' ? o.form === 'separate' && !o.combined : o.spelling === '--pool' && (o.form === 'separate' || o.form === 'equals');
      if (standalone && (first === undefined || o.start < first.start)) first = o;
    }
  }
  return first;
}

/**
 * celery.__main__ skips the patching when any word of the argv is 'multi', to leave `celery multi` (which
 * starts workers of its own) alone. Here: the sub-command or a stray word (other rules report it).
 */
function runsMulti(c: CeleryCommand): boolean {
  return c.subcommandText === 'multi' || c.positionals.some((w) => w.text === 'multi');
}

/** The options whose value is the argv word 'multi' (`-Q multi`, `--hostname multi`), which turn the patching off as well. */
function multiValueOptions(c: CeleryCommand): CeleryOption[] {
  const found: CeleryOption[] = [];
  for (const list of [c.globalOptions, c.options, c.misplacedGlobalOptions]) {
    for (let k = 0; k < list.length; k++) if (list[k].form === 'separate' && list[k].value === 'multi' && list[k].known) found.push(list[k]);
  }
  return found.sort((a, b) => a.start - b.start);
}

/** `-Q multi` written as one argument: `--queues=multi`; `-Omulti` for an option without a long name (click reads `-O=multi` as '=multi'). */
function multiWritten(o: CeleryOption): string {
  return o.name.startsWith('--') ? `${o.name}=multi` : `${o.spelling.length === 2 ? o.spelling : o.name}multi`;
}

/** `-Q multi` turned the patching off: written `--queues=multi`, the value is no word of its own (every such option, or one left turns it off). */
function reportMultiValue(ctx: RuleContext, code: string, p: CeleryProgram, pool: string, options: readonly CeleryOption[], findings: Finding[]): void {
  const o = options[0];
  const written = multiWritten(o);
  const edits = options.flatMap((m) =>
    m.name.startsWith('--')
      ? // In a cluster (`-EQ multi`) the option starts at its letter: the letters before it stay, a space apart.
        replaceSpan(p.command, m.start, m.end, `${m.combined ? ' ' : ''}${multiWritten(m)}`)
      : replaceSpan(p.command, m.nameEnd, m.end, 'multi'),
  );
  findings.push({
    code,
    severity: 'warning',
    message: `Worker '${p.name}' runs the ${pool} pool without monkey-patching: '${o.spelling} multi' puts the word 'multi' on the command line, and Celery's entry point skips the patching whenever an argument is exactly 'multi' (it takes the command for \`celery multi\`). Unpatched, sockets and sleeps block, so one task waiting on the network stalls every other greenlet of the worker. Write '${written}', one argument.`,
    range: spanRange(p.command, o.start, o.end),
    fixes: [{ title: options.length > 1 ? `Write ${options.map(multiWritten).join(' and ')}` : `Write ${written}`, edits, isPreferred: true }],
  });
}

/**
 * The fix: the other pool options go, and the one click uses is written `-P gevent` where it is glued or
 * combined, so that the early look and click find the same pool.
 */
function patchedFix(ctx: RuleContext, p: CeleryProgram, used: CeleryOption, pool: string): Fix | undefined {
  const c = p.celery;
  const others = c.options.filter((o) => o !== used && o.name === '--pool' && o.known);
  const edits = others.length ? removeOptionsEdits(ctx.doc, p, others) : [];
  if (!edits) return undefined;
  if (used.form === 'glued') {
    if (used.valueStart === undefined || p.command.value.slice(used.valueStart, used.end) !== pool) return undefined;
    // `-Pgevent` -> `-P gevent`; in a cluster (`-EPgevent`) the P and its value leave it: `-E -P gevent`.
    edits.push(...replaceSpan(p.command, used.combined ? used.nameStart : used.start, used.end, `${used.combined ? ' ' : ''}-P ${pool}`));
  }
  return { title: used.form === 'glued' ? `Write -P ${pool}` : `Keep only the last pool option (-P ${pool})`, edits, isPreferred: true };
}

/**
 * A gevent or eventlet pool that only CELERY_WORKER_POOL names: click takes it, but maybe_patch_concurrency
 * looks at the argv alone, so the pool runs unpatched. The fix writes the pool into the command, where
 * both find it (click prefers the command line to the variable).
 */
function reportEnvironmentPool(ctx: RuleContext, code: string, p: CeleryProgram, pool: string, findings: Finding[]): void {
  const c = p.celery;
  const written = formatOption(optionStyle(c), '--pool', '-P', pool);
  const finding = unlessUnknownArguments(
    {
      code,
      severity: 'warning' as const,
      message: `Worker '${p.name}' runs the ${pool} pool without monkey-patching: the pool comes from ${POOL_VARIABLE}, which click reads where -P/--pool is not given, but Celery applies ${pool}'s monkey-patching before click reads anything, from a look at the command-line arguments alone (maybe_patch_concurrency), which finds no pool there. Unpatched, sockets and sleeps block, so one task waiting on the network stalls every other greenlet of the worker. Write '${written.trim()}' in the command.`,
      range: subcommandRange(p.command, c),
    },
    '-P/--pool',
    c,
  );
  findings.push({ ...finding, fixes: [{ title: `Add ${written.trim()}`, edits: insertOptionWords(p.command, c, c.insertOffset, written), isPreferred: true }] });
}

/**
 * A gevent or eventlet worker that runs without monkey-patching: `celery` patches the standard library
 * before click reads the command line, from a simpler look at the arguments that misses `-Pgevent` and
 * `-EPgevent` and takes the first `-P` where click takes the last.
 */
export const celeryPoolNotPatched: Rule = {
  code: 'celery-pool-not-patched',
  defaultSeverity: 'warning',
  summary: 'A gevent/eventlet pool written so that Celery does not monkey-patch for it (-Pgevent, -EPgevent, an earlier -P): blocking I/O stalls the whole worker.',
  check(ctx) {
    if (versionBefore(ctx.settings, '5.0')) return [];
    const findings: Finding[] = [];
    const { workers, pools, poolOptions, flags } = workerFacts(ctx.deployment);
    for (let i = 0; i < workers.length; i++) {
      const used = poolOptions[i];
      const pool = pools[i];
      if (!PATCHED_POOLS.has(pool)) continue;
      const p = workers[i];
      const c = p.celery;
      if (c.legacyExecutable || c.managePy || runsMulti(c)) continue;
      const multiOptions = multiValueOptions(c);
      const multi = multiOptions.length > 0;
      if (multi) reportMultiValue(ctx, this.code, p, pool, multiOptions, findings);
      else if (flags[i] & POOL_FROM_ENVIRONMENT) reportEnvironmentPool(ctx, this.code, p, pool, findings);
      if (multi || flags[i] & POOL_FROM_ENVIRONMENT) continue;
      if (!used || used.invalidEquals || !used.known) continue;
      const early = poolSeenEarly(c);
      if (early === used || early?.value === pool) continue;
      // The whole word: in a cluster (`-EPgevent`) the option starts at its letter.
      let wordStart = used.start;
      while (wordStart > 0 && !/\s/.test(p.command.value[wordStart - 1])) wordStart--;
      const written = p.command.value.slice(wordStart, used.end);
      const why =
        early === undefined
          ? `Celery applies ${pool}'s monkey-patching before click reads the command line, from a simpler look at the arguments (maybe_patch_concurrency) that finds only '-P ${pool}', '--pool ${pool}' or '--pool=${pool}' and not the ${used.combined ? 'combined' : 'glued'} form '${written}'`
          : `Celery applies the monkey-patching before click reads the command line, from a simpler look at the arguments (maybe_patch_concurrency) that takes the first pool option (${early.spelling} ${early.value ?? ''}) where click takes the last`;
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `Worker '${p.name}' runs the ${pool} pool without monkey-patching: ${why}. Unpatched, sockets and sleeps block, so one task waiting on the network stalls every other greenlet of the worker. Write '-P ${pool}' as the only pool option.`,
        range: spanRange(p.command, early === undefined ? wordStart : used.start, used.end),
        fixes: [patchedFix(ctx, p, used, pool)].filter((f): f is Fix => f !== undefined),
      });
    }
    return findings;
  },
};
