/**
 * The model must read every file exactly as supervisor's own parser does: same sections, keys and raw
 * values for files it accepts, and an error for files it refuses. Ground truth comes from
 * supervisor 4.2.5 itself, for the real-world corpus and for our own tricky fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../../server/src/core/model/parse';
import { corpusFiles, fixture, readText } from '../../support/paths';
import { oracleUnavailable, runOracle } from '../../support/oracle';
import { asConfigParserSections } from '../../support/model';

const ownFixtures = fs.readdirSync(fixture('parser')).map((f) => fixture('parser', f)).sort();
const corpus = corpusFiles();
const unavailable = oracleUnavailable();

test('the model agrees with supervisor on every real config and every tricky fixture', { skip: unavailable }, () => {
  const files = [...ownFixtures, ...corpus.files];
  const results = runOracle(files);
  let compared = 0;
  let refused = 0;
  let sections = 0;
  let keys = 0;
  for (const file of files) {
    const oracle = results.get(file);
    assert.ok(oracle, `oracle gave no answer for ${file}`);
    const doc = parse(readText(file));
    const name = path.basename(file);
    if (oracle.parse !== 'ok') {
      refused++;
      assert.equal(doc.unreadable, true, `${name}: supervisor refuses it (${oracle.parse}) but the model reads it`);
      continue;
    }
    assert.equal(doc.unreadable, false, `${name}: supervisor reads it but the model reports ${JSON.stringify(doc.problems)}`);
    const ours = asConfigParserSections(doc);
    assert.deepEqual(ours, oracle.sections, `${name}: sections differ from supervisor's`);
    compared++;
    for (const s of Object.values(ours)) {
      sections++;
      keys += Object.keys(s).length;
    }
  }
  console.log(`differential: ${compared} files compared (${ownFixtures.length} own fixtures), ${refused} refused by both, ${sections} sections, ${keys} keys`);
  assert.ok(compared > 0);
});

test('the real-world corpus is present', { skip: corpus.skip }, () => {
  assert.ok(corpus.files.length > 300, `expected the full corpus, found ${corpus.files.length} files`);
});
