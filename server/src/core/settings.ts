import type { Severity } from './model/types';

export type RuleSetting = Severity | 'off';

/** The `supervisor.*` settings the engine reads. Every field has a default, so a missing or null configuration is fine. */
export interface Settings {
  validateEnable: boolean;
  /** Rule code -> severity override or 'off'. */
  rules: Record<string, RuleSetting>;
  /** Celery version of the workers, "major.minor". */
  celeryVersion: string;
  maxMemoryPerChildKiB: number;
  serverCpuCount: number | null;
  /** serverCpuCount is this machine's, taken while the setting is unset because the file is checked against this machine. */
  cpuCountOfThisMachine?: true;
  memmonDefaultLimit: string;
}

/** How a message names where the core count comes from. */
export function cpuCountSource(settings: Settings): string {
  return settings.cpuCountOfThisMachine ? "this machine's core count" : 'supervisor.celery.serverCpuCount';
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  validateEnable: true,
  rules: {},
  celeryVersion: '5.2',
  maxMemoryPerChildKiB: 262144,
  serverCpuCount: null,
  memmonDefaultLimit: '512MB',
});

const RULE_SETTINGS = new Set<string>(['error', 'warning', 'information', 'hint', 'off']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An editor-only switch, `supervisor.<group>.<name>`, from the client's `supervisor` section; undefined
 * when it is missing or not a boolean (the feature's default then applies).
 */
export function editorSwitch(config: unknown, group: string, name: string): boolean | undefined {
  const settings = isRecord(config) ? config[group] : undefined;
  const value = isRecord(settings) ? settings[name] : undefined;
  return typeof value === 'boolean' ? value : undefined;
}

/** How a setting's value reads in a message: as it would be written in settings.json. */
function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Reads the `supervisor` configuration section as the client sends it (nested objects, as VS Code
 * returns them) and falls back to the default for anything missing or malformed. Each value present but
 * not used (a string for a number, a number below 1 ...) is said in `problems`, when given: settings.json
 * takes any JSON, and a value silently replaced by its default looks like a rule that ignores its setting.
 */
export function settingsFrom(raw: unknown, problems?: string[]): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS, rules: {} };
  if (!isRecord(raw)) return s;
  const ignored = (key: string, value: unknown, expected: string, instead: string) =>
    problems?.push(`supervisor.${key} is ${shown(value)}, not ${expected}: ${instead}.`);
  const validate = raw.validate;
  if (isRecord(validate) && typeof validate.enable === 'boolean') s.validateEnable = validate.enable;
  else if (isRecord(validate) && validate.enable !== undefined && validate.enable !== null) ignored('validate.enable', validate.enable, 'true or false', 'problems are reported');
  if (isRecord(raw.rules)) {
    for (const [code, value] of Object.entries(raw.rules)) {
      if (typeof value === 'string' && RULE_SETTINGS.has(value)) s.rules[code] = value as RuleSetting;
      else ignored(`rules.${code}`, value, `one of ${[...RULE_SETTINGS].join(', ')}`, 'the rule keeps its default severity');
    }
  } else if (raw.rules !== undefined && raw.rules !== null) {
    ignored('rules', raw.rules, 'an object such as { "celery-loglevel-missing": "off" }', 'every rule keeps its default severity');
  }
  const celery = raw.celery;
  if (isRecord(celery)) {
    const { version, maxMemoryPerChildKiB: kib, serverCpuCount: cpus } = celery;
    if (typeof version === 'string' && /^\d+\.\d+$/.test(version)) s.celeryVersion = version;
    else if (version !== undefined && version !== null) ignored('celery.version', version, 'a version such as "5.3"', `Celery ${s.celeryVersion} is assumed`);
    if (typeof kib === 'number' && Number.isInteger(kib) && kib > 0) s.maxMemoryPerChildKiB = kib;
    else if (kib !== undefined && kib !== null) ignored('celery.maxMemoryPerChildKiB', kib, 'a whole number of 1 or more', `fixes write ${s.maxMemoryPerChildKiB}`);
    if (typeof cpus === 'number' && Number.isInteger(cpus) && cpus > 0) s.serverCpuCount = cpus;
    else if (cpus !== undefined && cpus !== null) ignored('celery.serverCpuCount', cpus, 'a whole number of 1 or more (or null)', 'it is taken as unset');
  }
  const limit = isRecord(raw.memmon) ? raw.memmon.defaultLimit : undefined;
  if (typeof limit === 'string' && /^\s*\d+\s*(kb|mb|gb)?\s*$/i.test(limit)) s.memmonDefaultLimit = limit.trim();
  else if (limit !== undefined && limit !== null) ignored('memmon.defaultLimit', limit, 'a size such as "512MB"', `fixes write ${s.memmonDefaultLimit}`);
  return s;
}

/** Compares "major.minor" versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am !== bm ? am - bm : (an || 0) - (bn || 0);
}
