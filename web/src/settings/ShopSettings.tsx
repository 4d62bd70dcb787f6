// Settings: the shop's profile (name, logo, accent colour, how customers reach it, currency, public address), beside a
// live preview of the customer's tracking page in that look.
import { type FormEvent, useState } from 'react';
import type { Settings } from '../api/types.ts';
import { Field } from '../ui/Field.tsx';
import { useSaveSettings } from './settings-api.ts';
import { TrackingPreview } from './TrackingPreview.tsx';

const COMMON_LOCALES = [
  'en-GB',
  'en-US',
  'en-AU',
  'en-CA',
  'de-DE',
  'fr-FR',
  'es-ES',
  'it-IT',
  'nl-NL',
  'pt-BR',
  'sv-SE',
  'pl-PL',
];

/** A due date as it would read in that locale, or a word that the locale is not one Intl knows. */
function sampleDate(locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale.trim() || undefined, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    }).format(Date.UTC(2026, 11, 18));
  } catch {
    return 'not a language and region this browser knows, e.g. en-GB';
  }
}

export function ShopSettings({ settings }: { settings: Settings }) {
  const { save, busy, problem } = useSaveSettings();
  const [shopName, setShopName] = useState(settings.email.shopName);
  const [logoUrl, setLogoUrl] = useState(settings.tracking.logoUrl ?? '');
  const [accent, setAccent] = useState(settings.tracking.accentColor);
  const [contact, setContact] = useState(settings.tracking.contact ?? '');
  const [currency, setCurrency] = useState(settings.currency);
  const [locale, setLocale] = useState(settings.locale);
  const [publicUrl, setPublicUrl] = useState(settings.publicUrl);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(
      {
        email: { shopName: shopName.trim() },
        tracking: { logoUrl: logoUrl.trim() || null, accentColor: accent, contact: contact.trim() || null },
        currency: currency.trim(),
        locale: locale.trim(),
        publicUrl: publicUrl.trim(),
      },
      'Shop settings saved',
    );
  };

  return (
    <div className="admin-grid">
      <form className="panel" onSubmit={submit} aria-labelledby="shop-title" data-form="shop-settings">
        <h2 id="shop-title">Shop profile</h2>
        <p className="muted small">
          Heads the customer's tracking page and signs customer e-mails. The tracking page never shows staff, prices or internal
          stages.
        </p>
        <Field label="Shop name" error={problem?.errorFor('email.shopName')}>
          {(p) => <input {...p} required maxLength={200} value={shopName} onChange={(e) => setShopName(e.target.value)} />}
        </Field>
        <Field
          label="Logo URL"
          error={problem?.errorFor('tracking.logoUrl')}
          hint="An https image; leave empty for the name alone"
        >
          {(p) => <input {...p} type="url" value={logoUrl} onChange={(e) => setLogoUrl(e.target.value)} />}
        </Field>
        <Field label="Accent colour" error={problem?.errorFor('tracking.accentColor')}>
          {(p) => <input {...p} type="color" value={accent} onChange={(e) => setAccent(e.target.value)} data-accent />}
        </Field>
        <Field
          label="How customers reach you"
          error={problem?.errorFor('tracking.contact')}
          hint="Shown when an order waits, e.g. “Call 0161 496 0000 or reply to our e-mail”"
        >
          {(p) => <input {...p} maxLength={300} value={contact} onChange={(e) => setContact(e.target.value)} />}
        </Field>
        <Field label="Currency" error={problem?.errorFor('currency')} hint="ISO 4217 code amounts are in, e.g. EUR">
          {(p) => <input {...p} required maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />}
        </Field>
        <Field
          label="Date language"
          error={problem?.errorFor('locale')}
          hint={`How dates read for everyone, on the tracking page and in e-mails: ${sampleDate(locale)}`}
        >
          {(p) => (
            <input
              {...p}
              required
              maxLength={35}
              value={locale}
              onChange={(e) => setLocale(e.target.value)}
              list="locales"
              data-locale
            />
          )}
        </Field>
        <datalist id="locales">
          {COMMON_LOCALES.map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
        <Field
          label="Public address"
          error={problem?.errorFor('publicUrl')}
          hint="Where customers reach Floorboard: tracking links in e-mails start with it"
        >
          {(p) => <input {...p} type="url" required value={publicUrl} onChange={(e) => setPublicUrl(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy} data-action="save-shop">
            Save
          </button>
        </div>
      </form>
      <TrackingPreview shopName={shopName} logoUrl={logoUrl} accent={accent} contact={contact} />
    </div>
  );
}
