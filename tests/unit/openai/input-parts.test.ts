import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/errors';
import { ByteBudget } from '@/lib/http/read-capped';
import { decodeMediaParts, mediaResolutionFor, sniffInlineMedia } from '@/lib/openai/input-parts';
import type { ChatMessage } from '@/lib/openai/request-schema';
import { toModelMessages } from '@/lib/openai/to-model-messages';
import { makeMp3, makePdf, makeWav } from '../../support/media-samples.ts';
import { dataUrl, makePng } from '../../support/png.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const audio = (bytes: Uint8Array | string, format: 'wav' | 'mp3') => ({
  type: 'input_audio' as const,
  input_audio: { data: typeof bytes === 'string' ? bytes : b64(bytes), format },
});
const file = (fileData: string, extra: { file_id?: string; filename?: string } = {}) => ({
  type: 'file' as const,
  file: { file_data: fileData, ...extra },
});
const pdfUrl = (bytes: Uint8Array, type = 'application/pdf') => `data:${type};base64,${b64(bytes)}`;
const userWith = (...parts: Exclude<Extract<ChatMessage, { role: 'user' }>['content'], string>): ChatMessage[] => [
  { role: 'user', content: [{ type: 'text', text: 'listen' }, ...parts] },
];
const limits = (maxBytes = 1024 * 1024, total = 4 * 1024 * 1024) => ({ maxBytes, budget: new ByteBudget(total) });

async function rejectionOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('sniffInlineMedia', () => {
  it('knows WAV, PDF and MP3, with or without an ID3 tag in front', () => {
    expect(sniffInlineMedia(b64(makeWav()))).toBe('audio/wav');
    expect(sniffInlineMedia(b64(makePdf()))).toBe('application/pdf');
    expect(sniffInlineMedia(b64(makeMp3()))).toBe('audio/mp3');
    // A tag far longer than any fixed-size look at the head (cover art), skipped by its declared size.
    expect(sniffInlineMedia(b64(makeMp3(2, 300_000)))).toBe('audio/mp3');
  });

  it('refuses look-alikes: ADTS AAC shares the sync word, an ID3 tag with no audio after it, RIFF that is not WAVE', () => {
    const aac = Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc, 0x00]);
    expect(sniffInlineMedia(b64(aac))).toBeUndefined();
    const mp2 = makeMp3();
    mp2[1] = 0xfd; // MPEG-1 layer II: an MPEG audio frame, but not MP3
    expect(sniffInlineMedia(b64(mp2))).toBeUndefined();
    expect(sniffInlineMedia(b64(makeMp3(0, 64)))).toBeUndefined();
    const avi = makeWav();
    avi.write('AVI ', 8, 'ascii');
    expect(sniffInlineMedia(b64(avi))).toBeUndefined();
    expect(sniffInlineMedia(b64(makePng(2, 2)))).toBeUndefined();
  });
});

