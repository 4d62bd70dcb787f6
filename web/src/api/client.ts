// Calls the public API with the session cookie; writes carry the CSRF token; refusals arrive as ApiProblem.

export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem answer from the API: `type` is the stable code, `detail` the words to show. */
export class ApiProblem extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    const detail = typeof body.detail === 'string' ? body.detail : `The server answered ${status}`;
    super(detail);
    this.status = status;
    this.body = body;
    this.type = typeof body.type === 'string' ? body.type : 'unknown';
    this.title = typeof body.title === 'string' ? body.title : 'Something went wrong';
    this.detail = detail;
    // Schema errors name the part of the request ("body.title"); the app's own forms name the field ("title").
    this.errors = Array.isArray(body.errors)
      ? (body.errors as FieldError[]).map((e) => ({ path: String(e.path).replace(/^body\.?/, ''), message: e.message }))
      : [];
  }

  /** The message for one form field (path `title`, `fields.quantity`, `stages.2.label`, ...). */
  errorFor(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF token for a write the app sends itself (an upload with progress, which fetch cannot report). */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

/** Called when the API says the session has ended, so the app can show the sign-in page. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export interface CallOptions {
  ifMatch?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function api<T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.ifMatch !== undefined) headers['if-match'] = String(opts.ifMatch);
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res =
      (await takeEarly(method, path)) ??
      (await fetch(`/api/v1${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(opts.signal ? { signal: opts.signal } : {}),
      }));
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiProblem(0, {
      type: 'network',
      title: 'No connection',
      detail: 'Could not reach the Floorboard server. Check the network and try again.',
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { detail: text.slice(0, 200) };
  }
  if (!res.ok) {
    const problem = new ApiProblem(res.status, (parsed ?? {}) as Record<string, unknown>);
    if (res.status === 401 && !path.startsWith('/auth/')) onSignedOut?.();
    throw problem;
  }
  return parsed as T;
}

/**
 * An answer web/public/early.js asked for before the app loaded, used once: the board's first requests start
 * with the page, not after the app's code, the session and the workflows have arrived one after another.
 */
function takeEarly(method: string, path: string): Promise<Response | null> | undefined {
  const early = (window as { __floorboardEarly?: Map<string, Promise<Response | null>> }).__floorboardEarly;
  const answer = method === 'GET' ? early?.get(path) : undefined;
  if (answer) early?.delete(path);
  return answer;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>('GET', path, undefined, signal ? { signal } : {});
export const post = <T>(path: string, body?: unknown, opts?: CallOptions) => api<T>('POST', path, body ?? {}, opts);
export const patch = <T>(path: string, body: unknown, opts?: CallOptions) => api<T>('PATCH', path, body, opts);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

/** Query strings without the empty parts. */
export function query(params: Record<string, string | number | undefined | null | false>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
