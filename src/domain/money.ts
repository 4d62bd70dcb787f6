// Money as the workflows hold it (decimal strings such as "12.50"), added and multiplied exactly in whole ten-thousandths.

/** Ten-thousandths of a currency unit: money fields allow four decimals. */
export type Minor = bigint;
const SCALE = 10_000n;

/**
 * Parses a decimal string ("-12.5", "3", "0.0075"); null when it is not one.
 * @example toMinor('12.50') // 125000n
 */
export function toMinor(text: string): Minor | null {
  const m = /^(-?)(\d{1,30})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!m) return null;
  const minor = BigInt(m[2]!) * SCALE + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -minor : minor;
}

/**
 * Writes an amount with two decimals, or more when the amount has them.
 * @example formatMinor(7_400_000n) // '740.00'
 */
export function formatMinor(minor: Minor): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const units = abs / SCALE;
  let fraction = (abs % SCALE).toString().padStart(4, '0');
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${units}.${fraction}`;
}

/** An amount times a whole quantity, exactly. */
export function timesQuantity(minor: Minor, quantity: number): Minor {
  return minor * BigInt(Math.trunc(quantity));
}

export function sumMinor(amounts: Iterable<Minor>): Minor {
  let total = 0n;
  for (const a of amounts) total += a;
  return total;
}
