/** PostgreSQL's SQLSTATE for a transaction it chose to abort to break a deadlock. */
const DEADLOCK_DETECTED = '40P01';

/**
 * Runs a whole transaction again when PostgreSQL aborted it to break a deadlock: the database rolled all of
 * it back, so running it again is safe. Any other error, or a deadlock past `retries`, is thrown.
 */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, onRetry: (attempt: number) => void, retries = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt > retries || (error as { code?: unknown }).code !== DEADLOCK_DETECTED) throw error;
      onRetry(attempt);
    }
  }
}
