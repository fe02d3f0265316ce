/** Light-client verification of the gateway's proof answers, and the public explorer client that fetches them. */
export {
  createExplorerClient,
  type ExplorerClient,
  type ExplorerClientOptions,
} from './createExplorerClient.ts';
export type * from './explorerTypes.ts';
export type { ProofCheck, ProofCheckName, ProofVerification } from './proofVerification.ts';
export { verifyAccountProofResponse } from './verifyAccountProofResponse.ts';
export { verifyReceiptProofResponse } from './verifyReceiptProofResponse.ts';
