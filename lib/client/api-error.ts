/**
 * An error answered by an Iris route: every route answers in OpenAI's envelope, so the UI can show the server's
 * own message and tests can assert on `code`.
 */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  static async fromResponse(response: Response): Promise<ApiRequestError> {
    const body = await response.json().catch(() => null);
    const error = body && typeof body === 'object' && 'error' in body ? (body.error as Record<string, unknown>) : null;
    const message =
      typeof error?.message === 'string'
        ? error.message
        : `The server answered ${response.status} ${response.statusText}.`;
    return new ApiRequestError(
      message,
      response.status,
      typeof error?.code === 'string' ? error.code : null,
      typeof error?.param === 'string' ? error.param : null,
    );
  }
}

/** fetch for Iris's JSON routes: the parsed body, or an ApiRequestError with the server's message. */
export async function requestJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: init.body ? { 'content-type': 'application/json', ...init.headers } : init.headers,
    });
  } catch {
    throw new ApiRequestError('Iris could not be reached. Check your connection and try again.', 0, 'network_error');
  }
  if (!response.ok) throw await ApiRequestError.fromResponse(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * fetch for useChat's transport: a refused request becomes an ApiRequestError carrying the server's own message
 * (the AI SDK would otherwise show the envelope's raw JSON).
 */
export const chatStreamFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!response.ok) throw await ApiRequestError.fromResponse(response);
  return response;
};
