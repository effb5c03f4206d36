/**
 * Runs a write whose effect on something kept in memory is not tracked: `forget` runs at its
 * start (reads that overlap it are not kept) and at its end (whatever was kept meanwhile goes).
 */
export async function forgettingAround<T>(forget: () => void, write: () => Promise<T>): Promise<T> {
  forget();
  try {
    return await write();
  } finally {
    forget();
  }
}
