/** supervisor's own parser as ground truth, run once for a whole batch of files. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MUST_NOT_SKIP, ORACLE } from './paths';

const PYTHON = '/usr/bin/python3';

export interface OracleResult {
  file: string;
  parse: string;
  sections?: Record<string, Record<string, string>>;
  semantic: string;
  fragment: boolean;
  env_dependent: boolean;
}

/** Why the oracle cannot run here, or undefined when it can. Throws instead when CI requires it. */
export function oracleUnavailable(): string | undefined {
  let reason: string | undefined;
  if (!fs.existsSync(ORACLE)) reason = `supervisor oracle not found at ${ORACLE}`;
  else if (!fs.existsSync(PYTHON)) reason = `${PYTHON} not found`;
  else {
    const probe = spawnSync(PYTHON, ['-c', 'import supervisor.options'], { encoding: 'utf8' });
    if (probe.status !== 0) reason = "Python package 'supervisor' missing (apt-get install -y supervisor)";
  }
  if (reason && MUST_NOT_SKIP) throw new Error(`the supervisor oracle is required here but unavailable: ${reason}`);
  return reason;
}

export function runOracle(files: string[]): Map<string, OracleResult> {
  const out = spawnSync(PYTHON, [ORACLE, ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`oracle failed: ${out.stderr}`);
  const results = new Map<string, OracleResult>();
  for (const line of out.stdout.split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as OracleResult;
    results.set(r.file, r);
  }
  return results;
}

/** supervisor's verdict on each text, read in one oracle run: "ok", or the parser's or supervisor's error. */
export function verdictsOf(texts: readonly string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oracle-'));
  try {
    const files = texts.map((text, i) => {
      const file = path.join(dir, `${i}.conf`);
      fs.writeFileSync(file, text);
      return file;
    });
    const results = runOracle(files);
    return files.map((f) => {
      const r = results.get(f)!;
      return r.parse !== 'ok' ? r.parse : r.semantic;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
