import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, hoverText, hoversAt, lineOf, openSupervisor, positionIn, rangeOf, sameRange } from './helpers';

const MAIN = 'supervisord.conf';

describe('hover', () => {
  before(activateExtension);

  it('explains a [program:x] header, over the name in brackets @smoke', async () => {
    const doc = await openSupervisor(MAIN);
    const hovers = await hoversAt(doc, positionIn(doc, 'program:worker]', 3));
    assert.equal(hovers.length, 1, 'one hover, from this extension');
    const text = hoverText(hovers);
    assert.match(text, /\[program:worker\]/);
    assert.match(text, /program/i);
    assert.match(text, /`command`/, 'names the key a program requires');
    sameRange(hovers[0].range!, rangeOf(doc, 'program:worker', '[program:worker]'), 'the hover range is the section name');
  });

  it('explains each section kind in its own words', async () => {
    const doc = await openSupervisor(MAIN);
    const texts = new Map<string, string>();
    for (const header of ['[supervisord]', '[program:web]', '[group:app]']) {
      const text = hoverText(await hoversAt(doc, positionIn(doc, header, 2)));
      assert.ok(text.includes(header), `hover over ${header}: ${text}`);
      texts.set(header, text.replace(header, ''));
    }
    assert.equal(new Set(texts.values()).size, 3, 'three kinds, three explanations');
    assert.match(texts.get('[supervisord]')!, /main config|daemon/i);
    assert.match(texts.get('[group:app]')!, /group/i);
  });

  it('works anywhere on the header line, brackets included', async () => {
    const doc = await openSupervisor(MAIN);
    const line = lineOf(doc, '[group:app]');
    for (const character of [0, 3, doc.lineAt(line).text.length - 1]) {
      const text = hoverText(await hoversAt(doc, new vscode.Position(line, character)));
      assert.match(text, /\[group:app\]/, `at character ${character}`);
    }
  });

  it('says so when a section kind is unknown to supervisor', async () => {
    const doc = await openSupervisor('etc/supervisord.d/broken.ini');
    const text = hoverText(await hoversAt(doc, positionIn(doc, '[programs:typo]', 2)));
    assert.match(text, /programs/);
    // Wording varies; the point is that the user learns supervisor will not use the section.
    assert.match(text, /ignore|unknown|does not know/i);
    assert.doesNotMatch(text, /Required:/, 'not the explanation of a known kind');
  });

  it('shows nothing over a comment or an empty line', async () => {
    const doc = await openSupervisor(MAIN);
    assert.deepEqual(await hoversAt(doc, new vscode.Position(0, 5)), []);
    const empty = lineOf(doc, '[program:worker]') - 1;
    assert.equal(doc.lineAt(empty).text, '');
    assert.deepEqual(await hoversAt(doc, new vscode.Position(empty, 0)), []);
  });

  // Hovers over Celery options are being built: these cases check them where the build has them.
  describe('Celery options (when the build has them)', () => {
    async function optionHover(doc: vscode.TextDocument, needle: string, within: string): Promise<string> {
      return hoverText(await hoversAt(doc, positionIn(doc, needle, 2, within)));
    }

    it('explains --concurrency', async function () {
      const doc = await openSupervisor(MAIN);
      const text = await optionHover(doc, '--concurrency', 'celery -A proj worker --concurrency');
      if (text === '') this.skip();
      assert.match(text, /concurrency/i);
    });

    it('explains -l and --max-memory-per-child across a continuation line', async function () {
      const doc = await openSupervisor(MAIN);
      const loglevel = await optionHover(doc, '-l info', '-n %(program_name)s@%%h -l info');
      const memory = await optionHover(doc, '--max-memory-per-child', '    --max-memory-per-child 262144');
      if (loglevel === '' && memory === '') this.skip();
      assert.match(loglevel, /log/i);
      assert.match(memory, /memory/i);
      assert.match(memory, /256/, 'the value in MB, computed from 262144 KiB');
    });

    it('explains the gevent pool', async function () {
      const doc = await openSupervisor('etc/supervisor/conf.d/celery.conf');
      const text = await optionHover(doc, '-P gevent', '-P gevent');
      if (text === '') this.skip();
      assert.match(text, /gevent|pool/i);
    });
  });
});
