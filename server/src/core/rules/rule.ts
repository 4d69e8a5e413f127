import type { SupervisorDocument } from '../model/document';
import type { Range, Severity, TextEdit } from '../model/types';
import type { Settings } from '../settings';
import type { Deployment } from '../deployment';

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix that is clearly right for this finding. */
  isPreferred?: boolean;
  /** Safe to apply without looking, as part of "fix all". */
  safeForFixAll?: boolean;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes: Fix[];
}

export interface RuleContext {
  doc: SupervisorDocument;
  settings: Settings;
  /** Programs, groups, Celery workers and memmon listeners of this file. */
  deployment: Deployment;
}

/** One rule = one unit: a stable code, what it reports by default, and a check over the document model. */
export interface Rule {
  code: string;
  /** The usual severity; a rule may report some findings at another one (a user override replaces them all). */
  defaultSeverity: Severity;
  /** One line for --list-rules and hovers. */
  summary: string;
  check(ctx: RuleContext): Finding[];
}
