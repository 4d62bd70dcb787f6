// GET /api/v1/board for the bench workflow: sequential requests on one keep-alive connection, timed until the
// last byte of the answer arrived; warm-up requests first.
import { Agent, request } from 'node:http';
import { type LatencySummary, summarize } from './stats.ts';

export interface BoardResult {
  requests: number;
  latency: LatencySummary;
  bytes: number;
  cards: number;
  columns: number;
}

function get(url: string, token: string, agent: Agent): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function timeBoard(
  baseUrl: string,
  token: string,
  workflow: string,
  warmup: number,
  runs: number,
): Promise<BoardResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${baseUrl}/api/v1/board?workflow=${encodeURIComponent(workflow)}`;
  try {
    const first = await get(url, token, agent);
    if (first.status !== 200)
      throw new Error(`GET /api/v1/board answered ${first.status}: ${first.body.toString().slice(0, 300)}`);
    const board = JSON.parse(first.body.toString()) as { columns: Array<{ count: number; cards: unknown[] }> };
    const cards = board.columns.reduce((n, c) => n + c.cards.length, 0);
    for (let i = 1; i < warmup; i++) await get(url, token, agent);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const res = await get(url, token, agent);
      samples.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`GET /api/v1/board answered ${res.status}`);
    }
    return { requests: runs, latency: summarize(samples), bytes: first.body.length, cards, columns: board.columns.length };
  } finally {
    agent.destroy();
  }
}
