/**
 * Fixture text with a cursor marker, in the yaml-language-server style: `withCursor('command=celery -l|info')`
 * removes the marker and returns the text and the marker's position (0-based line, UTF-16 character).
 */
import type { Position } from '../../server/src/core/model/types';

export function withCursor(fixture: string, marker = '|'): { text: string; position: Position } {
  const at = fixture.indexOf(marker);
  if (at < 0) throw new Error(`no cursor marker '${marker}' in the fixture`);
  if (fixture.indexOf(marker, at + marker.length) >= 0) throw new Error(`more than one cursor marker '${marker}' in the fixture (pass another marker)`);
  const text = fixture.slice(0, at) + fixture.slice(at + marker.length);
  const before = fixture.slice(0, at);
  let line = 0;
  let lineStart = 0;
  for (let k = 0; k < before.length; k++) {
    const c = before.charCodeAt(k);
    if (c === 0x0d && before.charCodeAt(k + 1) === 0x0a) continue; // CRLF: the \n ends the line
    if (c === 0x0a || c === 0x0d) {
      line++;
      lineStart = k + 1;
    }
  }
  return { text, position: { line, character: at - lineStart } };
}
