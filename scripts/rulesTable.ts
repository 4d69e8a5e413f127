/**
 * The README's table of rules, generated from the rule registry so it cannot drift:
 *   node out/scripts/rulesTable.js          print the table
 *   node out/scripts/rulesTable.js --write  replace the table in README.md, and the rule codes in
 *                                           package.json and the config file's schema (ruleSettings.ts)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/core/rules';
import { packageWithRuleCodes, schemaWithRuleCodes } from './ruleSettings';

export const START = '<!-- rules:start -->';
export const END = '<!-- rules:end -->';

export function rulesTable(): string {
  const rows = RULES.map((r) => `| [\`${r.code}\`](docs/rules/${r.code}.md) | ${r.defaultSeverity} | ${r.summary.replace(/\|/g, '\\|')} |`);
  return ['| code | default | what it finds |', '|---|---|---|', ...rows].join('\n');
}

export function withTable(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a === -1 || b === -1) throw new Error(`README.md has no ${START} ... ${END} block`);
  return `${readme.slice(0, a + START.length)}\n${rulesTable()}\n${readme.slice(b)}`;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  const readmePath = path.join(root, 'README.md');
  if (process.argv.includes('--write')) {
    fs.writeFileSync(readmePath, withTable(fs.readFileSync(readmePath, 'utf8')));
    // The rule codes in the settings and config file schemas (see ruleSettings.ts).
    const rewrite = <T>(file: string, update: (json: T) => T) => {
      const full = path.join(root, file);
      fs.writeFileSync(full, `${JSON.stringify(update(JSON.parse(fs.readFileSync(full, 'utf8')) as T), null, 2)}\n`);
    };
    rewrite('package.json', packageWithRuleCodes);
    rewrite('schemas/supervisor-lint.schema.json', schemaWithRuleCodes);
  } else {
    process.stdout.write(`${rulesTable()}\n`);
  }
}
