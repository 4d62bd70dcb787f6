// Admin: the sign-in log (who signed in when, and failed attempts).
import { useSignIns } from '../api/queries.ts';
import { timestamp } from '../ui/format.ts';

export function SignInsAdmin() {
  const signIns = useSignIns();
  return (
    <section className="panel" aria-labelledby="sign-ins-title">
      <h2 id="sign-ins-title">Sign-ins</h2>
      <p className="muted small">Every attempt to sign in to the web app, newest first. Passwords are never recorded.</p>
      {signIns.isPending && <p className="muted">Loading…</p>}
      {signIns.isError && <p className="form-error">{signIns.error.message}</p>}
      {signIns.data && (
        <table className="table" data-table="sign-ins">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">E-mail</th>
              <th scope="col">Result</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {signIns.data.map((s) => (
              <tr key={s.id} data-outcome={s.outcome}>
                <td>{timestamp(s.at)}</td>
                <td>{s.email}</td>
                <td>
                  <span className={`badge sign-in-${s.outcome}`}>
                    {s.outcome === 'success'
                      ? 'Signed in'
                      : s.outcome === 'disabled'
                        ? 'Account disabled'
                        : 'Wrong e-mail or password'}
                  </span>
                </td>
                <td className="small">
                  {s.ip ?? '—'}
                  {s.userAgent && <div className="muted">{s.userAgent.slice(0, 80)}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
