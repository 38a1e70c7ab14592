/**
 * Privacy by default, checked on the bytes: after consent, ingest, a staff lookup by user id
 * and an export, neither the database files nor the captured logs contain a raw user id, the
 * client hash, an IP address, an API key, the subject token or the pseudonymisation key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { TEST_START, startTestServer } from '../testing/test-server.js';

it('keeps raw identifiers, addresses and secrets out of storage and logs', async () => {
  const t = await startTestServer();
  const userId = 'user-4711@example.com';
  const forwardedFor = '203.0.113.77';
  const subject = t.subjectFor(userId);
  const consent = await t.post(
    '/v1/consent',
    { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START },
    { 'x-forwarded-for': forwardedFor, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0' },
  );
  const { subjectToken } = (await consent.json()) as { subjectToken: string };
  const batch = await t.post(
    '/v1/batch',
    {
      writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1',
      events: [{ id: 'evt_000000000001', type: 'track', name: 'report.exported', subject, sessionId: 'ses_000000001', ts: TEST_START }],
    },
    { 'x-forwarded-for': forwardedFor, 'x-real-ip': forwardedFor },
  );
  expect(batch.status).toBe(200);
  const lookup = await t.post('/v1/admin/subjects/access', { userId }, { authorization: `Bearer ${t.project.adminKey}` });
  expect(lookup.status).toBe(200);
  const me = await fetch(`${t.url}/v1/me?format=csv`, { headers: { authorization: `Bearer ${subjectToken}` } });
  expect(me.status).toBe(200);
  const pseudonymKey = JSON.parse(readFileSync(`${t.dataDir}/pseudonym.key`, 'utf8')) as { keys: Record<string, string> };
  const { dbPath, logs, dataDir } = t;
  await t.server.close();

  const bytes = [dbPath, `${dbPath}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1')).join('');
  expect(bytes.length).toBeGreaterThan(10_000);
  // The stored pseudonym is there; the inputs it was derived from are not.
  expect(bytes).toContain(t.server.services.pseudonymizer.pseudonym(t.project.projectId, subject));
  const secrets = {
    userId,
    clientHash: subject,
    forwardedFor,
    loopback: '127.0.0.1',
    writeKey: t.project.writeKey,
    analystKey: t.project.analystKey,
    adminKey: t.project.adminKey,
    subjectToken,
    ...Object.fromEntries(Object.values(pseudonymKey.keys).map((secret, n) => [`pseudonymKey${n}`, secret])),
  };
  const log = logs.join('\n');
  expect(logs.length).toBeGreaterThan(3);
  for (const [name, secret] of Object.entries(secrets)) {
    expect(bytes.includes(secret), `${name} in database`).toBe(false);
    expect(log.includes(secret), `${name} in logs`).toBe(false);
  }
  const { rmSync } = await import('node:fs');
  rmSync(dataDir, { recursive: true, force: true });
});
