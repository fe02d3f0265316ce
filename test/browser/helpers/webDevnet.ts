/**
 * One devnet per test file (2 shards × 1 validator, with its gateway, bank and oracle sandboxes), its
 * gateway serving the built web app exactly as `shardpay devnet` does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreeDevnetPort, type RunningDevnet, startDevnet } from '@shardpay/cli';
import { type NetworkConfig, networkConfigFromJson } from '@shardpay/protocol';

export interface WebDevnet {
  devnet: RunningDevnet;
  /** The gateway's URL: the web app is served at its root. */
  url: string;
  network: NetworkConfig;
  stop(): Promise<void>;
}

export async function startWebDevnet(): Promise<WebDevnet> {
  const root = mkdtempSync(join(tmpdir(), 'shardpay-web-'));
  const port = await findFreeDevnetPort(2, 1);
  const devnet = await startDevnet({
    dir: join(root, 'devnet'),
    shards: 2,
    validators: 1,
    port,
    readyTimeoutMs: 60_000,
  });
  const stop = async () => {
    await devnet.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const url = devnet.gateway;
    assert.ok(url, 'the devnet started no gateway');
    const page = await fetch(`${url}/`);
    const html = await page.text();
    assert.ok(
      page.status === 200 && /<div id="root"|<html/i.test(html),
      `the devnet's gateway does not serve the web app at / (status ${page.status}); is apps/web/dist built?`,
    );
    const answer = await fetch(`${url}/v1/network`);
    assert.equal(answer.status, 200, await answer.clone().text());
    const network = networkConfigFromJson(
      ((await answer.json()) as { network_config: unknown }).network_config,
    );
    return { devnet, url, network, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
