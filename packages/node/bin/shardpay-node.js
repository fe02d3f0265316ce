#!/usr/bin/env node
// The validator process (`shardpay-node --config FILE`). Runs on Node 24 (the node@24 package):
// TypeScript sources load directly.
import { main } from '../src/main.ts';

process.exitCode = await main(process.argv.slice(2));
