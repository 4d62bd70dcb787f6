// Copies SQLite's write-ahead log back into the database file from a thread of its own, so no
// request ever waits for a checkpoint. Plain JavaScript: worker threads do not get the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const db = new SQLite(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');

function checkpoint() {
  try {
    // PASSIVE never blocks the server's writes; once all of the log is copied, the next write starts it over.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err) });
  }
}

const timer = setInterval(checkpoint, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
