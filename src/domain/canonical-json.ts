// RFC 8785 canonical JSON, the byte form the audit chain and idempotency keys hash.
import canonicalizeModule from 'canonicalize';

// The package is CommonJS with an ESM-style type declaration; under NodeNext its default import is the module.
const canonicalize = ((canonicalizeModule as { default?: unknown }).default ?? canonicalizeModule) as (
  input: unknown,
) => string | undefined;

export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}
