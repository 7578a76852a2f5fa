// The REST API through the gateway. Every call carries the workspace; errors come back as
// RFC 9457 problems and are thrown as ApiError with their title, detail and pointed errors.

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

const WORKSPACE_KEY = 'lodestar.workspace';

export function workspace(): string {
  return localStorage.getItem(WORKSPACE_KEY) || 'demo';
}

export function setWorkspace(id: string) {
  localStorage.setItem(WORKSPACE_KEY, id);
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: {
      'X-Lodestar-Workspace': workspace(),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
  });
  const text = await response.text();
  if (!response.ok) {
    let problem: Problem = { status: response.status, title: response.statusText };
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, problem);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string) => api<T>(path);
export const post = <T>(path: string, body?: unknown) =>
  api<T>(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

/**
 * Downloads a file the API streams (a segment's CSV export): a plain link cannot carry the
 * workspace header, so the file is fetched with it and handed to the browser as a blob.
 */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { headers: { 'X-Lodestar-Workspace': workspace() } });
  if (!response.ok) {
    const text = await response.text();
    let problem: Problem = { status: response.status, title: response.statusText };
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, problem);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
