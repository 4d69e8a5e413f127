/** Rules about how supervisor starts, stops, restarts and logs Celery programs, and how memmon reaches supervisord. */
import type { Rule } from '../rule';
import { celeryStopwaitsecsShort } from './stopwaitsecsShort';
import { celeryKillasgroupMissing } from './killasgroupMissing';
import { celeryStopasgroupPrefork } from './stopasgroupPrefork';
import { celeryStopSignal } from './stopSignal';
import { celeryAutorestartNotTrue } from './autorestartNotTrue';
import { celeryStartsecsShort } from './startsecsShort';
import { celeryLogsAuto } from './logsAuto';
import { celeryRunsAsRoot } from './runsAsRoot';
import { sharedLogFile } from './sharedLogFile';
import { pathNotFound } from './pathNotFound';
import { userNotFound } from './userNotFound';
import { folderNotFound } from './folderNotFound';
import { inlineCommentTruncatesValue } from './inlineCommentTruncates';
import { shellVariableNotExpanded } from './shellVariable';
import { environmentVariableNotFound } from './environmentVariableNotFound';
import { tildeNotExpanded } from './tildeNotExpanded';
import { sourceInSh } from './sourceInSh';
import { runuserWithoutDoubleDash } from './runuserWithoutDoubleDash';
import { celeryShellWithoutExec } from './shellWithoutExec';
import { memmonNoRpc } from '../memmon/noRpc';
import { memmonAuthMissing } from '../memmon/authMissing';
import { memmonOverlap } from '../memmon/overlap';

export const PROCESS_RULES: readonly Rule[] = [
  celeryStopwaitsecsShort,
  celeryKillasgroupMissing,
  celeryStopasgroupPrefork,
  celeryShellWithoutExec,
  celeryStopSignal,
  celeryAutorestartNotTrue,
  celeryStartsecsShort,
  celeryLogsAuto,
  celeryRunsAsRoot,
  sharedLogFile,
  pathNotFound,
  userNotFound,
  folderNotFound,
  inlineCommentTruncatesValue,
  shellVariableNotExpanded,
  tildeNotExpanded,
  sourceInSh,
  runuserWithoutDoubleDash,
  environmentVariableNotFound,
  memmonNoRpc,
  memmonAuthMissing,
  memmonOverlap,
];
