/** Property-based: the engine on text that is not a config at all, or a config assembled from random pieces. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeText } from '../../../server/src/core/analyze';
import { codeActions } from '../../../server/src/core/features/codeActions';
import { completion } from '../../../server/src/core/features/completion';
import { foldingRanges } from '../../../server/src/core/features/folding';
import { hover } from '../../../server/src/core/features/hover';
import { inlayHints } from '../../../server/src/core/features/inlayHints';
import { highlightsAt } from '../../../server/src/core/features/programNames';
import { selectionRanges } from '../../../server/src/core/features/selectionRanges';
import { codeLenses } from '../../../server/src/core/features/codeLens';
import { processStatusLenses, rpcTargetOf } from '../../../server/src/core/features/processStatus';
import { machineWith } from '../../support/machine';
import { logFileLinks } from '../../../server/src/core/features/logFileLinks';
import { comparePositions, rangeContains } from '../../../server/src/core/model/types';
import { suppressionHover } from '../../../server/src/core/features/suppressionHover';
import { documentSymbols } from '../../../server/src/core/features/symbols';
import { ruleFor } from '../../../server/src/core/rules';
import { assertInsertReplace, assertRangeInside, checkText, fuzzParams, lspLines, reportHalfCharacterMessages } from './invariants';
import { byteText, codePointText, configText, framed, HOSTILE, pieceText, utf16Text, VALUE_PIECES } from './generators';

/** Every folder path completion may list: a disk with a little of everything. */
const FUZZ_MACHINE = machineWith('/srv/app/venv/bin/celery*', '/srv/app/log/worker.log', '/var/log/', '/a/.hidden/');

after(() => reportHalfCharacterMessages());

let fixesApplied = 0;

test('random code points, UTF-16 units and bytes: no throw, ranges inside, fixes re-analysable', () => {
  fc.assert(fc.property(fc.oneof(codePointText, utf16Text, byteText), (text) => void (fixesApplied += checkText(text))), fuzzParams(400));
});

test('configs assembled from real pieces and hostile characters', () => {
  fc.assert(fc.property(fc.oneof({ weight: 5, arbitrary: configText }, { weight: 1, arbitrary: pieceText }, { weight: 1, arbitrary: framed }), (text) => void (fixesApplied += checkText(text, { maxFixes: 40 }))), fuzzParams(700));
  console.log(`fixes applied and re-analysed so far: ${fixesApplied}`);
});

test('100 KB lines: in a value, as a key, as a header, as a comment', () => {
  const long = fc.tuple(fc.constantFrom(...HOSTILE, ...VALUE_PIECES, 'a'), fc.integer({ min: 1, max: 3 })).map(([piece, k]) => piece.repeat(Math.ceil((100_000 * k) / 3 / Math.max(1, piece.length))));
  const placed = fc.tuple(configText, long, configText, fc.constantFrom('', '[program:w]\ncommand=', '[program:w]\n', '[program:w]\ncommand=celery worker\n    ', ';', '[')).map(([a, l, b, lead]) => `${lead}${l}\n${a}\n${b}`);
  fc.assert(fc.property(placed, (text) => void checkText(text, { maxFixes: 6 })), fuzzParams(25));
});

test('the editor features on fuzzed text: no throw, ranges inside', () => {
  const summary = (code: string) => ruleFor(code)?.summary;
  const arb = fc.tuple(fc.oneof(configText, framed, utf16Text), fc.nat(), fc.nat());
  fc.assert(
    fc.property(arb, ([text, a, b]) => {
      const analysis = analyzeText(text);
      const lines = lspLines(text);
      const line = a % lines.length;
      let character = b % (lines[line].length + 1);
      // Editors never ask at a position inside a surrogate pair.
      if (/[\ud800-\udbff][\udc00-\udfff]/.test(lines[line].slice(character - 1, character + 1))) character--;
      const position = { line, character };
      for (const h of [hover(analysis.doc, position), suppressionHover(analysis.doc, position, summary, (c) => `file:///${c}.md`)]) {
        if (h) assertRangeInside(lines, h.range, 'hover');
      }
      for (const c of completion(analysis.doc, position, { machine: FUZZ_MACHINE }).items) {
        assertRangeInside(lines, c.range, `completion ${c.label}`);
        if (c.insertRange) assertInsertReplace(c.insertRange, c.range, position, `completion ${c.label}`);
      }
      for (const s of documentSymbols(analysis.doc)) assertRangeInside(lines, s.range, `symbol ${s.name.slice(0, 20)}`);
      foldingRanges(analysis.doc);
      const everything = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
      for (const h of inlayHints(analysis.doc, analysis.deployment, everything)) assertRangeInside(lines, { start: h.position, end: h.position }, `inlay hint ${h.label}`);
      for (const u of highlightsAt(analysis.doc, analysis.deployment, position)) assertRangeInside(lines, u.range, `highlight ${u.name}`);
      for (const l of codeLenses(analysis.doc, analysis.deployment, analysis.settings)) assertRangeInside(lines, l.range, `code lens ${l.title}`);
      // What a supervisord running the file would answer: every program's processes, read with another command.
      const processes = analysis.deployment.programs.flatMap((p) => (p.processNames ?? [p.name]).map((name) => ({ name, group: p.group, statename: 'RUNNING', description: '', stdout_logfile: '', stderr_logfile: '', pid: 7 })));
      const loaded = { command: 'x', inuse: true, directory: 'none', uid: 0, process_prio: 999, stopsignal: 15, exitcodes: [0], killasgroup: false };
      const logs = { stdout_logfile: '/var/log/x.log', stdout_logfile_maxbytes: 1024, stdout_syslog: false, stderr_logfile: 'auto' };
      const configs = processes.map((p) => ({ name: p.name, group: p.group, ...loaded, ...logs }));
      const environments = new Map([[7, new Map([['PATH', '/usr/bin'], ['A', '1']])]]);
      const live = { processes: processes.slice(1), configs, accounts: new Map([[0, 'root']]), environments };
      for (const l of processStatusLenses(analysis.doc, analysis.deployment, '/etc/supervisor', live)) assertRangeInside(lines, l.range, `process status ${l.title}`);
      rpcTargetOf(analysis.doc, '/etc/supervisor/supervisord.conf');
      for (const l of logFileLinks(analysis.doc, analysis.deployment, '/etc/supervisor/supervisord.conf')) {
        assertRangeInside(lines, l.range, 'log file link');
        assert.ok(l.paths.length > 0 && l.paths.every((p) => p.startsWith('/')), `log file link paths ${l.paths.join(' ')}`);
      }
      const steps = selectionRanges(analysis.doc, analysis.deployment, position);
      assert.ok(steps.length > 0 && rangeContains(steps[0], position), 'the first selection range contains the position');
      steps.forEach((r, k) => {
        assertRangeInside(lines, r, `selection range ${k}`);
        const inner = steps[k - 1];
        if (inner) assert.ok(comparePositions(r.start, inner.start) <= 0 && comparePositions(inner.end, r.end) <= 0, `selection range ${k} contains ${k - 1}`);
      });
      for (const action of [...codeActions(analysis, everything), ...codeActions(analysis, everything, ['source.fixAll'])]) {
        for (const e of action.edits) assertRangeInside(lines, e.range, `action "${action.title}"`);
      }
    }),
    fuzzParams(400),
  );
});
