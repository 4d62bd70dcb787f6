// The second step of first run: invite the team, or skip to the board.
import { Link } from '../app/router.tsx';
import { useTitle } from '../ui/title.ts';
import { TeamInvites } from './TeamInvites.tsx';

export function TeamSetupPage() {
  useTitle('Add your team');
  return (
    <main className="page setup-team" id="main">
      <h1>Add your team</h1>
      <p className="muted">
        Your workspace is ready. Invite the people who take, make and ship your orders: each gets a link to choose their own
        password. You can invite more later under Admin → Users.
      </p>
      <section className="panel">
        <TeamInvites />
      </section>
      <p>
        <Link to="/board" className="button primary" data-action="go-to-board">
          Go to the board
        </Link>{' '}
        <Link to="/admin/workflows" className="button">
          Adjust the workflow
        </Link>
      </p>
    </main>
  );
}
