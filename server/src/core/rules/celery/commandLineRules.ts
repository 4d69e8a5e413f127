/** Rules about how a Celery command line is written: options, values, versions, daemonizing. */
import type { Rule } from '../rule';
import { celeryConcurrencyAboveCores } from './concurrencyAboveCores';
import { celeryIoPoolConcurrencyMissing } from './ioPoolConcurrencyMissing';
import { celeryDuplicateNodeName } from './duplicateNodeName';
import { celery4Syntax } from './celery4Syntax';
import { celeryRemovedOption } from './removedOption';
import { celeryDjangoCeleryCommand } from './djangoCeleryCommand';
import { celeryInvalidOptionValue } from './invalidOptionValue';
import { celeryUnknownOption } from './unknownOption';
import { celeryStrayArgument } from './strayArgument';
import { celeryUnknownCommand } from './unknownCommand';
import { celeryPoolNotPatched } from './poolNotPatched';
import { celeryOptionIgnoredByPool } from './optionIgnoredByPool';
import { celeryDaemonizes } from './daemonizes';
import { celeryBeatDuplicate } from './beatDuplicate';
import { celeryWorkdirMissing } from './workdirMissing';

export const CELERY_COMMAND_LINE_RULES: readonly Rule[] = [
  celery4Syntax,
  celeryRemovedOption,
  celeryDjangoCeleryCommand,
  celeryUnknownOption,
  celeryStrayArgument,
  celeryUnknownCommand,
  celeryInvalidOptionValue,
  celeryDaemonizes,
  celeryWorkdirMissing,
  celeryDuplicateNodeName,
  celeryBeatDuplicate,
  celeryOptionIgnoredByPool,
  celeryPoolNotPatched,
  celeryConcurrencyAboveCores,
  celeryIoPoolConcurrencyMissing,
];
