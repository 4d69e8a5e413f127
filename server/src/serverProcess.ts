/**
 * Node flags the language server runs with: the VS Code client starts it with them, and `npm run bench`
 * measures it with them.
 *
 * The server keeps one long-lived model per open file, so much of what an analysis allocates survives
 * until the next one. Semi-spaces of 8 MB (V8's default grows them to 16 MB) balance the two costs on a
 * 75,000-line file: with 2 MB, the scavenges the extra collections need made opening it about 15%
 * slower (median about 100 ms instead of 85-90); with 16 MB the server holds it in about 103 MB
 * instead of about 95 MB (measured with the bench's protocol run).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
