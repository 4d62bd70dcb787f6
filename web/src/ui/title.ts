// The browser tab's title names the page, so a tab, a bookmark and a screen reader all say where you are.
import { useEffect } from 'react';

export function useTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · Floorboard` : 'Floorboard';
  }, [title]);
}
