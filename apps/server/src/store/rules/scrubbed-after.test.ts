/** An erasure answers after its scrub; inside `scrubbingOnce`, each project is scrubbed once, at the end, and only that batch waits. */
import { expect, it } from 'vitest';
import { scrubbedAfter, scrubbingOnce } from './scrubbed-after.js';

/** A store's erase and scrub that write down, in order, what happened. */
function recorder() {
  const steps: string[] = [];
  const scrub = async (projectId: string) => {
    await new Promise((resolve) => setImmediate(resolve));
    steps.push(`scrub ${projectId}`);
  };
  const erase = scrubbedAfter(async (projectId, pseudonym) => {
    steps.push(`erase ${projectId}/${pseudonym}`);
    return { events: 1, sessions: 0 };
  }, scrub);
  const ledger = {} as Parameters<typeof erase>[2];
  return { steps, scrub, erase: (projectId: string, pseudonym: string) => erase(projectId, pseudonym, ledger) };
}

it('scrubs after each erasure, before it answers', async () => {
  const { steps, erase } = recorder();
  await erase('p_1', 'a');
  steps.push('answered a');
  await erase('p_1', 'b');
  expect(steps).toEqual(['erase p_1/a', 'scrub p_1', 'answered a', 'erase p_1/b', 'scrub p_1']);
});

it('inside scrubbingOnce, scrubs each project once after the last erasure, and answers after that', async () => {
  const { steps, scrub, erase } = recorder();
  const result = await scrubbingOnce({ scrubDeleted: scrub }, async () => {
    await erase('p_1', 'a');
    await erase('p_2', 'b');
    await erase('p_1', 'c');
    return 'done';
  });
  steps.push(`answered ${result}`);
  expect(steps).toEqual(['erase p_1/a', 'erase p_2/b', 'erase p_1/c', 'scrub p_1', 'scrub p_2', 'answered done']);
});

it('scrubs what was erased when the batch fails part way, and still fails', async () => {
  const { steps, scrub, erase } = recorder();
  const failing = scrubbingOnce({ scrubDeleted: scrub }, async () => {
    await erase('p_1', 'a');
    throw new Error('legal hold');
  });
  await expect(failing).rejects.toThrow('legal hold');
  expect(steps).toEqual(['erase p_1/a', 'scrub p_1']);
});

it('leaves an erasure outside the batch, made meanwhile, to scrub at once', async () => {
  const { steps, scrub, erase } = recorder();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const batch = scrubbingOnce({ scrubDeleted: scrub }, async () => {
    await erase('p_1', 'a');
    await held;
  });
  // Started from outside the batch's async context, as another request would be.
  await erase('p_2', 'b').then(() => steps.push('answered b'));
  release();
  await batch;
  expect(steps).toEqual(['erase p_1/a', 'erase p_2/b', 'scrub p_2', 'answered b', 'scrub p_1']);
});
