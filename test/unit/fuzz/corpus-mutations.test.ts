/** Property-based: real-world configs, damaged the way files get damaged (and worse). */
import { after, test } from 'node:test';
import fc from 'fast-check';
import { corpusFiles, MUST_NOT_SKIP, readText } from '../../support/paths';
import { checkText, fuzzParams, reportHalfCharacterMessages } from './invariants';
import { HOSTILE, VALUE_PIECES } from './generators';

after(() => reportHalfCharacterMessages());

const { files, skip } = corpusFiles();
const texts = files.map(readText);

type Op =
  | { op: 'delete' | 'duplicate' | 'indent' | 'dedent' | 'blank'; a: number }
  | { op: 'swap'; a: number; b: number }
  | { op: 'cut'; a: number }
  | { op: 'eol'; a: number; eol: string }
  | { op: 'insert'; a: number; b: number; s: string }
  | { op: 'longLine'; a: number; s: string }
  | { op: 'bom' | 'allCrlf' | 'allCr' | 'noFinalEol' };

const EOLS = ['\n', '\r\n', '\r', ''];

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete', 'duplicate', 'indent', 'dedent', 'blank'), a: fc.nat() }),
  fc.record({ op: fc.constant('swap'), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('cut'), a: fc.nat() }),
  fc.record({ op: fc.constant('eol'), a: fc.nat(), eol: fc.constantFrom(...EOLS) }),
  fc.record({ op: fc.constant('insert'), a: fc.nat(), b: fc.nat(), s: fc.constantFrom(...HOSTILE, ...VALUE_PIECES, '\n', '\r\n', '\r', '\t', '\0', '😀', '\ud83d') }),
  { weight: 1, arbitrary: fc.record({ op: fc.constant('longLine'), a: fc.nat(), s: fc.constantFrom(' ', '-', '%(', ';', ' ;', '"', "'", 'a', '😀', '-c 4 ', '\t') }) },
  fc.record({ op: fc.constantFrom('bom', 'allCrlf', 'allCr', 'noFinalEol') }),
) as fc.Arbitrary<Op>;

/** Lines with their own line endings, so mixed endings survive the mutations. */
function split(text: string): { text: string; eol: string }[] {
  const out: { text: string; eol: string }[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\n' && c !== '\r') continue;
    const eol = c === '\r' && text[i + 1] === '\n' ? '\r\n' : c;
    out.push({ text: text.slice(start, i), eol });
    i += eol.length - 1;
    start = i + 1;
  }
  out.push({ text: text.slice(start), eol: '' });
  return out;
}

export function mutate(text: string, ops: Op[]): string {
  let lines = split(text);
  for (const o of ops) {
    const n = lines.length;
    const at = 'a' in o ? o.a % n : 0;
    switch (o.op) {
      case 'delete':
        if (n > 1) lines.splice(at, 1);
        break;
      case 'duplicate':
        lines.splice(at, 0, { ...lines[at], eol: lines[at].eol || '\n' });
        break;
      case 'swap': {
        const b = o.b % n;
        [lines[at], lines[b]] = [lines[b], lines[at]];
        break;
      }
      case 'indent':
        lines[at] = { ...lines[at], text: `    ${lines[at].text}` };
        break;
      case 'dedent':
        lines[at] = { ...lines[at], text: lines[at].text.trimStart() };
        break;
      case 'blank':
        lines.splice(at, 0, { text: '', eol: '\n' });
        break;
      case 'cut': {
        const joined = lines.map((l) => l.text + l.eol).join('');
        lines = split(joined.slice(0, o.a % (joined.length + 1)));
        break;
      }
      case 'eol':
        lines[at] = { ...lines[at], eol: o.eol };
        break;
      case 'insert': {
        const t = lines[at].text;
        const c = o.b % (t.length + 1);
        lines[at] = { ...lines[at], text: t.slice(0, c) + o.s + t.slice(c) };
        break;
      }
      case 'longLine': {
        const t = lines[at].text;
        lines[at] = { ...lines[at], text: t + o.s.repeat(Math.ceil(100_000 / o.s.length)) };
        break;
      }
      case 'bom':
        lines[0] = { ...lines[0], text: `\ufeff${lines[0].text}` };
        break;
      case 'allCrlf':
      case 'allCr':
        lines = lines.map((l) => ({ ...l, eol: l.eol ? (o.op === 'allCrlf' ? '\r\n' : '\r') : '' }));
        break;
      case 'noFinalEol':
        lines[lines.length - 1] = { ...lines[lines.length - 1], eol: '' };
        break;
    }
  }
  return lines.map((l) => l.text + l.eol).join('');
}

test('real configs with deleted, duplicated, swapped lines, cuts, mixed line endings, BOM, NUL, emoji, 100 KB lines', (t) => {
  if (skip) {
    if (MUST_NOT_SKIP) throw new Error(skip);
    t.skip(skip);
    return;
  }
  let fixes = 0;
  const arb = fc.tuple(fc.nat(texts.length - 1), fc.array(op, { minLength: 1, maxLength: 8 }));
  fc.assert(
    fc.property(arb, ([i, ops]) => {
      fixes += checkText(mutate(texts[i], ops), { maxFixes: 30 });
    }),
    fuzzParams(250),
  );
  console.log(`corpus mutations: ${fixes} fixes applied and re-analysed`);
});

test('every real config as it is: invariants hold and all its fixes re-analyse', (t) => {
  if (skip) {
    if (MUST_NOT_SKIP) throw new Error(skip);
    t.skip(skip);
    return;
  }
  let fixes = 0;
  for (const text of texts) fixes += checkText(text);
  console.log(`${texts.length} real configs: ${fixes} fixes applied and re-analysed`);
});
