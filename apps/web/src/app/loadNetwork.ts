import { type NetworkConfig, networkConfigFromJson } from '@shardpay/protocol';
import type { GatewayClient } from '@shardpay/sdk';

let cached: Promise<NetworkConfig> | undefined;

/** The network config (genesis) the gateway publishes in `GET /v1/network`, asked once per page load. */
export function loadNetwork(gateway: GatewayClient): Promise<NetworkConfig> {
  cached ??= gateway.network().then((info) => networkConfigFromJson(info.network_config));
  // A failed fetch is not remembered: the next page asks again.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
