import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/app';
import { loadConfig } from './config';

describeEachEngine('operating Hearth', (ctx) => {
  it('answers /health and /ready', async () => {
    const { app, database } = ctx();
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).json()).toEqual({ status: 'ready', database: database.engine });
  });

  it('exposes Prometheus metrics labelled by route pattern, never by id', async () => {
    const { app } = ctx();
    await app.inject('/people/3f6c1a5e-0000-4000-8000-000000000000');
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toContain('hearth_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/people/:id"');
    expect(metrics.body).not.toContain('3f6c1a5e');
  });

  it('serves the OpenAPI document of the API', async () => {
    const { app } = ctx();
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/me', '/api/v1/notifications', '/api/v1/notifications/csv', '/api/v1/referrals']));
    expect(doc.paths['/api/v1/notifications'].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['policeReference', 'people', 'riskGrade']));
    expect(Object.keys(doc.paths).every((p: string) => p.startsWith('/api/v1/'))).toBe(true);
  });

  it('refuses the API without a token, as JSON', async () => {
    const { app } = ctx();
    const response = await app.inject('/api/v1/me');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('Bearer') } });
    const forged = await app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer hth_abcdefgh_notarealtokennotarealtokennotarealtoken' } });
    expect(forged.statusCode).toBe(401);
  });

  it('sends security headers and a request id', async () => {
    const { app } = ctx();
    const response = await app.inject('/sign-in');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

it('explains configuration mistakes by variable', () => {
  expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL: must start with postgres/);
  expect(loadConfig({}).port).toBe(3000);
});
