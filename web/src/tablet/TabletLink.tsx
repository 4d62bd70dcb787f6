// A station's link opened on a tablet: keeps the station's token (from the part after #, which never reaches a
// server log) and turns this browser into the station, then shows "Who are you?".
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ApiProblem } from '../api/client.ts';
import { navigate } from '../app/router.tsx';
import { ME_KEY } from '../auth/session.tsx';
import { pairStation, stationSignOut } from './station-device.ts';

export function TabletLink() {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  // Read once, before the address loses it: an effect may run twice.
  const [token] = useState(() => window.location.hash.slice(1));
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    window.history.replaceState(null, '', '/tablet');
    if (!token) {
      navigate('/', { replace: true });
      return;
    }
    void (async () => {
      try {
        await pairStation(token);
        // Whoever was signed in on this browser is not the tablet's person.
        await stationSignOut();
        qc.setQueryData(ME_KEY, null);
        navigate('/', { replace: true });
      } catch (err) {
        if (!(err instanceof ApiProblem)) throw err;
        setError(err.detail);
      }
    })();
  }, [qc, token]);
  return (
    <main className="page" id="main">
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : (
        <p aria-busy="true">Setting up this station…</p>
      )}
    </main>
  );
}
