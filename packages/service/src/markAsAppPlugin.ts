import type { FastifyPluginAsync } from 'fastify';

/**
 * Lets a plugin's hooks and decorators apply to the whole app instead of its own encapsulated
 * context (what `fastify-plugin` does, without the extra dependency).
 */
export function markAsAppPlugin<Options extends Record<string, unknown>>(
  plugin: FastifyPluginAsync<Options>,
  name: string,
): FastifyPluginAsync<Options> {
  const marked = plugin as FastifyPluginAsync<Options> & Record<symbol, unknown>;
  marked[Symbol.for('skip-override')] = true;
  marked[Symbol.for('fastify.display-name')] = name;
  return marked;
}
