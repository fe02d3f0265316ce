/**
 * `node --import scripts/chaos/mutants/register.ts …`: loads the validator as a deliberately broken
 * build (the mutation named by `SHARDPAY_CHAOS_BREAK`, see mutations.ts).
 */
import { register } from 'node:module';

register(new URL('./hooks.ts', import.meta.url));
