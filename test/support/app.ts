// The whole application on a fresh database, driven through HTTP with a client that keeps
// cookies and sends each form's CSRF token, as a browser does.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp } from '../../src/server/app';
import { loadConfig, type Config } from '../../src/server/config';
import type { Engine } from '../../src/db/database';
import { freshDatabase, testEngines, type TestDatabase } from './database';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

export async function startTestApp(engine: Engine, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await freshDatabase(engine);
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = await buildApp({ config, database, secret: 'test-secret-that-is-at-least-32-characters-long' });
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

export class TestClient {
  private cookies = new Map<string, string>();
  private csrfToken: string | undefined;
  lastResponse: LightMyRequestResponse | undefined;

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrfToken = token;
    this.lastResponse = response;
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  /** Posts a form as a browser would, with the CSRF token of the last page unless one is given; a list is a repeated field (ticked checkboxes). */
  async post(url: string, fields: Record<string, string | string[]>, options: { csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
    if (csrf) params.append('_csrf', csrf);
    const body = params.toString();
    return this.remember(
      await this.app.inject({
        method: 'POST', url, payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader() },
      }),
    );
  }

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    return this.post('/sign-in', { email, password });
  }

  hasSession(): boolean {
    return this.cookies.has('hearth_session');
  }
}

/** Declares a suite once per database engine under test, with a fresh application for each. */
export function describeEachEngine(name: string, define: (context: () => TestApp) => void, env: Record<string, string> = {}): void {
  for (const engine of testEngines()) {
    describe(`${name} [${engine}]`, () => {
      let testApp: TestApp | undefined;
      beforeAll(async () => {
        testApp = await startTestApp(engine, env);
      });
      afterAll(async () => {
        await testApp?.close();
      });
      define(() => {
        if (!testApp) throw new Error('The test application did not start');
        return testApp;
      });
    });
  }
}
