import { randomBytes } from 'node:crypto';

/** A shipment id: `shp_` and 16 random url-safe characters. */
export function createShipmentId(): string {
  return `shp_${randomBytes(12).toString('base64url')}`;
}

/** A carrier-style tracking number: `SP` and 16 random uppercase hex digits. */
export function createTrackingId(): string {
  return `SP${randomBytes(8).toString('hex').toUpperCase()}`;
}
