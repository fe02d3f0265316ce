import { ShardpayError } from '@shardpay/crypto';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { type FlagValues, parseTypedId, requireFlag, subcommandOf } from './commerceFlags.ts';
import { formatTable } from './formatTable.ts';
import { merchantApiOptions, openMerchantApi } from './merchantApi.ts';

const auth = '[--api-key sk_… | --merchant mer_…] [--gateway URL]';
const usage = [
  `shardpay webhook create URL --events invoice.settled,…|* ${auth} [--json]`,
  `       shardpay webhook list ${auth} [--json]`,
  `       shardpay webhook deliveries WE_ID ${auth} [--json]`,
  `       shardpay webhook redeliver WHD_ID ${auth} [--json]`,
].join('\n');

interface EndpointObject {
  id: string;
  url: string;
  events: string[];
  status: string;
  created: number;
  secret?: string;
}

interface DeliveryObject {
  id: string;
  endpoint: string;
  event: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created: number;
}

function endpointJson(endpoint: EndpointObject) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    status: endpoint.status,
    created: endpoint.created,
  };
}

function deliveryJson(delivery: DeliveryObject) {
  return {
    id: delivery.id,
    endpoint: delivery.endpoint,
    event: delivery.event,
    eventType: delivery.event_type,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.next_attempt_at,
    lastStatusCode: delivery.last_status_code,
    lastError: delivery.last_error,
    created: delivery.created,
  };
}

/** `shardpay webhook`: a merchant's webhook endpoints and their delivery log. */
export async function runWebhookCommand(
  values: FlagValues,
  positionals: string[],
  output: Output,
): Promise<number> {
  const { sub, rest } = subcommandOf(positionals, ['create', 'list', 'deliveries', 'redeliver'], usage);
  if (sub === 'create') {
    const [url, ...extra] = rest;
    if (url === undefined || extra.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
    if (!/^https?:\/\/[^\s]+$/.test(url)) {
      throw new ShardpayError('USAGE', 'the webhook URL is an http(s) URL', { meta: { flag: 'url' } });
    }
    const events = requireFlag(values, 'events', 'TYPE,…', usage)
      .split(',')
      .map((type) => type.trim())
      .filter((type) => type !== '');
    const api = await openMerchantApi(values, { scoped: true });
    const endpoint = await api.request<EndpointObject>('POST', '/v1/webhook_endpoints', { url, events });
    output.result({ ...endpointJson(endpoint), secret: endpoint.secret }, () =>
      [
        `webhook endpoint ${endpoint.id} → ${endpoint.url} (${endpoint.events.join(', ')})`,
        `  signing secret: ${endpoint.secret}`,
        '  this secret is shown once: store it to verify the Shardpay-Signature header',
      ].join('\n'),
    );
    return 0;
  }
  if (sub === 'list') {
    if (rest.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
    const api = await openMerchantApi(values, { scoped: true });
    const page = await api.request<{ data: EndpointObject[]; has_more: boolean }>(
      'GET',
      '/v1/webhook_endpoints?limit=100',
    );
    const data = page.data.map(endpointJson);
    output.result({ data, hasMore: page.has_more }, () =>
      data.length === 0
        ? 'no webhook endpoints'
        : formatTable([
            ['ID', 'STATUS', 'EVENTS', 'URL'],
            ...data.map((e) => [e.id, e.status, e.events.join(','), e.url]),
          ]),
    );
    return 0;
  }
  if (rest.length !== 1) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const api = await openMerchantApi(values, { scoped: true });
  if (sub === 'deliveries') {
    const id = parseTypedId(rest[0], 'we', 'a webhook endpoint id', usage);
    const page = await api.request<{ data: DeliveryObject[]; has_more: boolean }>(
      'GET',
      `/v1/webhook_endpoints/${encodeURIComponent(id)}/deliveries?limit=100`,
    );
    const data = page.data.map(deliveryJson);
    output.result({ data, hasMore: page.has_more }, () =>
      data.length === 0
        ? `no deliveries for ${id} yet`
        : formatTable([
            ['ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST'],
            ...data.map((d) => [
              d.id,
              d.eventType,
              d.status,
              String(d.attempts),
              String(d.lastStatusCode ?? d.lastError ?? '-'),
            ]),
          ]),
    );
    return 0;
  }
  const id = parseTypedId(rest[0], 'whd', 'a webhook delivery id', usage);
  const delivery = deliveryJson(
    await api.request<DeliveryObject>('POST', `/v1/webhook_deliveries/${encodeURIComponent(id)}/redeliver`),
  );
  output.result(
    delivery,
    () => `delivery ${delivery.id} (${delivery.eventType}) queued again: ${delivery.status}`,
  );
  return 0;
}

export const webhookCommand: Command = {
  summary: 'merchant webhook endpoints: create, list, deliveries, redeliver',
  usage,
  options: { ...merchantApiOptions, events: { type: 'string' } },
  run: ({ values, positionals }, output) => runWebhookCommand(values, positionals, output),
};
