/**
 * Why the parser is our own and not the `ini` package (see README, "Design"): `ini` has no
 * continuation lines, other comment rules, no ':' separator and no positions. This shows a real
 * config where the two readings differ; the differential test proves our reading is supervisor's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as ini from 'ini';
import { parse } from '../../../server/src/core/model/parse';
import { CORPUS_DIR, corpusFiles, readText } from '../../support/paths';
import { asConfigParserSections } from '../../support/model';

const corpus = corpusFiles();
const BASEROW = path.join(CORPUS_DIR, '040__bram2w__baserow__docs__installation__configuration-files__supervisor.conf');

test('ini loses a continued environment= value that supervisor reads whole', { skip: corpus.skip }, () => {
  const text = readText(BASEROW);
  const ours = asConfigParserSections(parse(text)).supervisord.environment;
  const theirs = (ini.decode(text).supervisord as Record<string, unknown>).environment;
  assert.match(ours, /^\nDJANGO_SETTINGS_MODULE='baserow\.config\.settings\.base',\nDATABASE_HOST='localhost',/);
  assert.equal(theirs, '');
});

test('ini and supervisor disagree on many real configs', { skip: corpus.skip }, () => {
  let differ = 0;
  for (const file of corpus.files) {
    const text = readText(file);
    const doc = parse(text);
    if (doc.unreadable) continue;
    const theirs = ini.decode(text) as Record<string, Record<string, unknown> | undefined>;
    const ours = asConfigParserSections(doc);
    // Compare as strings: ini also turns true/false into booleans, which is a lesser difference.
    const same = Object.entries(ours).every(([s, keys]) => Object.entries(keys).every(([k, v]) => String(theirs[s]?.[k]) === v));
    if (!same) differ++;
  }
  assert.ok(differ >= 10, `only ${differ} files differ`);
});

