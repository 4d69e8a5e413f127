/** Hovers on memmon -p/-g names that other files of the deployment define. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../server/src/core/model/parse';
import { buildDeployment } from '../../../server/src/core/deployment';
import { commandHover } from '../../../server/src/core/features/commandHover';
import { withCursor } from '../../support/cursor';

const MAIN = '[supervisord]\n[include]\nfiles=conf.d/*.conf\n';
const WORKERS = '[program:w]\ncommand=celery -A p worker\n\n[group:jobs]\nprograms=w\n';

function hoverIn(fixture: string): string {
  const { text, position } = withCursor(fixture);
  const doc = parse(text);
  const files = [
    { path: '/d/supervisord.conf', doc: parse(MAIN) },
    { path: '/d/conf.d/1.conf', doc: parse(WORKERS) },
    { path: '/d/conf.d/2.conf', doc },
  ];
  const info = commandHover(doc, buildDeployment(doc, { files, path: '/d/conf.d/2.conf', complete: true }), position);
  assert.ok(info);
  return info.markdown;
}

test('a -p name defined in another file names that file', () => {
  const md = hoverIn('[eventlistener:m]\ncommand=memmon -c -p w|=1GB\nevents=TICK_60\n');
  assert.ok(md.includes('`w` matches a process of [program:w] in /d/conf.d/1.conf'), md);
});

test('a -g group declared in another file lists its programs', () => {
  const md = hoverIn('[eventlistener:m]\ncommand=memmon -c -g jo|bs=1GB\nevents=TICK_60\n');
  assert.ok(md.includes('Group `jobs` holds [program:w] (/d/conf.d/1.conf)'), md);
});

test('a -p name no file defines says so for the whole deployment', () => {
  const md = hoverIn('[eventlistener:m]\ncommand=memmon -c -p no|where=1GB\nevents=TICK_60\n');
  assert.ok(md.includes('`nowhere` matches no process in any file of this deployment'), md);
});
