import { ApiError } from '@/lib/errors';

/** The ApiError `fn` throws; fails the test if it throws nothing or something else. */
export function apiErrorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError to be thrown');
}
