// Where a webhook may point: http(s) URLs whose host resolves to public addresses only, unless private networks are allowed.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { isPublicAddress, webhookUrlProblem } from '../domain/network.ts';

/** Why this URL may not receive webhooks, or null when it may. Looks the host up (every address must be public). */
export async function webhookUrlRefusal(raw: string, allowPrivate: boolean): Promise<string | null> {
  const problem = webhookUrlProblem(raw);
  if (problem) return problem;
  if (allowPrivate) return null;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return `host "${host}" does not resolve`;
    }
  }
  const inside = addresses.find((a) => !isPublicAddress(a));
  return inside ? `resolves to ${inside}, a loopback, private or link-local address (an admin may allow private networks)` : null;
}

/**
 * A DNS lookup for outgoing webhook connections that refuses non-public addresses: checking the
 * URL when it is registered is not enough, since its name may later resolve elsewhere (DNS rebinding).
 */
export function publicOnlyLookup(allowPrivate: () => boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, result) => {
      const list = (Array.isArray(result) ? result : []) as LookupAddress[];
      if (err) return (callback as (e: Error | null, a: LookupAddress[] | string, f?: number) => void)(err, []);
      const allowed = allowPrivate() ? list : list.filter((a) => isPublicAddress(a.address));
      const cb = callback as (e: NodeJS.ErrnoException | null, a: LookupAddress[] | string, f?: number) => void;
      if (allowed.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to no public address`);
        refused.code = 'EADDRNOTPUBLIC';
        return cb(refused, []);
      }
      if (options.all) return cb(null, allowed);
      return cb(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
