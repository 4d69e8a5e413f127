/** Rules that check the file against supervisor's own schema: sections, keys, value types, expansions. */
import type { Rule } from '../rule';
import { unknownSection } from './unknownSection';
import { unknownKey } from './unknownKey';
import { misplacedKey } from './misplacedKey';
import { missingRequiredKey } from './missingRequiredKey';
import { invalidValue } from './invalidValue';
import { invalidName } from './invalidName';
import { loglevelWarning } from './loglevelWarning';
import { invalidEnvironment } from './invalidEnvironment';
import { strayPercent } from './strayPercent';
import { unknownExpansion } from './unknownExpansion';
import { expansionNotAllowed } from './expansionNotAllowed';
import { percentExpandedTwice } from './percentExpandedTwice';
import { numprocsWithoutProcessNum } from './numprocsWithoutProcessNum';
import { numprocsZero } from './numprocsZero';
import { stopasgroupWithoutKillasgroup } from './stopasgroupWithoutKillasgroup';
import { eventlistenerRedirectStderr } from './eventlistenerRedirectStderr';
import { groupUnknownProgram } from './groupUnknownProgram';
import { groupDuplicateMember } from './groupDuplicateMember';
import { groupFcgiProgram } from './groupFcgiProgram';
import { duplicateProgramName } from './duplicateProgramName';
import { rpcinterfaceMissing } from './rpcinterfaceMissing';
import { serverAuthIncomplete } from './serverAuthIncomplete';
import { parseWarning } from './parseWarning';
import { templateFile } from './templateFile';
import { defaultSection } from './defaultSection';

export const SCHEMA_RULES: readonly Rule[] = [
  templateFile,
  unknownSection,
  defaultSection,
  unknownKey,
  misplacedKey,
  missingRequiredKey,
  invalidValue,
  invalidName,
  loglevelWarning,
  invalidEnvironment,
  strayPercent,
  unknownExpansion,
  expansionNotAllowed,
  percentExpandedTwice,
  numprocsWithoutProcessNum,
  numprocsZero,
  stopasgroupWithoutKillasgroup,
  eventlistenerRedirectStderr,
  groupUnknownProgram,
  groupDuplicateMember,
  groupFcgiProgram,
  duplicateProgramName,
  rpcinterfaceMissing,
  serverAuthIncomplete,
  parseWarning,
];
