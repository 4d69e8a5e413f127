/**
 * Shell commands that make supervisord pick up a changed config.
 *
 * supervisord reads its config only at start-up or when told to (Alliance Auth
 * Celery tuning guide): `reread` + `update` applies the change, restarting only the
 * programs whose config changed. A full graceful restart stops the worker groups
 * first, so running tasks can finish, then restarts the supervisor service.
 *
 * Pure: no `vscode` import, so it can be unit-tested under plain node.
 */
import { renderedNameOf } from '../../server/src/core/detect';

/** What saved a file, as VS Code tells it: the user, `files.autoSave` afterDelay, or leaving the editor or window (onFocusChange, onWindowChange). */
export type SaveReason = 'manual' | 'afterDelay' | 'focusOut';

/**
 * Whether saving this file should remind of the commands above: not when `supervisor.reloadReminder` is
 * false, nor for a template (`supervisord.conf.j2`), which supervisord never reads: it applies once rendered.
 * Nor for an auto-save after a delay, which comes a moment after a keystroke: the notification would pop
 * up mid-typing (a save on leaving the editor, or Ctrl+S under auto-save, still reminds).
 */
export function remindsOnSave(fileName: string, reloadReminder: unknown, savedBy: SaveReason = 'manual'): boolean {
  return reloadReminder !== false && renderedNameOf(fileName) === undefined && savedBy !== 'afterDelay';
}

/**
 * The reminder's text. A notification shows plain text (backticks would show as typed), and the command
 * run with no supervisor file open speaks of no file. `saved`: the reminder on save, which alone
 * offers "Don't Show Again" (it turns off supervisor.reloadReminder, which only the reminder on save reads).
 */
export function reloadMessage(file: 'saved' | 'active' | 'none'): { message: string; dontShowAgain: boolean } {
  const message =
    file === 'none'
      ? 'Supervisor reads a changed config only when told to. Apply the change with supervisorctl reread, then supervisorctl update.'
      : 'Supervisor reads this file only when told to. Apply the change with supervisorctl reread, then supervisorctl update.';
  return { message, dontShowAgain: file === 'saved' };
}

/** The command that applies config changes. Single line, so it can be typed into a terminal. */
export const APPLY_COMMAND = 'sudo supervisorctl reread && sudo supervisorctl update';

const GROUP_HEADER = /^[ \t]*\[[ \t]*group[ \t]*:([^\]\r\n]*)\]/gm;
const SHELL_SAFE = /^[A-Za-z0-9_.,:@%+=\/-]+$/;

/** Names of the `[group:NAME]` sections in `text`, in order of appearance, without duplicates. */
export function groupNamesIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(GROUP_HEADER)) {
    const name = match[1].trim();
    if (name !== '' && !names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}

/** Quotes `word` for a POSIX shell unless it only holds characters that need no quoting. */
export function shellWord(word: string): string {
  return SHELL_SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The commands to apply a config change: the `reread && update` line, then a comment
 * line with the full graceful restart (stop each group, or `all` when there are no
 * groups, then restart the supervisor service).
 */
export function reloadCommands(groupNames: string[]): string {
  const unique = [...new Set(groupNames.map((g) => g.trim()).filter((g) => g !== ''))];
  const stops =
    unique.length > 0
      ? unique.map((g) => `sudo supervisorctl stop ${shellWord(`${g}:`)}`)
      : ['sudo supervisorctl stop all'];
  const fullRestart = [...stops, 'sudo systemctl restart supervisor'].join(' && ');
  return `${APPLY_COMMAND}\n# full restart: ${fullRestart}`;
}
