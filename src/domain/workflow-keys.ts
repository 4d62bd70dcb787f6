// Keys for new stages and fields, derived from their labels: "Design and proof" becomes `design_and_proof`.
import { KEY_PATTERN } from './workflow.ts';

const MAX_KEY = 40;

/**
 * A key for `label` that fits KEY_PATTERN and is not in `taken`: accents dropped, anything else than a
 * letter or digit turned into one `_`, a leading digit given `fallback_` before it, `_2`, `_3`… added
 * when the key is already used. An empty label gives `fallback` (`stage`, `field`).
 *
 * @example keyFromLabel('Design & proof', ['design_proof']) // 'design_proof_2'
 */
export function keyFromLabel(label: string, taken: Iterable<string>, fallback = 'stage'): string {
  const used = new Set(taken);
  let base = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!base) base = fallback;
  else if (!/^[a-z]/.test(base)) base = `${fallback}_${base}`;
  base = base.slice(0, MAX_KEY).replace(/_+$/, '');
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const key = `${base.slice(0, MAX_KEY - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!used.has(key) && KEY_PATTERN.test(key)) return key;
  }
}
