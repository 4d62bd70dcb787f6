#!/usr/bin/env node
// The `floorboard` command: runs the compiled CLI in dist/cli, rebuilding it first (once) when the sources changed.
import { pathToFileURL } from 'node:url';
import { build, DIST, isCurrent } from '../scripts/build.mjs';

if (!isCurrent()) {
  console.error('floorboard: the sources changed since the last build; compiling once...');
  await build();
}
await import(pathToFileURL(`${DIST}/main.js`).href);
