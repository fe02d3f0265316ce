/**
 * The package layer table of docs/architecture.md, as data. Lower layers never import higher
 * ones; `forbidden` adds the "must not" column's extra rules.
 */
export interface PackageRule {
  layer: number;
  forbidden?: readonly string[];
}

export const packageLayers: Readonly<Record<string, PackageRule>> = {
  crypto: { layer: 0 },
  protocol: { layer: 0 },
  ledger: { layer: 1 },
  consensus: { layer: 1 },
  storage: { layer: 2, forbidden: ['consensus'] },
  p2p: { layer: 2, forbidden: ['ledger'] },
  database: { layer: 2, forbidden: ['ledger', 'consensus'] },
  node: { layer: 3 },
  sdk: { layer: 3, forbidden: ['node', 'storage', 'p2p'] },
  service: { layer: 3, forbidden: ['ledger', 'consensus', 'storage', 'p2p', 'node'] },
  gateway: { layer: 4 },
  bank: { layer: 4 },
  oracle: { layer: 4 },
  cli: { layer: 4 },
  web: { layer: 4, forbidden: ['gateway', 'bank', 'cli', 'node', 'storage', 'p2p'] },
};
