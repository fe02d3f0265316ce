/**
 * The network namespaces the chaos runner puts validators in (netns.ts), on this machine for real: a
 * server in one namespace is reached from the root namespace and from another namespace, a
 * partition cuts it off and healing brings it back, a slow link slows a transfer, and teardown
 * leaves no namespace, veth or route behind. Needs root and iproute2: skipped (with the reason)
 * where namespaces are not available.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { type NetnsLab, netnsUnavailable, openNetnsLab, pickSubnet } from './netns.ts';

const skip = netnsUnavailable() ?? false;

/** A server answering each request with `size` bytes, run inside namespace `ns`; resolves its port. */
async function startServer(ns: string, host: string): Promise<{ child: ChildProcess; port: number }> {
  const code = `require('http').createServer((q, r) => r.end('x'.repeat(Number(q.url.slice(1)) || 2)))
    .listen(0, '${host}', function () { console.log(this.address().port); });`;
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, port: Number(chunk.toString().trim()) };
}

/** Fetches `size` bytes; resolves the milliseconds it took, or rejects (timeout or no route). */
async function fetchBytes(url: string, size: number, timeoutMs = 1500): Promise<number> {
  const started = Date.now();
  const response = await fetch(`${url}/${size}`, { signal: AbortSignal.timeout(timeoutMs) });
  assert.equal((await response.text()).length, size);
  return Date.now() - started;
}

/** The same fetch from inside namespace `ns` (another validator's view). */
function fetchFrom(ns: string, url: string): string {
  const code = `fetch('${url}/5', { signal: AbortSignal.timeout(1500) }).then((r) => r.text()).then(console.log)`;
  return execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', code], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

describe('chaos network namespaces', { skip, timeout: 60_000 }, () => {
  let lab: NetnsLab;
  let server: { child: ChildProcess; port: number };
  let url: string;

  before(async () => {
    lab = openNetnsLab(pickSubnet());
    lab.add(0);
    lab.add(1);
    server = await startServer(lab.namespace(1), lab.address(1));
    url = `http://${lab.address(1)}:${server.port}`;
  });

  after(() => {
    server?.child.kill('SIGKILL');
    lab?.teardown();
  });

  it('reaches a validator from the root namespace and from another namespace', async () => {
    await fetchBytes(url, 10);
    assert.equal(fetchFrom(lab.namespace(0), url), 'xxxxx');
  });

  it('a partition cuts it off; healing brings it back', async () => {
    lab.partition(1);
    await assert.rejects(fetchBytes(url, 10, 1000));
    assert.throws(() => fetchFrom(lab.namespace(0), url));
    lab.heal(1);
    await fetchBytes(url, 10);
    assert.equal(fetchFrom(lab.namespace(0), url), 'xxxxx');
  });

  it('a slow link slows a transfer, and unslowing restores it', async () => {
    const shape = { delayMs: 300, jitterMs: 0, lossPercent: 0, rateKbit: 64 };
    const fast = await fetchBytes(url, 32_000);
    lab.slow(1, shape);
    const slow = await fetchBytes(url, 32_000, 20_000);
    // Lower bounds the shaping itself sets, whatever the machine's load: tbf sends the 16 kB past its
    // burst at 8 kB/s (2 s); netem adds 600 ms to every round trip.
    const floor = lab.netem ? 600 : 1500;
    assert.ok(slow >= floor, `${lab.describe(shape)}: ${slow} ms (unshaped ${fast} ms), expected ≥ ${floor}`);
    lab.unslow(1);
    const after = await fetchBytes(url, 32_000);
    assert.ok(after < slow / 2, `unshaped again: ${after} ms, shaped ${slow} ms`);
  });

  it('teardown leaves no namespace, veth or route of the run', async () => {
    server.child.kill('SIGKILL');
    await once(server.child, 'exit').catch(() => {});
    lab.teardown();
    const prefix = lab.prefix;
    assert.ok(!execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes(prefix));
    assert.ok(!execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).includes(prefix));
    assert.ok(
      !execFileSync('ip', ['route', 'show', 'table', 'all'], { encoding: 'utf8' }).includes(
        `10.${lab.subnet}.`,
      ),
    );
  });
});
