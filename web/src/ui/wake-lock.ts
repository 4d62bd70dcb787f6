// A wall screen must not go dark: while it shows, ask the browser to keep the display awake (Screen Wake Lock API).
import { useEffect } from 'react';

/** Holds a screen wake lock while `active`; the browser drops it when the tab is hidden, so it is asked for again. */
export function useWakeLock(active: boolean): void {
  useEffect(() => {
    if (!active || !('wakeLock' in navigator)) return;
    let lock: WakeLockSentinel | null = null;
    let stopped = false;
    const acquire = async () => {
      if (document.visibilityState !== 'visible' || (lock && !lock.released)) return;
      try {
        const next = await navigator.wakeLock.request('screen');
        if (stopped) await next.release();
        else lock = next;
      } catch {
        // Refused (battery saver, no permission): the screen then sleeps as the device decides; nothing else breaks.
      }
    };
    void acquire();
    document.addEventListener('visibilitychange', acquire);
    return () => {
      stopped = true;
      document.removeEventListener('visibilitychange', acquire);
      void lock?.release().catch(() => undefined);
    };
  }, [active]);
}
