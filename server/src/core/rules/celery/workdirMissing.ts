import type { Finding, Fix, Rule } from '../rule';
import type { Entry } from '../../model/document';
import { optionRange } from '../../commandEdits';
import { celeryRunning, environmentKeys, isDynamic } from './commandLine';

/** `cd /srv/app && celery ...` inside `bash -c`: the shell changes directory itself. */
const SHELL_CD = /(^|[\s;&|("'])(cd|pushd)\s/;

/** Keys people write for the working directory that supervisor does not know (it ignores them). */
const DIRECTORY_TYPOS = new Set(['chdir', 'cwd', 'workdir', 'working_directory', 'workingdirectory', 'working_dir', 'dir']);

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const CONSOLE = new Set(['/dev/stdout', '/dev/stderr', '/dev/fd/1', '/dev/fd/2']);
/** Apps that are always installed packages (the project itself is found another way). */
const INSTALLED_APPS = new Set(['pyramid_celery']);

/**
 * Celery imports the -A module relative to the working directory, and supervisor does not change
 * directory for a program unless `directory=` says so: without it (or --workdir, or PYTHONPATH) the
 * worker starts in supervisord's own directory and cannot find the app.
 */
export const celeryWorkdirMissing: Rule = {
  code: 'celery-workdir-missing',
  defaultSeverity: 'warning',
  summary: 'A Celery worker or beat imports its -A module relative to a working directory that nothing sets (directory=, --workdir).',
  check(ctx) {
    const findings: Finding[] = [];
    const supervisord = ctx.doc.sections.filter((s) => s.name === 'supervisord');
    // [supervisord] directory= is inherited; nodaemon=true is the container / foreground launcher
    // case, where whatever starts supervisord (a Dockerfile's WORKDIR) sets the directory.
    const inherited = supervisord.some((s) =>
      s.entries.some((e) => e.key === 'directory' || (e.key === 'nodaemon' && TRUE_WORDS.has(e.value.trim().toLowerCase()))),
    );
    if (inherited) return findings;
    // Logging to supervisord's own stdout/stderr is the same foreground (container) setup: looked
    // for only once a program would be reported (it scans every entry of the file).
    let consoleLogs: boolean | undefined;
    const ps = celeryRunning(ctx.deployment, 'worker', 'beat');
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      // directory= first: most programs set it, and it is one lookup where an option is a scan of the command's options.
      if (p.get('directory')) continue;
      const c = p.celery;
      const app = c.get('--app');
      if (!app?.value || app.missingValue || app.invalidEquals || isDynamic(app.value) || app.value.includes('/')) continue;
      if (c.has('--workdir')) continue;
      if (c.viaShell && SHELL_CD.test(p.command.value)) continue;
      consoleLogs ??= logsToConsole(ctx.doc.sections);
      if (consoleLogs) return findings;
      const env = environmentKeys(ctx.deployment, p);
      if (env.has('PYTHONPATH') || env.has('CELERY_WORKDIR')) continue;
      const module = app.value.split(':')[0].split('.')[0];
      if (INSTALLED_APPS.has(module)) continue;
      const typo = findTypo(ctx.doc.sections, p.sectionIndexes);
      const fixes: Fix[] = [];
      if (typo && typo.value.trim()) {
        fixes.push({
          title: `Rename ${typo.rawKey}= to directory=`,
          edits: [{ range: typo.keyRange, newText: 'directory' }],
          isPreferred: true,
          safeForFixAll: false, // the key looks like a misspelt directory=: a guess
        });
      }
      findings.push({
        code: this.code,
        severity: 'warning',
        message: typo
          ? `Celery imports the app '${app.value}' from the working directory, but supervisor has no '${typo.rawKey}' key and ignores it, so '${p.name}' starts in supervisord's own working directory and stops with "Unable to load celery application. The module ${module} was not found." The key is directory=.`
          : `Celery imports the app '${app.value}' from the working directory, but '${p.name}' sets neither directory= nor --workdir. supervisor does not change directory for a program by itself, so the ${c.subcommand} starts in supervisord's own working directory (often /) and stops with "Unable to load celery application. The module ${module} was not found." Add directory=/path/to/project (the folder that contains ${module}) to [program:${p.name}], unless ${module} is installed as a package.`,
        range: optionRange(p.command, app),
        fixes,
      });
    }
    return findings;
  },
};

function findTypo(sections: { entries: Entry[] }[], indexes: number[]): Entry | undefined {
  for (let k = indexes.length - 1; k >= 0; k--) {
    const e = [...sections[indexes[k]].entries].reverse().find((x) => DIRECTORY_TYPOS.has(x.key));
    if (e) return e;
  }
  return undefined;
}

/** Some program logs to supervisord's own stdout/stderr (the container setup). */
function logsToConsole(sections: readonly { entries: Entry[] }[]): boolean {
  for (const sec of sections) {
    for (const e of sec.entries) {
      if (e.key !== 'stdout_logfile' && e.key !== 'stderr_logfile') continue;
      // Every console path starts with /dev/: skip the trim for the others.
      if (e.value.indexOf('/dev/') !== -1 && CONSOLE.has(e.value.trim())) return true;
    }
  }
  return false;
}
