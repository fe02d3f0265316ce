import type { GatewayMode } from '../config.ts';
import { apiError } from '../http/apiErrors.ts';

const maxUrlLength = 2048;

/**
 * Refuses a webhook URL that is not http(s), carries credentials, or is over 2048 chars; production
 * also refuses plain http (the payload is a merchant's business data and its signature).
 * Returns the URL as normalized by WHATWG URL.
 */
export function assertWebhookUrl(text: string, mode: GatewayMode): string {
  const refuse = (why: string) => apiError('WEBHOOK_URL_INVALID', `url ${why}`, 'url');
  if (text.length > maxUrlLength) throw refuse(`must be at most ${maxUrlLength} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('must be http(s)');
  if (mode === 'production' && url.protocol !== 'https:') throw refuse('must be https');
  if (url.username !== '' || url.password !== '') throw refuse('must not contain credentials');
  if (url.hostname === '') throw refuse('has no host');
  if (url.href.length > maxUrlLength) throw refuse(`must be at most ${maxUrlLength} characters`);
  return url.href;
}
