/** Accepting a completion item as an editor does: its edit applied to the text, the line that results. */
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/core/applyEdits';
import { completion, type CompletionContext, type CompletionInfo } from '../../server/src/core/features/completion';
import { parse } from '../../server/src/core/model/parse';
import { withCursor } from './cursor';

/**
 * How the editor accepts the item: its snippet (for a client that supports snippets; its plain text
 * when it has none) with each placeholder left at its default, and over its insertRange (an editor set
 * to insert rather than replace, VS Code's editor.suggest.insertMode) rather than its whole range.
 */
export interface Accepting {
  snippet?: boolean;
  insert?: boolean;
}

/**
 * The fixture's text (`|` marks the cursor) after accepting the item labelled `label` (its plain text
 * unless `how` says otherwise), with the edits it makes elsewhere (additionalTextEdits), and the cursor's line.
 */
export function textAfterAccepting(fixture: string, label: string, context?: CompletionContext, how: Accepting = {}): { text: string; line: number } {
  const { text, position } = withCursor(fixture);
  const { items } = completion(parse(text), position, context);
  const item = items.find((i) => i.label === label);
  assert.ok(item, `${label} is not offered at ${JSON.stringify(fixture)}: ${items.map((i) => i.label).join(', ')}`);
  assert.equal(item.range.start.line, item.range.end.line, 'a completion edits one line');
  const range = how.insert ? (item.insertRange ?? item.range) : item.range;
  return { text: applyEdits(text, [{ range, newText: newTextOf(item, how) }, ...(item.additionalTextEdits ?? [])]), line: position.line };
}

/** The cursor's line of the fixture (`|` marks the cursor) after accepting the item labelled `label` (its plain text unless `how` says otherwise). */
export function lineAfterAccepting(fixture: string, label: string, context?: CompletionContext, how?: Accepting): string {
  const { text, line } = textAfterAccepting(fixture, label, context, how);
  return text.split(/\r?\n/)[line];
}

/** What the item writes: its plain text, or its snippet with the first choice or the default of each placeholder. */
function newTextOf(item: CompletionInfo, how: Accepting): string {
  if (!how.snippet || item.snippet === undefined) return item.insertText;
  return item.snippet.replace(/\\([$}\\])|\$\{\d+\|([^,|]*)[^}]*\}|\$\{\d+:((?:\\.|[^}\\])*)\}|\$\d+/g, (_, escaped?: string, choice?: string, placeholder?: string) =>
    escaped ?? choice ?? placeholder?.replace(/\\(.)/g, '$1') ?? '',
  );
}
