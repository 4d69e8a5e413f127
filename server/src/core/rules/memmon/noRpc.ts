import type { Finding, Fix, Rule } from '../rule';
import { appendLines } from '../../edits';
import { explicitServerUrl, hasSection, serverFor } from './servers';

/** The sections listenerFix.ts adds with a new memmon listener. */
const SERVER_LINES = ['[unix_http_server]', 'file=/var/run/supervisor.sock', 'chmod=0700'];
const RPC_LINES = ['[rpcinterface:supervisor]', 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface'];

/**
 * memmon restarts processes through supervisord's XML-RPC interface. Without an HTTP server section the
 * child gets no SUPERVISOR_SERVER_URL and memmon dies with KeyError; without [rpcinterface:supervisor]
 * its calls fail. Only a main file can be judged: fragments get these sections from the main file.
 */
export const memmonNoRpc: Rule = {
  code: 'memmon-no-rpc',
  defaultSeverity: 'warning',
  summary: 'A memmon listener in a main file without [rpcinterface:supervisor] or an HTTP server section, so memmon cannot reach supervisord.',
  check({ deployment, doc }) {
    const findings: Finding[] = [];
    // A fragment can be judged when its deployment's main file is known.
    const external = deployment.external;
    // In a deployment the main file is the one read first; alone, a file with [supervisord] is one.
    const isMain = external ? external.mainFile === undefined : deployment.isMainFile;
    if (!isMain && external?.mainFile === undefined) return findings;
    const elsewhere = (name: string) => !!external?.sectionNames.has(name);
    const noServer = serverFor(doc) === undefined && !elsewhere('unix_http_server') && !elsewhere('inet_http_server');
    const noRpc = !hasSection(doc, 'rpcinterface:supervisor') && !elsewhere('rpcinterface:supervisor');
    if (!noServer && !noRpc) return findings;
    // An [include] whose files were not all read leaves room for doubt.
    const includes = hasSection(doc, 'include') && !external?.complete;
    // The fix adds the sections to this file; in a fragment they belong in the main file instead.
    const fixable = !includes && isMain;
    const where = external ? `no file of this deployment${isMain ? '' : ` (main file ${external.mainFile})`} has` : 'this file has no';
    for (const listener of deployment.memmonListeners) {
      if (explicitServerUrl(listener)) continue;
      const missing = [...(noServer ? ['[unix_http_server] or [inet_http_server]'] : []), ...(noRpc ? ['[rpcinterface:supervisor]'] : [])].join(' and ');
      const effect = noServer
        ? 'supervisord then gives memmon no SUPERVISOR_SERVER_URL and memmon exits with KeyError as soon as it starts'
        : "memmon's calls to restart processes fail";
      const lines = [...(noServer ? SERVER_LINES : []), ...(noServer && noRpc ? [''] : []), ...(noRpc ? RPC_LINES : [])];
      const added = [...(noServer ? ['[unix_http_server]'] : []), ...(noRpc ? ['[rpcinterface:supervisor]'] : [])].join(' and ');
      const fixes: Fix[] = !fixable ? [] : [{ title: `Add ${added}`, edits: [appendLines(doc, lines)], isPreferred: true }];
      findings.push({
        code: this.code,
        severity: includes ? 'information' : 'warning',
        message: `memmon [eventlistener:${listener.name}] talks to supervisord over XML-RPC, but ${where} ${missing}: ${effect}. ${
          includes
            ? `If an [include]d file defines ${noServer && noRpc ? 'them' : 'it'}, all is well; otherwise add ${noServer && noRpc ? 'them' : 'it'}.`
            : `Add ${noServer && noRpc ? 'them' : 'it'}${isMain ? '' : ` to ${external?.mainFile}`}.`
        }`,
        range: doc.sections[listener.sectionIndexes[0]].headerRange,
        fixes,
      });
    }
    return findings;
  },
};
