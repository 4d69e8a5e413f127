/**
 * Differential: our reading of memmon's arguments against Python's own getopt with memmon's option spec
 * (superlance 2.0.0), and our reading of its sizes against supervisor's byte_size: the options in order
 * with their values, getopt's error message, where getopt stops, and the bytes of every limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseSeconds, readMemmonCommand } from '../../../server/src/core/command/memmon';
import { REPO_ROOT } from '../../support/paths';
import { shellWords } from '../../support/cli';
import { oracleUnavailable } from '../../support/oracle';
import { fuzzParams } from '../fuzz/invariants';

type Getopt = { ok: true; opts: [string, string][]; args: string[]; sizes: [string, number | null][]; times: [string, number | null][] } | { ok: false; error: string };

function getopt(argvs: readonly string[][]): Getopt[] {
  const r = spawnSync('/usr/bin/python3', [path.join(REPO_ROOT, 'test', 'support', 'memmon_getopt.py')], {
    input: argvs.map((a) => JSON.stringify(a)).join('\n') + '\n',
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`memmon_getopt.py failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Getopt);
}

function disagreement(argv: readonly string[], truth: Getopt): string | undefined {
  const ours = readMemmonCommand(`memmon ${shellWords(argv)}`)!;
  const shown = `memmon ${argv.join(' ')}`;
  if (!truth.ok) return ours.optionError?.message === truth.error ? undefined : `${shown}\n  getopt: ${truth.error}\n  ours:   ${ours.optionError?.message ?? 'no error'}`;
  if (ours.optionError) return `${shown}\n  getopt accepts it\n  ours:   ${ours.optionError.message}`;
  const opts = JSON.stringify(ours.all.map((o) => [o.option, o.value ?? '']));
  if (opts !== JSON.stringify(truth.opts)) return `${shown}\n  getopt: ${JSON.stringify(truth.opts)}\n  ours:   ${opts}`;
  const args = JSON.stringify(ours.ignoredArgs.map((a) => a.text));
  if (args !== JSON.stringify(truth.args)) return `${shown}\n  getopt stops before ${JSON.stringify(truth.args)}\n  ours:   ${args}`;
  // Each -p and -g, and the last -a (memmon keeps only that one), against byte_size.
  const lastAny = truth.opts.map((o) => o[0]).lastIndexOf('-a');
  const compared = truth.opts.map(([o], i) => o === '-p' || o === '-g' || i === lastAny);
  const readings = [...ours.programs, ...ours.groups, ...(ours.any ? [ours.any] : [])].sort((a, b) => a.start - b.start);
  const limitOptions = ours.all.filter((o) => o.option === '-p' || o.option === '-g' || o.option === '-a');
  const sizesOurs: [string, number | null][] = [];
  const sizesTruth: [string, number | null][] = [];
  let s = 0;
  truth.opts.forEach(([o], i) => {
    if (o !== '-p' && o !== '-g' && o !== '-a') return;
    const option = limitOptions[s];
    const size = truth.sizes[s++];
    if (!compared[i]) return;
    const limit = readings.find((l) => l.start === option.start);
    sizesOurs.push([option.value ?? '', limit && !limit.malformed ? (limit.bytes ?? null) : null]);
    sizesTruth.push(size);
  });
  const sizes = JSON.stringify(sizesOurs);
  const expected = JSON.stringify(sizesTruth);
  if (sizes !== expected) return `${shown}\n  sizes: byte_size ${expected}\n  ours:  ${sizes}`;
  const times = JSON.stringify(ours.all.filter((o) => o.option === '-u').map((o) => [o.value ?? '', parseSeconds(o.value ?? '') ?? null]));
  return times === JSON.stringify(truth.times) ? undefined : `${shown}\n  -u: seconds_size ${JSON.stringify(truth.times)}\n  ours: ${times}`;
}

const PIECES = [
  '-c', '-p worker=512MB', '-pworker=1GB', '--program=worker=1GB', '--prog=w=1', '--program w=1', '-p', '-g web=300MB', '--gro=web=1GB',
  '--groupname=web=1GB', '-a 2GB', '-a2GB', '--any=1gb', '-cp x=1MB', '-hc', '-s /usr/sbin/sendmail', '--sendmail=x', '-m ops@x',
  '--email=x', '-u 100', '-u 2d', '--uptime=1h', '-n name', '--name=n', '--', 'extra', '-x', '--cum', '--c', '--s', '--n', '--u', '--e',
  '--h', '--he', '-p w=256M', '-p w=1.5GB', '-p a=b=c', '-p =1GB', '-p w=', '-', '--program=w', '--cumulative=1', '-p w=512mb',
  '-p w=1024KB', '-a 0', '-a -1', '--any', '-gweb=1GB', '-cgweb=2GB', '--sendmail_program=/bin/x', '--', '-c',
  '-u 10M', '-u 1.5h', '-u 2w', '-u -5s', '-u 1_0d', '-u0', '--uptime=S', '-u 3600 ',
];

const argvs = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((pieces) => pieces.flatMap((p) => p.split(' ')));

const noPython = oracleUnavailable();

test('memmon arguments assembled from tricky spellings: we read them as getopt and byte_size do', { skip: noPython }, () => {
  const { numRuns, seed } = fuzzParams(600);
  const samples = fc.sample(argvs, { numRuns, seed });
  const truth = getopt(samples);
  const mismatches = samples.map((a, i) => disagreement(a, truth[i])).filter((m): m is string => m !== undefined);
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${samples.length} disagree`);
  console.log(`${samples.length} assembled memmon commands: getopt and we agree`);
});
