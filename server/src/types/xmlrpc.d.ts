/** The part of the xmlrpc package the server uses: its reader of responses (its client has no timeouts, so the transport is ours). */
declare module 'xmlrpc/lib/deserializer' {
  import type { Readable } from 'node:stream';
  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodResponse(stream: Readable, callback: (error: (Error & { faultCode?: number; faultString?: string }) | null, value?: unknown) => void): void;
  }
  export = Deserializer;
}
