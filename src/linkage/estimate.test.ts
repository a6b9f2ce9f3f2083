import { describe, expect, it } from 'vitest';
import { comparisonsFor } from './comparisons';
import { expectationMaximisation, levelStride, type OutsideCounts } from './estimate';
import { seededRandom } from './random';

// Comparison vectors drawn from a known Fellegi–Sunter model (conditionally independent levels),
// to check that EM gets the parameters back without being told which pairs match.
// Term-frequency adjustment is off: these vectors carry no per-value frequencies.
const specs = comparisonsFor(new Set(['given_name', 'family_name', 'dob', 'sex'])).map((s) => ({ ...s, termFrequency: false }));
const truth = {
  lambda: 0.2,
  m: [
    [0.8, 0.05, 0.05, 0.02, 0.03, 0.01, 0.01, 0.03],
    [0.85, 0.01, 0.06, 0.02, 0.02, 0.01, 0.03],
    [0.88, 0.02, 0.04, 0.02, 0.02, 0.01, 0.01],
    [0.97, 0.03],
  ],
  u: [
    [0.02, 0.01, 0.02, 0.03, 0.1, 0.01, 0.01, 0.8],
    [0.01, 0.005, 0.02, 0.03, 0.1, 0.005, 0.83],
    [0.001, 0.001, 0.01, 0.02, 0.05, 0.018, 0.9],
    [0.5, 0.5],
  ],
};

function draw(random: () => number, distribution: readonly number[]): number {
  let x = random();
  for (let l = 0; l < distribution.length; l++) {
    x -= distribution[l]!;
    if (x < 0) return l;
  }
  return distribution.length - 1;
}

function syntheticPairs(count: number, seed: number): Int8Array {
  const random = seededRandom(seed);
  const levels = new Int8Array(count * specs.length);
  for (let p = 0; p < count; p++) {
    const match = random() < truth.lambda;
    specs.forEach((_, k) => {
      // Some values are missing, at random, as in real data.
      levels[p * specs.length + k] = random() < 0.05 ? -1 : draw(random, (match ? truth.m : truth.u)[k]!);
    });
  }
  return levels;
}

const noOutside: OutsideCounts = { counts: new Float64Array(specs.length * levelStride(specs)), nonMissing: new Float64Array(specs.length), sampled: 0 };

describe('expectationMaximisation', () => {
  it('recovers m, u and lambda from unlabelled comparison vectors', () => {
    const count = 60_000;
    const levels = syntheticPairs(count, 11);
    const result = expectationMaximisation(
      { specs, pairs: { count, levels, bonus: new Float32Array(count) }, outside: noOutside, populationSize: count },
      { sessions: [], maxIterations: 200, tolerance: 1e-7 },
    );
    expect(result.lambda).toBeCloseTo(truth.lambda, 2);
    specs.forEach((_, k) => {
      truth.m[k]!.forEach((m, l) => expect(Math.abs(result.m[k]![l]! - m), `m ${specs[k]!.name} level ${l}`).toBeLessThan(0.015));
      truth.u[k]!.forEach((u, l) => expect(Math.abs(result.u[k]![l]! - u), `u ${specs[k]!.name} level ${l}`).toBeLessThan(0.015));
    });
  });

  it('recovers m through training sessions that each leave out the comparisons they agree on', () => {
    const count = 60_000;
    const levels = syntheticPairs(count, 12);
    const result = expectationMaximisation(
      { specs, pairs: { count, levels, bonus: new Float32Array(count) }, outside: noOutside, populationSize: count },
      { sessions: [{ name: 'dob', agreeOn: ['dob'] }, { name: 'names', agreeOn: ['given_name', 'family_name'] }] },
    );
    expect(result.sessions.map((s) => s.name)).toEqual(['dob', 'names']);
    expect(result.lambda).toBeCloseTo(truth.lambda, 2);
    specs.forEach((_, k) => truth.m[k]!.forEach((m, l) => expect(Math.abs(result.m[k]![l]! - m)).toBeLessThan(0.03)));
  });
});
