#!/usr/bin/env node
// The bank and card sandbox process (`shardpay-bank`, configured by environment variables: docs/bank.md).
// Runs on Node 24 (the node@24 package): TypeScript sources load directly.
import { main } from '../src/main.ts';

process.exitCode = await main();
