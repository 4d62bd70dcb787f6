// The board's first requests, started before the app's code has even downloaded: the session, then (when someone
// is signed in) the workflows and the board together. The app's API client takes these answers instead of asking
// again (takeEarly in web/src/api/client.ts). A plain script, not part of the bundle, so that it runs at once.
(() => {
  if (location.pathname !== '/' && location.pathname !== '/board') return;
  const early = new Map();
  window.__floorboardEarly = early;
  const keep = (path, answer) => {
    early.set(path, answer);
    // An answer nobody took soon is stale: the app asks afresh.
    setTimeout(() => early.get(path) === answer && early.delete(path), 15_000);
  };
  const get = (path) => fetch(`/api/v1${path}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const session = get('/auth/session');
  keep('/auth/session', session);
  // Signed out is a 200 with user null: then nothing else is asked (the app asks for itself, null here), so the
  // sign-in page logs no refused request.
  const signedIn = session
    .then((res) => (res.ok ? res.clone().json() : null))
    .then((me) => Boolean(me?.user))
    .catch(() => false);
  // Registered now, answered once the session is known: the app finds them however soon it asks.
  const afterSession = (path) => keep(path, signedIn.then((yes) => (yes ? get(path) : null)));
  afterSession('/workflows');
  let wanted = new URLSearchParams(location.search).get('workflow');
  try {
    wanted = wanted ?? localStorage.getItem('floorboard.workflow');
  } catch {
    // storage refused: the app picks the first workflow once it has the list
  }
  if (wanted) afterSession(`/board?${new URLSearchParams({ workflow: wanted })}`);
})();
