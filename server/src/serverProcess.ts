/**
 * Node flags the language server runs with: the VS Code client starts it with them, and `npm run bench`
 * measures it with them.
 *
 * The server keeps one long-lived model per open file, and most of what an analysis allocates survives
 * until the next one, so V8's default young generation (semi-spaces of up to 16 MB) mostly costs memory:
 * with 2 MB the server holds a 75,000-line file in about 90 MB instead of about 115 MB, at the same speed.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
