export type { BankDeps } from './buildBankApp.ts';
export { buildBankApp } from './buildBankApp.ts';
export type { BankConfig } from './config.ts';
export { type BankConfigOverrides, loadBankConfig, resolveBankConfig } from './config.ts';
export type { BankServer } from './createBankServer.ts';
export { createBankServer } from './createBankServer.ts';
export { bankMigrationsDirectory } from './db/migrationsDirectory.ts';
export { formatFiatAmount, parseFiatAmount } from './fiatAmount.ts';
export { main } from './main.ts';
