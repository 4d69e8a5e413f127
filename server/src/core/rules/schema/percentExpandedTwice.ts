import { schemaRule } from './util';
import { percentFindings } from './percent';

/**
 * supervisor 4.2.x expands stdout_logfile, stderr_logfile and [supervisord] environment twice, so
 * the usual %% escape becomes a lone % in the second pass and supervisor refuses the file (SUP017).
 */
export const percentExpandedTwice = schemaRule(
  'percent-expanded-twice',
  'error',
  '%% in a value supervisor 4.2.x expands twice (stdout_logfile, stderr_logfile, [supervisord] environment): it needs %%%%.',
  (ctx) => percentFindings(ctx, 'percent-expanded-twice'),
);
