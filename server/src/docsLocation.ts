/**
 * Where a rule's documentation page lives: docs/rules/<code>.md shipped next to dist/ in the package
 * (the extension folder, or the npm package for other editors). There is no public site to link to yet.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export function ruleDocsPath(code: string): string {
  return path.resolve(__dirname, '..', 'docs', 'rules', `${code}.md`);
}

/** Built once per code: every diagnostic carries its rule's link, and a big file publishes thousands of them. */
const urls = new Map<string, string>();

export function ruleDocsUrl(code: string): string {
  let url = urls.get(code);
  if (url === undefined) urls.set(code, (url = pathToFileURL(ruleDocsPath(code)).href));
  return url;
}
