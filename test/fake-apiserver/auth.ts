/**
 * Authentication and authorization of the fake server. Without `auth` options every request is
 * served as an administrator. With them, a request is authenticated by bearer token or by a
 * verified TLS client certificate (CN = user, O = groups); a wrong token is a 401 even when
 * anonymous access is on; no credentials are a 401 unless anonymous access is on. The optional
 * `authorize` callback plays RBAC: refusing gives the real 403 sentence
 * (`pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "ns"`).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { forbiddenStatus, unauthorized } from './status.js';
import type { RequestTarget, Verb } from './types.js';

/** An authenticated user. */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** What an authorization decision sees. */
export interface AuthzRequest {
  user: UserInfo;
  /** Resource verb, or the lowercase HTTP method for non-resource paths. */
  verb: Verb | string;
  /** True for API resource requests, false for `/version`, `/api`, `/apis`... */
  resourceRequest: boolean;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path: string;
}

/** Authentication/authorization options. */
export interface AuthOptions {
  /** Accepted bearer tokens: token → user name, or → `{ user, groups }`. */
  tokens?: Record<string, string | { user: string; groups?: string[] }>;
  /**
   * Serve requests without credentials as `system:anonymous` (then subject to `authorize`).
   * @default false
   */
  anonymous?: boolean;
  /**
   * RBAC stand-in: return `true` to allow. Without it, authenticated users may do anything and
   * anonymous users may only read `/version`, `/healthz`, `/livez`, `/readyz`.
   */
  authorize?: (request: AuthzRequest) => boolean;
}

const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz']);

/** The administrator every request runs as when no auth is configured. */
export const ADMIN_USER: UserInfo = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

/**
 * Authenticates a request. Throws a 401 failure when credentials are wrong or missing (and
 * anonymous access is off).
 *
 * @param req The request.
 * @param options The auth options; `undefined` → everyone is {@link ADMIN_USER}.
 */
export function authenticate(req: IncomingMessage, options: AuthOptions | undefined): UserInfo {
  if (!options) return ADMIN_USER;
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    const entry = m ? options.tokens?.[(m[1] as string).trim()] : undefined;
    if (entry === undefined) throw unauthorized();
    const user = typeof entry === 'string' ? { name: entry, groups: [] } : { name: entry.user, groups: entry.groups ?? [] };
    return { name: user.name, groups: [...user.groups, 'system:authenticated'] };
  }
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate === 'function') {
    const cert = socket.getPeerCertificate();
    if (cert && Object.keys(cert).length > 0) {
      if (!socket.authorized) throw unauthorized();
      const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
      const cn = subject.CN;
      const o = subject.O;
      const name = Array.isArray(cn) ? (cn[0] ?? '') : (cn ?? '');
      const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
      return { name, groups: [...groups, 'system:authenticated'] };
    }
  }
  if (options.anonymous) return { name: 'system:anonymous', groups: ['system:unauthenticated'] };
  throw unauthorized();
}

function sentence(r: AuthzRequest): string {
  if (!r.resourceRequest) return `User "${r.user.name}" cannot ${r.verb} path "${r.path}"`;
  const res = r.subresource ? `${r.resource}/${r.subresource}` : (r.resource ?? '');
  const scope = r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope';
  return `User "${r.user.name}" cannot ${r.verb} resource "${res}" in API group "${r.group ?? ''}" ${scope}`;
}

/**
 * Authorizes a request; throws a 403 failure when refused.
 *
 * @param options The auth options (nothing configured → allowed).
 * @param user The authenticated user.
 * @param method The HTTP method.
 * @param path The request path.
 * @param target The resource target, if it is a resource request.
 * @param verb The resource verb.
 */
export function authorize(
  options: AuthOptions | undefined,
  user: UserInfo,
  method: string,
  path: string,
  target: RequestTarget | undefined,
  verb: Verb | undefined,
): void {
  if (!options) return;
  const request: AuthzRequest = target
    ? {
        user,
        verb: verb ?? method.toLowerCase(),
        resourceRequest: true,
        group: target.resource.group,
        resource: target.resource.plural,
        path,
        ...(target.subresource ? { subresource: target.subresource } : {}),
        ...(target.namespace ? { namespace: target.namespace } : {}),
        ...(target.name ? { name: target.name } : {}),
      }
    : { user, verb: method.toLowerCase(), resourceRequest: false, path };
  const allowed = options.authorize
    ? options.authorize(request)
    : user.name !== 'system:anonymous' || (!target && PUBLIC_PATHS.has(path));
  if (allowed) return;
  throw forbiddenStatus(target?.resource, target?.name, sentence(request));
}
