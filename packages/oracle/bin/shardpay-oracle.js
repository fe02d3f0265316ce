#!/usr/bin/env node
// The delivery oracle SANDBOX process (`shardpay-oracle`, configured by environment variables: docs/oracle.md).
// Runs on Node 24 (the node@24 package): TypeScript sources load directly.
import { main } from '../src/main.ts';

process.exitCode = await main();
