#!/usr/bin/env node
// Entry point of the `trendstream` command: runs the TypeScript sources through tsx,
// so `npx trendstream ...` works straight after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
