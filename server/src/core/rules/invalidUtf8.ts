import type { Rule } from './rule';
import { partitionPoint } from '../partitionPoint';

/**
 * Bytes supervisor cannot decode as UTF-8 (a file saved as Latin-1 or Windows-1252). Only the bytes tell,
 * so the rule reports what the caller that read them found (ctx.utf8Error, from model/utf8.ts): the CLI
 * for the files it reads, the language server for an open file on disk (diskEncoding.ts); without the
 * bytes (an unsaved document) it is silent, as the machine checks are without a machine. Being a rule,
 * it has a code, a severity to change, and suppression comments.
 */
export const invalidUtf8: Rule = {
  code: 'invalid-utf8',
  defaultSeverity: 'error',
  summary: 'Bytes that are not UTF-8 (a file saved as Latin-1 or Windows-1252; seen where the bytes are read: by supervisor-lint, and by the editor for an open file on disk): supervisor refuses the file.',
  check({ doc, deployment, utf8Error }) {
    if (!utf8Error) return [];
    const { offset, byte, length, reason } = utf8Error;
    const line = partitionPoint(doc.lineStarts.length, (i) => doc.lineStarts[i] <= offset) - 1;
    const character = offset - doc.lineStarts[line];
    const hex = byte.toString(16).padStart(2, '0');
    // Python counts the position within the block of the file it was decoding, so it is left out.
    const python = `'utf-8' codec can't decode ${length === 1 ? `byte 0x${hex}` : 'bytes'} in position …: ${reason}`;
    return [
      {
        code: 'invalid-utf8',
        severity: 'error',
        message: `This byte (0x${hex.toUpperCase()}) is not UTF-8, and supervisor reads its config as UTF-8: ${deployment.isMainFile ? 'supervisord and supervisorctl stop' : 'supervisord stops'} with "Error: ${python}". The file was probably saved as Latin-1 or Windows-1252: save it as UTF-8 (reopen it in that encoding and save it as UTF-8, or convert it with iconv -f latin1 -t utf-8).`,
        range: { start: { line, character }, end: { line, character: character + 1 } },
        fixes: [],
      },
    ];
  },
};
