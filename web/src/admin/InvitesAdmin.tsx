// Invites (admin): invite people by e-mail and role, see who has not joined yet, withdraw a link.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, del, get } from '../api/client.ts';
import { ROLE_NAMES } from '../auth/roles.ts';
import type { IssuedInvite } from '../setup/setup-api.ts';
import { INVITES_KEY, TeamInvites } from '../setup/TeamInvites.tsx';
import { timestamp } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';

type Invite = Omit<IssuedInvite, 'link' | 'emailed' | 'emailError'>;

const STATUS_NAMES: Record<Invite['status'], string> = {
  pending: 'Not joined yet',
  accepted: 'Joined',
  expired: 'Expired',
  revoked: 'Withdrawn',
};

export function InvitesAdmin() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: INVITES_KEY, queryFn: () => get<{ items: Invite[] }>('/invites') });
  const withdraw = async (invite: Invite) => {
    try {
      await del(`/invites/${invite.id}`);
      notify('success', `The invite to ${invite.email} is withdrawn`);
    } catch (err) {
      notify('error', 'The invite was not withdrawn', err instanceof ApiProblem ? err.detail : undefined);
    }
    await qc.invalidateQueries({ queryKey: INVITES_KEY });
  };
  const open = list.data?.items.filter((i) => i.status === 'pending') ?? [];
  return (
    <section className="panel invites-admin" aria-labelledby="invites-title">
      <h2 id="invites-title">Invite people</h2>
      <TeamInvites />
      {open.length > 0 && (
        <>
          <h3>Waiting to join</h3>
          <table className="table" data-table="invites">
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Link expires</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((i) => (
                <tr key={i.id} data-invite={i.email}>
                  <td className="mono small">{i.email}</td>
                  <td>{ROLE_NAMES[i.role]}</td>
                  <td className="small">{timestamp(i.expiresAt)}</td>
                  <td>
                    <button type="button" className="button small" onClick={() => void withdraw(i)}>
                      Withdraw
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{STATUS_NAMES.pending}: a new invite to the same address replaces the old link.</p>
        </>
      )}
    </section>
  );
}
