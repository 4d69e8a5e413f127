/** Every rule the engine runs. Findings are sorted by position afterwards, so the order here is only for listings. */
import type { Rule } from './rule';
import { duplicateSection, invalidLine, missingSectionHeader, utf8Bom } from './parserProblems';
import { duplicateKey } from './duplicateKey';
import { invalidUtf8 } from './invalidUtf8';
import { indentedSectionHeader } from './indentedSectionHeader';
import { celeryLoglevelMissing } from './celery/loglevelMissing';
import { celeryMemoryLimitMissing } from './celery/memoryLimitMissing';
import { celeryMemoryLimitIgnored } from './celery/memoryLimitIgnored';
import { celeryMemoryLimitTooLow } from './celery/memoryLimitTooLow';
import { celeryThreadsWithoutLeakProtection } from './celery/threadsWithoutLeakProtection';
import { memmonChildrenNotCounted } from './memmon/childrenNotCounted';
import { memmonUnknownProcess } from './memmon/unknownProcess';
import { memmonQualifiedName } from './memmon/qualifiedName';
import { memmonInvalidSize } from './memmon/invalidSize';
import { memmonInvalidOption } from './memmon/invalidOption';
import { memmonLimitTooLow } from './memmon/limitTooLow';
import { memmonTickMissing } from './memmon/tickMissing';
import { includeInFragment } from './deployment/includeInFragment';
import { supervisorctlInFragment } from './deployment/supervisorctlInFragment';
import { duplicateSectionAcrossFiles } from './deployment/duplicateSectionAcrossFiles';
import { includeMatchesNothing } from './deployment/includeMatchesNothing';
import { CELERY_COMMAND_LINE_RULES } from './celery/commandLineRules';
import { PROCESS_RULES } from './process/processRules';
import { SCHEMA_RULES } from './schema/schemaRules';

export const RULES: readonly Rule[] = [
  // the file itself
  invalidUtf8,
  utf8Bom,
  missingSectionHeader,
  invalidLine,
  duplicateSection,
  duplicateKey,
  indentedSectionHeader,
  // several files of one deployment
  duplicateSectionAcrossFiles,
  includeInFragment,
  includeMatchesNothing,
  supervisorctlInFragment,
  // Celery workers
  celeryLoglevelMissing,
  celeryMemoryLimitMissing,
  celeryMemoryLimitIgnored,
  celeryMemoryLimitTooLow,
  celeryThreadsWithoutLeakProtection,
  // memmon
  memmonChildrenNotCounted,
  memmonUnknownProcess,
  memmonQualifiedName,
  memmonInvalidSize,
  memmonInvalidOption,
  memmonLimitTooLow,
  memmonTickMissing,
  ...CELERY_COMMAND_LINE_RULES,
  ...PROCESS_RULES,
  ...SCHEMA_RULES,
];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleFor(code: string): Rule | undefined {
  return BY_CODE.get(code);
}
