import { createServer } from 'node:net';

/** One port to check, with what it is for (named in the error). */
export interface PortUse {
  port: number;
  purpose: string;
}

/** True when nothing listens on `host:port` (a listen there succeeds). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first port of `uses` that is taken, or undefined when all are free. */
export async function findTakenPort(
  uses: readonly PortUse[],
  host = '127.0.0.1',
): Promise<PortUse | undefined> {
  for (const use of uses) {
    if (!(await isPortFree(use.port, host))) return use;
  }
  return undefined;
}
