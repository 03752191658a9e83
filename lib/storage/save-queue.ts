import { describeDatabaseError, isDatabaseUnavailable } from '@/lib/db/unavailable';

/**
 * Keeps what was already said to the user when it cannot be saved: an answer streamed in full while the database
 * was unreachable is held here, in process, and written once the database answers again.
 *
 * - Bounded: at most `maxPending` saves wait; one more is dropped (and logged) rather than growing without end.
 * - In order per chat: a later save of a chat waits behind an earlier one, so a chat's answers land as they were
 *   given.
 * - Retried with exponential backoff (with jitter, capped), only for outages (`isRetryable`); any other failure
 *   is a bug a retry will not fix, and is logged and dropped.
 * - Flushed on shutdown within its deadline (lib/lifecycle/shutdown.ts); what is left then, or when the process
 *   exits without a shutdown, is logged by ids, never by content.
 */

export interface SaveLabel {
  chatId: string;
  messageId: string;
}

export type SaveOutcome = 'saved' | 'queued' | 'dropped';

export interface SaveQueueOptions {
  maxPending?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  isRetryable?: (error: unknown) => boolean;
  log?: (event: Record<string, unknown>) => void;
}

interface Job {
  label: SaveLabel;
  write: () => Promise<unknown>;
  attempts: number;
  queuedAt: number;
}

export class SaveQueue {
  private readonly chains = new Map<string, Job[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Set<string>();
  private readonly maxPending: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly isRetryable: (error: unknown) => boolean;
  private readonly log: (event: Record<string, unknown>) => void;

  constructor(options: SaveQueueOptions = {}) {
    this.maxPending = options.maxPending ?? 500;
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.isRetryable = options.isRetryable ?? isDatabaseUnavailable;
    this.log = options.log ?? ((event) => console.error(JSON.stringify(event)));
  }

  /** Saves now if it can; otherwise (an outage, or earlier saves of the chat still waiting) keeps it for later. */
  async save(key: string, label: SaveLabel, write: () => Promise<unknown>): Promise<SaveOutcome> {
    const chain = this.chains.get(key);
    if (chain) return this.enqueue(chain, { label, write, attempts: 0, queuedAt: Date.now() });
    try {
      await write();
      return 'saved';
    } catch (error) {
      if (!this.isRetryable(error)) throw error;
      this.log({ level: 'warn', event: 'answer_save_queued', ...label, error: describeDatabaseError(error) });
      const job = { label, write, attempts: 1, queuedAt: Date.now() };
      // Another save of this chat may have been queued while this one was failing.
      const now = this.chains.get(key);
      if (now) return this.enqueue(now, job);
      if (this.pending >= this.maxPending) return this.drop(job, 'queue_full');
      this.chains.set(key, [job]);
      this.schedule(key, this.delayFor(job.attempts));
      return 'queued';
    }
  }

  /** How many saves are waiting. */
  get pending(): number {
    let count = 0;
    for (const chain of this.chains.values()) count += chain.length;
    return count;
  }

  /** What is waiting, by ids only (for the log). */
  pendingLabels(): SaveLabel[] {
    return [...this.chains.values()].flat().map((job) => job.label);
  }

  /**
   * Tries every waiting save now and again until all are written or `deadline` (a Date.now() time) has passed;
   * what is left is dropped and logged. For shutdown.
   */
  async flush(deadline: number): Promise<{ saved: number; dropped: number }> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    let saved = 0;
    let pause = 50;
    while (this.chains.size > 0 && Date.now() < deadline) {
      const before = this.pending;
      await Promise.all([...this.chains.keys()].map((key) => this.drain(key, { reschedule: false })));
      saved += before - this.pending;
      if (this.chains.size === 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, deadline - Date.now()))));
      pause = Math.min(pause * 2, 1_000);
    }
    const dropped = this.dropAll('shutdown_deadline');
    return { saved, dropped };
  }

  /** Drops every waiting save, logging each by ids; returns how many. Safe to call from an `exit` handler. */
  dropAll(reason: string): number {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    const jobs = [...this.chains.values()].flat();
    this.chains.clear();
    for (const job of jobs) this.drop(job, reason);
    return jobs.length;
  }

  private enqueue(chain: Job[], job: Job): SaveOutcome {
    if (this.pending >= this.maxPending) return this.drop(job, 'queue_full');
    chain.push(job);
    this.log({ level: 'warn', event: 'answer_save_queued', ...job.label, behind: chain.length - 1 });
    return 'queued';
  }

  private drop(job: Job, reason: string): 'dropped' {
    this.log({
      level: 'error',
      event: 'answer_save_dropped',
      reason,
      ...job.label,
      attempts: job.attempts,
      waitedMs: Date.now() - job.queuedAt,
    });
    return 'dropped';
  }

  private delayFor(attempts: number): number {
    const exponential = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attempts - 1));
    // Jitter, so instances that lost the same database do not all come back at the same instant.
    return Math.round(exponential * (0.75 + Math.random() * 0.5));
  }

  private schedule(key: string, delayMs: number): void {
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.drain(key, { reschedule: true });
    }, delayMs);
    // A waiting save alone does not keep a process alive that is otherwise done: shutdown flushes it.
    timer.unref?.();
    this.timers.set(key, timer);
  }

  /** Writes a chat's waiting saves in order, stopping at the first that fails for an outage. */
  private async drain(key: string, { reschedule }: { reschedule: boolean }): Promise<void> {
    if (this.running.has(key)) return;
    this.running.add(key);
    try {
      for (let chain = this.chains.get(key); chain && chain.length > 0; chain = this.chains.get(key)) {
        const job = chain[0] as Job;
        job.attempts += 1;
        try {
          await job.write();
          this.log({
            level: 'info',
            event: 'answer_saved_late',
            ...job.label,
            attempts: job.attempts,
            waitedMs: Date.now() - job.queuedAt,
          });
        } catch (error) {
          if (this.isRetryable(error)) {
            if (reschedule) this.schedule(key, this.delayFor(job.attempts));
            return;
          }
          this.drop(job, 'write_failed');
        }
        // The chain may have been dropped meanwhile (shutdown deadline).
        if (this.chains.get(key) === chain) chain.shift();
        if (chain.length === 0 && this.chains.get(key) === chain) this.chains.delete(key);
      }
    } finally {
      this.running.delete(key);
    }
  }
}

// On globalThis: Next bundles each route (and instrumentation) separately, and all must share one queue.
const HOLDER = Symbol.for('iris.saveQueue');
type Holder = { [HOLDER]?: SaveQueue };

/** The process's queue of saves that wait for the database. */
export function getSaveQueue(): SaveQueue {
  const holder = globalThis as Holder;
  let queue = holder[HOLDER];
  if (!queue) {
    const created = new SaveQueue();
    queue = created;
    holder[HOLDER] = created;
    // A process that exits without a shutdown (a crash, an exit elsewhere) still says what it lost.
    process.once('exit', () => created.dropAll('process_exit'));
  }
  return queue;
}

/** Saves a finished answer now, or keeps it for when the database is back; key: one chat of one owner. */
export function saveAnswer(
  owner: { ownerId: string; chatId: string; messageId: string },
  write: () => Promise<unknown>,
): Promise<SaveOutcome> {
  return getSaveQueue().save(
    `${owner.ownerId}\u0000${owner.chatId}`,
    { chatId: owner.chatId, messageId: owner.messageId },
    write,
  );
}
