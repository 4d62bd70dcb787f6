// A refusal the API answers as problem+json: a stable code, a plain-language detail, and members that explain.

export const PROBLEM_STATUS = {
  'validation-failed': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-stage-owner': 403,
  'not-found': 404,
  'version-conflict': 409,
  'order-not-active': 409,
  'stage-in-use': 409,
  conflict: 409,
  'setup-closed': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'stage-skip-not-allowed': 422,
  'reason-required': 422,
  'requirements-unmet': 422,
  'unknown-stage': 422,
  'idempotency-key-reused': 422,
  'import-invalid': 422,
  'rate-limited': 429,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

export const PROBLEM_TITLES: Record<ProblemCode, string> = {
  'validation-failed': 'The request is not valid',
  unauthenticated: 'Sign-in required',
  forbidden: 'Not allowed',
  'not-stage-owner': 'Only the stage owner may do that',
  'not-found': 'Not found',
  'version-conflict': 'Someone changed this first',
  'order-not-active': 'The order is not active',
  'stage-in-use': 'Stage still holds orders',
  conflict: 'Conflict',
  'setup-closed': 'Setup is closed',
  'payload-too-large': 'Request too large',
  'unsupported-media-type': 'Unsupported content type',
  'stage-skip-not-allowed': 'Stages cannot be skipped',
  'reason-required': 'A reason is required',
  'requirements-unmet': 'Requirements not met',
  'unknown-stage': 'Unknown stage',
  'idempotency-key-reused': 'Idempotency key reused',
  'import-invalid': 'The file has problems',
  'rate-limited': 'Too many requests',
};

export class Problem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Only where the contract gives a code another status (a move to the current stage: 422). */
    readonly status: number = PROBLEM_STATUS[code],
  ) {
    super(detail);
  }
}

export interface FieldError {
  path: string;
  message: string;
}

export function validationFailed(detail: string, errors: FieldError[] = []): Problem {
  return new Problem('validation-failed', detail, { errors });
}

export function notFound(what: string): Problem {
  return new Problem('not-found', `${what} was not found`);
}

export function forbidden(detail: string): Problem {
  return new Problem('forbidden', detail);
}
