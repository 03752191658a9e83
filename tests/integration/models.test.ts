import { describe, expect, inject, it } from 'vitest';
import { PASSTHROUGH_GEMINI_KEY, TEST_LIMITS } from '../support/constants.ts';
import { irisUrl, openai } from '../support/iris.ts';
import { validateOpenAI } from '../support/openapi.ts';

/**
 * All tests that touch Gemini's ListModels live here, run in order: one of them makes the fake's
 * ListModels fail, which other files must not see.
 */

const fake = () => inject('fakeGeminiOrigin');

async function listModelsCalls(): Promise<number> {
  const response = await fetch(`${fake()}/__fake/requests`);
  const records = (await response.json()) as { method: string }[];
  return records.filter((r) => r.method === 'listModels').length;
}

async function setModelsListStatus(status: number | null): Promise<void> {
  await fetch(`${fake()}/__fake/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ modelsListStatus: status }),
  });
}

describe('GET /v1/models', () => {
  it('lists Gemini models that can chat or embed, in OpenAI’s format', async () => {
    const page = await openai().models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain('gemini-3-flash-preview');
    expect(ids).toContain('gemini-embedding-001');
    expect(ids.every((id) => !id.startsWith('models/'))).toBe(true);
    for (const model of page.data) expect(validateOpenAI('Model', model)).toEqual([]);
    const raw = await fetch(`${irisUrl()}/v1/models`, { headers: { authorization: 'Bearer iris-test-key-one' } });
    expect(validateOpenAI('ListModelsResponse', await raw.json())).toEqual([]);
  });

  it('retrieves one model, by id, with the models/ prefix or by a retired id', async () => {
    const model = await openai().models.retrieve('gemini-3-flash-preview');
    expect(model).toMatchObject({ id: 'gemini-3-flash-preview', object: 'model', owned_by: 'google' });
    expect(validateOpenAI('Model', model)).toEqual([]);
    const headers = { authorization: 'Bearer iris-test-key-one' };
    const prefixed = await fetch(`${irisUrl()}/v1/models/models%2Fgemini-3.1-pro-preview`, { headers });
    expect((await prefixed.json()).id).toBe('gemini-3.1-pro-preview');
    const listed = await fetch(`${irisUrl()}/v1/models/gemini-2.5-flash`, { headers });
    expect((await listed.json()).id).toBe('gemini-2.5-flash');
    const retired = await fetch(`${irisUrl()}/v1/models/gemini-2.0-flash`, { headers });
    expect((await retired.json()).id).toBe('gemini-3.8-flash');
    const unknown = await fetch(`${irisUrl()}/v1/models/gemini-nonexistent`, { headers });
    expect(unknown.status).toBe(404);
    const body = await unknown.json();
    expect(validateOpenAI('ErrorResponse', body)).toEqual([]);
    expect(body.error).toMatchObject({ code: 'model_not_found', param: 'model' });
  });

  it('retrieves embedding models too, OpenAI’s embedding names by the model that serves them', async () => {
    const headers = { authorization: 'Bearer iris-test-key-one' };
    const listed = await fetch(`${irisUrl()}/v1/models/gemini-embedding-001`, { headers });
    expect(await listed.json()).toMatchObject({ id: 'gemini-embedding-001', object: 'model' });
    const aliased = await fetch(`${irisUrl()}/v1/models/text-embedding-3-small`, { headers });
    const body = await aliased.json();
    expect(validateOpenAI('Model', body)).toEqual([]);
    expect(body.id).toBe('gemini-embedding-001');
    expect(aliased.headers.get('x-iris-model-substituted')).toBe('text-embedding-3-small -> gemini-embedding-001');
  });

  it('caches the upstream list instead of asking Gemini on every call', async () => {
    const headers = { authorization: `Bearer ${PASSTHROUGH_GEMINI_KEY}` };
    await fetch(`${irisUrl()}/v1/models`, { headers });
    const before = await listModelsCalls();
    for (let i = 0; i < 3; i++) expect((await fetch(`${irisUrl()}/v1/models`, { headers })).status).toBe(200);
    expect(await listModelsCalls()).toBe(before);
  });

  it('falls back to the built-in list when Gemini’s cannot be read', async () => {
    await setModelsListStatus(500);
    try {
      // Let the cached list expire.
      await new Promise((r) => setTimeout(r, TEST_LIMITS.modelsCacheTtlMs + 200));
      const response = await fetch(`${irisUrl()}/v1/models`, {
        headers: { authorization: `Bearer ${PASSTHROUGH_GEMINI_KEY}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-iris-models-source')).toBe('built-in');
      const body = await response.json();
      expect(validateOpenAI('ListModelsResponse', body)).toEqual([]);
      expect(body.data.length).toBeGreaterThan(0);
    } finally {
      await setModelsListStatus(null);
    }
  });

  it('requires a key', async () => {
    expect((await fetch(`${irisUrl()}/v1/models`)).status).toBe(401);
    expect((await fetch(`${irisUrl()}/v1/models`, { method: 'POST' })).headers.get('allow')).toBe('GET, OPTIONS');
  });
});
