// A shared station tablet with nobody on it: "Who are you?", then a PIN pad with large buttons. The right PIN gives
// that person a session of their own, so what they do is recorded as them.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, get } from '../api/client.ts';
import { navigate } from '../app/router.tsx';
import { ME_KEY } from '../auth/session.tsx';
import { forgetStation, type StationDevice, switchTo } from './station-device.ts';

interface People {
  station: StationDevice;
  people: Array<{ id: string; name: string }>;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export function StationPicker({ onNoStation }: { onNoStation: () => void }) {
  const qc = useQueryClient();
  const people = useQuery({ queryKey: ['station-people'], queryFn: () => get<People>('/station/people'), retry: false });
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (people.isError) {
    // The station was revoked (or the cookie is gone): this tablet is an ordinary browser again.
    return (
      <main className="page station-picker" id="main">
        <h1>This tablet is no longer a station</h1>
        <p>Ask an admin for a new station link.</p>
        <button
          type="button"
          className="button"
          onClick={() => {
            forgetStation();
            onNoStation();
          }}
        >
          Sign in with a password
        </button>
      </main>
    );
  }
  const submit = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const me = await switchTo(chosen.id, pin);
      navigate('/', { replace: true });
      qc.setQueryData(ME_KEY, me);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setError(err.detail);
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page station-picker" id="main">
      <p className="muted">{people.data?.station.name}</p>
      {!chosen ? (
        <>
          <h1>Who are you?</h1>
          <div className="station-people">
            {people.data?.people.map((p) => (
              <button key={p.id} type="button" className="button station-person" onClick={() => setChosen(p)}>
                {p.name}
              </button>
            ))}
          </div>
          {people.data && people.data.people.length === 0 && <p>Nobody has a station PIN yet: set yours on My account.</p>}
        </>
      ) : (
        <>
          <h1>PIN for {chosen.name}</h1>
          <output className="station-pin" aria-label="PIN typed">
            {'•'.repeat(pin.length) || ' '}
          </output>
          <div className="station-pad">
            {DIGITS.map((d) => (
              <button key={d} type="button" className="button" disabled={busy || pin.length >= 8} onClick={() => setPin(pin + d)}>
                {d}
              </button>
            ))}
            <button type="button" className="button" onClick={() => setPin(pin.slice(0, -1))} aria-label="Delete a digit">
              ⌫
            </button>
            <button type="button" className="button primary" disabled={busy || pin.length < 4} onClick={() => void submit()}>
              Sign in
            </button>
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button
            type="button"
            className="button"
            onClick={() => {
              setChosen(null);
              setPin('');
              setError(null);
            }}
          >
            Not {chosen.name}
          </button>
        </>
      )}
    </main>
  );
}
