/**
 * Whether a frame shows our own page: the built index.html (same file, any query or hash: the renderer keeps
 * its route in the hash) or, unpackaged, the dev server (same origin). `loaded` is what the shell loads.
 */
export function createAppUrlCheck(loaded: string): (url: string) => boolean {
  const ours = new URL(loaded);
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (ours.protocol === 'file:') return u.protocol === 'file:' && u.host === ours.host && u.pathname === ours.pathname;
    return u.origin === ours.origin;
  };
}
