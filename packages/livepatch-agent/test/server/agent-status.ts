import { Scrubber } from '@velocity/core';
import t from 'tap';
import { AgentEventBus } from '../../src/events/index.js';
import { AgentStatusTracker, STATUS_EVENT_CAPACITY } from '../../src/server/agent-status.js';

const TOKEN = `ghp_${'a1B2'.repeat(9)}`;

function tracked(): { events: AgentEventBus; tracker: AgentStatusTracker } {
  const events = new AgentEventBus({ scrubber: new Scrubber() });
  return { events, tracker: new AgentStatusTracker({ events }) };
}

t.test('before any batch: started now, nothing applied, no events', async (t) => {
  const before = Date.now();
  const { tracker } = tracked();
  const status = tracker.status();
  t.ok(
    Number(status.startedAtMs) >= before && Number(status.startedAtMs) <= Date.now(),
    'startedAtMs is the creation time',
  );
  t.match(status, { batchesApplied: 0, lastBatch: null, events: [] });
});

t.test('keeps the agent events, scrubbed, and leaves app output out', async (t) => {
  const { events, tracker } = tracked();
  events.record({ stream: 'stdout', text: 'app line' });
  events.event('batch-applied', '1 changed, 0 deleted, 5 bytes written', 'b1');
  events.record({ stream: 'stderr', text: 'app error' });
  events.event('rollback', `rolled back with ${TOKEN} in the reason`, 'b1');
  const status = tracker.status();
  t.match(status.events, [
    { stream: 'event', kind: 'batch-applied', batchId: 'b1' },
    { stream: 'event', kind: 'rollback', text: /^rolled back with ghp_\[REDACTED:github-token\]/ },
  ]);
  t.equal(status.events?.length, 2);
  t.notMatch(JSON.stringify(status), TOKEN, 'the token never appears');
  status.events?.pop();
  t.equal(tracker.status().events?.length, 2, 'status() hands out a copy');
});

t.test(`keeps the last ${STATUS_EVENT_CAPACITY} events, oldest first`, async (t) => {
  const { events, tracker } = tracked();
  for (let index = 0; index < STATUS_EVENT_CAPACITY + 5; index += 1)
    events.event('reload', `reload ${index}`);
  const texts = tracker.status().events?.map((record) => record.text);
  t.equal(texts?.length, STATUS_EVENT_CAPACITY);
  t.equal(texts?.[0], 'reload 5');
  t.equal(texts?.at(-1), `reload ${STATUS_EVENT_CAPACITY + 4}`);
});

t.test('the last batch applied replaces the one before and is counted', async (t) => {
  const { tracker } = tracked();
  const batch = (batchId: string) => ({
    batchId,
    appliedAtMs: 1_700_000_000_000,
    filesChanged: 2,
    filesDeleted: 1,
    bytesWritten: 300,
    latencyMs: 12,
    reloads: [{ action: 'sync', detail: 'nothing to do', ok: true }],
  });
  tracker.batchApplied(batch('b1'));
  tracker.batchApplied(batch('b2'));
  t.match(tracker.status(), { batchesApplied: 2, lastBatch: batch('b2') });
});

t.test('close() stops following the bus', async (t) => {
  const { events, tracker } = tracked();
  events.event('restart', 'app started: pid 1');
  tracker.close();
  events.event('restart', 'app started: pid 2');
  t.strictSame(
    tracker.status().events?.map((record) => record.text),
    ['app started: pid 1'],
  );
});
