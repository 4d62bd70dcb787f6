// The tracking page's only script: keeps the page current while it is open, and sends the customer's approval or
// change request. The page is complete without it; it reads nothing but this link's own answers.
(() => {
  const match = /^\/track\/([A-Za-z0-9_-]+)\/?$/.exec(window.location.pathname);
  if (!match) return;
  const token = match[1];
  const api = `/api/v1/track/${token}`;
  let refreshing = null;
  let again = false;

  const liveNote = (on) => {
    const note = document.querySelector('[data-live]');
    if (note) note.dataset.live = on ? 'on' : 'off';
  };

  /** Reads the page again and puts its new content in place, keeping a change request being typed. */
  async function refresh() {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        const res = await fetch(window.location.pathname + window.location.search, {
          headers: { accept: 'text/html' },
          cache: 'no-store',
        });
        if (res.status === 404) {
          window.location.reload();
          return;
        }
        if (!res.ok) return;
        // Only the page's <main>: its <head> carries a style with another nonce, which this page must not apply.
        const text = await res.text();
        const main = text.slice(text.indexOf('<main'), text.lastIndexOf('</main>') + '</main>'.length);
        const next = new DOMParser().parseFromString(`<!doctype html><body>${main}`, 'text/html').getElementById('track');
        const current = document.getElementById('track');
        if (!next || !current) return;
        const typed = current.querySelector('textarea')?.value ?? '';
        const focused = document.activeElement?.id;
        current.replaceWith(document.importNode(next, true));
        const box = document.querySelector('textarea');
        if (box && typed) box.value = typed;
        if (focused) document.getElementById(focused)?.focus();
        liveNote(Boolean(source && source.readyState === EventSource.OPEN));
      } while (again);
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /** Sends an approval or a change request; shows the shop's answer in words. */
  async function reply(form) {
    const kind = form.dataset.form;
    const result = document.querySelector('[data-result]');
    const buttons = form.querySelectorAll('button');
    const body = kind === 'request-changes' ? { message: form.querySelector('textarea')?.value ?? '' } : {};
    for (const b of buttons) b.disabled = true;
    try {
      const res = await fetch(`${api}/${kind}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.ok) {
        const box = form.querySelector('textarea');
        if (box) box.value = '';
        // The page comes back with the thank-you for this answer, as after a plain form post.
        window.history.replaceState(
          null,
          '',
          `${window.location.pathname}?thanks=${kind === 'approve' ? 'approved' : 'changes'}`,
        );
        await refresh();
        const done = document.querySelector('[data-customer-status]');
        done?.focus?.();
        return;
      }
      const problem = await res.json().catch(() => ({}));
      if (result) result.textContent = problem.detail || 'That did not work. Please try again in a moment.';
    } catch {
      if (result) result.textContent = 'Could not reach us. Check your connection and try again.';
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.form) return;
    event.preventDefault();
    void reply(form);
  });

  let source = null;
  let lost = false;
  function listen() {
    source = new EventSource(`${api}/stream`);
    source.addEventListener('open', () => {
      liveNote(true);
      // Back after losing the stream: what happened meanwhile was not heard.
      if (lost) void refresh();
      lost = false;
    });
    source.addEventListener('update', () => void refresh());
    source.addEventListener('gone', () => {
      source.close();
      window.location.reload();
    });
    source.addEventListener('error', () => {
      lost = true;
      liveNote(false);
      if (source.readyState === EventSource.CLOSED) setTimeout(listen, 10_000);
    });
  }
  listen();
})();
