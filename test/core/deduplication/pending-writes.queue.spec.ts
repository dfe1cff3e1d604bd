import { describe, expect, it } from '@jest/globals';
import {
  type FalkorPendingWrite,
  PendingWritesQueue,
} from '../../../src/core/deduplication/pending-writes.queue.js';

function write(token: string, expiresAt = Date.now() + 60_000): FalkorPendingWrite {
  return { operation: 'complete', key: `key-${token}`, token, expiresAt };
}

function queue(apply: (write: FalkorPendingWrite) => Promise<void>) {
  const dropped: [string, string][] = [];
  const subject = new PendingWritesQueue(apply, (w, reason) => dropped.push([w.token, reason]));
  return { subject, dropped };
}

describe('PendingWritesQueue', () => {
  it('applies writes oldest first and stops at the first one the store refuses', async () => {
    const applied: string[] = [];
    const { subject } = queue(async (w) => {
      if (w.token === 'b') {
        throw new Error('still down');
      }
      applied.push(w.token);
    });
    ['a', 'b', 'c'].forEach((token) => subject.add(write(token)));
    await subject.close();
    expect(applied).toEqual(['a']);
    expect(subject.size).toBe(2);
  });

  it('drops a write whose reservation has expired without applying it', async () => {
    const applied: string[] = [];
    const { subject, dropped } = queue(async (w) => {
      applied.push(w.token);
    });
    subject.add(write('old', Date.now() - 1));
    subject.add(write('new'));
    await subject.close();
    expect(applied).toEqual(['new']);
    expect(dropped).toEqual([['old', 'expired']]);
    expect(subject.size).toBe(0);
  });

  it('keeps at most 10,000 writes, dropping the oldest', async () => {
    const { subject, dropped } = queue(() => Promise.reject(new Error('down')));
    for (let i = 0; i <= 10_000; i++) {
      subject.add(write(String(i)));
    }
    expect(subject.size).toBe(10_000);
    expect(dropped).toEqual([['0', 'overflow']]);
    await subject.close();
  });

  it('retries on its own until the store takes the write', async () => {
    let attempts = 0;
    let taken: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (taken = resolve));
    const { subject } = queue(async () => {
      if (++attempts < 3) {
        throw new Error('down');
      }
      taken();
    });
    subject.add(write('a'));
    await done;
    await subject.close();
    expect(attempts).toBe(3);
    expect(subject.size).toBe(0);
  });
});
