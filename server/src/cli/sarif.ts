/** SARIF 2.1.0 output for code-scanning dashboards. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import type { Range, Severity } from '../core/model/types';
import type { Finding } from '../core/rules/rule';
import { ruleDocsUrl } from '../docsLocation';
import { VERSION, catalogue, ruleDocs } from './catalogue';

const SARIF_LEVEL: Record<Severity, sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A relative URI for files under the working directory (resolved against %SRCROOT%), else a file: URL. */
function artifactLocation(file: string): sarif.ArtifactLocation {
  if (file === '-') return { uri: 'stdin', description: { text: 'standard input' } };
  const absolute = path.resolve(file);
  const relative = path.relative(process.cwd(), absolute);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** SARIF regions are 1-based; columns count UTF-16 code units, as LSP positions do; the end column is exclusive. */
function region(r: Range): sarif.Region {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

export interface FileResult {
  file: string;
  findings: Finding[];
}

export function toSarif(files: FileResult[], unreadable: string[]): sarif.Log {
  const rules = catalogue();
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const descriptors: sarif.ReportingDescriptor[] = rules.map((r) => {
    const docs = ruleDocs(r.code);
    return {
      id: r.code,
      shortDescription: { text: r.summary },
      helpUri: ruleDocsUrl(r.code),
      ...(docs ? { help: { text: `${r.summary} Documentation: ${ruleDocsUrl(r.code)}`, markdown: docs } } : {}),
      defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
    };
  });
  const results: sarif.Result[] = [];
  for (const { file, findings } of files) {
    const location = artifactLocation(file);
    for (const f of findings) {
      const ruleIndex = index.get(f.code);
      results.push({
        ruleId: f.code,
        ...(ruleIndex === undefined ? {} : { ruleIndex }),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(f.range) } }],
        ...(f.related?.length
          ? {
              relatedLocations: f.related.map((r, id) => ({
                id,
                message: { text: r.message },
                physicalLocation: { artifactLocation: r.file ? artifactLocation(r.file) : location, region: region(r.range) },
              })),
            }
          : {}),
        ...(f.fixes.length
          ? {
              fixes: f.fixes.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [
                  { artifactLocation: location, replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) },
                ],
              })),
            }
          : {}),
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'supervisor-lint', version: VERSION, semanticVersion: VERSION, rules: descriptors } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href.replace(/\/?$/, '/')}` } },
        invocations: [
          {
            executionSuccessful: unreadable.length === 0,
            toolExecutionNotifications: unreadable.map((reason) => ({ level: 'error' as const, message: { text: reason } })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
