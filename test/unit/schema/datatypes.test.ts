/**
 * The value parsers against supervisor's own: every input goes through supervisor.datatypes (Python,
 * one run) and through ours, and the verdicts and error texts must match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  parseAutorestart,
  parseBoolean,
  parseByteSize,
  parseEnvironment,
  parseExitCodes,
  parseInetAddress,
  parseInteger,
  parseLogLevel,
  parseName,
  parseOctal,
  parseSignal,
  scanFormat,
  type Parsed,
} from '../../../server/src/core/catalog/datatypes';

const PYTHON = '/usr/bin/python3';
const probe = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import supervisor.datatypes'], { encoding: 'utf8' }) : undefined;
const skip = probe?.status === 0 ? undefined : 'supervisor (Python) is not installed here';

const INPUTS: Record<string, string[]> = {
  integer: ['10', ' 10 ', '+3', '-1', '1_000', '1__0', '_1', '1_', '10s', '1e3', '', '0x10', '007', '٣', '\x1c5', ' ٣ '],
  boolean: ['true', 'True', 'YES', 'on', '1', 'false', 'Off', '0', 'no', 'maybe', '', ' true', 'ture'],
  byte_size: ['50MB', '50mb', '1gb', '1KB', '50 MB', '50M', '1.5GB', '50MiB', '0', '-1', '100', 'MB', '1_0MB', ''],
  octal: ['022', '0022', '22', '0o22', '0O7', '089', '8', '', ' 0700 ', '0o_7', '-7', '٧', '٨', '0o٧'],
  signal: ['TERM', 'sigterm', 'SIGTERM', ' term ', '15', '33', '0', '-1', 'RTMIN', 'CLD', '_DFL', 'TERMINATE', 'SIG TERM', 'IOT', '64', '34'],
  log_level: ['info', 'INFO', 'warn', 'warning', 'blather', 'trace', 'critical', 'fatal', ''],
  autorestart: ['true', 'unexpected', 'Unexpected', 'always', 'NO', '1', ''],
  exit_codes: ['0', '0,2', '0, 2', '0;2', '0 2', '256', '-1', '', '0,', ',0'],
  inet_address: ['9001', ':9001', '*:9001', 'localhost:9001', 'LOCALHOST:9001', 'localhost:', 'abc', '99999', 'h:99999', 'h:0', '[::1]:9001', 'h:abc'],
  name: ['worker', 'my app', 'a:b', 'a/b', ' w ', '', 'a[1]'],
  environment: ['A=1', 'A="x y",B=2', 'A=x y', 'A=b@c', 'A=', 'A=,B=1', 'A=1,', 'A="x', "A='q'", 'A=1 B=2', 'A=1 X B=2', 'A=x#y,B=2', 'A=x=y', 'PATH=/a:/b', 'A=café', 'A=😀', 'A=x😀', 'A-B=1', '"A"=1', 'A=1,\n B=2'],
};

const PY = String.raw`
import json, sys
from supervisor import datatypes as D
inputs = json.load(sys.stdin)
fns = {'integer': D.integer, 'boolean': D.boolean, 'byte_size': D.byte_size, 'octal': D.octal_type, 'signal': D.signal_number,
       'log_level': D.logging_level, 'autorestart': D.auto_restart, 'exit_codes': D.list_of_exitcodes, 'inet_address': D.inet_address,
       'name': D.process_or_group_name, 'environment': D.dict_of_key_value_pairs}
out = {}
for kind, values in inputs.items():
    res = []
    for v in values:
        try:
            r = fns[kind](v)
            res.append({'ok': True, 'value': r if isinstance(r, (int, str, list, dict)) and not isinstance(r, bool) else (r if isinstance(r, bool) else str(r))})
        except Exception as e:
            res.append({'ok': False, 'message': str(e)})
    out[kind] = res
print(json.dumps(out))
`;

const OURS: Record<string, (v: string) => Parsed<unknown>> = {
  integer: parseInteger,
  boolean: parseBoolean,
  byte_size: parseByteSize,
  octal: parseOctal,
  signal: parseSignal,
  log_level: parseLogLevel,
  autorestart: parseAutorestart,
  exit_codes: parseExitCodes,
  inet_address: parseInetAddress,
  name: parseName,
};

test('every parser agrees with supervisor.datatypes on accepted values and error texts', { skip }, () => {
  const run = spawnSync(PYTHON, ['-c', PY], { input: JSON.stringify(INPUTS), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const theirs = JSON.parse(run.stdout) as Record<string, { ok: boolean; value?: unknown; message?: string }[]>;
  let compared = 0;
  for (const [kind, values] of Object.entries(INPUTS)) {
    values.forEach((v, i) => {
      const t = theirs[kind][i];
      const where = `${kind}(${JSON.stringify(v)})`;
      if (kind === 'environment') {
        const r = parseEnvironment(v);
        assert.equal(!r.error, t.ok, `${where}: supervisor ${t.ok ? 'accepts' : `refuses (${t.message})`}`);
        if (t.ok) assert.deepEqual(Object.fromEntries(r.pairs.map((p) => [p.key, p.value])), t.value, where);
        else assert.equal(r.error!.message.startsWith('Unexpected') ? r.error!.message : r.error!.message, t.message, where);
        compared++;
        return;
      }
      const r = OURS[kind](v);
      assert.equal(r.ok, t.ok, `${where}: supervisor ${t.ok ? 'accepts' : `refuses (${t.message})`}`);
      if (!r.ok) assert.equal(r.message, t.message, where);
      else if (kind === 'integer' || kind === 'byte_size' || kind === 'octal' || kind === 'signal' || kind === 'boolean' || kind === 'exit_codes') assert.deepEqual(r.value, t.value, where);
      compared++;
    });
  }
  assert.ok(compared > 120, String(compared));
});

test('scanFormat reads directives as CPython does', () => {
  const kinds = (s: string) => scanFormat(s).map((d) => `${d.kind}${d.name !== undefined ? `(${d.name})` : ''}${d.message ? `:${d.message}` : ''}`);
  assert.deepEqual(kinds('%(a)s %%'), ['keyed(a)', 'escape']);
  assert.deepEqual(kinds('x@%h'), ['broken:incomplete format']);
  assert.deepEqual(kinds('%h '), ["broken:unsupported format character ' ' (0x20) at index 2"]);
  assert.deepEqual(kinds('%n'), ["broken:unsupported format character 'n' (0x6e) at index 1"]);
  assert.deepEqual(kinds('%(a(b)c)s'), ['keyed(a(b)c)']);
  assert.deepEqual(kinds('%(a'), ['broken:incomplete format key']);
  assert.deepEqual(kinds('100% sure'), ['positional']);
  assert.deepEqual(kinds('%(process_num)02d %5%'), ['keyed(process_num)', "broken(undefined):unsupported format character '%' (0x25) at index 20"].map((k) => k.replace('(undefined)', '')));
});
