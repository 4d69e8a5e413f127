/** Accepting a completion item as an editor does: its edit applied to the text, the line that results. */
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/core/applyEdits';
import { completion, type CompletionContext } from '../../server/src/core/features/completion';
import { parse } from '../../server/src/core/model/parse';
import { withCursor } from './cursor';

/**
 * The fixture's text (`|` marks the cursor) after accepting the item labelled `label` (its plain text),
 * with the edits it makes elsewhere (additionalTextEdits), and the cursor's line.
 */
export function textAfterAccepting(fixture: string, label: string, context?: CompletionContext): { text: string; line: number } {
  const { text, position } = withCursor(fixture);
  const { items } = completion(parse(text), position, context);
  const item = items.find((i) => i.label === label);
  assert.ok(item, `${label} is not offered at ${JSON.stringify(fixture)}: ${items.map((i) => i.label).join(', ')}`);
  assert.equal(item.range.start.line, item.range.end.line, 'a completion edits one line');
  return { text: applyEdits(text, [{ range: item.range, newText: item.insertText }, ...(item.additionalTextEdits ?? [])]), line: position.line };
}

/** The cursor's line of the fixture (`|` marks the cursor) after accepting the item labelled `label` (its plain text). */
export function lineAfterAccepting(fixture: string, label: string, context?: CompletionContext): string {
  const { text, line } = textAfterAccepting(fixture, label, context);
  return text.split(/\r?\n/)[line];
}
