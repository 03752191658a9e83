'use client';

import useSWR from 'swr';
import { requestJson } from '@/lib/client/api-error';

export interface ChatModel {
  id: string;
  displayName?: string;
}

interface ModelsResponse {
  models: ChatModel[];
  defaultModel: string;
}

/** The models the chat may pick from (GET /api/models); the list changes rarely, so it is fetched once per page. */
export function useModels() {
  const { data, error, isLoading } = useSWR<ModelsResponse>('/api/models', (url: string) => requestJson(url), {
    revalidateOnFocus: false,
    revalidateIfStale: false,
  });
  return { models: data?.models ?? [], error: error as Error | undefined, isLoading };
}
