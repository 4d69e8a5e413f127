/** A made-up disk for the rules and features that ask about one (core/disk.ts). */
import type { DiskView, PathKind } from '../../server/src/core/disk';

/** A disk holding exactly these paths (folders end with /, executables with *), and their parent folders. */
export function diskWith(...entries: string[]): DiskView & { asked: string[] } {
  const kinds = new Map<string, PathKind>();
  for (const e of entries) {
    const kind: PathKind = e.endsWith('/') ? 'dir' : e.endsWith('*') ? 'executable' : 'file';
    const path = e.replace(/[/*]$/, '');
    kinds.set(path, kind);
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) kinds.set(path.slice(0, i), 'dir');
  }
  const asked: string[] = [];
  return {
    asked,
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
