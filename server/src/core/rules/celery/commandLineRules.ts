/** Rules about how a Celery command line is written: options, values, versions, daemonizing. */
import type { Rule } from '../rule';

export const CELERY_COMMAND_LINE_RULES: readonly Rule[] = [];
