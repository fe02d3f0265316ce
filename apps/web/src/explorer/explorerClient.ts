import { createExplorerClient, type ExplorerClient } from '@shardpay/sdk';

let client: ExplorerClient | undefined;

/** The SDK's public explorer client at the page's own origin (the gateway serves the app), made once. */
export function explorerClient(): ExplorerClient {
  client ??= createExplorerClient({ url: window.location.origin });
  return client;
}
