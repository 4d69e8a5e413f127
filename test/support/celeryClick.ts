/** Celery's own command-line parser (click, from Debian's python3-celery) as ground truth. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(REPO_ROOT, 'test', 'support', 'celery_argv.py');
/** CI installs python3-celery and sets this, so that the comparison runs there instead of skipping. */
const MUST_NOT_SKIP = process.env.SUPERVISOR_TESTS_REQUIRE_CELERY === '1';

/** `crash`: celery fails on the value with a traceback instead of a message (click's `error` is then empty). */
export type ClickResult = { ok: true; sub: string; params: Record<string, string> } | { ok: false; error: string; crash?: string };

/** Why celery's parser cannot run here, or undefined when it can. Throws instead when CI requires it. */
export function celeryUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import celery, click; assert celery.__version__.startswith("5.")'], { encoding: 'utf8' });
  const reason = probe.error ? `${PYTHON} not found` : probe.status !== 0 ? "Python package 'celery' 5.x missing (apt-get install -y python3-celery)" : undefined;
  if (reason && MUST_NOT_SKIP) throw new Error(`celery's parser is required here but unavailable: ${reason}`);
  return reason;
}

/** What celery's click makes of each argv (the arguments after `celery`), in one Python process. */
export function clickParse(argvs: readonly string[][]): ClickResult[] {
  const r = spawnSync(PYTHON, [SCRIPT], { input: argvs.map((a) => JSON.stringify(a)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`celery_argv.py failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((line) => JSON.parse(line) as ClickResult);
}
