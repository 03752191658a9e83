'use client';

import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/** Macs show ⌘ where others show Ctrl. The server cannot know, so it renders Ctrl and the browser corrects it. */
export function useIsApplePlatform(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => /Mac|iPhone|iPad|iPod/.test(navigator.userAgent),
    () => false,
  );
}
