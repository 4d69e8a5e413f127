/** Rules about how supervisor starts, stops, restarts and logs Celery programs, and how memmon reaches supervisord. */
import type { Rule } from '../rule';

export const PROCESS_RULES: readonly Rule[] = [];
