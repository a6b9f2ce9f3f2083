// Load over real HTTP: clients sign in as a browser does (the sign-in form's CSRF token, then the
// session cookie), and autocannon drives the requests, each connection as one signed-in client
// with its own cookie (or a system account's bearer token). Every response's time is kept, so
// the percentiles are exact; any response with an unexpected status counts as an error.
import autocannon from 'autocannon';
import { figuresOf, type LoadFigures } from './stats';

export interface SignedIn {
  email: string;
  /** The Cookie header of the signed-in session. */
  cookie: string;
}

/** Signs in through the sign-in page and form, as a browser would. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<SignedIn> {
  const form = await fetch(`${baseUrl}/sign-in`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!token) throw new Error(`The sign-in page had no form token (status ${form.status})`);
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(';')[0] as string).find((c) => c.startsWith('hearth_session='));
  if (response.status !== 302 || !session) throw new Error(`Signing in as ${email} failed (status ${response.status})`);
  return { email, cookie: session };
}

export interface NextRequest {
  path: string;
  method?: 'GET' | 'POST';
  body?: string;
}

export interface HttpLoadOptions {
  baseUrl: string;
  connections: number;
  /** Run for this long… */
  durationSeconds?: number;
  /** …or until this many responses have come back. */
  amount?: number;
  /** Requests per second from all connections together; none means as fast as answers come. */
  overallRate?: number;
  /** The headers of connection `index` (its session cookie or bearer token). */
  headersOf: (index: number) => Record<string, string>;
  next: () => NextRequest;
  ok?: (status: number) => boolean;
}

export interface HttpFigures extends LoadFigures {
  statuses: Record<string, number>;
}

export async function httpLoad(options: HttpLoadOptions): Promise<HttpFigures> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const ok = options.ok ?? ((status: number) => status === 200);
  let errors = 0;
  let clients = 0;
  const started = performance.now();
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    ...(options.durationSeconds !== undefined ? { duration: options.durationSeconds } : {}),
    ...(options.amount !== undefined ? { amount: options.amount } : {}),
    ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {}),
    timeout: 30,
    // Each connection is one client: its own requests, so its own cookie or token.
    setupClient: (client) => {
      const headers = options.headersOf(clients++);
      client.setRequests([{
        headers,
        setupRequest: (request) => {
          const next = options.next();
          return {
            ...request,
            method: next.method ?? 'GET',
            path: next.path,
            headers: next.body ? { ...headers, 'content-type': 'application/json' } : headers,
            ...(next.body ? { body: next.body } : { body: Buffer.alloc(0) }),
          };
        },
      }]);
    },
  }, (error, result) => (error ? fail(error) : finish(result)));
  instance.on('response', (_client: autocannon.Client, status: number, _bytes: number, responseTime: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (ok(status)) latencies.push(responseTime);
    else errors++;
  });
  const result = await done;
  errors += result.errors + result.timeouts;
  return { ...figuresOf(latencies, (performance.now() - started) / 1000, errors), statuses };
}

/** One request as a browser sends it, failing unless the status is the one expected. */
export async function fetchExpecting(baseUrl: string, request: NextRequest, headers: Record<string, string>, expected = 200): Promise<void> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method ?? 'GET',
    redirect: 'manual',
    headers: request.body ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(request.body ? { body: request.body } : {}),
  });
  await response.arrayBuffer();
  if (response.status !== expected) throw new Error(`${request.method ?? 'GET'} ${request.path.split('?')[0]} answered ${response.status}`);
}
