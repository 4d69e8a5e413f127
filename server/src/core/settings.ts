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

/**
 * Reads the `supervisor` configuration section as the client sends it (nested objects, as VS Code
 * returns them) and falls back to the default for anything missing or malformed.
 */
export function settingsFrom(raw: unknown): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS, rules: {} };
  if (!isRecord(raw)) return s;
  const validate = raw.validate;
  if (isRecord(validate) && typeof validate.enable === 'boolean') s.validateEnable = validate.enable;
  if (isRecord(raw.rules)) {
    for (const [code, value] of Object.entries(raw.rules)) {
      if (typeof value === 'string' && RULE_SETTINGS.has(value)) s.rules[code] = value as RuleSetting;
    }
  }
  const celery = raw.celery;
  if (isRecord(celery)) {
    if (typeof celery.version === 'string' && /^\d+\.\d+$/.test(celery.version)) s.celeryVersion = celery.version;
    if (typeof celery.maxMemoryPerChildKiB === 'number' && Number.isInteger(celery.maxMemoryPerChildKiB) && celery.maxMemoryPerChildKiB > 0) {
      s.maxMemoryPerChildKiB = celery.maxMemoryPerChildKiB;
    }
    if (typeof celery.serverCpuCount === 'number' && Number.isInteger(celery.serverCpuCount) && celery.serverCpuCount > 0) {
      s.serverCpuCount = celery.serverCpuCount;
    }
  }
  const memmon = raw.memmon;
  if (isRecord(memmon) && typeof memmon.defaultLimit === 'string' && /^\s*\d+\s*(kb|mb|gb)?\s*$/i.test(memmon.defaultLimit)) {
    s.memmonDefaultLimit = memmon.defaultLimit.trim();
  }
  return s;
}

/** Compares "major.minor" versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am !== bm ? am - bm : (an || 0) - (bn || 0);
}
