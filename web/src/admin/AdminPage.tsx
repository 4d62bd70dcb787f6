// Admin: people and their roles, API tokens, the workflows orders move through, and the sign-in log. The shop's
// settings (calendar, e-mail, webhooks, the tracking page's look) are on the settings page.
import { Link } from '../app/router.tsx';
import { mayAdminister } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { useTitle } from '../ui/title.ts';
import { SignInsAdmin } from './SignInsAdmin.tsx';
import { StationsAdmin } from './StationsAdmin.tsx';
import { TokensPanel } from './TokensPage.tsx';
import { UsersAdmin } from './UsersAdmin.tsx';
import { WorkflowEditor } from './WorkflowEditor.tsx';

const SECTIONS = [
  ['users', 'Users and roles'],
  ['workflows', 'Workflows'],
  ['tokens', 'API tokens'],
  ['sign-ins', 'Sign-ins'],
  ['stations', 'Stations'],
] as const;

export function AdminPage({ section }: { section: string }) {
  const user = useUser();
  useTitle('Admin');
  if (!mayAdminister(user.role)) {
    return (
      <main className="page" id="main">
        <h1>Admin</h1>
        <p>Only an admin may manage users and workflows.</p>
      </main>
    );
  }
  return (
    <main className="page admin-page" id="main">
      <h1>Admin</h1>
      <nav className="tabs" aria-label="Admin sections">
        {SECTIONS.map(([key, label]) => (
          <Link key={key} to={`/admin/${key}`} className="tab" aria-current={section === key ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {section === 'workflows' ? (
        <WorkflowEditor />
      ) : section === 'tokens' ? (
        <TokensPanel admin />
      ) : section === 'sign-ins' ? (
        <SignInsAdmin />
      ) : section === 'stations' ? (
        <StationsAdmin />
      ) : (
        <UsersAdmin />
      )}
    </main>
  );
}
