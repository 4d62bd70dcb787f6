// Work that many commits ask for, done once for all of them: a poke starts a run a moment later, and pokes
// during a run cause one more run after it, never two at once. Under load a run takes in many changes
// (one outbox batch, one read of the event log) instead of one transaction per change.

export class Coalescer {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly delayMs: number,
  ) {}

  /** Asks for a run: within `delayMs`, or right after the one under way. */
  poke(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.#run(), this.delayMs);
  }

  #run(): void {
    this.#timer = null;
    if (this.#stopped) return;
    this.#again = false;
    this.#running = this.work().finally(() => {
      this.#running = null;
      if (this.#again) this.poke();
    });
  }

  /** The run under way, if any, finished (its errors are the work's own to report). */
  async idle(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }

  /** No more runs; waits for the one under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.idle();
  }
}
