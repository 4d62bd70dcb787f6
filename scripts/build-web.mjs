// Builds the web app into web/dist unless the bundle there was built from exactly the current sources:
// `npm start` runs this, so a start after no change to the web app costs a hash, not a Vite build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashInputs } from './source-hash.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'web', 'dist');
const STAMP = join(OUT, '.build-stamp');
/** What the bundle is made of: the app, the domain code it shares with the server, and the locked package versions. */
const INPUTS = ['web', 'src/domain', 'package-lock.json', 'scripts/build-web.mjs', 'scripts/source-hash.mjs'];

function stamped() {
  try {
    return readFileSync(STAMP, 'utf8').trim();
  } catch {
    return null;
  }
}

const sources = hashInputs(ROOT, INPUTS, (path) => path === OUT);
if (stamped() === sources && !process.argv.includes('--force')) {
  console.error('The web app is up to date (web/dist)');
} else {
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
  // Written last: an interrupted build leaves no stamp, so the next start builds again.
  writeFileSync(STAMP, `${sources}\n`);
  console.error(`Built the web app in ${Date.now() - started} ms`);
}
