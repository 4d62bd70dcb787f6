// Compiles the server and CLI (src/) into dist/cli once, so no command transpiles TypeScript at run time.
// Run by `npm install` (prepare) and by bin/floorboard.js whenever the sources differ from the last build.
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hashInputs } from './source-hash.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist', 'cli');
const STAMP = join(DIST, 'build-stamp.json');
/** Everything the compiled output depends on: the sources, and the locked versions of the packages bundled into it. */
const INPUTS = ['src', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/source-hash.mjs'];

/** A hash of the sources' names and contents: any edit, `git pull` or checkout changes it. */
export function sourceHash() {
  return hashInputs(ROOT, INPUTS, (path) => path.endsWith('.test.ts'));
}

/** True when dist/cli was built from exactly the sources in the checkout (or there are no sources to build). */
export function isCurrent() {
  if (!existsSync(join(ROOT, 'src'))) return true;
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')).sources === sourceHash();
  } catch {
    return false;
  }
}

/**
 * Packages that stay in node_modules: a native addon, the PostgreSQL driver (loaded only for postgres://), pino (its
 * worker transports find files of their own), pdfkit (it reads its font metrics from files beside its code).
 */
const EXTERNAL = ['better-sqlite3', 'pg', 'pino', 'esbuild', 'vite', 'tsx', 'pdfkit'];

export async function build() {
  const { build: esbuild } = await import('esbuild');
  const sources = sourceHash();
  // Build beside the old output and swap it in whole, so a command running meanwhile never sees half of it.
  const next = `${DIST}.${process.pid}.tmp`;
  rmSync(next, { recursive: true, force: true });
  await esbuild({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outdir: next,
    bundle: true,
    // Dynamic imports become chunks of their own: `--help` does not load the web server.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies are bundled: Node's loader takes over a second to read their thousand small modules one by
    // one, and a few milliseconds to read them as one file. CommonJS ones need `require` for Node's built-ins.
    external: EXTERNAL.flatMap((n) => [n, `${n}/*`]),
    banner: { js: "import { createRequire as __fbRequire } from 'node:module'; const require = __fbRequire(import.meta.url);" },
    sourcemap: 'linked',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  // Files the code finds beside itself at run time (import.meta.url): the checkpoint worker and the tracking page's assets.
  cpSync(join(ROOT, 'src/store/wal-checkpointer.js'), join(next, 'wal-checkpointer.js'));
  cpSync(join(ROOT, 'src/http/track-assets'), join(next, 'track-assets'), { recursive: true });
  writeFileSync(join(next, 'build-stamp.json'), `${JSON.stringify({ sources, builtAt: new Date().toISOString() })}\n`);
  mkdirSync(dirname(DIST), { recursive: true });
  const old = `${DIST}.${process.pid}.old`;
  try {
    if (existsSync(DIST)) renameSync(DIST, old);
    renameSync(next, DIST);
  } catch (err) {
    // Another command built the same sources at the same moment: theirs is as good as ours.
    if (!isCurrent()) throw err;
  } finally {
    rmSync(next, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  await build();
  console.error(`Built dist/cli in ${Date.now() - started} ms`);
}
