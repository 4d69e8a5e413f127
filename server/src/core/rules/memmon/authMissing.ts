import type { Finding, Fix, Rule } from '../rule';
import { environmentKeys } from '../process/environment';
import { homeSection, insertKeys, keyAnchor } from '../process/programKeys';
import { explicitServerUrl, sectionValue, serverFor } from './servers';

/** A value for environment=, quoted so supervisor's shlex reads it back unchanged; undefined when it cannot be. */
function quoted(raw: string): string | undefined {
  if (raw.includes('\n')) return undefined;
  if (!raw.includes('"')) return `"${raw}"`;
  if (!raw.includes("'")) return `'${raw}'`;
  return undefined;
}

/**
 * When the HTTP server asks for a username and password, memmon must send them: it reads them from
 * SUPERVISOR_USERNAME and SUPERVISOR_PASSWORD in its environment. Without them every XML-RPC call is
 * refused and memmon never restarts anything.
 */
export const memmonAuthMissing: Rule = {
  code: 'memmon-auth-missing',
  defaultSeverity: 'warning',
  summary: "memmon without SUPERVISOR_USERNAME/SUPERVISOR_PASSWORD while supervisord's HTTP server requires a login.",
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    if (!deployment.isMainFile) return findings;
    const server = serverFor(doc);
    if (!server) return findings;
    const user = sectionValue(doc, server, 'username');
    const password = sectionValue(doc, server, 'password');
    if (!user || !user.value.trim()) return findings;
    const global = environmentKeys(sectionValue(doc, 'supervisord', 'environment')?.value ?? '');
    for (const listener of deployment.memmonListeners) {
      if (explicitServerUrl(listener)) continue;
      const env = listener.get('environment');
      const keys = environmentKeys(env?.value ?? '');
      const missing = ['SUPERVISOR_USERNAME', 'SUPERVISOR_PASSWORD'].filter((k) => !keys.has(k) && !global.has(k));
      if (!missing.length) continue;
      const fixes: Fix[] = [];
      const hashed = !!password && password.value.trim().startsWith('{SHA}');
      if (!env && password && !hashed) {
        const values: Record<string, string | undefined> = { SUPERVISOR_USERNAME: quoted(user.value.trim()), SUPERVISOR_PASSWORD: quoted(password.value.trim()) };
        if (missing.every((k) => values[k] !== undefined)) {
          const text = missing.map((k) => `${k}=${values[k]}`).join(',');
          fixes.push({
            title: `Pass the [${server}] login to memmon (environment=${missing.join(',')})`,
            edits: [insertKeys(doc, homeSection(listener), [['environment', text]])],
            isPreferred: true,
          });
        }
      }
      findings.push({
        code: this.code,
        severity: 'warning',
        message: `[${server}] requires username '${user.value.trim()}' and a password, but memmon [eventlistener:${listener.name}] gets no ${missing.join(' or ')} in its environment, so supervisord refuses its calls and memmon restarts nothing. Add ${
          env ? 'them to its environment=' : 'environment=SUPERVISOR_USERNAME="<user>",SUPERVISOR_PASSWORD="<password>"'
        }${hashed ? ' with the clear-text password (the server stores only its {SHA} hash)' : ''}.`,
        range: keyAnchor(doc, listener, 'environment'),
        fixes,
      });
    }
    return findings;
  },
};
