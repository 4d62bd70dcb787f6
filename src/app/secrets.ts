// Passwords (scrypt), API tokens and session ids: made with enough randomness, stored only as hashes.
import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 } as const;

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$<salt>$<key>`, salt and key base64url: the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** A hash to compare against when the user does not exist, so timing does not tell who has an account. */
export const DUMMY_PASSWORD_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export const TOKEN_PREFIX = 'fb_';

/** A new API token (256 random bits); only its hash is stored. */
export function newApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** A new invite link's token (256 random bits); only its hash is stored. */
export function newInviteToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new password-reset link's token (256 random bits); only its hash is stored. */
export function newResetToken(): string {
  return randomBytes(32).toString('base64url');
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A two-factor recovery code: 16 characters from 31 easily told apart (about 79 random bits), in groups of four
 * to copy by hand. Stored only as a hash of its normal form.
 */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (let i = 0; i < 16; i++) {
    // 256 is not a multiple of 31: redraw the few bytes that would favour the first letters.
    let b = bytes[i]!;
    while (b >= 248) b = randomBytes(1)[0]!;
    code += RECOVERY_ALPHABET[b % 31];
  }
  return code.match(/.{4}/g)!.join('-');
}

/** What a typed recovery code is compared as: without spaces or dashes, lower case. */
export function normalRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens and session ids carry 256 random bits, so a fast hash is enough to store them safely. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
