/**
 * `@shardpay/node/testing`: helpers for the tests of packages above the node (gateway, bank, CLI) —
 * a local chain in the test's process, free ports, and polling without fixed sleeps. Tests only:
 * no package's `src/` imports this.
 */
export {
  createLocalNetwork,
  freePort,
  type LocalNetwork,
  type LocalNetworkOptions,
  writeFaucetKeys,
} from './localNetwork.ts';
export { type LocalValidators, startLocalValidators } from './startLocalValidators.ts';
export { waitFor } from './waitFor.ts';
