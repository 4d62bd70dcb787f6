// Admin: people and their roles, API tokens, and the workflows orders move through.
import { Link } from '../app/router.tsx';
import { mayAdminister } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { useTitle } from '../ui/title.ts';
import { TokensPanel } from './TokensPage.tsx';
import { SignInsAdmin, TrackingAdmin } from './TrackingAdmin.tsx';
import { UsersAdmin } from './UsersAdmin.tsx';
import { WorkflowEditor } from './WorkflowEditor.tsx';

const SECTIONS = [
  ['users', 'Users and roles'],
  ['workflows', 'Workflows'],
  ['tokens', 'API tokens'],
  ['tracking', 'Tracking page'],
  ['sign-ins', 'Sign-ins'],
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
      ) : section === 'tracking' ? (
        <TrackingAdmin />
      ) : section === 'sign-ins' ? (
        <SignInsAdmin />
      ) : (
        <UsersAdmin />
      )}
    </main>
  );
}
