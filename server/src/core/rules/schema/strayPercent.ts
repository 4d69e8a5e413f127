import { schemaRule } from './util';
import { percentFindings } from './percent';

/**
 * A % that is neither %% nor a %(name)s expansion (CEL010). supervisor runs values through Python
 * %-formatting, so `-n worker@%h` or `100%` make it refuse the file. Also numeric conversions of text
 * names (%(program_name)d) and a lone %s, which supervisor fills with a dump of its names: a warning
 * in a text value, an error in a value it converts (priority=%s), which the dump never is.
 */
export const strayPercent = schemaRule(
  'stray-percent',
  'error',
  'A % that is not %% or %(name)s: supervisor refuses the file (Celery placeholders such as %h must be written %%h).',
  (ctx) => percentFindings(ctx, 'stray-percent'),
);
