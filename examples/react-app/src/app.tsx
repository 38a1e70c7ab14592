/**
 * A report screen that measures its use through Heed: a feature (`report.exported`), a timed
 * activity (`report.editor` while editing), and the user's consent, shown and changeable.
 */
import { useConsent, useTimer, useTrack } from '@heed/react';
import { useState } from 'react';

export function App() {
  const consent = useConsent();
  const track = useTrack();
  const [editing, setEditing] = useState(false);
  useTimer('report.editor', editing);

  return (
    <main>
      <h1>Reports</h1>
      <p>
        Measurement: <output id="consent-status">{consent.status}</output>
        {consent.restricted ? ' (restricted)' : ''}
      </p>
      <button id="export" type="button" onClick={() => track('report.exported', { format: 'pdf' })}>
        Export as PDF
      </button>
      <button id="edit" type="button" onClick={() => setEditing((on) => !on)} aria-pressed={editing}>
        {editing ? 'Stop editing' : 'Edit report'}
      </button>
      <footer>
        <a id="privacy" href={consent.privacyUrl} target="_blank" rel="noopener">
          Privacy page
        </a>{' '}
        <button id="withdraw" type="button" onClick={() => void consent.withdraw()} disabled={consent.status !== 'granted'}>
          Withdraw consent
        </button>
      </footer>
    </main>
  );
}
