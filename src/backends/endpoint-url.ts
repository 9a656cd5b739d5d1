/**
 * The one rule for a datastore's address (etcd endpoints, the Kubernetes API server), wherever it
 * comes from — the environment, a CalicoAPIConfig file, a configuration object or a kubeconfig —
 * so an address is accepted or refused the same way everywhere, before anything connects.
 *
 * @module
 */

/**
 * Why `text` cannot be used as a datastore address, or undefined when it can: it must be an
 * `http://` or `https://` URL with a host and without a `user:password@` part (credentials have
 * their own settings, and a URL is printed in messages). The reason never repeats the text.
 *
 * ## Example
 * ```ts
 * endpointUrlProblem('https://10.0.0.1:2379'); // undefined
 * endpointUrlProblem('http://root:pw@10.0.0.1:2379'); // 'must not carry credentials (user:password@): …'
 * ```
 *
 * @param text The address as given.
 * @return The reason, or undefined.
 */
export function endpointUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (!url.hostname) return 'must name a host';
  if (url.username !== '' || url.password !== '') {
    return 'must not carry credentials (user:password@): give them in their own settings (etcdUsername and etcdPassword, a token or a client certificate)';
  }
  return undefined;
}
