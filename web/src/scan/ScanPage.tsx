// The scan page: a box a handheld scanner types an order number into (then Enter), and the camera for QR codes
// and barcodes; either opens the order's station view.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { navigate } from '../app/router.tsx';
import { useTitle } from '../ui/title.ts';
import { type StopCamera, startCamera } from './camera.ts';
import { orderNumberIn } from './scanned.ts';

function openStation(number: string) {
  navigate(`/station/${encodeURIComponent(number)}`);
}

export function ScanPage() {
  useTitle('Scan');
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [camera, setCamera] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // The box has the focus from the start: a handheld scanner types into whatever has it.
  useEffect(() => input.current?.focus(), []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const number = orderNumberIn(typed);
    if (!number) {
      setProblem('That is not an order number. Scan the barcode on the traveller, or type the number.');
      return;
    }
    openStation(number);
  };

  return (
    <main className="page station" id="main" data-scan-page>
      <h1>Scan a traveller</h1>
      <form className="station-form" onSubmit={submit}>
        <label htmlFor="scan-number">Order number</label>
        <input
          ref={input}
          id="scan-number"
          className="scan-input"
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            setProblem(null);
          }}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          enterKeyHint="go"
        />
        <button type="submit" className="station-button primary">
          Open
        </button>
      </form>
      {problem && (
        <p className="station-refused" role="alert">
          {problem}
        </p>
      )}
      <div className="station-actions scan-camera">
        <button type="button" className="station-button" aria-pressed={camera} onClick={() => setCamera(!camera)}>
          {camera ? 'Stop the camera' : 'Use the camera'}
        </button>
        {camera && (
          <Camera
            onNumber={openStation}
            onError={(words) => {
              setProblem(words);
              setCamera(false);
            }}
          />
        )}
      </div>
    </main>
  );
}

function Camera({ onNumber, onError }: { onNumber: (n: string) => void; onError: (words: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  // The camera starts once: new callbacks on a re-render must not restart it.
  const told = useRef({ onNumber, onError });
  told.current = { onNumber, onError };
  useEffect(() => {
    let stop: StopCamera | null = null;
    let gone = false;
    let found = false;
    startCamera(video.current!, (text) => {
      const number = orderNumberIn(text);
      if (number && !found) {
        found = true;
        told.current.onNumber(number);
      }
    })
      .then((s) => {
        if (gone) s();
        else stop = s;
      })
      .catch((err: Error) =>
        told.current.onError(
          err.name === 'NotAllowedError'
            ? 'The camera is not allowed on this device for Floorboard. Allow it, or type the number.'
            : `The camera could not start: ${err.message}`,
        ),
      );
    return () => {
      gone = true;
      stop?.();
    };
  }, []);
  return <video ref={video} className="scan-video" muted playsInline aria-label="Camera" />;
}
