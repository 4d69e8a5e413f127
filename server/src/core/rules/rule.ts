import type { SupervisorDocument } from '../model/document';
import { comparePositions, type Range, type Severity, type TextEdit } from '../model/types';
import type { Settings } from '../settings';
import type { Deployment } from '../deployment';
import type { MachineView } from '../machine';
import type { Utf8Error } from '../model/utf8';

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix that is clearly right for this finding. */
  isPreferred?: boolean;
  /**
   * Safe to apply without looking, in "Fix all supervisor problems" and `supervisor-lint --fix`
   * (the default). False for a fix that guesses: a near spelling, an invented path or value.
   */
  safeForFixAll?: boolean;
}

/** Another place a finding is about (the earlier duplicate, the other section of the same name ...). */
export interface RelatedLocation {
  /** The other file of the deployment it is in; this file when absent. */
  file?: string;
  range: Range;
  message: string;
}

/** A setting under which the finding would not apply: editors offer to change it, the CLI names it. */
export interface SettingChange {
  /** The key under `supervisor.` in the editor and in .supervisor-lint.json. */
  key: 'celery.version';
  value: string;
  /** When the change is right, for the action's title: "if the workers run Celery 5.3 or later". */
  condition: string;
}

/**
 * How an editor may draw a finding besides its severity (LSP DiagnosticTag): `unnecessary` text is
 * faded (supervisor or Celery ignores it), `deprecated` text is struck through (a removed spelling).
 */
export type FindingTag = 'unnecessary' | 'deprecated';

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes: Fix[];
  tag?: FindingTag;
  /** Other places the finding is about, for editors to link to (LSP relatedInformation, SARIF relatedLocations). */
  related?: RelatedLocation[];
  /** The setting that, when it is right to change it, makes the finding go away. */
  setting?: SettingChange;
}

/**
 * A finding whose fixes are worked out the first time someone reads them: most findings are only
 * shown, never fixed, and some fixes (a memmon listener to add) cost more to build than the finding.
 * `fixes` is an own enumerable getter, so spreading or serializing the finding still sees them. A fix
 * that fails to build is left out: it runs outside the rule's own guard, in a code action or the CLI.
 */
export function withFixesOnDemand(finding: Omit<Finding, 'fixes'>, makeFixes: () => Fix[]): Finding {
  return new LazyFixesFinding(finding, makeFixes);
}

/**
 * One getter for every lazy finding: an object literal with its own `get fixes()` closure gets a getter
 * V8 cannot share between objects, which turns each finding into a dictionary (~600 B instead of ~40).
 */
const FIXES: PropertyDescriptor = {
  get(this: LazyFixesFinding): Fix[] {
    return this.fixesOnDemand();
  },
  enumerable: true,
  configurable: true,
};

class LazyFixesFinding {
  // Private fields: neither enumerable nor spread, so the finding serializes as a plain one.
  #make: (() => Fix[]) | undefined;
  #made: Fix[] | undefined = undefined;
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  declare readonly fixes: Fix[];
  declare related?: RelatedLocation[];
  declare tag?: FindingTag;
  declare setting?: SettingChange;

  constructor(finding: Omit<Finding, 'fixes'>, makeFixes: () => Fix[]) {
    this.#make = makeFixes;
    this.code = finding.code;
    this.severity = finding.severity;
    this.message = finding.message;
    this.range = finding.range;
    if (finding.related) this.related = finding.related;
    if (finding.tag) this.tag = finding.tag;
    if (finding.setting) this.setting = finding.setting;
    Object.defineProperty(this, 'fixes', FIXES);
  }

  fixesOnDemand(): Fix[] {
    if (!this.#made) {
      try {
        this.#made = this.#make!();
      } catch {
        this.#made = [];
      }
      this.#make = undefined;
    }
    return this.#made;
  }
}

export interface RuleContext {
  doc: SupervisorDocument;
  settings: Settings;
  /** Programs, groups, Celery workers and memmon listeners of this file. */
  deployment: Deployment;
  /** The machine supervisord runs on, when the caller checks against it (see machine.ts); rules that need it are silent without. */
  machine?: MachineView;
  /** With `machine`: the file's path, when it has one (its folder is %(here)s). */
  file?: string;
  /** Where the file's bytes stop being UTF-8, when the caller read them (the CLI; an editor sends decoded text). */
  utf8Error?: Utf8Error;
}

/** One rule = one unit: a stable code, what it reports by default, and a check over the document model. */
export interface Rule {
  code: string;
  /** The usual severity; a rule may report some findings at another one (a user override replaces them all). */
  defaultSeverity: Severity;
  /** One line for --list-rules and hovers. */
  summary: string;
  check(ctx: RuleContext): Finding[];
  /**
   * Whether the rule can judge the file in this context at all (a machine check needs the machine, a
   * cross-file check the other files). Where it cannot, a suppression of its code is not "unused": we
   * cannot tell. Absent: always.
   */
  judges?(ctx: RuleContext): boolean;
}

/**
 * Findings in file order, then by code: the order every list of findings is reported in (one function,
 * for the engine and the suppressions). Codes are lower-case ASCII, so comparing code units orders them
 * as localeCompare would.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return comparePositions(a.range.start, b.range.start) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
