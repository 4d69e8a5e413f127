/** The one entry point for findings: parse, run every rule, apply the user's severity settings. */
import { parse } from './model/parse';
import type { SupervisorDocument } from './model/document';
import { RULES, ruleFor } from './rules';
import { compareFindings, type Finding, type Rule, type RuleContext } from './rules/rule';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { buildDeployment, type Deployment, type DeploymentContext, type DeploymentFile } from './deployment';
import { applySuppressions } from './suppression';
import { withoutFixesOnSwallowedLines } from './rules/indentedSectionHeader';
import { withoutTemplateStatementFindings } from './rules/templateStatements';
import type { IncludePattern } from './include';
import type { MachineView } from './machine';
import type { Utf8Error } from './model/utf8';

export interface Analysis {
  doc: SupervisorDocument;
  deployment: Deployment;
  settings: Settings;
  findings: Finding[];
  /**
   * The path supervisor reads the text by, when it has one: %(here)s is its folder. The document's own
   * path, or the conf.d link through which the main file includes it.
   */
  readAs?: string;
}

/**
 * `machine`: check paths and accounts against this machine (see machine.ts). `file`: the text's path when
 * it has one and no deployment context says it (the folder of %(here)s for those checks). `utf8Error`:
 * where the file's bytes stop being UTF-8, when the caller decoded them (model/utf8.ts).
 */
export function analyzeText(
  text: string,
  settings: Settings = DEFAULT_SETTINGS,
  context?: DeploymentContext,
  machine?: MachineView,
  file?: string,
  utf8Error?: Utf8Error,
): Analysis {
  const doc = context?.files.find((f) => f.path === context.path)?.doc ?? parse(text);
  const deployment = buildDeployment(doc, context);
  const effective = withCoresOf(machine, settings);
  const readAs = context?.readAs ?? context?.path ?? file;
  return { doc, deployment, settings: effective, findings: analyze(doc, effective, deployment, machine, readAs, utf8Error), readAs };
}

/**
 * A file checked against this machine is one its supervisord reads: while supervisor.celery.serverCpuCount
 * is unset, the server's cores are this machine's.
 */
function withCoresOf(machine: MachineView | undefined, settings: Settings): Settings {
  if (settings.serverCpuCount !== null || !machine?.cpuCount) return settings;
  const cores = machine.cpuCount();
  return cores >= 1 ? { ...settings, serverCpuCount: cores, cpuCountOfThisMachine: true } : settings;
}

export interface FileAnalysis extends Analysis {
  path: string;
  text: string;
}

/**
 * Every file of a deployment (the main file first, then what its [include] reads, in supervisor's
 * order), each analysed with the others as context. `complete` says whether every included file was
 * read; `includes`, when given, is how the main file's files= patterns resolved on disk.
 */
export function analyzeDeployment(
  files: { path: string; text: string; utf8Error?: Utf8Error }[],
  settings: Settings = DEFAULT_SETTINGS,
  complete = true,
  includes?: IncludePattern[],
  machine?: MachineView,
): FileAnalysis[] {
  const parsed: DeploymentFile[] = files.map((f) => ({ path: f.path, doc: parse(f.text) }));
  return files.map((f) => ({ path: f.path, text: f.text, ...analyzeText(f.text, settings, { files: parsed, path: f.path, complete, includes }, machine, undefined, f.utf8Error) }));
}

export function analyze(
  doc: SupervisorDocument,
  settings: Settings = DEFAULT_SETTINGS,
  deployment: Deployment = buildDeployment(doc),
  machine?: MachineView,
  file?: string,
  utf8Error?: Utf8Error,
): Finding[] {
  if (!settings.validateEnable) return [];
  const findings: Finding[] = [];
  const ctx: RuleContext = machine ? { doc, settings, deployment, machine, file } : { doc, settings, deployment };
  if (utf8Error) ctx.utf8Error = utf8Error;
  for (const rule of RULES) {
    const setting = settings.rules[rule.code];
    if (setting === 'off') continue;
    const produced = runRule(rule, ctx);
    for (const f of produced) findings.push(setting ? { ...f, severity: setting } : f);
  }
  // A template's statement lines are no mistakes of the config. No fix edits what an indented section
  // header takes into a value until that header is fixed. Inline `; supervisor-lint: disable=...`
  // comments (and unused ones) last, then report in file order.
  const kept = withoutFixesOnSwallowedLines(doc, withoutTemplateStatementFindings(doc, findings));
  const judged = (code: string) => ruleFor(code)?.judges?.(ctx) ?? true;
  return applySuppressions(doc, kept, settings, judged).sort(compareFindings);
}


function runRule(rule: Rule, ctx: RuleContext): Finding[] {
  try {
    return rule.check(ctx);
  } catch (err) {
    // A rule bug must not take the other findings (or the server) down with it.
    return [
      {
        code: 'internal-error',
        severity: 'information',
        message: `The check '${rule.code}' failed on this file (${String(err)}). Please report it.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        fixes: [],
      },
    ];
  }
}
