/**
 * Before a fix renames a key or a section, make sure supervisor would accept what the rename brings
 * to life: a typo'd key is ignored today, but once spelled right its value is read and checked.
 */
import type { Entry } from '../../model/document';
import type { KeySpec, SectionSpec } from '../../catalog/keys';
import { parseInteger, parseBoolean } from '../../catalog/datatypes';
import { acceptsValue } from './values';

function boolOf(e: Entry | undefined): boolean | undefined {
  if (!e) return undefined;
  const r = parseBoolean(e.value);
  return r.ok ? r.value : undefined;
}

/** supervisor accepts `value` for `spec` (values with % expansions are not judged, so not accepted). */
export function renameKeepsFileValid(spec: KeySpec, value: string): boolean {
  return acceptsValue(spec, value);
}

/**
 * Would supervisor accept these entries as a section of `spec`? `sectionNames` holds the name of every
 * section in the file (the caller builds it once, not once per section asked about).
 */
export function sectionWouldBeValid(sectionNames: { has(name: string): boolean }, spec: SectionSpec, label: string | undefined, entries: readonly Entry[]): boolean {
  const byKey = new Map<string, Entry>();
  for (const e of entries) byKey.set(e.key, e);
  for (const k of spec.keys) {
    const e = byKey.get(k.name);
    if (k.required && !e) return false;
    if (e && !acceptsValue(k, e.value)) return false;
  }
  if (spec.named && label !== undefined && /[\s:/]/.test(label.trim())) return false;
  if (spec.kind === 'program' || spec.kind === 'fcgi-program' || spec.kind === 'eventlistener') {
    const n = byKey.get('numprocs');
    const numprocs = n ? parseInteger(n.value) : undefined;
    if (numprocs?.ok && numprocs.value > 1 && !(byKey.get('process_name')?.value ?? '').includes('%(process_num)')) return false;
    if (boolOf(byKey.get('stopasgroup')) === true && boolOf(byKey.get('killasgroup')) === false) return false;
    if (spec.kind === 'eventlistener' && boolOf(byKey.get('redirect_stderr')) === true) return false;
  }
  if (spec.kind === 'group') {
    const programs = (byKey.get('programs')?.value ?? '').split(',').map((p) => p.trim());
    for (const p of programs) if (p && !sectionNames.has(`program:${p}`) && !sectionNames.has(`fcgi-program:${p}`)) return false;
    if (programs.includes('')) return false;
  }
  return true;
}
