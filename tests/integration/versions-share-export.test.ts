import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bearer, getChat, readUiStream, sendChat, uploadImage, userMessage } from '../support/chat-ui.ts';
import { GATEWAY_KEYS } from '../support/constants.ts';
import { irisUrl, newTag, upstreamRequests } from '../support/iris.ts';
import { makePng } from '../support/png.ts';

const chatId = () => `c${randomUUID().replaceAll('-', '').slice(0, 20)}`;
const messageId = () => `m${randomUUID().replaceAll('-', '').slice(0, 20)}`;
const [MINE, THEIRS] = GATEWAY_KEYS;

const textOf = (message: { parts: { type: string; text?: string }[] } | undefined) =>
  message?.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('') ?? '';

function post(path: string, body: unknown, key: string = MINE) {
  return fetch(`${irisUrl()}${path}`, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A chat of two turns, the first with an image; returns its id, the question ids and the image's bytes. */
async function chatWithImage(title = 'Rock pool') {
  const png = makePng(14, 10, Math.floor(Math.random() * 1_000_000));
  const upload = await uploadImage(png);
  const id = chatId();
  const [q1, q2] = [messageId(), messageId()];
  await readUiStream(await sendChat({ id, message: userMessage(title, { id: q1, imageUrls: [upload.body.url] }) }));
  await readUiStream(await sendChat({ id, message: userMessage('And the crab?', { id: q2 }) }));
  return { id, q1, q2, png, fileUrl: upload.body.url };
}

describe('versions', () => {
  it('edits the first question as a new version, sends Gemini only the current branch, and keeps the choice', async () => {
    const id = chatId();
    const [q1, q2, q1b, q3] = [messageId(), messageId(), messageId(), messageId()];
    await readUiStream(await sendChat({ id, message: userMessage('first', { id: q1 }) }));
    await readUiStream(await sendChat({ id, message: userMessage('second', { id: q2 }) }));

    // The browser's edit: a new message id, following what came before it (nothing, for the first question).
    const tag = newTag();
    await readUiStream(
      await sendChat({ id, parentId: null, message: userMessage(`first, again [tag:${tag}]`, { id: q1b }) }),
    );
    let chat = (await getChat(id)).body;
    expect(chat?.messages.map((m) => m.id).slice(0, 1)).toEqual([q1b]);
    expect(chat?.messages).toHaveLength(2);
    expect(chat?.messages[0]?.metadata?.versions).toEqual([q1, q1b]);
    const [edited] = await upstreamRequests(tag);
    expect((edited?.body as { contents?: unknown[] } | undefined)?.contents).toHaveLength(1);

    // Back to the first version: the old turns are all there.
    const switched = await post(`/api/chats/${id}/branch`, { messageId: q1 });
    expect(switched.status).toBe(200);
    expect(((await switched.json()) as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual(
      (await getChat(id)).body?.messages.map((m) => m.id),
    );
    chat = (await getChat(id)).body;
    expect(chat?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(chat?.messages.map((m) => m.id)[0]).toBe(q1);
    expect(chat?.messages[2]?.id).toBe(q2);

    // The next question follows the chosen branch, and Gemini gets that branch only.
    const next = newTag();
    await readUiStream(await sendChat({ id, message: userMessage(`third [tag:${next}]`, { id: q3 }) }));
    const [upstream] = await upstreamRequests(next);
    const contents = (upstream?.body as { contents: { parts: { text?: string }[] }[] } | undefined)?.contents ?? [];
    expect(contents.map((c) => c.parts.map((p) => p.text ?? '').join(''))[0]).toBe('first');
    expect(contents).toHaveLength(5);
    expect(JSON.stringify(contents)).not.toContain('first, again');
  });

  it('refuses a version switch to another chat’s message, another owner, or a bad body, naming the param', async () => {
    const { id, q1 } = await chatWithImage();
    const other = await chatWithImage();
    const foreign = await post(`/api/chats/${other.id}/branch`, { messageId: q1 });
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error).toMatchObject({ code: 'message_not_found', param: 'messageId' });
    const theirs = await post(`/api/chats/${id}/branch`, { messageId: q1 }, THEIRS);
    expect(theirs.status).toBe(404);
    expect((await theirs.json()).error.code).toBe('chat_not_found');
    const bad = await post(`/api/chats/${id}/branch`, { messageId: 'not an id' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.param).toBe('messageId');
    const parent = await sendChat({ id, parentId: 'nosuchmessage', message: userMessage('x', { id: messageId() }) });
    expect(parent.status).toBe(404);
    expect((await parent.json()).error).toMatchObject({ code: 'message_not_found', param: 'parentId' });
  });
});

describe('share links', () => {
  it('shows the current branch signed out, privately cached, images only through the share; revoked is 404', async () => {
    const { id, png, fileUrl } = await chatWithImage('Share me please');
    const created = await post(`/api/chats/${id}/share`, {});
    expect(created.status).toBe(201);
    const share = (await created.json()) as { id: string; url: string };
    expect(share.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(share.url).toMatch(new RegExp(`/s/${share.id}$`));
    // Sharing again keeps the link.
    expect(((await (await post(`/api/chats/${id}/share`, {})).json()) as { id: string }).id).toBe(share.id);

    const page = await fetch(`${irisUrl()}/s/${share.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toMatch(/^private\b/);
    const html = await page.text();
    expect(html).toContain('Share me please');
    expect(html).toContain('And the crab?');
    expect(html).toContain(`/s/${share.id}/files/0`);
    // Nothing of the owner's: no chat id, no file id, no message id.
    expect(html).not.toContain(id);
    expect(html).not.toContain(fileUrl.split('/').at(-1));
    expect(html).not.toContain('/api/files/');

    const image = await fetch(`${irisUrl()}/s/${share.id}/files/0`);
    expect(image.status).toBe(200);
    expect(image.headers.get('cache-control')).toMatch(/^private\b/);
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${irisUrl()}/s/${share.id}/files/1`)).status).toBe(404);
    // The owner's own file address still needs the owner.
    expect((await fetch(`${irisUrl()}${fileUrl}`)).status).toBe(401);

    const state = await fetch(`${irisUrl()}/api/chats/${id}/share`, { headers: bearer() });
    expect(await state.json()).toMatchObject({ shared: true, id: share.id, url: share.url });
    // Another owner can neither read nor revoke it.
    expect((await fetch(`${irisUrl()}/api/chats/${id}/share`, { headers: bearer(THEIRS) })).status).toBe(404);
    const theirs = await fetch(`${irisUrl()}/api/chats/${id}/share`, { method: 'DELETE', headers: bearer(THEIRS) });
    expect(theirs.status).toBe(404);
    expect((await post(`/api/chats/${id}/share`, {}, THEIRS)).status).toBe(404);
    expect((await fetch(`${irisUrl()}/s/${share.id}`)).status).toBe(200);

    const revoked = await fetch(`${irisUrl()}/api/chats/${id}/share`, { method: 'DELETE', headers: bearer() });
    expect(revoked.status).toBe(204);
    expect((await fetch(`${irisUrl()}/s/${share.id}`)).status).toBe(404);
    expect((await fetch(`${irisUrl()}/s/${share.id}/files/0`)).status).toBe(404);
    expect(await (await fetch(`${irisUrl()}/api/chats/${id}/share`, { headers: bearer() })).json()).toEqual({
      shared: false,
    });
    const again = await fetch(`${irisUrl()}/api/chats/${id}/share`, { method: 'DELETE', headers: bearer() });
    expect((await again.json()).error.code).toBe('share_not_found');
    expect((await fetch(`${irisUrl()}/s/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
  });

  it('refuses a cookie-authenticated share from another site', async () => {
    const signIn = await fetch(`${irisUrl()}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: irisUrl() },
      body: JSON.stringify({ key: MINE }),
    });
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const { id } = await chatWithImage();
    const response = await fetch(`${irisUrl()}/api/chats/${id}/share`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('cross_origin_request');
  });
});

interface ExportFile {
  format: string;
  version: number;
  chats: {
    title: string;
    model: string;
    current: string | null;
    messages: {
      id: string;
      parentId: string | null;
      role: string;
      parts: { type: string; text?: string; file?: string }[];
    }[];
    files: { id: string; mediaType: string; data: string }[];
  }[];
}

/** An export with its ids replaced by their order, so two exports of equal chats compare equal. */
function normalised(file: ExportFile) {
  return file.chats.map((chat) => {
    const place = new Map(chat.messages.map((m, index) => [m.id, index]));
    return {
      title: chat.title,
      model: chat.model,
      current: chat.current === null ? null : place.get(chat.current),
      messages: chat.messages.map((m) => ({
        ...m,
        id: place.get(m.id),
        parentId: m.parentId === null ? null : place.get(m.parentId),
        createdAt: undefined,
      })),
      files: chat.files,
    };
  });
}

describe('export and import', () => {
  it('exports JSON (the whole tree) and imports it back as an equal chat', async () => {
    const { id } = await chatWithImage('Round trip');
    await readUiStream(await sendChat({ id, trigger: 'regenerate-message' }));
    const exported = await fetch(`${irisUrl()}/api/chats/${id}/export?format=json`, { headers: bearer() });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('round-trip.iris.json');
    const file = (await exported.json()) as ExportFile;
    expect(file).toMatchObject({ format: 'iris.chat', version: 1 });
    expect(file.chats[0]?.messages).toHaveLength(5);
    expect(file.chats[0]?.files).toHaveLength(1);

    const imported = await post('/api/chats/import', file);
    expect(imported.status).toBe(201);
    const { ids } = (await imported.json()) as { ids: string[] };
    expect(ids).toHaveLength(1);
    const again = (await (
      await fetch(`${irisUrl()}/api/chats/${ids[0]}/export?format=json`, { headers: bearer() })
    ).json()) as ExportFile;
    expect(normalised(again)).toEqual(normalised(file));
    const [original, copy] = [(await getChat(id)).body, (await getChat(ids[0] ?? '')).body];
    expect(copy?.messages.map((m) => [m.role, textOf(m), m.metadata?.versions?.length])).toEqual(
      original?.messages.map((m) => [m.role, textOf(m), m.metadata?.versions?.length]),
    );
    // The copy is the importer's own: another owner sees nothing of it.
    expect((await getChat(ids[0] ?? '', THEIRS)).response.status).toBe(404);
  });

  it('exports Markdown of the current branch in a zip with its images', async () => {
    const { id, png } = await chatWithImage('Markdown please');
    const response = await fetch(`${irisUrl()}/api/chats/${id}/export?format=markdown`, { headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const zip = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(zip).sort()).toEqual(['chat.md', 'images/image-1.png']);
    const markdown = strFromU8(zip['chat.md'] as Uint8Array);
    expect(markdown).toMatch(/^# Markdown please\n/);
    expect(markdown).toContain('## You\n\n![Image 1](images/image-1.png)');
    expect(markdown).toContain('And the crab?');
    expect(markdown).toMatch(/## Gemini \(gemini-[\w.-]+\)/);
    expect(Buffer.from(zip['images/image-1.png'] as Uint8Array).equals(png)).toBe(true);
  });

  it('refuses a bad format, another owner’s chat, and bad imports with 400s naming the param', async () => {
    const { id } = await chatWithImage();
    const format = await fetch(`${irisUrl()}/api/chats/${id}/export?format=pdf`, { headers: bearer() });
    expect(format.status).toBe(400);
    expect((await format.json()).error.param).toBe('format');
    expect((await fetch(`${irisUrl()}/api/chats/${id}/export`, { headers: bearer(THEIRS) })).status).toBe(404);

    const cases: [unknown, string | null, string | null][] = [
      [{ hello: 'world' }, null, 'invalid_import'],
      [{ format: 'other' }, 'format', 'invalid_import'],
      [{ format: 'iris.chat', version: 2, chats: [] }, 'version', null],
      [
        {
          format: 'iris.chat',
          version: 1,
          chats: [{ title: 't', model: 'm', messages: [{ id: 'a', parentId: 'zzz', role: 'user', parts: [] }] }],
        },
        'chats[0].messages[0].parentId',
        'invalid_import',
      ],
      [
        {
          format: 'iris.chat',
          version: 1,
          chats: [{ title: 't', model: 'm', messages: [{ id: 'a', parentId: null, role: 'robot', parts: [] }] }],
        },
        'chats[0].messages[0].role',
        null,
      ],
      [
        {
          format: 'iris.chat',
          version: 1,
          chats: [
            { title: 't', model: 'm', messages: [], files: [{ id: 'f', mediaType: 'image/png', data: 'aGVsbG8=' }] },
          ],
        },
        'chats[0].files[0].data',
        'invalid_image',
      ],
      [[{ mapping: { x: { message: { author: 7 } } } }], '[0].mapping.x.message.author', null],
    ];
    for (const [body, param, code] of cases) {
      const response = await post('/api/chats/import', body);
      const error = (await response.json()).error;
      expect({ body, status: response.status, param: error.param, code: error.code }).toEqual({
        body,
        status: 400,
        param,
        code,
      });
    }
    // A failed import leaves nothing behind.
    const list = (await (await fetch(`${irisUrl()}/api/chats?q=t&limit=100`, { headers: bearer() })).json()) as {
      chats: { title: string }[];
    };
    expect(list.chats.filter((c) => c.title === 't')).toEqual([]);
  });

  it('imports ChatGPT’s conversations.json as chats with their versions and current branch', async () => {
    const fixture = JSON.parse(
      await readFile(new URL('../fixtures/chatgpt/conversations.json', import.meta.url), 'utf8'),
    ) as unknown;
    const response = await post('/api/chats/import', fixture);
    expect(response.status).toBe(201);
    const { ids } = (await response.json()) as { ids: string[] };
    expect(ids).toHaveLength(2);
    const pools = (await getChat(ids[0] ?? '')).body;
    expect(pools?.title).toBe('Tide pools');
    expect(pools?.messages.map((m) => [m.role, textOf(m)])).toEqual([
      ['user', '[An image from ChatGPT, not included in its export.]\nWhat lives in this tide pool?'],
      ['assistant', 'I see **mussels** and a hermit crab.'],
    ]);
    expect(pools?.messages[0]?.metadata?.versions).toHaveLength(2);
    const first = pools?.messages[0]?.metadata?.versions?.[0] ?? '';
    const switched = (await (await post(`/api/chats/${ids[0]}/branch`, { messageId: first })).json()) as {
      messages: { role: string; parts: { type: string; text?: string }[] }[];
    };
    expect(switched.messages.map((m) => textOf(m))).toEqual([
      'What lives in a tide pool?',
      'Anemones, crabs and sea stars.',
    ]);
    const hello = (await getChat(ids[1] ?? '')).body;
    expect(hello?.title).toBe('Imported chat');
    expect(hello?.messages.map((m) => textOf(m))).toEqual(['Hello', 'Hi there.']);
  });
});
