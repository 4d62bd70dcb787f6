// A live preview of the customer's tracking page in the look being edited: it changes as the admin types, before saving.
import type { CSSProperties } from 'react';

const SAMPLE_STAGES = ['We have your order', 'In production', 'On its way'];

export function TrackingPreview({
  shopName,
  logoUrl,
  accent,
  contact,
}: {
  shopName: string;
  logoUrl: string;
  accent: string;
  contact: string;
}) {
  const style = { '--preview-accent': /^#[0-9a-fA-F]{6}$/.test(accent) ? accent : '#2f5bea' } as CSSProperties;
  const logo = /^https?:\/\/\S+$/.test(logoUrl.trim()) ? logoUrl.trim() : null;
  return (
    <section className="panel" aria-labelledby="preview-title">
      <h2 id="preview-title">Tracking page preview</h2>
      <div className="track-preview" style={style} data-preview data-accent={accent.toLowerCase()}>
        <header className="track-preview-head">
          {logo && <img src={logo} alt="" className="track-preview-logo" />}
          <strong data-preview-shop>{shopName.trim() || 'Your shop'}</strong>
        </header>
        <p className="track-preview-number">Order ORD-1042 · Team hoodies</p>
        <ol className="track-preview-stages">
          {SAMPLE_STAGES.map((label, i) => (
            <li key={label} className={i === 0 ? 'done' : i === 1 ? 'current' : ''}>
              {label}
            </li>
          ))}
        </ol>
        <p className="track-preview-eta">Expected by Friday 18 December</p>
        {contact.trim() && (
          <p className="track-preview-contact" data-preview-contact>
            {contact.trim()}
          </p>
        )}
      </div>
      <p className="muted small">An example order; customers see their own.</p>
    </section>
  );
}
