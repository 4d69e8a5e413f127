/** .supervisor-lint.json: finding the nearest one, validating it against the schema, turning it into settings. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import configSchema from '../../../schemas/supervisor-lint.schema.json';
import { settingsFrom, type Settings } from '../core/settings';
import type { Options } from './args';
import { catalogue } from './catalogue';
import { closest } from '../core/rules/schema/util';

const CONFIG_NAME = '.supervisor-lint.json';

function configError(message: string): never {
  process.stderr.write(`supervisor-lint: ${message}\n`);
  process.exit(2);
}

let validateConfig: ReturnType<Ajv['compile']> | undefined;

/** Ajv's errors as one line each: where in the file, and what is wrong there in words. */
function describeSchemaError(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') : 'the top level';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      if (e.instancePath === '/rules') {
        const guess = closest(key, catalogue().map((r) => r.code), 3);
        return `rules: unknown rule code ${JSON.stringify(key)}${guess ? ` (did you mean ${guess}?)` : ''}; --list-rules lists them all`;
      }
      return `unknown key ${JSON.stringify(key)} in ${where}`;
    }
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${where} must be of type ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

/** Reads and checks a config file; exits with 2 and the reason when it is unreadable, not JSON or off the schema. */
function loadConfig(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message);
    configError(`cannot read config file ${file}: ${reason}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    configError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    configError(`${file}: must be a JSON object like {"rules": {"celery-startsecs-short": "off"}}, not ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  validateConfig ??= new Ajv({ allErrors: true, strict: false }).compile(configSchema);
  const problems: string[] = [];
  if (!validateConfig(raw)) problems.push(...(validateConfig.errors ?? []).map(describeSchemaError));
  if (problems.length) configError(`${file}: invalid config file:\n${[...new Set(problems)].map((p) => `  ${p}`).join('\n')}`);
  return raw;
}

/** The nearest .supervisor-lint.json from dir up to the filesystem root. */
function findConfig(dir: string, cache: Map<string, string | undefined>): string | undefined {
  const visited: string[] = [];
  let found: string | undefined;
  for (let d = dir; ; ) {
    if (cache.has(d)) {
      found = cache.get(d);
      break;
    }
    visited.push(d);
    const candidate = path.join(d, CONFIG_NAME);
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) {
      found = candidate;
      break;
    }
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const d of visited) cache.set(d, found);
  return found;
}

/**
 * The settings for each file: its config file (--config, or the nearest .supervisor-lint.json, or none
 * with --no-config) read as the extension reads its settings, then --disable on top. Every config is read
 * before any file is linted, so a bad one stops the run before any output.
 */
export function settingsPerFile(opts: Options): Settings[] {
  const loaded = new Map<string, Settings>();
  const dirs = new Map<string, string | undefined>();
  const settingsOf = (configFile: string | undefined): Settings => {
    const key = configFile ?? '';
    let s = loaded.get(key);
    if (!s) {
      s = settingsFrom(configFile === undefined ? undefined : loadConfig(configFile));
      for (const code of opts.disable) s.rules[code] = 'off';
      loaded.set(key, s);
    }
    return s;
  };
  return opts.files.map((file) => {
    if (opts.config === null) return settingsOf(undefined);
    if (opts.config !== undefined) return settingsOf(path.resolve(opts.config));
    const dir = file === '-' ? process.cwd() : path.dirname(path.resolve(file));
    return settingsOf(findConfig(dir, dirs));
  });
}
