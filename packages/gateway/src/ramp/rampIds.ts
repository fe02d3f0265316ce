import { randomBytes } from 'node:crypto';
import { isShardpayError } from '@shardpay/crypto';
import { parseAmount } from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';

/** A purchase (`pur_…`) or cash-out (`co_…`) id: the typed-id form, 16 random bytes, base64url. */
export function createRampId(prefix: 'pur' | 'co'): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** A request's decimal amount as minor units; malformed or zero → 400 PARAMETER_INVALID naming `param`. */
export function parseRampAmount(text: string, param = 'amount'): bigint {
  try {
    return parseAmount(text);
  } catch (error) {
    if (isShardpayError(error)) throw apiError('PARAMETER_INVALID', `${param}: ${error.message}`, param);
    throw error;
  }
}
