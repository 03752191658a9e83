import { closeDb } from '@/lib/db/client';
import { closeRedis } from '@/lib/redis/client';
import { getSaveQueue } from '@/lib/storage/save-queue';

/**
 * Graceful shutdown, for any server: `next start` (through takeOverSignals below, from instrumentation.ts) or an
 * own Node server (which calls `shutdown({ graceMs, stopAccepting: () => close(server) })` on SIGTERM itself).
 *
 * 1. Stop accepting requests (the server's job, passed in as `stopAccepting`).
 * 2. Let running answers finish, until a little before the deadline (`graceMs`, SHUTDOWN_GRACE_MS).
 * 3. Interrupt those still running: each saves what it has as `interrupted` (lib/chat/handle-chat.ts).
 * 4. Flush the queue of answers waiting for the database (lib/storage/save-queue.ts) until the deadline;
 *    what cannot be written by then is logged by ids.
 * 5. Close the database and Redis.
 */

export interface RunningAnswer {
  /** True once shutdown interrupted this answer: it is saved as `interrupted`, not as stopped by the user. */
  readonly interrupted: boolean;
  /** Call when the answer is saved (or failed to be): shutdown waits for it. */
  end(): void;
}

interface Tracked {
  interrupted: boolean;
  interrupt(): void;
  ended: Promise<void>;
}

interface LifecycleState {
  shuttingDown: boolean;
  answers: Set<Tracked>;
  shutdown?: Promise<ShutdownReport>;
}

// On globalThis: Next bundles routes and instrumentation separately, and all must see one state.
const HOLDER = Symbol.for('iris.lifecycle');
function state(): LifecycleState {
  const holder = globalThis as { [HOLDER]?: LifecycleState };
  holder[HOLDER] ??= { shuttingDown: false, answers: new Set() };
  return holder[HOLDER];
}

export function isShuttingDown(): boolean {
  return state().shuttingDown;
}

/** Registers a running chat answer, which shutdown waits for and, at its deadline, interrupts through `abort`. */
export function trackAnswer(abort: AbortController): RunningAnswer {
  const { answers } = state();
  let end = () => {};
  const tracked: Tracked = {
    interrupted: false,
    interrupt() {
      tracked.interrupted = true;
      abort.abort(new DOMException('The server is shutting down.', 'AbortError'));
    },
    ended: new Promise<void>((resolve) => {
      end = resolve;
    }),
  };
  answers.add(tracked);
  return {
    get interrupted() {
      return tracked.interrupted;
    },
    end() {
      answers.delete(tracked);
      end();
    },
  };
}

export interface ShutdownOptions {
  /** The whole budget, from now until the database is closed. */
  graceMs: number;
  /** Stops the server accepting requests; resolves once its open requests have ended (or never: it is bounded). */
  stopAccepting?: () => unknown;
  log?: (event: Record<string, unknown>) => void;
}

export interface ShutdownReport {
  /** Answers that finished on their own during the grace period. */
  finished: number;
  /** Answers interrupted at the deadline (saved as `interrupted`). */
  interrupted: number;
  /** Queued saves written during shutdown, and those dropped at the deadline. */
  saved: number;
  dropped: number;
  ms: number;
}

/** Shuts down once; later calls get the same report. */
export function shutdown(options: ShutdownOptions): Promise<ShutdownReport> {
  const current = state();
  current.shutdown ??= runShutdown(options);
  return current.shutdown;
}

async function runShutdown({ graceMs, stopAccepting, log = defaultLog }: ShutdownOptions): Promise<ShutdownReport> {
  const startedAt = Date.now();
  const deadline = startedAt + graceMs;
  const current = state();
  current.shuttingDown = true;
  const queue = getSaveQueue();
  const running = current.answers.size;
  log({ level: 'info', event: 'shutdown_started', graceMs, runningAnswers: running, queuedSaves: queue.pending });

  // Part of the budget is kept for saving interrupted answers and flushing the queue.
  const reserve = Math.min(2_000, Math.floor(graceMs / 4));
  const closed = Promise.resolve()
    .then(() => stopAccepting?.())
    .catch(() => {});
  await Promise.race([Promise.all([closed, allEnded(current)]), sleepUntil(deadline - reserve)]);

  const left = [...current.answers];
  for (const answer of left) answer.interrupt();
  // Their responses end too (the browser gets the end of the stream), once their partials are saved.
  if (left.length > 0) await Promise.race([Promise.all([closed, allEnded(current)]), sleepUntil(deadline)]);

  const { saved, dropped } = await queue.flush(deadline);
  // Bounded, so a hung database or Redis cannot hold the exit.
  await Promise.race([
    Promise.allSettled([closeDb(), closeRedis()]),
    sleepUntil(Math.max(deadline, Date.now() + 1_000)),
  ]);

  const report = {
    finished: running - left.length,
    interrupted: left.length,
    saved,
    dropped,
    ms: Date.now() - startedAt,
  };
  log({ level: 'info', event: 'shutdown_finished', ...report });
  return report;
}

function allEnded(current: LifecycleState): Promise<void> {
  return Promise.all([...current.answers].map((answer) => answer.ended)).then(() => {});
}

function sleepUntil(time: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())).unref());
}

function defaultLog(event: Record<string, unknown>): void {
  console.error(JSON.stringify(event));
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Under `next start`: Next's own handler (start-server.js) closes the HTTP server, waits for every open request
 * without a deadline, then exits 143 at once, before anything of Iris's could be saved. This takes the signals
 * over: Next's handler still runs (it stops the server accepting, the way Next wants), its `process.exit` waits
 * for Iris's shutdown, and the process exits 0 once that is done, within the grace period. A second signal
 * exits at once (1), logging the saves it drops.
 *
 * Called from instrumentation.ts, which Next runs after it installed its handler.
 */
export function takeOverSignals(graceMs: number): void {
  const holder = globalThis as { [HOLDER_SIGNALS]?: boolean };
  if (holder[HOLDER_SIGNALS]) return;
  holder[HOLDER_SIGNALS] = true;
  const nextHandlers = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)] as const));
  const exit = process.exit.bind(process);
  for (const signal of SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, () => onSignal(signal));
  }

  function onSignal(signal: (typeof SIGNALS)[number]) {
    if (isShuttingDown()) {
      getSaveQueue().dropAll(`second_${signal}`);
      exit(1);
    }
    let nextClosed: () => void = () => {};
    const nextDone = new Promise<void>((resolve) => {
      nextClosed = resolve;
    });
    // Next calls exit once its server has closed: that is the end of "stop accepting", not of the process.
    process.exit = (() => nextClosed()) as unknown as typeof process.exit;
    const handlers = nextHandlers.get(signal) ?? [];
    const stopAccepting = () => {
      for (const handler of handlers) (handler as (s: string) => void)(signal);
      return handlers.length > 0 ? nextDone : undefined;
    };
    void shutdown({ graceMs, stopAccepting }).finally(() => exit(0));
  }
}

const HOLDER_SIGNALS = Symbol.for('iris.signalsTakenOver');
