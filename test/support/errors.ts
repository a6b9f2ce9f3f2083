// The HearthError a call fails with, for asserting its code and the fields it names.
import { HearthError } from '../../src/server/errors';

export async function caught(promise: Promise<unknown>): Promise<HearthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HearthError) return error;
    throw error;
  }
  throw new Error('expected a HearthError');
}
