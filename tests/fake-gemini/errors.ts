import { readFileSync } from 'node:fs';

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

// Status names and default messages as Google's API sends them, so gateway code that branches on `status` or
// shows `message` sees what production would.
const KNOWN: Readonly<Record<number, { status: string; message: string }>> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: {
    status: 'UNAUTHENTICATED',
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  },
  403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: { status: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted (e.g. check quota).' },
  499: { status: 'CANCELLED', message: 'The operation was cancelled.' },
  500: {
    status: 'INTERNAL',
    message:
      'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' },
};

export function googleError(code: number, message?: string, details?: unknown[]): GoogleErrorBody {
  const known = KNOWN[code];
  const error: GoogleErrorBody['error'] = {
    code,
    message: message ?? known?.message ?? `Fake Gemini error ${code}.`,
    status: known?.status ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'),
  };
  if (details) error.details = details;
  return { error };
}

export const apiKeyInvalid = (): GoogleErrorBody =>
  googleError(400, 'API key not valid. Please pass a valid API key.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
  ]);

export const modelNotFound = (model: string, method: string): GoogleErrorBody =>
  googleError(
    404,
    `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
  );

export const noLongerAvailable = (model: string): GoogleErrorBody =>
  googleError(
    404,
    `This model models/${model} is no longer available to new users. Please update your code to use a newer model for the latest features and improvements.`,
  );

// The recorded body verbatim (with its RetryInfo.retryDelay), so retry logic is tested against the real shape.
const retryInfoText = readFileSync(
  new URL('../fixtures/gemini-wire/google-429-retry-info.json', import.meta.url),
  'utf8',
);

export const quotaExceeded = (): GoogleErrorBody => JSON.parse(retryInfoText) as GoogleErrorBody;

export function errorForStatus(code: number): GoogleErrorBody {
  return code === 429 ? quotaExceeded() : googleError(code);
}
