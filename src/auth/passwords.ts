// Password hashing (argon2id) and the password policy: length over complexity, as the NCSC
// advises, with a short list of passwords too common to allow.
import { hash, verify } from '@node-rs/argon2';

// OWASP's recommended argon2id parameters (19 MiB, 2 iterations, 1 lane).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 /* Argon2id */ } as const;

export const minimumPasswordLength = 12;

const tooCommon = new Set([
  'password1234', 'passwordpassword', '123456789012', 'qwertyuiopas', 'letmeinletmein', 'iloveyou1234',
  'welcome12345', 'password123!', 'administrator', 'changemechangeme', 'safeguarding', 'hearthhearth',
]);

/** Returns the problem with a proposed password, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  if (password.length < minimumPasswordLength) return `Password must be at least ${minimumPasswordLength} characters`;
  if (password.length > 256) return 'Password must be 256 characters or fewer';
  const lower = password.toLowerCase();
  if (tooCommon.has(lower) || /^(.)\1+$/.test(password)) return 'Password is too common: choose a longer phrase';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Password must not contain your email address';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
