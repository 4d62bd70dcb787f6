// Reading codes from the camera: the browser's own BarcodeDetector where it has one, else ZXing (loaded only then).

/** Stops the camera and the reading. */
export type StopCamera = () => void;

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (opts: { formats: string[] }) => BarcodeDetectorLike;

const FORMATS = ['qr_code', 'code_128'];

/** Starts the back camera in `video` and calls `onText` with each code read until stopped. */
export async function startCamera(video: HTMLVideoElement, onText: (text: string) => void): Promise<StopCamera> {
  const Detector = (
    window as unknown as { BarcodeDetector?: BarcodeDetectorClass & { getSupportedFormats?: () => Promise<string[]> } }
  ).BarcodeDetector;
  const supported = Detector?.getSupportedFormats ? await Detector.getSupportedFormats().catch(() => []) : [];
  if (Detector && FORMATS.every((f) => supported.includes(f)))
    return withDetector(new Detector({ formats: FORMATS }), video, onText);
  const { BrowserMultiFormatReader } = await import('@zxing/browser');
  const controls = await new BrowserMultiFormatReader().decodeFromConstraints(
    { video: { facingMode: 'environment' } },
    video,
    (result) => {
      if (result) onText(result.getText());
    },
  );
  return () => controls.stop();
}

async function withDetector(
  detector: BarcodeDetectorLike,
  video: HTMLVideoElement,
  onText: (text: string) => void,
): Promise<StopCamera> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  video.srcObject = stream;
  await video.play();
  let running = true;
  const tick = async () => {
    if (!running) return;
    try {
      const [code] = await detector.detect(video);
      if (code?.rawValue) onText(code.rawValue);
    } catch {
      // A frame that could not be read: try the next one.
    }
    if (running) setTimeout(tick, 200);
  };
  void tick();
  return () => {
    running = false;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
}
