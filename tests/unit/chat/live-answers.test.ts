import type { TextStreamPart, ToolSet } from 'ai';
import { createResumableStreamContext } from 'resumable-stream/generic';
import { describe, expect, it } from 'vitest';
import { answerEnd, breakAsInterrupted } from '@/lib/chat/live-answers/answer-end';
import { inProcessPubSub } from '@/lib/chat/live-answers/in-process-pubsub';

type Part = TextStreamPart<ToolSet>;

async function* partsThenBreak(parts: Part[]): AsyncGenerator<Part> {
  yield* parts;
  throw new TypeError('terminated');
}

async function collect(parts: AsyncIterable<Part>): Promise<Part[]> {
  const seen: Part[] = [];
  for await (const part of parts) seen.push(part);
  return seen;
}

async function readAll(stream: ReadableStream<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream as unknown as AsyncIterable<string>) text += chunk;
  return text;
}

describe('breakAsInterrupted', () => {
  it('turns a stream that breaks after some text into a finish "interrupted", keeping the text', async () => {
    const seen = await collect(
      breakAsInterrupted(partsThenBreak([{ type: 'text-delta', id: 't', text: 'Half an ans' }])),
    );
    expect(seen.map((p) => p.type)).toEqual(['text-delta', 'finish']);
    expect(seen.at(-1)).toMatchObject({ type: 'finish', finishReason: 'interrupted' });
  });

  it('turns a break before any text into an error part, as any failed call', async () => {
    const seen = await collect(breakAsInterrupted(partsThenBreak([])));
    expect(seen).toEqual([{ type: 'error', error: new TypeError('terminated') }]);
  });
});

describe('answerEnd', () => {
  it('says how an answer ended, a failure first, then a break, then a stop', () => {
    expect(answerEnd({ finishReason: 'stop', failure: null, aborted: false })).toEqual({
      status: 'complete',
      error: null,
    });
    expect(answerEnd({ finishReason: 'interrupted', failure: null, aborted: false })).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/connection lost/i),
    });
    expect(answerEnd({ finishReason: null, failure: null, aborted: true })).toEqual({ status: 'stopped', error: null });
    expect(answerEnd({ finishReason: null, failure: 'Gemini is overloaded', aborted: true })).toEqual({
      status: 'error',
      error: 'Gemini is overloaded',
    });
  });
});

describe('the in-process stand-in for Redis', () => {
  it('lets resumable-stream replay a running stream to a late reader, and says when none runs', async () => {
    const context = createResumableStreamContext({ waitUntil: null, ...inProcessPubSub() });
    let push: (chunk: string) => void = () => {};
    let end: () => void = () => {};
    const source = new ReadableStream<string>({
      start(controller) {
        push = (chunk) => controller.enqueue(chunk);
        end = () => controller.close();
      },
    });
    const first = await context.createNewResumableStream('s1', () => source);
    if (!first) throw new Error('no stream');
    push('one ');
    push('two ');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const late = await context.resumeExistingStream('s1');
    if (!late) throw new Error('nothing to follow');
    push('three');
    end();
    expect(await readAll(late)).toBe('one two three');
    expect(await readAll(first)).toBe('one two three');
    expect(await context.resumeExistingStream('s1')).toBeNull();
    expect(await context.resumeExistingStream('never')).toBeUndefined();
  });
});
