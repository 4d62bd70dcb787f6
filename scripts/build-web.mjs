// Builds the web app into web/dist unless the bundle there was built from exactly the current sources:
// `npm start` runs this, so a start after no change to the web app costs a hash, not a Vite build.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'web', 'dist');
const STAMP = join(OUT, '.build-stamp');
/** What the bundle is made of: the app, the domain code it shares with the server, and the locked package versions. */
const INPUTS = ['web', 'src/domain', 'package-lock.json', 'scripts/build-web.mjs'];

function files(path) {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOTDIR') return [path];
    if (err.code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => !(e.isDirectory() && join(path, e.name) === OUT))
    .flatMap((e) => (e.isDirectory() ? files(join(path, e.name)) : [join(path, e.name)]));
}

function webHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => files(join(ROOT, p))).sort()) {
    hash.update(`${relative(ROOT, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function stamped() {
  try {
    return readFileSync(STAMP, 'utf8').trim();
  } catch {
    return null;
  }
}

const sources = webHash();
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
