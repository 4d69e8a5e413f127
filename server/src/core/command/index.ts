/** Command-line readers for supervisor `command=` values (offset space of the effective value). */
export { splitArgv, tokenTextRange, tokenBoundary, basename, type ArgToken, type ArgvResult, type ArgvError } from './argv';
export {
  readCeleryCommand,
  poolOf,
  optionRemoval,
  isProcessPool,
  isThreadOrGreenletPool,
  type CeleryCommand,
  type CeleryOption,
  type CelerySubcommand,
  type CeleryPositional,
} from './celery';
export * from './celeryOptions';
export { readMemmonCommand, parseByteSize, type MemmonCommand, type MemmonLimit, type MemmonOption } from './memmon';
