/**
 * The module hook of a broken build: rewrites the sources named by the mutation in
 * `SHARDPAY_CHAOS_BREAK` as they load (mutations.ts).
 */
import { MUTATIONS } from './mutations.ts';

const mutations = MUTATIONS[process.env.SHARDPAY_CHAOS_BREAK ?? ''] ?? [];

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}

export async function load(
  url: string,
  context: unknown,
  nextLoad: (url: string, context: unknown) => Promise<LoadResult>,
): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  const mine = mutations.filter((mutation) => url.endsWith(mutation.file));
  if (mine.length === 0 || result.source === undefined) return result;
  let source =
    typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source as Uint8Array);
  for (const mutation of mine) {
    if (!source.includes(mutation.from)) throw new Error(`mutation of ${mutation.file} no longer applies`);
    source = source.replaceAll(mutation.from, mutation.to);
    // Into the validator's log: proof that this run is the broken build.
    process.stderr.write(`${JSON.stringify({ event: 'chaos_mutation_applied', file: mutation.file })}\n`);
  }
  return { ...result, source };
}
