// Automation for a test: the jobs of a server process, driven by hand (sweep, drain) on the harness's manual clock.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { Automation, type AutomationOptions } from '../../src/jobs/automation.ts';
import type { Harness } from './harness.ts';

/** The jobs, on the harness's clock, with retries that do not jitter (random = 0.5). */
export function automationFor(h: Harness, opts: AutomationOptions = {}): Automation {
  return new Automation(h.app, { random: () => 0.5, ...opts });
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
  at: number;
}

/**
 * A real HTTP receiver on 127.0.0.1: records every request and answers what `answer` says
 * (a status code, or 'hang' to never answer). `down()` stops it (connections are refused),
 * `up()` starts it again on the same port.
 */
export class Receiver {
  readonly requests: Received[] = [];
  answer: (req: { headers: IncomingHttpHeaders; body: string }) => number | 'hang' = () => 200;
  #server: Server | null = null;
  #sockets = new Set<import('node:net').Socket>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = this.answer({ headers: req.headers, body });
        if (answer === 'hang') {
          this.requests.push({ headers: req.headers, body, status: 0, at: Date.now() });
          return;
        }
        this.requests.push({ headers: req.headers, body, status: answer, at: Date.now() });
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
      });
    });
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests that were answered 2xx, with their parsed body. */
  accepted(): Array<Received & { json: { type: string; timestamp: string; data: Record<string, unknown> } }> {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300).map((r) => ({ ...r, json: JSON.parse(r.body) }));
  }
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Parses `body` with a published schema and insists nothing was dropped: a field the schema lacks is a field the docs lack. */
export function conforms(schema: import('zod').ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`does not match its schema: ${JSON.stringify(parsed.error.issues)}`);
  expect(parsed.data, 'the schema drops or changes fields').toEqual(body);
}
