// On a station tablet with someone switched in: who it is, a way to hand over, and the idle sign-out (after the
// station's idle time without a touch or key the person is signed out; the server refuses the session then too).
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ME_KEY, useUser } from '../auth/session.tsx';
import { type StationDevice, stationSignOut } from './station-device.ts';

export function StationBar({ station }: { station: StationDevice }) {
  const user = useUser();
  const qc = useQueryClient();
  useEffect(() => {
    const leave = () => {
      void stationSignOut().finally(() => qc.setQueryData(ME_KEY, null));
    };
    let timer = window.setTimeout(leave, station.idleSeconds * 1000);
    const touched = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(leave, station.idleSeconds * 1000);
    };
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, touched, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, touched);
    };
  }, [station.idleSeconds, qc]);
  return (
    <section className="station-bar" aria-label="Station">
      <span>
        {station.name}: <strong>{user.name}</strong>
      </span>
      <button type="button" className="button" onClick={() => void stationSignOut().finally(() => qc.setQueryData(ME_KEY, null))}>
        Switch person
      </button>
    </section>
  );
}
