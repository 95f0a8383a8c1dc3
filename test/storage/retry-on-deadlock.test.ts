import { describe, expect, it } from 'vitest';
import { retryOnDeadlock } from '../../src/storage/retry-on-deadlock.js';

const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('retryOnDeadlock', () => {
  it('runs the transaction again after a deadlock and returns its result', async () => {
    const failures = [deadlock, deadlock];
    const retries: number[] = [];
    let runs = 0;
    const result = await retryOnDeadlock(
      async () => {
        runs += 1;
        const failure = failures.shift();
        if (failure) throw failure;
        return 'stored';
      },
      (attempt) => retries.push(attempt),
    );
    expect(result).toBe('stored');
    expect(runs).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('throws other errors at once and a deadlock that keeps coming after the retries', async () => {
    let runs = 0;
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(
      retryOnDeadlock(
        async () => {
          runs += 1;
          throw unique;
        },
        () => undefined,
      ),
    ).rejects.toBe(unique);
    expect(runs).toBe(1);
    runs = 0;
    await expect(
      retryOnDeadlock(
        async () => {
          runs += 1;
          throw deadlock;
        },
        () => undefined,
        2,
      ),
    ).rejects.toBe(deadlock);
    expect(runs).toBe(3);
  });
});
