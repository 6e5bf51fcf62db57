// The REST API client: cookie session plus the CSRF header on every change.
export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public retryAfter: number | null) {
    super(message);
  }
}

export interface User { id: number; username: string; display_name: string; role: string }

let csrf = '';
let me: User | null = null;

// The CSRF token of the session, for requests not made through api() (file uploads).
export function csrfToken(): string {
  return csrf;
}

export function currentUser(): User | null {
  return me;
}

export function setSession(user: User, token: string): void {
  me = user;
  csrf = token;
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', String(e), null);
  }
  const text = await res.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const ra = res.headers.get('Retry-After');
    const err = data && data.error ? data.error : { code: 'http_' + res.status, message: res.statusText };
    throw new ApiError(res.status, err.code, err.message, ra ? Number(ra) : null);
  }
  return { status: res.status, data };
}

// Loads who is signed in; null when nobody is.
export async function loadSession(): Promise<User | null> {
  try {
    const { data } = await api('GET', '/api/v1/auth/me');
    setSession(data.user, data.csrf_token);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function toLogin(): void {
  const next = location.pathname + location.search;
  location.assign('/app/login?next=' + encodeURIComponent(next));
}
