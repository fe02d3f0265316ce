import { readFile } from 'node:fs/promises';

/** The last `lines` lines of a log file ('' if it cannot be read), to show why a process died. */
export async function readLogTail(path: string, lines: number): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
