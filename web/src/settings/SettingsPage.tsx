// Settings (admin): one section per concern, each saving only its own part; every change takes effect at once and is
// recorded in the audit trail (the API does both).
import { useSettings } from '../api/queries.ts';
import { Link } from '../app/router.tsx';
import { mayAdminister } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { useTitle } from '../ui/title.ts';
import { CalendarSettings } from './CalendarSettings.tsx';
import { CustomerUpdateSettings } from './CustomerUpdateSettings.tsx';
import { EmailSettings } from './EmailSettings.tsx';
import { ShopSettings } from './ShopSettings.tsx';
import { WebhookSettings } from './WebhookSettings.tsx';
import './settings.css';

const SECTIONS = [
  ['shop', 'Shop and tracking page'],
  ['calendar', 'Time zone and calendar'],
  ['email', 'E-mail'],
  ['customer-updates', 'Customer updates'],
  ['webhooks', 'Webhooks'],
] as const;

export function SettingsPage({ section }: { section: string }) {
  const user = useUser();
  const settings = useSettings();
  useTitle('Settings');
  if (!mayAdminister(user.role)) {
    return (
      <main className="page" id="main">
        <h1>Settings</h1>
        <p>Only an admin may change the settings.</p>
      </main>
    );
  }
  const current = SECTIONS.some(([key]) => key === section) ? section : 'shop';
  return (
    <main className="page settings-page" id="main">
      <h1>Settings</h1>
      <nav className="tabs" aria-label="Settings sections">
        {SECTIONS.map(([key, label]) => (
          <Link key={key} to={`/settings/${key}`} className="tab" aria-current={current === key ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {settings.isError && (
        <p className="form-error" role="alert">
          The settings could not be read: {settings.error.message}
        </p>
      )}
      {settings.isPending && <p className="muted">Loading…</p>}
      {current === 'webhooks' ? (
        <WebhookSettings settings={settings.data} />
      ) : !settings.data ? null : current === 'calendar' ? (
        <CalendarSettings settings={settings.data} />
      ) : current === 'email' ? (
        <EmailSettings settings={settings.data} />
      ) : current === 'customer-updates' ? (
        <CustomerUpdateSettings settings={settings.data} />
      ) : (
        <ShopSettings settings={settings.data} />
      )}
    </main>
  );
}
