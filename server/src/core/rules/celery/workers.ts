import type { Deployment } from '../../deployment';
import { poolOf, isProcessPool, isThreadOrGreenletPool } from '../../command/celery';

export type CeleryProgram = Deployment['celeryPrograms'][number];

const workersOf = new WeakMap<Deployment, CeleryProgram[]>();

/** The programs that run `celery worker` (not beat, flower or other sub-commands); computed once per analysis. */
export function celeryWorkers(deployment: Deployment): CeleryProgram[] {
  let workers = workersOf.get(deployment);
  if (!workers) workersOf.set(deployment, (workers = deployment.celeryPrograms.filter((p) => p.celery.subcommand === 'worker')));
  return workers;
}

/** prefork (the default) or its alias processes: the pools where per-child limits work. */
export function runsProcessPool(p: CeleryProgram): boolean {
  return isProcessPool(poolOf(p.celery));
}

export function runsThreadOrGreenletPool(p: CeleryProgram): boolean {
  return isThreadOrGreenletPool(poolOf(p.celery));
}

export function kib(n: number): string {
  return n >= 1024 ? `${Math.round((n / 1024) * 10) / 10} MB` : `${n} KiB`;
}
