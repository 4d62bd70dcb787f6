#!/usr/bin/env node
// Runs one TypeScript entry point (bench, scripts) through tsx's loader: `node bin/run-ts.js bench/main.ts`.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts <file.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...rest];
await import(pathToFileURL(entry).href);
