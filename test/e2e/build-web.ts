// Global setup of the browser tests: build the web app once, so the server serves what the tests drive.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function buildWeb(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
