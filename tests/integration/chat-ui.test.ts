import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer, getChat, readUiStream, sendChat, uploadImage, userMessage } from '../support/chat-ui.ts';
import { GATEWAY_KEYS } from '../support/constants.ts';
import { irisUrl, newTag, upstreamRequests } from '../support/iris.ts';
import { makePng } from '../support/png.ts';
import { postWithoutEnding } from '../support/post-without-ending.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const chatId = () => `c${randomUUID().replaceAll('-', '').slice(0, 20)}`;
const messageId = () => `m${randomUUID().replaceAll('-', '').slice(0, 20)}`;

describe('the chat UI route', () => {
  it('keeps a conversation: images of earlier turns reach Gemini again, intact, from the database', async () => {
    const png = makePng(40, 30, 77);
    const upload = await uploadImage(png);
    expect(upload.response.status).toBe(201);
    expect(upload.body).toMatchObject({ width: 40, height: 30 });

    const id = chatId();
    const first = newTag();
    const answer = await readUiStream(
      await sendChat({
        id,
        message: userMessage(`What is in this picture? [tag:${first}]`, {
          id: messageId(),
          imageUrls: [upload.body.url],
        }),
      }),
    );
    expect(answer.done).toBe(true);
    expect(answer.text).toContain(sha256(png).slice(0, 12));
    // The page learns the answer's final state from the stream itself, as a reload would show it.
    expect(answer.chunks.find((c) => c.type === 'finish')).toMatchObject({
      messageMetadata: { status: 'complete', finishReason: 'stop' },
    });

    // The fake files a request under the first tag it reads, which is the first turn's: take the latest.
    await readUiStream(await sendChat({ id, message: userMessage('And now?', { id: messageId() }) }));
    const upstream = (await upstreamRequests(first)).at(-1);
    expect(upstream?.images).toEqual([{ mimeType: 'image/png', bytes: png.length, sha256: sha256(png) }]);
    const body = upstream?.body as { contents: { role: string }[] };
    expect(body.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);

    const chat = await getChat(id);
    expect(chat.body?.title).toBe(`What is in this picture? [tag:${first}]`);
    expect(chat.body?.messages.map((m) => [m.role, m.metadata?.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(chat.body?.messages[0]?.parts).toContainEqual({
      type: 'file',
      mediaType: 'image/png',
      url: upload.body.url,
    });
    expect(JSON.stringify(chat.body)).not.toContain(png.toString('base64').slice(0, 40));
  });

  it('saves a stopped answer as stopped, with its partial text', async () => {
    const id = chatId();
    const response = await sendChat({
      id,
      message: {
        id: messageId(),
        role: 'user',
        parts: [{ type: 'text', text: 'long [fake:chunks:30] [fake:chunk-delay:150]' }],
      },
    });
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    let seen = '';
    while (!seen.includes('text-delta')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    // Stop is its own request: the browser going away leaves the answer running (tests/integration/live-answers).
    await fetch(`${irisUrl()}/api/chat/${id}/stream`, { method: 'DELETE', headers: bearer() });
    await reader.cancel();

    let assistant: { parts: { text?: string }[]; metadata?: { status?: string } } | undefined;
    for (let i = 0; i < 40 && !assistant; i++) {
      await new Promise((r) => setTimeout(r, 100));
      assistant = (await getChat(id)).body?.messages.find((m) => m.role === 'assistant');
    }
    expect(assistant?.metadata?.status).toBe('stopped');
    expect(assistant?.parts[0]?.text?.length).toBeGreaterThan(0);
  });

  it('saves a failed answer as an error and tells the browser why', async () => {
    const id = chatId();
    const answer = await readUiStream(
      await sendChat({
        id,
        message: userMessage('fail [fake:503]', { id: messageId() }),
      }),
    );
    expect(answer.chunks.find((c) => c.type === 'error')?.errorText).toContain('overloaded');
    const chat = await getChat(id);
    expect(chat.body?.messages.map((m) => m.metadata?.status)).toEqual(['complete', 'error']);
  });

  it('regenerates the last answer and edits a question as new versions, keeping the old ones and the images', async () => {
    const png = makePng(10, 10, 5);
    const upload = await uploadImage(png);
    const id = chatId();
    const question = messageId();
    await readUiStream(
      await sendChat({
        id,
        message: userMessage('first', { id: question, imageUrls: [upload.body.url] }),
      }),
    );
    const before = (await getChat(id)).body?.messages[1]?.id;
    const regenerated = await readUiStream(await sendChat({ id, trigger: 'regenerate-message' }));
    expect(regenerated.text).toContain('Fake Gemini received 1 image');
    let chat = await getChat(id);
    expect(chat.body?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const after = chat.body?.messages[1]?.id;
    expect(after).not.toBe(before);
    expect(chat.body?.messages[1]?.metadata?.versions).toEqual([before, after]);

    const tag = newTag();
    await readUiStream(
      await sendChat({
        id,
        messageId: question,
        message: userMessage(`edited [tag:${tag}]`, { id: question, imageUrls: [upload.body.url] }),
      }),
    );
    chat = await getChat(id);
    expect(chat.body?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(chat.body?.messages[0]?.parts.find((p) => p.type === 'text')?.text).toContain('edited');
    // useChat's edit reuses the old id; the new version gets its own and the old question stays beside it.
    const edited = chat.body?.messages[0]?.id;
    expect(edited).not.toBe(question);
    expect(chat.body?.messages[0]?.metadata?.versions).toEqual([question, edited]);
    const [upstream] = await upstreamRequests(tag);
    expect(upstream?.images[0]?.sha256).toBe(sha256(png));
    expect((upstream?.body as { contents?: unknown[] } | undefined)?.contents).toHaveLength(1);
  });

  it('regenerates an earlier answer as useChat asks (regenerate({ messageId })), keeping what followed as the other version', async () => {
    const id = chatId();
    await readUiStream(await sendChat({ id, message: userMessage('q1', { id: messageId() }) }));
    await readUiStream(await sendChat({ id, message: userMessage('q2', { id: messageId() }) }));
    const firstAnswer = (await getChat(id)).body?.messages[1]?.id ?? '';
    await readUiStream(await sendChat({ id, trigger: 'regenerate-message', messageId: firstAnswer }));
    const chat = await getChat(id);
    expect(chat.body?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(chat.body?.messages[0]?.parts).toEqual([{ type: 'text', text: 'q1' }]);
    expect(chat.body?.messages[1]?.id).not.toBe(firstAnswer);
    expect(chat.body?.messages[1]?.metadata?.versions).toEqual([firstAnswer, chat.body?.messages[1]?.id]);
  });

  it('keeps an image that an edit leaves out: the old version still shows it', async () => {
    const upload = await uploadImage(makePng(9, 9, 606));
    const id = chatId();
    const question = messageId();
    await readUiStream(
      await sendChat({
        id,
        message: userMessage('with a picture', { id: question, imageUrls: [upload.body.url] }),
      }),
    );
    expect((await fetch(`${irisUrl()}${upload.body.url}`, { headers: bearer() })).status).toBe(200);
    await readUiStream(
      await sendChat({
        id,
        messageId: question,
        message: userMessage('without it', { id: question }),
      }),
    );
    expect((await fetch(`${irisUrl()}${upload.body.url}`, { headers: bearer() })).status).toBe(200);
  });

  it('keeps the history when an edit fails, and saves the model picked for a turn', async () => {
    const id = chatId();
    const question = messageId();
    await readUiStream(await sendChat({ id, message: userMessage('keep me', { id: question }) }));
    const failed = await sendChat({
      id,
      messageId: question,
      message: {
        id: question,
        role: 'user',
        parts: [{ type: 'file', mediaType: 'image/png', url: '/api/files/nosuchfile' }],
      },
    });
    expect(failed.status).toBe(400);
    expect((await failed.json()).error.code).toBe('unknown_file');
    expect((await getChat(id)).body?.messages.map((m) => m.metadata?.status)).toEqual(['complete', 'complete']);

    await readUiStream(
      await sendChat({
        id,
        model: 'gemini-3.1-pro-preview',
        message: userMessage('smarter', { id: messageId() }),
      }),
    );
    expect((await getChat(id)).body?.model).toBe('gemini-3.1-pro-preview');
  });

  it('answers 409 to a second message while the first answer is still streaming, and keeps answers by their questions', async () => {
    const id = chatId();
    const slow = sendChat({
      id,
      message: {
        id: messageId(),
        role: 'user',
        parts: [{ type: 'text', text: 'slow [fake:chunks:5] [fake:chunk-delay:200]' }],
      },
    });
    const first = await slow;
    // The first answer's place is taken before its stream starts.
    const second = await sendChat({
      id,
      message: userMessage('impatient', { id: messageId() }),
    });
    expect(second.status).toBe(409);
    expect((await second.json()).error.code).toBe('chat_busy');
    await readUiStream(first);
    const chat = await getChat(id);
    expect(chat.body?.messages.map((m) => [m.role, m.metadata?.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
  });

  it('accepts the whole message list that useChat sends by default, and stores only the new message', async () => {
    const id = chatId();
    const response = await fetch(`${irisUrl()}/api/chat`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        trigger: 'submit-message',
        messages: [
          userMessage('an older question the server never saw', { id: messageId() }),
          { id: messageId(), role: 'assistant', parts: [{ type: 'text', text: 'an older answer' }] },
          userMessage('the new question', { id: messageId() }),
        ],
      }),
    });
    expect((await readUiStream(response)).done).toBe(true);
    const chat = await getChat(id);
    expect(chat.body?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(chat.body?.messages[0]?.parts).toEqual([{ type: 'text', text: 'the new question' }]);
  });

  it('refuses inline image data: images are uploaded first', async () => {
    const response = await sendChat({
      id: chatId(),
      message: {
        id: messageId(),
        role: 'user',
        parts: [{ type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,AAAA' }],
      },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('upload_first');
  });
});

describe('owners are isolated', () => {
  it('shows another owner nothing: chats, messages and files are 404s, lists are empty', async () => {
    const [mine, theirs] = GATEWAY_KEYS;
    const upload = await uploadImage(makePng(6, 6, 901), mine);
    const id = chatId();
    await readUiStream(
      await sendChat(
        {
          id,
          message: userMessage('private', { id: messageId(), imageUrls: [upload.body.url] }),
        },
        { key: mine },
      ),
    );
    expect((await getChat(id, theirs)).response.status).toBe(404);
    expect((await fetch(`${irisUrl()}${upload.body.url}`, { headers: bearer(theirs) })).status).toBe(404);
    const rename = await fetch(`${irisUrl()}/api/chats/${id}`, {
      method: 'PATCH',
      headers: { ...bearer(theirs), 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'mine now' }),
    });
    expect(rename.status).toBe(404);
    expect((await fetch(`${irisUrl()}/api/chats/${id}`, { method: 'DELETE', headers: bearer(theirs) })).status).toBe(
      404,
    );
    const theirList = await (await fetch(`${irisUrl()}/api/chats?q=private`, { headers: bearer(theirs) })).json();
    expect(theirList.chats).toEqual([]);
    // Chat ids are per owner: sending to the same id starts the other owner's own chat and leaves mine alone.
    await readUiStream(await sendChat({ id, message: userMessage('x', { id: messageId() }) }, { key: theirs }));
    expect((await getChat(id, theirs)).body?.messages).toHaveLength(2);
    expect((await getChat(id, mine)).body?.title).toBe('private');
    expect((await getChat(id, mine)).body?.messages).toHaveLength(2);
  });
});

describe('files and chats', () => {
  it('serves an uploaded image to its owner with caching headers, and dedupes re-uploads', async () => {
    const png = makePng(12, 9, 321);
    const first = await uploadImage(png);
    const again = await uploadImage(png);
    expect(again.response.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const response = await fetch(`${irisUrl()}${first.body.url}`, { headers: bearer() });
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(response.headers.get('etag')).toBe(`"${sha256(png)}"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    const cached = await fetch(`${irisUrl()}${first.body.url}`, {
      headers: { ...bearer(), 'if-none-match': `"${sha256(png)}"` },
    });
    expect(cached.status).toBe(304);
  });

  it('refuses uploads that are not images Gemini reads, or too big', async () => {
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    const bad = await uploadImage(gif);
    expect(bad.response.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('image/gif');
    // Past the 4 MiB upload limit and never ended: fetch, still writing when the server refused, could lose the
    // answer to EPIPE (postWithoutEnding explains).
    const big = await postWithoutEnding(`${irisUrl()}/api/files`, {
      headers: { ...bearer(), 'content-type': 'image/png' },
      bytes: new Uint8Array(4 * 1024 * 1024 + 64 * 1024).fill(1),
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error).toMatchObject({ code: 'file_too_large', param: 'file' });
  });

  it('lists, searches, renames and deletes chats; deleting removes images nothing else uses', async () => {
    const upload = await uploadImage(makePng(8, 8, 444));
    const id = chatId();
    const word = `zebra${newTag()}`;
    await readUiStream(
      await sendChat({
        id,
        message: userMessage(`about a ${word}`, { id: messageId(), imageUrls: [upload.body.url] }),
      }),
    );
    const found = await (await fetch(`${irisUrl()}/api/chats?q=${word}`, { headers: bearer() })).json();
    expect(found.chats.map((c: { id: string }) => c.id)).toEqual([id]);
    const renamed = await fetch(`${irisUrl()}/api/chats/${id}`, {
      method: 'PATCH',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Stripes', settings: { systemPrompt: 'Be brief.', temperature: 0.3 } }),
    });
    expect((await renamed.json()).title).toBe('Stripes');
    expect((await fetch(`${irisUrl()}/api/chats/${id}`, { method: 'DELETE', headers: bearer() })).status).toBe(204);
    expect((await getChat(id)).response.status).toBe(404);
    expect((await fetch(`${irisUrl()}${upload.body.url}`, { headers: bearer() })).status).toBe(404);
  });
});

describe('browser sign-in', () => {
  it('signs in with an access key, uses the cookie, refuses cross-site changes, and signs out', async () => {
    const origin = irisUrl();
    const signIn = await fetch(`${origin}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ key: GATEWAY_KEYS[1] }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^iris_session=/);
    expect(signIn.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    const list = await fetch(`${origin}/api/chats`, { headers: { cookie } });
    expect(list.status).toBe(200);
    const crossSite = await fetch(`${origin}/api/chats`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await fetch(`${origin}/api/chats`, {
      method: 'POST',
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sameSite.status).toBe(201);

    const signOut = await fetch(`${origin}/api/auth/sign-out`, { method: 'POST', headers: { cookie, origin } });
    const cleared = signOut.headers.get('set-cookie') ?? '';
    expect(cleared).toMatch(/iris_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect((await fetch(`${origin}/api/chats`)).status).toBe(401);
  });
});

describe('the chat’s model list', () => {
  it('offers Gemini’s chat models (not embeddings) to a signed-in owner, and nothing to anyone else', async () => {
    const response = await fetch(`${irisUrl()}/api/models`, { headers: bearer() });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { models: { id: string }[]; defaultModel: string };
    const ids = body.models.map((m) => m.id);
    expect(ids).toContain('gemini-3-flash-preview');
    expect(ids).toContain(body.defaultModel);
    expect(ids).not.toContain('gemini-embedding-001');
    expect((await fetch(`${irisUrl()}/api/models`)).status).toBe(401);
  });
});
