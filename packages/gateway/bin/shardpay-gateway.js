#!/usr/bin/env node
// The gateway process (`shardpay-gateway`, configured by environment variables: docs/gateway.md).
// Runs on Node 24 (the node@24 package): TypeScript sources load directly.
import { main } from '../src/main.ts';

process.exitCode = await main();
