/**
 * Content-based detection of supervisord config files.
 *
 * VS Code's built-in extensions claim `.ini` (ini) and `.conf` (properties), so a
 * `firstLine` pattern in the language contribution never fires for a file such as
 * `celery.conf` at a repository root. The client calls this function for every
 * opened document and switches matching ones to the `supervisor` language.
 *
 * Pure: no `vscode` import. The client uses it on opened documents, the server on the workspace scan
 * that finds configs for workspace symbols.
 */
import { templateLineKindIn } from './templateSyntax';

/** Section names that only exist in supervisor configs (exact match). */
export const SUPERVISOR_PLAIN_SECTIONS: readonly string[] = [
  'unix_http_server',
  'inet_http_server',
  'supervisord',
  'supervisorctl',
  'include',
];

/** Section kinds that take a name after a colon, e.g. `[program:worker]`. */
export const SUPERVISOR_NAMED_SECTIONS: readonly string[] = [
  'program',
  'group',
  'fcgi-program',
  'eventlistener',
  'rpcinterface',
  'ctlplugin',
];

/** How many lines are inspected before giving up. */
export const MAX_LINES_TO_SCAN = 200;

export const CONFIG_EXTENSION = /\.(conf|ini)$/i;
/** `[name]`, optionally followed by an inline `;`/`#` comment. */
const SECTION_HEADER = /^\[([^\]]*)\]\s*(?:[;#].*)?$/;
/** The suffixes of templates of files (Ansible and Jinja, Django, ERB ...): `celery.conf.j2` renders to `celery.conf`. */
const TEMPLATE_SUFFIX = /\.(j2|jinja2?|tmpl|tpl|template|erb)$/i;

/** The name of the file a template's name renders to (`supervisord.conf.j2` gives `supervisord.conf`), or undefined. */
export function renderedNameOf(fileName: string): string | undefined {
  return TEMPLATE_SUFFIX.test(fileName) ? fileName.replace(TEMPLATE_SUFFIX, '') : undefined;
}

/** True when `sectionName` (the text between the brackets) is a supervisor section kind. */
export function isSupervisorSectionName(sectionName: string): boolean {
  const name = sectionName.trim();
  if (SUPERVISOR_PLAIN_SECTIONS.includes(name)) {
    return true;
  }
  const colon = name.indexOf(':');
  if (colon <= 0) {
    return false;
  }
  const kind = name.slice(0, colon).trim();
  const rest = name.slice(colon + 1).trim();
  return rest.length > 0 && SUPERVISOR_NAMED_SECTIONS.includes(kind);
}

/**
 * True when `fileName` ends in `.conf` or `.ini` and the first section header of
 * `text` is a supervisor section (`[supervisord]`, `[program:x]`, ...).
 *
 * Blank lines and `;`/`#` comment lines before the header are skipped. Scanning stops
 * at the first `[...]` header, at the first other content line (supervisor rejects
 * keys before any section, so such a file is not a supervisor config), or after
 * {@link MAX_LINES_TO_SCAN} lines. A template of such a file (`celery.conf.j2`) is one too; its lines of
 * nothing but template code (`{% for w in workers %}`) are skipped as well.
 */
export function looksLikeSupervisorConfig(fileName: string, text: string): boolean {
  const rendered = renderedNameOf(fileName);
  if (!CONFIG_EXTENSION.test(rendered ?? fileName)) {
    return false;
  }
  return startsWithSupervisorSection(text, rendered !== undefined);
}

/**
 * The text half of {@link looksLikeSupervisorConfig}: the first section header is a supervisor
 * section. Alone, for text without a file name to go by (an Untitled editor a config was pasted into).
 * `template`: lines of nothing but template code are skipped too.
 */
export function startsWithSupervisorSection(text: string, template = false): boolean {
  const lines = text.split(/\r\n|\r|\n/, MAX_LINES_TO_SCAN);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (i === 0 && line.charCodeAt(0) === 0xfeff) {
      line = line.slice(1); // byte order mark
    }
    line = line.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#') || (template && templateLineKindIn(line, 0, line.length) !== undefined)) {
      continue;
    }
    const header = SECTION_HEADER.exec(line);
    return header !== null && isSupervisorSectionName(header[1]);
  }
  return false;
}

/** The names the extension claims for supervisor (package.json's filenames and filenamePatterns). */
const CLAIMED_NAMES = new Set(['supervisord.conf', 'supervisor.conf']);
const CLAIMED_FOLDERS = new Set(['supervisor', 'supervisord', 'supervisor.d', 'supervisord.d']);

/**
 * True for a file the editor treats as a supervisor config: by its name (`supervisord.conf`, a `.conf` or
 * `.ini` under a folder named `supervisor`, `supervisord.d` ...) or by its first section header; also
 * for a template of one by its name (`supervisord.conf.j2`) or first section, never by its folder.
 * Every folder in `filePath` counts: a search gives the path below the folder it searches, as the
 * folders above it say nothing of its files (a repository checked out as `.../supervisor/supervisor`
 * holds tox.ini and nginx files too), and so the same files are found however that folder is written.
 */
export function isSupervisorConfigFile(filePath: string, text: string): boolean {
  return isClaimedByName(filePath) || looksLikeSupervisorConfig(filePath, text);
}

/** True for a file isSupervisorConfigFile claims by its name or folder, whatever its text. */
export function isClaimedByName(filePath: string): boolean {
  const parts = filePath.split(/[\\/]/);
  const file = parts[parts.length - 1];
  const rendered = renderedNameOf(file);
  if (CLAIMED_NAMES.has(rendered ?? file)) return true;
  // Not for templates: an Ansible role named supervisor keeps templates of other programs' files too.
  return !rendered && CONFIG_EXTENSION.test(file) && parts.slice(0, -1).some((folder) => CLAIMED_FOLDERS.has(folder));
}
