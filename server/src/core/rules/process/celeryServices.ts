import type { Deployment } from '../../deployment';
import type { CeleryProgram } from '../celery/workers';
import { selection } from '../selection';

/**
 * The Celery programs that run as long-lived services: worker, beat, flower, events. `celery multi`
 * daemonizes (another rule's business) and one-shot commands (inspect, purge ...) have no startup phase.
 */
const servicesOf = new WeakMap<Deployment, CeleryProgram[]>();

/** Computed once per analysis (callers never change the list). */
export function celeryServices(deployment: Deployment): CeleryProgram[] {
  let services = servicesOf.get(deployment);
  if (!services) servicesOf.set(deployment, (services = selection(deployment.celeryPrograms, isService)));
  return services;
}

function isService(p: CeleryProgram): boolean {
  const sub = p.celery.subcommand;
  return sub === 'worker' || sub === 'beat' || sub === 'flower' || (sub === 'other' && p.celery.subcommandText === 'events');
}

export function describe(p: CeleryProgram): string {
  const sub = p.celery.subcommand === 'other' ? p.celery.subcommandText ?? 'celery' : p.celery.subcommand;
  return `${sub === 'worker' ? 'Worker' : `Celery ${sub}`} '${p.name}'`;
}
