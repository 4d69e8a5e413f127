import { schemaRule } from './util';
import { percentFindings } from './percent';

/**
 * A real expansion name in a key that does not offer it, such as %(process_num)s in numprocs or
 * %(program_name)s in [supervisord]: supervisor refuses the file.
 */
export const expansionNotAllowed = schemaRule(
  'expansion-not-allowed',
  'error',
  'An %(name)s expansion this key does not offer (e.g. %(process_num)s outside command, process_name, environment, directory and log keys).',
  (ctx) => percentFindings(ctx, 'expansion-not-allowed'),
);
