// The REST API through the gateway. Every call carries the signed-in user's access token and
// the workspace; an expired access token is refreshed once and the call repeated. Errors come
// back as RFC 9457 problems and are thrown as ApiError with their title, detail and pointed errors.

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { pointer: string; reason: string }[];
  pointer?: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface Membership {
  workspace: string;
  role: string;
  permissions: string[];
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; username: string; workspaces: Membership[] };
}

const WORKSPACE_KEY = 'lodestar.workspace';
// The session lives in this tab only: closing the tab signs out.
const SESSION_KEY = 'lodestar.session';
const listeners = new Set<(session: Session | null) => void>();

export function session(): Session | null {
  const stored = sessionStorage.getItem(SESSION_KEY);
  return stored ? (JSON.parse(stored) as Session) : null;
}

function setSession(next: Session | null) {
  if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
  else sessionStorage.removeItem(SESSION_KEY);
  listeners.forEach((listener) => listener(next));
}

/** Calls back whenever the user signs in, is refreshed or is signed out. */
export function onSession(listener: (session: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function workspace(): string {
  const memberships = session()?.user.workspaces ?? [];
  const chosen = localStorage.getItem(WORKSPACE_KEY);
  if (chosen && memberships.some((m) => m.workspace === chosen)) return chosen;
  return memberships[0]?.workspace ?? chosen ?? '';
}

export function setWorkspace(id: string) {
  localStorage.setItem(WORKSPACE_KEY, id);
}

/** Whether the signed-in user's role in the current workspace grants a permission. */
export function can(permission: string): boolean {
  const membership = session()?.user.workspaces.find((m) => m.workspace === workspace());
  return membership?.permissions.includes(permission) ?? false;
}

/** Whether it grants any of them. */
export const canAny = (...permissions: string[]) => permissions.some(can);

/**
 * A problem as the views read it: the connector API names its bad fields as
 * `errors: [{field, message}]`, the others as `errors: [{pointer, reason}]`; both become the latter.
 */
export function normaliseProblem(raw: unknown, status: number): Problem {
  const problem = { ...(raw as Record<string, unknown>) } as Problem & Record<string, unknown>;
  problem.status ??= status;
  if (Array.isArray(problem.errors)) {
    problem.errors = (problem.errors as unknown[]).map((e) => {
      const error = e as { pointer?: string; reason?: string; field?: string; message?: string };
      return { pointer: error.pointer ?? error.field ?? '', reason: error.reason ?? error.message ?? '' };
    });
  }
  return problem;
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let problem: Problem = { status: response.status, title: response.statusText };
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object') problem = normaliseProblem(parsed, response.status);
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, problem);
}

export async function signIn(username: string, password: string): Promise<Session> {
  const response = await fetch('/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await problemOf(response);
  const next = (await response.json()) as Session;
  setSession(next);
  return next;
}

/** Whether the gateway offers single sign-on, and the provider's name for the button. */
export async function ssoStatus(): Promise<{ enabled: boolean; displayName?: string }> {
  const response = await fetch('/v1/auth/oidc');
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as { enabled: boolean; displayName?: string };
}

/** Where the sign-in button sends the browser: the provider, then back to `route` (a hash route). */
export function ssoLoginUrl(route: string): string {
  const hash = route.startsWith('#') ? route : `#${route}`;
  return `/v1/auth/oidc/login?redirect=${encodeURIComponent(`/${hash}`)}`;
}

/** Trades the one-time code the gateway's callback handed over for a session, as a password login gives. */
export async function signInWithCode(code: string): Promise<Session> {
  const response = await fetch('/v1/auth/oidc/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  if (!response.ok) throw await problemOf(response);
  const next = (await response.json()) as Session;
  setSession(next);
  return next;
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new session (new roles included); false when it is spent. */
export function refresh(): Promise<boolean> {
  const current = session();
  if (!current) return Promise.resolve(false);
  refreshing ??= fetch('/v1/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken: current.refreshToken }),
  })
    .then(async (response) => {
      if (!response.ok) {
        setSession(null);
        return false;
      }
      setSession((await response.json()) as Session);
      return true;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export async function signOut(): Promise<void> {
  const current = session();
  setSession(null);
  if (current) {
    await fetch('/v1/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    }).catch(() => undefined);
  }
}

/** fetch with the access token and workspace; on 401 refreshes once and tries again. */
async function authorised(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
  const token = session()?.accessToken;
  const response = await fetch(path, {
    ...init,
    headers: {
      'X-Lodestar-Workspace': workspace(),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
  });
  if (response.status === 401 && !retried && (await refresh())) {
    return authorised(path, init, true);
  }
  if (response.status === 401) setSession(null);
  return response;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await authorised(path, init);
  if (!response.ok) throw await problemOf(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string) => api<T>(path);
export const post = <T>(path: string, body?: unknown) =>
  api<T>(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
export const put = <T>(path: string, body: unknown) => api<T>(path, { method: 'PUT', body: JSON.stringify(body) });
export const patch = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body: JSON.stringify(body) });
export const remove = (path: string) => api<void>(path, { method: 'DELETE' });

/**
 * Downloads a file the API streams (a segment's export, an analytics answer as CSV): a plain link
 * cannot carry the token and workspace headers, so the file is fetched with them and handed to
 * the browser as a blob. A `body` makes it a POST (funnels and paths take their question so).
 */
export async function download(path: string, filename: string, body?: unknown): Promise<void> {
  const response = await authorised(path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw await problemOf(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
