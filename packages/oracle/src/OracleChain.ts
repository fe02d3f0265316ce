import type { NodeClient } from '@shardpay/sdk';

/**
 * What the oracle asks of the chain: the SDK's node client (createNodeClient) in production, a fake
 * in tests that do not need a chain.
 */
export type OracleChain = Pick<
  NodeClient,
  'network' | 'getEscrow' | 'getAccount' | 'networkInfo' | 'submitTransaction' | 'getTransactionStatus'
>;
