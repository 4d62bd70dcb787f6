// One hash of a build's inputs (file names and contents), shared by the CLI build and the web build: a stamp
// holding it tells whether a build was made from exactly the files in the checkout.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `path` (or `path` itself), leaving out the entries `skip` names. */
function files(path, skip) {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOTDIR') return [path];
    if (err.code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => !skip(join(path, e.name)))
    .flatMap((e) => (e.isDirectory() ? files(join(path, e.name), skip) : [join(path, e.name)]));
}

/** SHA-256 (hex) over the names, relative to `root`, and contents of every file under `inputs`, in name order. */
export function hashInputs(root, inputs, skip = () => false) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((p) => files(join(root, p), skip)).sort()) {
    hash.update(`${relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}
