/**
 * Compiled templates per folder, loaded once per process. A failed load (a missing file) is not cached,
 * so the next call retries rather than failing forever.
 */
export function templateCache<T>(load: (dir: string) => Promise<T>): (dir: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (dir) => {
    let loading = cache.get(dir);
    if (loading === undefined) {
      loading = load(dir);
      loading.catch(() => cache.delete(dir));
      cache.set(dir, loading);
    }
    return loading;
  };
}
