import { describe, expect, it } from 'vitest';
import { keyOrderOf } from './registry';

describe('the order a bulk load writes blocking keys in', () => {
  it('is every key once, by byte order as the C collation sorts, equal keys in the order the records came', () => {
    const keys = [['names:smith|ava', 'dob:20150303'], [], ['dob:20150303', 'Dob:1'], ['names:smith|ava']];
    const order = keyOrderOf(keys);
    const flat = keys.flat();
    expect(Array.from(order, (i) => flat[i])).toEqual(['Dob:1', 'dob:20150303', 'dob:20150303', 'names:smith|ava', 'names:smith|ava']);
    expect(Array.from(order)).toEqual([3, 1, 2, 0, 4]);
  });

  it('is empty for no keys', () => {
    expect(keyOrderOf([]).length).toBe(0);
    expect(keyOrderOf([[], []]).length).toBe(0);
  });
});