describe('decodeMediaParts', () => {
  it('turns WAV, MP3 and PDF parts into inline file parts carrying the bytes unchanged', async () => {
    const wav = makeWav(100, 1);
    const mp3 = makeMp3(2, 32);
    const pdf = makePdf('hello');
    const messages = userWith(audio(wav, 'wav'), audio(mp3, 'mp3'), file(pdfUrl(pdf), { filename: 'hello.pdf' }));
    const parts = await decodeMediaParts(messages, limits());
    expect([...parts.keys()]).toEqual(['messages[0].content[1]', 'messages[0].content[2]', 'messages[0].content[3]']);
    expect(parts.get('messages[0].content[1]')).toEqual({
      type: 'file',
      mediaType: 'audio/wav',
      data: { type: 'data', data: b64(wav) },
    });
    expect(parts.get('messages[0].content[2]')?.mediaType).toBe('audio/mp3');
    expect(parts.get('messages[0].content[3]')).toEqual({
      type: 'file',
      mediaType: 'application/pdf',
      data: { type: 'data', data: b64(pdf) },
    });
  });

  it('says so when the audio bytes are not the declared format, naming the data param and the right format', async () => {
    const error = await rejectionOf(decodeMediaParts(userWith(audio(makeMp3(), 'wav')), limits()));
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages[0].content[1].input_audio.data');
    expect(error.code).toBe('media_type_mismatch');
    expect(error.message).toBe(
      'messages[0].content[1].input_audio.data is MP3 audio, but input_audio.format says "wav". Set input_audio.format to "mp3".',
    );
    const png = await rejectionOf(decodeMediaParts(userWith(audio(makePng(3, 3), 'mp3')), limits()));
    expect(png.message).toMatch(
      /is an image \(image\/png\), but input_audio\.format says "mp3"\. Iris accepts WAV and MP3/,
    );
  });

  it('refuses file_id, non-PDF files and PDFs whose bytes are something else', async () => {
    const byId = await rejectionOf(decodeMediaParts(userWith(file('', { file_id: 'file-abc' })), limits()));
    expect([byId.status, byId.param, byId.code]).toEqual([
      400,
      'messages[0].content[1].file.file_id',
      'unsupported_parameter',
    ]);
    expect(byId.message).toMatch(/no Files API/);

    const png = await rejectionOf(decodeMediaParts(userWith(file(dataUrl(makePng(2, 2)))), limits()));
    expect([png.param, png.code]).toEqual(['messages[0].content[1].file.file_data', 'unsupported_file_type']);

    const fake = await rejectionOf(decodeMediaParts(userWith(file(pdfUrl(makeWav()))), limits()));
    expect(fake.code).toBe('media_type_mismatch');
    expect(fake.message).toMatch(/declared as application\/pdf, but the data is WAV audio/);

    const url = await rejectionOf(decodeMediaParts(userWith(file('https://example.com/a.pdf')), limits()));
    expect(url.message).toMatch(/must be a base64 data: URL/);
  });

  it('accepts a PDF data URL without a type, and canonicalises unpadded base64', async () => {
    const pdf = makePdf('x');
    const unpadded = b64(pdf).replace(/=+$/, '');
    const parts = await decodeMediaParts(userWith(file(`data:;base64,${unpadded}`)), limits());
    expect(parts.get('messages[0].content[1]')?.data).toEqual({ type: 'data', data: b64(pdf) });
  });

  it('refuses bad base64 and data URLs in input_audio before looking at the bytes', async () => {
    const bad = await rejectionOf(decodeMediaParts(userWith(audio('UklG%%%', 'wav')), limits()));
    expect([bad.param, bad.code]).toEqual(['messages[0].content[1].input_audio.data', 'invalid_base64']);
    const wrapped = await rejectionOf(decodeMediaParts(userWith(audio(`data:audio/wav;base64,AAAA`, 'wav')), limits()));
    expect(wrapped.message).toMatch(/bare base64/);
  });

  it('applies the per-file limit and charges the budget it shares with images', async () => {
    const wav = makeWav(2000);
    const big = await rejectionOf(decodeMediaParts(userWith(audio(wav, 'wav')), limits(1000)));
    expect([big.status, big.code, big.param]).toEqual([
      413,
      'file_too_large',
      'messages[0].content[1].input_audio.data',
    ]);

    const shared = limits(1024 * 1024, wav.length + 10);
    const twice = await rejectionOf(decodeMediaParts(userWith(audio(wav, 'wav'), audio(wav, 'wav')), shared));
    expect([twice.status, twice.param]).toEqual([413, 'messages[0].content[2].input_audio.data']);

    const budget = new ByteBudget(10_000);
    await decodeMediaParts(userWith(audio(wav, 'wav')), { maxBytes: 1024 * 1024, budget });
    expect(budget.remaining).toBe(10_000 - wav.length);
  });

  it('slots the parts into the converted user turn, in order, next to images', async () => {
    const wav = makeWav(50);
    const png = makePng(4, 4, 2);
    const converted = await toModelMessages(
      userWith(audio(wav, 'wav'), { type: 'image_url', image_url: { url: dataUrl(png) } }, file(pdfUrl(makePdf()))),
      {
        limits: {
          maxBytes: 1 << 20,
          maxTotalBytes: 1 << 22,
          fetchTimeoutMs: 1000,
          allowPrivateAddresses: false,
          maxPerRequest: 2,
        },
      },
    );
    const content = converted.messages[0]?.content;
    expect(Array.isArray(content) && content.map((p) => (p.type === 'file' ? p.mediaType : p.type))).toEqual([
      'text',
      'audio/wav',
      'image/png',
      'application/pdf',
    ]);
  });
});

describe('mediaResolutionFor', () => {
  const image = (detail?: 'low' | 'high' | 'auto') => ({
    type: 'image_url' as const,
    image_url: { url: 'https://example.com/a.png', ...(detail ? { detail } : {}) },
  });

  it.each([
    [[], undefined],
    [[image()], undefined],
    [[image('auto')], undefined],
    [[image('low'), image('low')], 'MEDIA_RESOLUTION_LOW'],
    [[image('low'), image()], undefined],
    [[image('high')], 'MEDIA_RESOLUTION_HIGH'],
    [[image('low'), image('high'), image('auto')], 'MEDIA_RESOLUTION_HIGH'],
  ] as const)('%j → %s (the most detailed request wins)', (images, expected) => {
    const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'x' }, ...images] }];
    expect(mediaResolutionFor(messages)).toBe(expected);
  });

  it('looks at images in every user turn', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: [image('high')] },
      { role: 'assistant', content: 'a cat' },
      { role: 'user', content: [image('low')] },
    ];
    expect(mediaResolutionFor(messages)).toBe('MEDIA_RESOLUTION_HIGH');
  });
});
