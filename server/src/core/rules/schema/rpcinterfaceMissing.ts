import type { Finding, Fix } from '../rule';
import { appendLines } from '../../edits';
import { schemaRule } from './util';

const RPC_LINES = ['[rpcinterface:supervisor]', 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface'];

/**
 * A main file with [unix_http_server] or [inet_http_server] but no [rpcinterface:supervisor]:
 * supervisord starts, but supervisorctl, the web UI and XML-RPC clients get no answer from it.
 * Fragments are not judged (the main file has these sections), and files with a memmon listener are
 * left to memmon-no-rpc.
 */
export const rpcinterfaceMissing = schemaRule(
  'rpcinterface-missing',
  'warning',
  'An HTTP server section without [rpcinterface:supervisor] in a main file: supervisorctl cannot control supervisord.',
  (ctx) => {
    const external = ctx.deployment.external;
    if (!ctx.isMainFile || ctx.deployment.memmonListeners.length || external?.memmonListeners.length || ctx.template) return [];
    if (ctx.doc.sections.some((s) => s.name === 'rpcinterface:supervisor') || external?.sectionNames.has('rpcinterface:supervisor')) return [];
    // With every included file read, an [include] no longer leaves room for doubt.
    const open = ctx.hasInclude && !external?.complete;
    const server = ctx.sections.find((r) => r.resolved && (r.resolved.spec.kind === 'unix_http_server' || r.resolved.spec.kind === 'inet_http_server'));
    if (!server) return [];
    const fixes: Fix[] = open ? [] : [{ title: 'Add [rpcinterface:supervisor]', edits: [appendLines(ctx.doc, RPC_LINES)], isPreferred: true }];
    const finding: Finding = {
      code: 'rpcinterface-missing',
      severity: open ? 'information' : 'warning',
      message: `[${server.section.name}] serves XML-RPC, but ${external ? 'no file of this deployment has' : 'this file has no'} [rpcinterface:supervisor]: supervisord starts, yet supervisorctl, the web UI and XML-RPC listeners get no interface to talk to. ${
        open ? 'If an included file defines it, all is well; otherwise add' : 'Add'
      } [rpcinterface:supervisor] with supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface.`,
      range: server.section.headerRange,
      fixes,
    };
    return [finding];
  },
);
