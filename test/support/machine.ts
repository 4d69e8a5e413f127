/** A made-up machine for the rules and features that ask about one (core/machine.ts). */
import { SERVICE_PATH, type MachineView, type PathKind } from '../../server/src/core/machine';

/**
 * A machine whose disk holds exactly these paths (folders end with /, executables with *) and their
 * parent folders; its accounts are root and those added to `accounts`; its supervisord runs as a
 * systemd service (with systemd's PATH).
 */
export function machineWith(...entries: string[]): MachineView & { asked: string[]; accounts: Set<string> } {
  const kinds = new Map<string, PathKind>();
  for (const e of entries) {
    const kind: PathKind = e.endsWith('/') ? 'dir' : e.endsWith('*') ? 'executable' : 'file';
    const path = e.replace(/[/*]$/, '');
    kinds.set(path, kind);
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) kinds.set(path.slice(0, i), 'dir');
  }
  const asked: string[] = [];
  const accounts = new Set(['root', '0']);
  return {
    asked,
    accounts,
    account(user) {
      return accounts.has(user);
    },
    supervisordPath() {
      return { dirs: SERVICE_PATH, from: 'service' };
    },
    kind(path) {
      asked.push(path);
      return kinds.get(path) ?? 'missing';
    },
    list(dir) {
      if (kinds.get(dir) !== 'dir') return undefined;
      return [...kinds.keys()].filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')).map((p) => p.slice(dir.length + 1));
    },
  };
}
