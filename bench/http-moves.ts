// Stage moves through the HTTP API: N keep-alive connections (autocannon), each owning a slice of the orders
// and moving each of them on one stage per request, pinned to the version it knows. A warm-up runs first on the
// same connections; only answers that complete inside the measured window count.
import autocannon, { type Client } from 'autocannon';
import { moveBody, nextStageIndex, type Slot, sliceSlots } from './seed.ts';
import { type CpuWindow, cpuWindow } from './server.ts';
import { type LatencySummary, summarize } from './stats.ts';

export interface HttpMovesOptions {
  url: string;
  token: string;
  slots: Slot[];
  connections: number;
  warmupSeconds: number;
  seconds: number;
  serverPid: number;
}

export interface HttpMovesResult {
  connections: number;
  seconds: number;
  /** 200 answers inside the measured window. */
  moves: number;
  movesPerSecond: number;
  latency: LatencySummary;
  /** Answers other than 200 inside the window, by status. */
  errorsByStatus: Record<string, number>;
  /** Connection errors and timeouts over the whole run (autocannon's count). */
  connectionErrors: number;
  timeouts: number;
  /** Requests that never got an answer (their order is left alone afterwards). */
  lost: number;
  /** Every 200 over the whole run, warm-up included (each one must have written one event). */
  totalOk: number;
  /** Requests still in flight when the run stopped: the server may or may not have applied them. */
  abandoned: number;
  cpu: CpuWindow | null;
}

interface ClientState {
  slots: Slot[];
  cursor: number;
  pending: { slot: Slot; to: number } | null;
}

export function runHttpMoves(opts: HttpMovesOptions): Promise<HttpMovesResult> {
  const states: ClientState[] = sliceSlots(opts.slots, opts.connections).map((slots) => ({ slots, cursor: 0, pending: null }));
  const byClient = new Map<Client, ClientState>();
  let nextState = 0;
  const latencies: number[] = [];
  const errorsByStatus: Record<string, number> = {};
  let totalOk = 0;
  let lost = 0;
  let connectionErrors = 0;
  let cpu: ReturnType<typeof cpuWindow> | null = null;
  let cpuResult: CpuWindow | null = null;

  const setupRequest = (state: ClientState) => (req: Record<string, unknown>) => {
    if (state.pending) {
      // The previous request got no answer (timeout or broken connection): its order's state is unknown.
      state.pending.slot.dead = true;
      state.pending = null;
      lost++;
    }
    let slot: Slot | undefined;
    for (let tries = 0; tries < state.slots.length; tries++) {
      const candidate = state.slots[state.cursor]!;
      state.cursor = (state.cursor + 1) % state.slots.length;
      if (!candidate.dead) {
        slot = candidate;
        break;
      }
    }
    if (!slot) throw new Error('every order of a client was lost: the server refuses the moves (see errorsByStatus)');
    state.pending = { slot, to: nextStageIndex(slot.stage) };
    return { ...req, method: 'POST', path: `/api/v1/orders/${slot.id}/transitions`, body: JSON.stringify(moveBody(slot)) };
  };

  return new Promise((resolve, reject) => {
    const started = performance.now();
    const from = started + opts.warmupSeconds * 1000;
    const to = from + opts.seconds * 1000;
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        pipelining: 1,
        duration: opts.warmupSeconds + opts.seconds,
        timeout: 10,
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        setupClient: (client) => {
          const state = states[nextState++ % states.length]!;
          byClient.set(client, state);
          client.setRequests([{ method: 'POST', setupRequest: setupRequest(state) }]);
        },
      },
      (err, result) => {
        if (err) return reject(err);
        const moves = latencies.length;
        let abandoned = 0;
        for (const s of states) {
          if (!s.pending) continue;
          // In flight at the stop: the server may have moved it, so a later run leaves this order alone.
          s.pending.slot.dead = true;
          abandoned++;
        }
        resolve({
          connections: opts.connections,
          seconds: opts.seconds,
          moves,
          movesPerSecond: moves / opts.seconds,
          latency: summarize(latencies),
          errorsByStatus,
          connectionErrors,
          lost,
          timeouts: result.timeouts,
          totalOk,
          abandoned,
          cpu: cpuResult,
        });
      },
    );
    const cpuStart = setTimeout(() => {
      cpu = cpuWindow(opts.serverPid);
    }, from - started);
    const cpuEnd = setTimeout(() => {
      cpuResult = cpu?.end() ?? null;
    }, to - started);
    instance.on('done', () => {
      clearTimeout(cpuStart);
      clearTimeout(cpuEnd);
      if (cpu && !cpuResult) cpuResult = cpu.end();
    });
    instance.on('reqError', () => {
      connectionErrors++;
    });
    instance.on('response', (client: Client, status: number, _bytes: number, ms: number) => {
      const state = byClient.get(client);
      const pending = state?.pending;
      if (!state || !pending) return;
      state.pending = null;
      const now = performance.now();
      const inWindow = now >= from && now < to;
      if (status === 200) {
        pending.slot.stage = pending.to;
        pending.slot.version += 1;
        totalOk++;
        if (inWindow) latencies.push(ms);
      } else {
        pending.slot.dead = true;
        if (inWindow) errorsByStatus[status] = (errorsByStatus[status] ?? 0) + 1;
        else errorsByStatus[`${status} (outside window)`] = (errorsByStatus[`${status} (outside window)`] ?? 0) + 1;
      }
    });
  });
}
