// Signed-in test clients, one per user, kept for the life of a suite.
import type { FastifyInstance } from 'fastify';
import { TestClient } from '../../../test/support/app';

export function clientsFor(app: () => FastifyInstance) {
  const signedIn = new Map<string, TestClient>();
  return async (user: { email: string; password: string }): Promise<TestClient> => {
    const known = signedIn.get(user.email);
    if (known) return known;
    const client = new TestClient(app());
    const response = await client.signIn(user.email, user.password);
    if (response.statusCode !== 302) throw new Error(`${user.email} could not sign in: ${response.statusCode}`);
    // A page of the session carries the form token (in the sign-out form), as a browser would have it.
    await client.get('/');
    signedIn.set(user.email, client);
    return client;
  };
}

/** The version a form was opened at, as the browser would send it back. */
export const versionIn = (html: string, id?: string): string => {
  const form = id ? html.slice(html.indexOf(id)) : html;
  return /name="version" value="(\d+)"/.exec(form)?.[1] ?? 'none';
};
