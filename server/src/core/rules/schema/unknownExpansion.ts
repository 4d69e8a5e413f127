import { schemaRule } from './util';
import { percentFindings } from './percent';

/** %(name)s with a name supervisor never offers (a typo such as %(process_number)s): supervisor refuses the file. */
export const unknownExpansion = schemaRule(
  'unknown-expansion',
  'error',
  'An %(name)s expansion supervisor does not know: it refuses the file.',
  (ctx) => percentFindings(ctx, 'unknown-expansion'),
);
