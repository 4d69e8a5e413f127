import { withFixesOnDemand, type Finding, type Fix, type Rule } from '../rule';
import { replaceSpan, spanRange } from '../../commandEdits';
import { basename } from '../../command/argv';
import { isPythonName } from '../../command/invocation';
import { environmentPairs } from '../process/environment';
import type { CeleryProgram } from './workers';

/** The sub-commands of Celery 3.1's celery command, which djcelery's `manage.py celery` passes on. */
const CELERY_31_COMMANDS = new Set(['amqp', 'beat', 'call', 'control', 'events', 'graph', 'help', 'inspect', 'list', 'migrate', 'multi', 'purge', 'report', 'result', 'shell', 'status', 'upgrade', 'worker']);

/** Django's own options, which celery rejects ("No such option"): with one of them the command is not rewritten. */
const DJANGO_OPTIONS = /(?:^|\s)--(?:settings|pythonpath)(?:[=\s]|$)/;

/**
 * `python manage.py celeryd`, `manage.py celerybeat`, `manage.py celery worker`: the management commands
 * of django-celery (djcelery), which requires celery<4.0. Where Celery 4 or 5 is installed, Django
 * knows no such command and the program never starts. Celery runs a Django project itself since 3.1.
 */
export const celeryDjangoCeleryCommand: Rule = {
  code: 'celery-django-celery-command',
  defaultSeverity: 'warning',
  summary: "django-celery's manage.py celeryd / celerybeat / celery worker: they need Celery 3.1 or older; run celery -A proj worker.",
  check(ctx) {
    const findings: Finding[] = [];
    for (let i = 0; i < ctx.deployment.celeryPrograms.length; i++) {
      const p = ctx.deployment.celeryPrograms[i];
      const via = p.celery.managePy;
      if (!via) continue;
      // `manage.py celery runworker` is some other manage.py's command (Flask-Script's), not djcelery's,
      // whose celery command takes celery's own sub-commands.
      if (via.command === 'celery' && p.celery.subcommand === 'other' && !CELERY_31_COMMANDS.has(p.celery.subcommandText ?? '')) continue;
      const written = via.command === 'celery' ? `manage.py celery ${p.celery.subcommandText ?? ''}`.trimEnd() : `manage.py ${via.command}`;
      findings.push(
        withFixesOnDemand(
          {
            code: this.code,
            severity: 'warning',
            message:
              `'${written}' is a command of django-celery (djcelery), which works only with Celery 3.1 and older (it requires celery<4.0): ` +
              `with Celery ${ctx.settings.celeryVersion} installed, Django stops with "Unknown command: '${via.command}'" and '${p.name}' never starts. ` +
              `Celery runs a Django project itself since 3.1: give the project a Celery app (proj/celery.py, Celery's "First steps with Django") and run 'celery -A proj ${p.celery.subcommand === 'other' ? 'worker' : p.celery.subcommand}' from the virtualenv.` +
              (DJANGO_OPTIONS.test(p.command.value) ? ' Django options such as --settings go in environment= (DJANGO_SETTINGS_MODULE) instead.' : ''),
            range: spanRange(p.command, via.start, via.end),
            tag: 'deprecated',
          },
          () => {
            const fix = rewrite(p, environmentPairs(p.get('environment')?.value ?? '').get('DJANGO_SETTINGS_MODULE'));
            return fix ? [fix] : [];
          },
        ),
      );
    }
    return findings;
  },
};

/**
 * `[/venv/bin/]python [path/]manage.py celeryd ...` -> `[/venv/bin/]celery -A proj worker ...`, the
 * options kept. The project is the package DJANGO_SETTINGS_MODULE names, or else the folder manage.py
 * is in (Django's startproject names the package after it). Never safe to apply unseen: the project
 * needs a Celery app module first.
 */
function rewrite(p: CeleryProgram, settingsModule: string | undefined): Fix | undefined {
  const c = p.celery;
  const via = c.managePy!;
  if (c.subcommand === 'multi' || DJANGO_OPTIONS.test(p.command.value)) return undefined;
  const project = settingsModule?.trim().split('.')[0] || folderOf(via.script);
  if (!project || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(project)) return undefined;
  const exe = c.executable;
  if (p.command.value.slice(c.executableStart, c.executableEnd) !== exe) return undefined; // quoted: rewritten by hand
  const slash = exe.lastIndexOf('/');
  const celery = isPythonName(basename(exe)) && slash >= 0 ? `${exe.slice(0, slash)}/celery` : 'celery';
  const app = c.has('--app') ? '' : ` -A ${project}`;
  const sub = via.command === 'celery' ? '' : ` ${c.subcommand}`;
  const replacement = `${celery}${app}${sub}`;
  return {
    title: `Run '${replacement}' instead of '${via.command === 'celery' ? 'manage.py celery' : `manage.py ${via.command}`}' (needs ${project}/celery.py)`,
    edits: [...replaceSpan(p.command, c.executableStart, via.end, replacement)],
    safeForFixAll: false,
  };
}

/** `proj` of `/srv/proj/manage.py`; undefined for a bare `manage.py` or one in a template's folder. */
function folderOf(script: string): string | undefined {
  const parts = script.split('/').filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}
