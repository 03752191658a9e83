import { type LiveChannel, liveChannel } from '@/lib/chat/live-answers/channel';
import { processState } from '@/lib/chat/live-answers/process-state';

/**
 * The answers this process is writing, and their one way to stop: an explicit Stop (DELETE
 * /api/chat/{id}/stream), never the browser going away. A Stop reaches the instance that writes the answer
 * through a Redis channel when REDIS_URL is set, and is also left as a short-lived mark, so an answer whose
 * request was already on its way when Stop was pressed stops as soon as it starts.
 */

const STOP_CHANNEL = 'iris:live:stop';
const STOP_MARK_SECONDS = 60;

interface Run {
  messageId: string;
  /** When its request arrived (ms since the epoch): a Stop pressed later stops it, an earlier one does not. */
  requestedAt: number;
  controller: AbortController;
  done: Promise<void>;
}

const state = processState('runs', () => ({
  runs: new Map<string, Run>(),
  listening: new WeakSet<LiveChannel>(),
}));

/** One owner's chat: every key for an answer starts with it, so no owner can name another's. */
export function chatKey(ownerId: string, chatId: string): string {
  return `${encodeURIComponent(ownerId)}/${encodeURIComponent(chatId)}`;
}

/** The id its stream's progress is kept under (resumable-stream's streamId). */
export function answerStreamId(ownerId: string, chatId: string, messageId: string): string {
  return `${chatKey(ownerId, chatId)}/${encodeURIComponent(messageId)}`;
}

export interface LiveRun {
  /** Aborts the call to Gemini: on Stop only. */
  signal: AbortSignal;
  streamId: string;
  /** The answer is saved and its stream ended. */
  finish(): void;
}

export async function startRun(options: {
  ownerId: string;
  chatId: string;
  messageId: string;
  requestedAt: number;
}): Promise<LiveRun> {
  const key = chatKey(options.ownerId, options.chatId);
  const controller = new AbortController();
  let finish = () => {};
  const run: Run = {
    messageId: options.messageId,
    requestedAt: options.requestedAt,
    controller,
    done: new Promise<void>((resolve) => {
      finish = resolve;
    }),
  };
  state.runs.set(key, run);
  const channel = await liveChannel();
  await listenForStops(channel);
  const mark = await channel.publisher.get(stopMarkKey(key)).catch(() => null);
  if (mark !== null && Number(mark) >= options.requestedAt) controller.abort();
  return {
    signal: controller.signal,
    streamId: answerStreamId(options.ownerId, options.chatId, options.messageId),
    finish() {
      finish();
      if (state.runs.get(key) === run) state.runs.delete(key);
    },
  };
}

/** Stops the owner's answer in this chat, wherever it is being written. */
export async function requestStop(ownerId: string, chatId: string): Promise<void> {
  const key = chatKey(ownerId, chatId);
  const at = Date.now();
  stopLocal(key, at);
  const channel = await liveChannel();
  await channel.publisher.set(stopMarkKey(key), String(at), { EX: STOP_MARK_SECONDS });
  await channel.publisher.publish(STOP_CHANNEL, JSON.stringify({ key, at }));
}

/** Answers still being written here, for a shutdown that lets them finish. */
export function runningAnswers(): Promise<void>[] {
  return [...state.runs.values()].map((run) => run.done);
}

function stopLocal(key: string, at: number): void {
  const run = state.runs.get(key);
  if (run && run.requestedAt <= at) run.controller.abort();
}

function stopMarkKey(key: string): string {
  return `${STOP_CHANNEL}:${key}`;
}

async function listenForStops(channel: LiveChannel): Promise<void> {
  if (state.listening.has(channel)) return;
  state.listening.add(channel);
  try {
    await channel.subscriber.subscribe(STOP_CHANNEL, (message) => {
      try {
        const { key, at } = JSON.parse(message) as { key: string; at: number };
        stopLocal(key, at);
      } catch {
        // Not one of ours.
      }
    });
  } catch {
    // Redis went away: try again with the next answer (a Stop still reaches this instance's own requests).
    state.listening.delete(channel);
  }
}
